"""Moderation verbs. Callers check can_moderate first. Every action is audited and
reaches open sockets at once (after commit, through the queue when there is one)."""

from __future__ import annotations

from flask_babel import gettext as _
from datetime import timedelta

from sqlalchemy import delete, update

from network import audit, policy, realtime
from network.errors import InputError
from network.extensions import db
from network.models import Account, Message, Organization, Room, RoomMember, utcnow
from network.models.message_search import forget_removed_text
from network.rooms import services as rooms

MAX_MUTE_MINUTES = 7 * 24 * 60


ModerationInputError = InputError  # one shape of field error for every feature


def _org(room: Room) -> Organization:
    return db.session.get(Organization, room.host_org_id)


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ModerationInputError("reason", _("Give a reason; the author is told it."))
    if len(reason) > 300:
        raise ModerationInputError("reason", _("Keep the reason under 300 characters."))
    return reason


def _settings(room: Room) -> dict:
    return {
        "room_id": room.public_id,
        "locked": room.locked,
        "slow_mode": room.slow_mode_seconds,
    }


def hide_message(room: Room, message: Message, reason: str, *, actor: Account) -> None:
    """Hide a message for everyone; its author is told why, never by whom."""
    reason = _reason(reason)
    message.hidden_at = utcnow()
    message.hidden_reason = reason
    message.hidden_by_id = actor.id
    forget_removed_text()  # hidden text leaves the search index
    author = db.session.get(Account, message.author_id)
    audit.record(
        "message.hidden",
        actor=actor,
        organization=_org(room),
        target=author,
        room=room,
        message=message.public_id,
        reason=reason,
    )
    realtime.emit_after_commit(
        "message:hidden",
        {"room_id": room.public_id, "id": message.public_id},
        to=realtime.room_key(room.id),
        # Only those who received the message hear that it was hidden.
        skip_sid=rooms.kept_apart_sids(room, message.author_id),
    )
    realtime.emit_after_commit(
        "message:hidden_notice",
        {"room_id": room.public_id, "id": message.public_id, "reason": reason},
        to=realtime.user_key(message.author_id),
    )
    db.session.commit()


def pin_message(room: Room, message: Message | None, *, actor: Account) -> None:
    """Pin a message (for example the ground rules), or unpin with None."""
    room.pinned_message_id = message.id if message else None
    audit.record(
        "message.pinned" if message else "message.unpinned",
        actor=actor,
        organization=_org(room),
        room=room,
        message=message.public_id if message else None,
    )
    cleared = {"room_id": room.public_id, "message": None}
    if message is None:
        realtime.emit_after_commit(
            "room:pinned", cleared, to=realtime.room_key(room.id)
        )
    else:
        # Those kept apart from the author see what their page would show: no pin.
        author = db.session.get(Account, message.author_id)
        rooms.emit_about(
            room,
            "room:pinned",
            {
                "room_id": room.public_id,
                "message": rooms.message_payload(room, message, author),
            },
            person_id=author.id,
            instead=cleared,
        )
    db.session.commit()


def mute(room: Room, row: RoomMember, minutes, reason: str, *, actor: Account) -> None:
    """Mute a member in this room for a set time."""
    if (
        isinstance(minutes, bool)
        or not isinstance(minutes, int)
        or not (1 <= minutes <= MAX_MUTE_MINUTES)
    ):
        raise ModerationInputError(
            "minutes",
            _("Mute for 1 to %(most)s minutes (one week).", most=MAX_MUTE_MINUTES),
        )
    reason = _reason(reason)
    row.muted_until = utcnow() + timedelta(minutes=minutes)
    target = db.session.get(Account, row.account_id)
    audit.record(
        "member.muted",
        actor=actor,
        organization=_org(room),
        target=target,
        room=room,
        minutes=minutes,
        reason=reason,
    )
    realtime.emit_after_commit(
        "room:muted",
        {
            "room_id": room.public_id,
            "until": row.muted_until.isoformat(),
            "reason": reason,
        },
        to=realtime.user_key(row.account_id),
    )
    db.session.commit()


def unmute(room: Room, row: RoomMember, *, actor: Account) -> None:
    """Lift a mute."""
    row.muted_until = None
    target = db.session.get(Account, row.account_id)
    audit.record(
        "member.unmuted", actor=actor, organization=_org(room), target=target, room=room
    )
    db.session.commit()


def remove(room: Room, row: RoomMember, reason: str, *, actor: Account) -> None:
    """Remove a member from the room: they cannot come back until let back in."""
    _shut_out(room, row, reason, "removed", actor=actor)


def ban(room: Room, row: RoomMember, reason: str, *, actor: Account) -> None:
    """Ban a member from the room: they cannot come back until unbanned."""
    _shut_out(room, row, reason, "banned", actor=actor)


def _shut_out(
    room: Room, row: RoomMember, reason: str, status: str, *, actor: Account
) -> None:
    reason = _reason(reason)
    target = db.session.get(Account, row.account_id)
    audit.record(
        f"member.{status}",
        actor=actor,
        organization=_org(room),
        target=target,
        room=room,
        reason=reason,
    )
    rooms.shut_out(room, row, status, reason)
    db.session.commit()


def unban(room: Room, row: RoomMember, *, actor: Account) -> None:
    """Lift a ban or removal (the person may join again as a channel member or
    on request)."""
    target = db.session.get(Account, row.account_id)
    audit.record(
        "member.unbanned",
        actor=actor,
        organization=_org(room),
        target=target,
        room=room,
    )
    db.session.execute(delete(RoomMember).where(RoomMember.id == row.id))
    db.session.commit()


def set_lock(room: Room, locked: bool, *, actor: Account) -> None:
    """Lock (read-only) or unlock a room."""
    room.locked = locked
    audit.record(
        "room.locked" if locked else "room.unlocked",
        actor=actor,
        organization=_org(room),
        room=room,
    )
    realtime.emit_after_commit(
        "room:settings", _settings(room), to=realtime.room_key(room.id)
    )
    db.session.commit()


def set_slow_mode(room: Room, seconds, *, actor: Account) -> None:
    """N seconds between messages per member (0 turns it off)."""
    if (
        isinstance(seconds, bool)
        or not isinstance(seconds, int)
        or not (0 <= seconds <= 3600)
    ):
        raise ModerationInputError("seconds", _("Use 0 to 3,600 seconds."))
    if seconds and not room.slow_mode_seconds:
        # Switched on: messages sent before it do not count against anyone.
        db.session.execute(
            update(RoomMember)
            .where(RoomMember.room_id == room.id)
            .values(last_message_at=None)
        )
    room.slow_mode_seconds = seconds
    audit.record(
        "room.slow_mode",
        actor=actor,
        organization=_org(room),
        room=room,
        seconds=seconds,
    )
    realtime.emit_after_commit(
        "room:settings", _settings(room), to=realtime.room_key(room.id)
    )
    db.session.commit()


def set_facilitator(
    room: Room, account: Account, named: bool, *, actor: Account
) -> None:
    """A host lead names (or un-names) a facilitator of the room."""
    row = rooms.ensure_member(room, account)
    row.role = "facilitator" if named else "member"
    row.status, row.via_role = "active", False
    audit.record(
        "facilitator.named" if named else "facilitator.unnamed",
        actor=actor,
        organization=_org(room),
        target=account,
        room=room,
    )
    db.session.commit()


def name_facilitator(
    room: Room, row: RoomMember, named: bool, *, actor: Account
) -> None:
    """Name (or un-name) a room member facilitator; they must belong to the host."""
    account = db.session.get(Account, row.account_id)
    membership = policy.active_membership(account)
    if membership is None or membership.organization_id != room.host_org_id:
        raise ModerationInputError(
            "member", _("Facilitators come from the host organization.")
        )
    set_facilitator(room, account, named, actor=actor)

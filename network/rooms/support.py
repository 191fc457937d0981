"""Asking a facilitator for help, and handling those requests."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from network import policy, realtime
from network.extensions import db
from network.notifications.services import notify_many
from network.models import (
    Account,
    Profile,
    Room,
    SupportRecipient,
    SupportRequest,
    display_name,
    utcnow,
)


UNREACHABLE = _l(
    "Nobody can be reached from here right now. You can leave this room at any "
    "time, try again a little later, or contact your organization outside the "
    "network. If you are in danger, call your local emergency number."
)


def file_support_request(
    room: Room,
    account: Account,
    *,
    kind: str = "help",
    note: str = "",
    online_first: bool = False,
) -> tuple[SupportRequest | None, list[int]]:
    """Store a request for the people policy.support_recipient_ids names, and only
    them (with online_first, those online now when there are any). Nothing is
    stored or sent when nobody can be reached (None, [])."""
    recipients = []
    if online_first:
        recipients = policy.support_recipient_ids(room, account, online=True)
    recipients = recipients or policy.support_recipient_ids(room, account)
    if not recipients:
        return None, []
    row = SupportRequest(
        room_id=room.id,
        host_org_id=room.host_org_id,
        requester_id=account.id,
        kind=kind,
        note=note.strip(),
    )
    db.session.add(row)
    db.session.flush()
    db.session.add_all(
        SupportRecipient(request_id=row.id, account_id=account_id)
        for account_id in recipients
    )
    # The bell too ("Someone asked for support": no name, no room), through a
    # mute of the room: the home page lists the request for whoever may see it.
    notify_many(recipients, "support_alert", room_id=room.id, link="/")
    return row, recipients


def ask_for_help(
    room: Room, *, actor: Account, note: str = ""
) -> SupportRequest | None:
    """Ask a facilitator for help (policy.support_recipient_ids says who). The
    request names the room and the person, never a reason they did not write.
    None when nobody can be reached."""
    row, recipients = file_support_request(room, actor, note=note)
    if row is None:
        return None
    for account_id in recipients:
        realtime.emit_after_commit(
            "support:requested",
            {"room": room.name, "from": actor.pseudonym, "from_tag": actor.tag},
            to=realtime.user_key(account_id),
        )
    db.session.commit()
    return row


def open_requests(stmt) -> list[tuple[SupportRequest, str, str, str]]:
    """Open requests with the requester's name and tag, the room's name and id."""
    rows = db.session.execute(
        stmt.add_columns(Profile.pseudonym, Profile.tag, Room.name, Room.public_id)
        .join(Profile, Profile.account_id == SupportRequest.requester_id)
        .join(Room, Room.id == SupportRequest.room_id)
        .where(SupportRequest.handled_at.is_(None))
        .order_by(SupportRequest.id)
    )
    return [
        (row, display_name(name, tag), room, room_id)
        for row, name, tag, room, room_id in rows
    ]


def mark_handled(row: SupportRequest, *, actor: Account) -> None:
    """Close a help request."""
    row.handled_at = utcnow()
    row.handled_by_id = actor.id
    db.session.commit()

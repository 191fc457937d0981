"""Being in a room: the member row, sockets entering and leaving, read positions."""

from __future__ import annotations

from functools import partial

from sqlalchemy import (
    delete,
    func,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from network import policy, presence_batch, realtime
from network.availability.services import state_of
from network.models.availability import AVAILABLE
from network.extensions import commit_keeping_loaded, db
from network.models.supervision import facilitator_ids, room_open
from network.models import (
    Account,
    Room,
    RoomMember,
    RoomPresence,
)
from network.rooms.people import kept_apart_sids, person_payload


def ensure_member(room: Room, account: Account) -> RoomMember:
    """The account's membership row in the room, created (flushed, not committed:
    the verb that needs it commits once) on first join. Called before anything
    else is written in the transaction: losing a race rolls it back."""
    row = db.session.scalar(
        select(RoomMember).where(
            RoomMember.room_id == room.id, RoomMember.account_id == account.id
        )
    )
    if row is None:
        # A lead or moderator opening a supervision room has no row of their own:
        # mark it, so it ends with the role (orgs.roles) and grants nothing alone.
        via_role = room.kind == "supervision" and policy.is_host_manager(account, room)
        row = RoomMember(room_id=room.id, account_id=account.id, via_role=via_role)
        db.session.add(row)
        try:
            db.session.flush()
        except IntegrityError:  # joined from two tabs at once
            db.session.rollback()
            row = db.session.scalar(
                select(RoomMember).where(
                    RoomMember.room_id == room.id, RoomMember.account_id == account.id
                )
            )
    return row


def mark_read(room: Room, message_id: int, *, actor: Account) -> None:
    """Move the read position forward (never back)."""
    db.session.execute(
        update(RoomMember)
        .where(
            RoomMember.room_id == room.id,
            RoomMember.account_id == actor.id,
            RoomMember.last_read_id < message_id,
        )
        .values(last_read_id=message_id)
    )
    db.session.commit()


def join(
    room: Room, *, actor: Account, sid: str, row: RoomMember | None = None
) -> None:
    """Enter a room on a socket, in one transaction: the member row on a first join."""
    # `row` is the actor's member row when the caller's access check fetched it;
    # the presence row and the announcements (queued for after the commit) follow.
    if row is None:
        ensure_member(room, actor)
    _enter(room, actor, sid)
    commit_keeping_loaded()


def _enter(room: Room, account: Account, sid: str) -> None:
    """Record a socket inside the room and tell the others (not those kept apart)."""
    sids = set(
        db.session.scalars(
            select(RoomPresence.sid).where(
                RoomPresence.room_id == room.id, RoomPresence.account_id == account.id
            )
        )
    )
    already = bool(sids)
    if sid not in sids:
        db.session.add(RoomPresence(sid=sid, room_id=room.id, account_id=account.id))
    _queue_state(room, account.id)
    if not already and not account.profile.appear_offline:
        joined = person_payload(room, account)
        if state_of(account) != AVAILABLE:  # never whether it is a break
            joined["away"] = True
        _queue_presence(room, {"joined": joined}, account.id, sid)


def leave(room: Room, *, actor: Account, sid: str) -> None:
    """Leave a room's live stream on one socket."""
    _leave(room, actor.id, sid)
    db.session.commit()


def _leave(room: Room, account_id: int, sid: str) -> None:
    """Forget a socket in a room; announce when the person's last socket left."""
    db.session.execute(
        delete(RoomPresence).where(
            RoomPresence.sid == sid, RoomPresence.room_id == room.id
        )
    )
    remaining = db.session.scalar(
        select(func.count())
        .select_from(RoomPresence)
        .where(RoomPresence.room_id == room.id, RoomPresence.account_id == account_id)
    )
    account = db.session.get(Account, account_id)
    if not remaining:
        _queue_state(room, account_id)
    # A deleted account has no profile: erasure already announced it (gone()).
    shown = account is not None and account.profile is not None
    if not remaining and shown and not account.profile.appear_offline:
        _queue_presence(room, {"left": account.profile.public_id}, account_id, sid)
    presence_batch.left(realtime.room_key(room.id), sid)


def gone(account: Account) -> None:
    """Someone is leaving the network for good (their account is being deleted):
    every room they are present in hears they left, and their presence goes. No
    commit; call before their profile is removed."""
    rows = db.session.execute(
        select(RoomPresence.room_id, RoomPresence.sid).where(
            RoomPresence.account_id == account.id
        )
    ).all()
    announced: set[int] = set()
    visible = account.profile is not None and not account.profile.appear_offline
    for room_id, sid in rows:
        if visible and room_id not in announced:
            announced.add(room_id)
            room = db.session.get(Room, room_id)
            _queue_presence(room, {"left": account.profile.public_id}, account.id, sid)
    db.session.execute(
        delete(RoomPresence).where(RoomPresence.account_id == account.id)
    )


def _queue_presence(room: Room, change: dict, person_id: int, sid: str) -> None:
    """Queue a presence change for the room's next batch (presence_batch) once
    this transaction commits. Like emit_about, it skips everyone kept apart from
    the person (one query, now) and the person's own socket."""
    skip = kept_apart_sids(room, person_id) + [sid]
    key = realtime.room_key(room.id)
    realtime.call_after_commit(
        partial(
            presence_batch.queue,
            key,
            room.public_id,
            change,
            skip,
            person=(room.id, person_id),
        )
    )


def _queue_state(room: Room, account_id: int) -> None:
    """When a facilitator arrives or leaves, a supervision room may open or close."""
    if room.kind != "supervision":
        return
    if account_id in set(db.session.scalars(facilitator_ids(room))):
        realtime.emit_after_commit(
            "room:state", room_state(room), to=realtime.room_key(room.id)
        )


def shut_out(room: Room, row: RoomMember, status: str, reason: str) -> None:
    """Take a member out of the room for good (status "removed" or "banned"): no
    commit. After the commit their sockets leave the room's broadcast key on
    every server process, and they alone are told, with the reason."""
    row.status, row.role, row.removed_reason = status, "member", reason
    account_id = row.account_id
    here = db.session.scalars(
        select(RoomPresence.sid).where(
            RoomPresence.room_id == room.id, RoomPresence.account_id == account_id
        )
    )
    for sid in list(here):
        _leave(room, account_id, sid)
    key = realtime.room_key(room.id)
    sids = realtime.live_sids(account_id)
    realtime.call_after_commit(partial(realtime.leave_everywhere, sids, key))
    realtime.emit_after_commit(
        "room:removed",
        {"room_id": room.public_id, "reason": reason},
        to=realtime.user_key(account_id),
    )


def socket_closed(sid: str) -> None:
    """A socket went away: leave every room it was in (one commit)."""
    rows = list(
        db.session.execute(
            select(RoomPresence.room_id, RoomPresence.account_id).where(
                RoomPresence.sid == sid
            )
        ).all()
    )
    for room_id, account_id in rows:
        room = db.session.get(Room, room_id)
        if room is not None:
            _leave(room, account_id, sid)
    db.session.commit()


def room_state(room: Room) -> dict:
    """The open/closed state broadcast when facilitators come and go."""
    return {"room_id": room.public_id, "open": room_open(room)}


def announce_away(account: Account, away: bool) -> None:
    """Tell the rooms a person has open that they are now away or back
    (`{"away": {"id", "away"}}`, never why), once the caller commits; as a
    join is, skipping those kept apart. Nothing for someone appearing offline."""
    if account.profile.appear_offline:
        return
    room_ids = set(
        db.session.scalars(
            select(RoomPresence.room_id).where(RoomPresence.account_id == account.id)
        )
    )
    change = {"away": {"id": account.profile.public_id, "away": bool(away)}}
    for room in db.session.scalars(select(Room).where(Room.id.in_(room_ids))):
        _queue_presence(room, change, account.id, "")

"""Closing direct conversations: when one side leaves, or when the two may no
longer talk (lowered trust, a block, a separation, a suspension). Callers run
these inside their own transaction; the "closed" event goes out after commit."""

from __future__ import annotations

from functools import partial

from sqlalchemy import select

from network import policy, realtime
from network.extensions import db
from network.models import Account, Membership, Room, RoomMember, RoomPresence, utcnow


def close_room(room: Room) -> None:
    """Close a direct conversation for both (no commit). After the commit both
    people's sockets leave its broadcast key and are told "room:closed", with
    nothing but the room's id: never why, nor who did it."""
    if room.closed_at is not None:
        return
    room.closed_at = utcnow()
    key = realtime.room_key(room.id)
    member_ids = list(
        db.session.scalars(
            select(RoomMember.account_id).where(RoomMember.room_id == room.id)
        )
    )
    db.session.execute(
        RoomPresence.__table__.delete().where(RoomPresence.room_id == room.id)
    )
    for account_id in member_ids:
        sids = realtime.live_sids(account_id)
        realtime.call_after_commit(partial(realtime.leave_everywhere, sids, key))
        realtime.emit_after_commit(
            "room:closed",
            {"room_id": room.public_id},
            to=realtime.user_key(account_id),
        )


def _open_direct_rooms(members) -> list[Room]:
    return list(
        db.session.scalars(
            select(Room).where(
                Room.kind == "direct",
                Room.closed_at.is_(None),
                Room.id.in_(
                    select(RoomMember.room_id).where(RoomMember.account_id.in_(members))
                ),
            )
        )
    )


def recheck(*, account_ids=(), org_ids=()) -> int:
    """Close every open direct conversation of these people (or of these
    organizations' members) whose two people may no longer talk directly
    (policy.direct_room_open). No commit: the caller's verb commits once."""
    db.session.flush()  # the change that may end them is what the policy reads
    members = select(Account.id).where(Account.id.in_(list(account_ids)))
    if org_ids:
        members = members.union(
            select(Membership.account_id).where(
                Membership.organization_id.in_(list(org_ids))
            )
        )
    closed = 0
    for room in _open_direct_rooms(members):
        first = db.session.scalar(
            select(Account)
            .join(RoomMember, RoomMember.account_id == Account.id)
            .where(RoomMember.room_id == room.id)
            .limit(1)
        )
        if first is None or not policy.direct_room_open(first, room):
            close_room(room)
            closed += 1
    return closed

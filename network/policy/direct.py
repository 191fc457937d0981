"""Direct conversations (rooms of kind "direct"): two members, nobody else."""

from __future__ import annotations

from sqlalchemy import select

from network.extensions import db
from network.models import Account, Room, RoomMember
from network.policy.actors import _account
from network.policy.profiles import can_talk_directly

DIRECT = "direct"


def direct_other_id(room: Room, account_id: int) -> int | None:
    """The other person of a direct conversation (None if there is none)."""
    return db.session.scalar(
        select(RoomMember.account_id).where(
            RoomMember.room_id == room.id, RoomMember.account_id != account_id
        )
    )


def direct_room_open(actor, room: Room) -> bool:
    """A direct conversation stays open only while it is not closed and the two
    may still talk directly (trust, blocks, separations, standing). Checked on
    every access, even though every change that ends it also closes it."""
    account = _account(actor)
    if account is None or room.kind != DIRECT or room.closed_at is not None:
        return False
    other_id = direct_other_id(room, account.id)
    other = db.session.get(Account, other_id) if other_id is not None else None
    return other is not None and can_talk_directly(account, other)

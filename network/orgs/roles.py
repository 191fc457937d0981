"""Access that came from a role ends with the role."""

from __future__ import annotations

from sqlalchemy import select

from network import audit, policy
from network.extensions import db
from network.models import Account, Membership, Room, RoomMember


def end_role_memberships(membership: Membership, *, actor: Account) -> int:
    """End the room rows made only because of a role (a lead or moderator opening a
    supervision room) in rooms the person may no longer join; audit each one.
    Does not commit: the caller commits with the role change, then reverifies."""
    account = membership.account
    rows = db.session.execute(
        select(RoomMember, Room)
        .join(Room, Room.id == RoomMember.room_id)
        .where(RoomMember.account_id == account.id, RoomMember.via_role.is_(True))
    ).all()
    ended = 0
    for row, room in rows:
        if policy.can_join_room(account, room):
            continue
        audit.record(
            "room.role_membership_ended",
            actor=actor,
            organization=membership.organization,
            target=account,
            room=room,
        )
        db.session.delete(row)
        ended += 1
    return ended

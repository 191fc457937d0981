"""Direct conversations (rooms of kind "direct"): two members, nobody else."""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import aliased

from network.extensions import db
from network.models import (
    Account,
    Membership,
    Organization,
    Room,
    RoomMember,
    Status,
    TrustLevel,
)
from network.policy.actors import _account
from network.policy.profiles import can_talk_directly
from network.policy.safety import kept_apart_ids
from network.policy.trust import trusted_org_ids

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


_OTHER = aliased(RoomMember)  # built once, like policy.trust's aliases


def _direct_pair_open(org_id, account_id):
    """The filter twin of direct_room_open: the room's other member is not kept
    apart from the account, and is an approved member of an active organization
    that is the account's own or at effective `message` with it."""
    other = _OTHER
    reachable = (
        select(Membership.account_id)
        .join(Organization, Organization.id == Membership.organization_id)
        .where(
            Membership.status == Status.APPROVED,
            Organization.suspended_at.is_(None),
            (Membership.organization_id == org_id)
            | Membership.organization_id.in_(
                trusted_org_ids(org_id, TrustLevel.MESSAGE)
            ),
        )
    )
    return exists().where(
        other.room_id == Room.id,
        other.account_id != account_id,
        other.account_id.not_in(kept_apart_ids(account_id)),
        other.account_id.in_(reachable),
    )

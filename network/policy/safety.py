"""Person to person: blocks and safety separations."""

from __future__ import annotations

from sqlalchemy import Select, exists, select, union

from network.errors import NotFound
from network.extensions import db
from network.models import (
    Account,
    Block,
    Membership,
    Room,
    RoomMember,
    Separation,
    Status,
)
from network.policy.actors import _account, can_use_network, lead_org
from network.policy.members import access_membership


def _id(person) -> int:
    return person if isinstance(person, int) else person.id


def blocked(a, b) -> bool:
    """True if either person blocked the other (blocks work both ways)."""
    a_id, b_id = _id(a), _id(b)
    return (
        db.session.scalar(
            select(Block.id).where(
                ((Block.blocker_id == a_id) & (Block.blocked_id == b_id))
                | ((Block.blocker_id == b_id) & (Block.blocked_id == a_id))
            )
        )
        is not None
    )


def blocked_ids(account_id: int) -> Select:
    """Accounts that blocked, or were blocked by, this account."""
    return (
        select(Block.blocked_id)
        .where(Block.blocker_id == account_id)
        .union(select(Block.blocker_id).where(Block.blocked_id == account_id))
    )


def separated(a, b) -> bool:
    """True if a separation keeps the two people apart, in either direction."""
    a_id, b_id = _id(a), _id(b)
    return (
        db.session.scalar(
            select(Separation.id).where(
                ((Separation.protected_id == a_id) & (Separation.other_id == b_id))
                | ((Separation.protected_id == b_id) & (Separation.other_id == a_id))
            )
        )
        is not None
    )


def separated_ids(account_id: int) -> Select:
    """The query-filter twin of separated(): everyone kept apart from this account."""
    return (
        select(Separation.other_id)
        .where(Separation.protected_id == account_id)
        .union(select(Separation.protected_id).where(Separation.other_id == account_id))
    )


def kept_apart(a, b) -> bool:
    """Blocked either way, or separated: the two never see each other."""
    return blocked(a, b) or separated(a, b)


def kept_apart_ids(account_id: int) -> Select:
    """Everyone this account is blocked with or separated from, either way."""
    return union(*blocked_ids(account_id).selects, *separated_ids(account_id).selects)


def access_separation(actor, public_id: str) -> Separation:
    """A separation only its protected person, or the lead who filed it, may see."""
    account = _account(actor)
    row = db.session.scalar(select(Separation).where(Separation.public_id == public_id))
    if account is None or row is None:
        raise NotFound()
    if row.protected_id == account.id and can_use_network(account):
        return row
    if row.filed_by_id == account.id and row.protected_id != account.id:
        org = lead_org(account)
        protected = db.session.get(Account, row.protected_id)
        if org is not None and protected.membership is not None:
            if protected.membership.organization_id == org.id:
                return row
    raise NotFound()


def access_block(actor, public_id) -> Block:
    """One of the actor's own blocks, by its public id; nobody else ever sees a
    block. One query: someone else's block and a missing one take the same path."""
    account = _account(actor)
    row = None
    if isinstance(public_id, str):
        row = db.session.scalar(
            select(Block).where(
                Block.public_id == public_id,
                Block.blocker_id == (account.id if account else None),
            )
        )
    if row is None:
        raise NotFound()
    return row


def visible_separations(stmt: Select, actor) -> Select:
    """Separations the actor may see: protecting them, or filed by them as a lead."""
    account = _account(actor)
    if account is None:
        return stmt.where(Separation.id.is_(None))
    org = lead_org(account)
    filed = Separation.id.is_(None)
    if org is not None:
        own_members = select(Membership.account_id).where(
            Membership.organization_id == org.id
        )
        filed = (Separation.filed_by_id == account.id) & Separation.protected_id.in_(
            own_members
        )
    return stmt.where((Separation.protected_id == account.id) | filed)


def protected_from_any(actor, account_ids) -> bool:
    """True if the actor is protected from one of these people (for the private
    "someone you asked to be kept apart from is here" notice). The other person
    is never told."""
    account = _account(actor)
    ids = list(account_ids)
    if account is None or not ids:
        return False
    return (
        db.session.scalar(
            select(Separation.id).where(
                Separation.protected_id == account.id, Separation.other_id.in_(ids)
            )
        )
        is not None
    )


def protected_in_room(actor, room: Room) -> bool:
    """protected_from_any for everyone who joined the room: one EXISTS, whatever
    the number of members (no member id leaves the database)."""
    account = _account(actor)
    if account is None:
        return False
    here = exists().where(
        Separation.protected_id == account.id,
        RoomMember.room_id == room.id,
        RoomMember.account_id == Separation.other_id,
    )
    return bool(db.session.scalar(select(here)))


def access_own_member_for_separation(actor, profile_public_id: str) -> Membership:
    """A lead files a separation for an approved member of their own organization."""
    membership = access_membership(actor, profile_public_id)
    if membership.status != Status.APPROVED:
        raise NotFound()
    return membership

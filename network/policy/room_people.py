"""People in rooms: who sees whom wherever people meet in a room."""

from __future__ import annotations

from sqlalchemy import Select, select, union

from network.errors import NotFound
from network.extensions import db
from network.models import (
    Account,
    Membership,
    OrgTrust,
    Profile,
    Room,
    RoomMember,
    TrustLevel,
)
from network.policy.actors import _account
from network.policy.rooms import can_moderate
from network.policy.safety import _id, kept_apart, kept_apart_ids
from network.policy.trust import can_collaborate, trusted_org_ids


def room_apart_ids(account_id: int) -> Select:
    """Everyone kept apart from this account wherever people meet in a room:
    blocked or separated either way, and members of other organizations whose
    effective trust with the account's organization is below `collaborate`."""
    org_id = (
        select(Membership.organization_id)
        .where(Membership.account_id == account_id)
        .scalar_subquery()
    )
    distrusted = select(Membership.account_id).where(
        Membership.organization_id != org_id,
        Membership.organization_id.not_in(
            trusted_org_ids(org_id, TrustLevel.COLLABORATE)
        ),
    )
    return union(*kept_apart_ids(account_id).selects, distrusted)


def apart_in_rooms(a, b) -> bool:
    """The yes/no twin of room_apart_ids: the two never see each other in a room."""
    if _id(a) == _id(b):
        return False
    if kept_apart(a, b):
        return True
    first = db.session.get(Account, _id(a))
    second = db.session.get(Account, _id(b))
    mine = first.membership if first is not None else None
    theirs = second.membership if second is not None else None
    if mine is None or theirs is None:
        return False
    if mine.organization_id == theirs.organization_id:
        return False
    if not theirs.organization.is_active:
        return True
    return not can_collaborate(mine.organization_id, theirs.organization_id)


def can_meet_in_room(actor, account_id: int) -> bool:
    """Whether the actor may see this person in a room (themselves always)."""
    account = _account(actor)
    if account is None:
        return False
    return account.id == account_id or not apart_in_rooms(account, account_id)


def visible_room_people(stmt: Select, actor, account_column) -> Select:
    """Filter any list of people shown in or about a room (presence, members,
    invitations, check-ins) to those the actor may meet: twin of can_meet_in_room."""
    account = _account(actor)
    if account is None:
        return stmt.where(account_column.is_(None))
    return stmt.where(room_people_criterion(account_column, account.id))


def room_people_criterion(account_column, account_id):
    """visible_room_people's condition for a signed-in viewer; account_id may be a
    bound parameter (statements built once, bound per request)."""
    return (account_column == account_id) | account_column.not_in(
        room_apart_ids(account_id)
    )


def partners_apart(room: Room) -> bool:
    """True when two organizations admitted to a partner room work together below
    `collaborate`, so their members do not see each other there. Which pair is not
    said: trust between two other organizations is not the host's to know."""
    if room.visibility != "partners" or room.private:
        return False
    admitted = set(
        db.session.scalars(trusted_org_ids(room.host_org_id, TrustLevel.COLLABORATE))
    )
    if room.partner_org_ids:
        admitted &= room.partner_org_ids
    if len(admitted) < 2:
        return False
    given = set(
        db.session.execute(
            select(OrgTrust.from_org_id, OrgTrust.to_org_id).where(
                OrgTrust.from_org_id.in_(admitted),
                OrgTrust.to_org_id.in_(admitted),
                OrgTrust.level >= int(TrustLevel.COLLABORATE),
            )
        ).tuples()
    )
    return any(
        (a, b) not in given or (b, a) not in given
        for a in admitted
        for b in admitted
        if a < b
    )


def access_room_member(actor, room: Room, profile_public_id: str) -> RoomMember:
    """A member of a room the actor moderates, by public profile id."""
    if not can_moderate(actor, room):
        raise NotFound()
    row = db.session.scalar(
        select(RoomMember)
        .join(Profile, Profile.account_id == RoomMember.account_id)
        .where(RoomMember.room_id == room.id, Profile.public_id == profile_public_id)
    )
    if row is None or not can_meet_in_room(actor, row.account_id):
        raise NotFound()
    return row

"""Who the manage page lists: a room's members, whom one may invite, who may
facilitate. Every list passes through policy.visible_room_people, so a person
kept apart from the viewer is never shown (nor can be acted on)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from network import policy
from network.extensions import db
from network.models import (
    Account,
    Membership,
    Organization,
    Profile,
    RoomMember,
    Room,
    Status,
    display_name,
)
from network.models.supervision import facilitator_ids


def members(room: Room, viewer: Account) -> list[tuple[RoomMember, Profile]]:
    """The room's member rows with profiles, the viewer may meet, by status and name."""
    stmt = (
        select(RoomMember, Profile)
        .join(Profile, Profile.account_id == RoomMember.account_id)
        .where(RoomMember.room_id == room.id)
        .order_by(RoomMember.status, Profile.pseudonym_key)
    )
    stmt = policy.visible_room_people(stmt, viewer, RoomMember.account_id)
    return list(db.session.execute(stmt).all())


def invitable(room: Room, viewer: Account) -> list[tuple[str, str]]:
    """Choices for an invitation: host members not yet in the room."""
    existing = select(RoomMember.account_id).where(RoomMember.room_id == room.id)
    stmt = (
        select(Profile.public_id, Profile.pseudonym, Profile.tag)
        .join(Membership, Membership.account_id == Profile.account_id)
        .where(
            Membership.organization_id == room.host_org_id,
            Membership.status == Status.APPROVED,
            Profile.account_id.not_in(existing),
        )
        .order_by(Profile.pseudonym_key)
    )
    rows = db.session.execute(
        policy.visible_room_people(stmt, viewer, Profile.account_id)
    )
    return [("", _("Choose a member"))] + [
        (pid, display_name(name, tag)) for pid, name, tag in rows
    ]


def facilitators(room: Room, viewer: Account) -> list[tuple[str, str]]:
    """Choices for a session's facilitator: the room's facilitators."""
    stmt = (
        select(Profile.public_id, Profile.pseudonym, Profile.tag)
        .where(Profile.account_id.in_(facilitator_ids(room)))
        .order_by(Profile.pseudonym_key)
    )
    rows = db.session.execute(
        policy.visible_room_people(stmt, viewer, Profile.account_id)
    )
    return [(pid, display_name(name, tag)) for pid, name, tag in rows]


def account_by_profile(profile_public_id: str) -> Account | None:
    """The account behind a public profile id (the caller offered it as a choice)."""
    return db.session.scalar(
        select(Account).join(Profile).where(Profile.public_id == profile_public_id)
    )


def host_public_id(room: Room) -> str:
    """The public id of the room's host organization."""
    return db.session.get(Organization, room.host_org_id).public_id

"""Message search: which messages a member may find. Exactly what the room's
history would show them with text, in the rooms they are in now, no more."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Select, select

from network.extensions import db
from network.models import Message, Room, RoomMember, utcnow
from network.models.message_search import kept_since
from network.models.orgs import ROOM_MANAGER_ROLES
from network.policy.actors import active_membership
from network.policy.room_people import can_meet_in_room, room_people_criterion
from network.policy.rooms import _room_member, _visible_room_criteria, can_join_room


def searchable_messages(stmt: Select, actor) -> Select:
    """Filter a Message query to the messages the actor may find: in a room they
    may open now (visible_rooms: archived, suspended host, partner trust,
    removal and ban, and the room kinds it learns) AND have joined themselves
    (an active row of their own; a row a lead's role made by opening a circle
    is not joining, one in a one-to-one space they answered is); not
    deleted or hidden; within the room's retention; not by someone kept apart
    from them (blocks, separations, distrusted organizations: history's
    filter). Twin of can_search_message.

    Every condition is a semi- or anti-join on the message (no join): the
    planner never multiplies rooms by matches, whatever its estimates."""
    membership = active_membership(actor)
    if membership is None:
        return stmt.where(Message.id.is_(None))
    return stmt.where(
        *searchable_message_criteria(
            membership.organization_id,
            membership.account_id,
            membership.role in ROOM_MANAGER_ROLES,
        )
    )


def searchable_message_criteria(org_id, account_id, is_manager: bool) -> tuple:
    """searchable_messages' conditions for a member of org_id; org_id and
    account_id may be bound parameters (search builds its statement once)."""
    rows = select(RoomMember.room_id).where(
        RoomMember.account_id == account_id, RoomMember.status == "active"
    )
    # A row a role made is joining only in a one-to-one space (the lead or
    # moderator who answered is one of its two people); visible_rooms keeps it
    # only while the role lasts.
    joined = Room.id.in_(rows.where(RoomMember.via_role.is_(False))) | (
        Room.private & Room.id.in_(rows)
    )
    rooms = select(Room.id).where(
        *_visible_room_criteria(org_id, account_id, is_manager), joined
    )
    expired = (
        select(Room.id)
        .where(
            Room.id == Message.room_id,
            Message.created_at < kept_since(Room.retention_days),
        )
        .correlate(Message)
    )
    return (
        Message.room_id.in_(rooms),
        Message.deleted_at.is_(None),
        Message.hidden_at.is_(None),
        ~expired.exists(),
        room_people_criterion(Message.author_id, account_id),
    )


def can_search_message(actor, message: Message) -> bool:
    """Whether the actor may find this message by search (searchable_messages'
    yes/no twin, for a message in hand)."""
    if message.deleted_at is not None or message.hidden_at is not None:
        return False
    room = db.session.get(Room, message.room_id)
    if room is None or not can_join_room(actor, room):
        return False
    row = _room_member(actor, room)
    if row is None or row.status != "active" or (row.via_role and not room.private):
        return False
    if message.created_at < utcnow() - timedelta(days=room.retention_days):
        return False
    return can_meet_in_room(actor, message.author_id)

"""Supervision fixtures: the rooms world plus a supervision room with a facilitator."""

from __future__ import annotations

from datetime import timedelta

import pytest

from network.models import Role, SupervisionSession, utcnow
from network.extensions import db
from network.moderation import services as moderation
from network.rooms import services as rooms
from network.supervision import services as supervision
from tests import factories
from tests.conftest import events  # noqa: F401
from tests.rooms.conftest import RoomWorld, world  # noqa: F401


@pytest.fixture
def sup(world):  # noqa: F811 - the imported fixture
    """A supervision room of org A: Fern facilitates (named by the lead), Alice and
    Amir are members who accepted the rules; a moderator of A exists too."""
    room = rooms.create_room(
        world.org_a, actor=world.lead_a, name="Circle", kind="supervision"
    )
    fern = factories.make_member(world.org_a, pseudonym="Fern Facilitator")
    moderation.set_facilitator(room, fern, True, actor=world.lead_a)
    for person in (world.alice, world.amir):
        supervision.invite(room, person, actor=fern)
        supervision.respond_to_invitation(room, True, actor=person)
        supervision.accept_rules(room, actor=person)
    moderator = factories.make_member(
        world.org_a, role=Role.MODERATOR, pseudonym="Mod Moss"
    )
    return room, fern, moderator


def start_session(room, facilitator, minutes_ago=5, minutes_left=55):
    """A session running now (inserted directly: scheduling refuses the past)."""
    session = SupervisionSession(
        room_id=room.id,
        facilitator_id=facilitator.id,
        topic="Debrief",
        starts_at=utcnow() - timedelta(minutes=minutes_ago),
        ends_at=utcnow() + timedelta(minutes=minutes_left),
    )
    db.session.add(session)
    db.session.commit()
    return session


def join(sock, room, after_id=None):
    return sock.emit(
        "room:join", {"room_id": room.public_id, "after_id": after_id}, callback=True
    )


_n = iter(range(1, 10**6))


def send(sock, room, body="hello"):
    return sock.emit(
        "message:send",
        {
            "room_id": room.public_id,
            "body": body,
            "client_msg_id": f"sup-msg-{next(_n):06d}",
        },
        callback=True,
    )

"""'I need support' reaches someone online, or says honestly that nobody is; the
home page alert links to the room and to a one-to-one space."""

from __future__ import annotations

import pytest

from network.models import Role
from network.moderation import services as moderation
from network.rooms import services as rooms
from network.supervision import services as supervision
from tests import factories
from tests.conftest import events


@pytest.fixture
def circle(app):
    org = factories.make_org("Harbour")
    lead = factories.make_member(org, role=Role.LEAD, pseudonym="Beacon")
    moderator = factories.make_member(org, role=Role.MODERATOR, pseudonym="Lantern")
    facilitator = factories.make_member(org, pseudonym="Tide")
    member = factories.make_member(org, pseudonym="Sea Glass")
    room = rooms.create_room(org, actor=lead, name="Circle", kind="supervision")
    supervision.invite(room, member, actor=lead)
    supervision.respond_to_invitation(room, True, actor=member)
    moderation.set_facilitator(room, facilitator, True, actor=lead)
    return room, lead, moderator, facilitator, member


def _alert(sock, room):
    sock.emit("room:join", {"room_id": room.public_id}, callback=True)
    return sock.emit("support:alert", {"room_id": room.public_id}, callback=True)


def test_alert_reaches_the_online_moderator_while_the_facilitator_is_away(
    circle, connect
):
    room, lead, moderator, facilitator, member = circle
    online = connect(moderator)
    assert _alert(connect(member), room) == {"ok": True, "online": True}
    assert [e["from"] for e in events(online, "support:alert")] == ["Sea Glass"]


def test_nobody_online_is_told_honestly(circle, connect, login_as):
    room, lead, moderator, facilitator, member = circle
    assert _alert(connect(member), room) == {"ok": True, "online": False}
    # It waits on their home page, with the room and a one-to-one space.
    page = login_as(lead).get("/").get_data(as_text=True)
    alert = page.split('id="support-requests"')[1].split("</ul>")[0]
    assert "Sea Glass" in alert and f"/rooms/{room.public_id}" in alert
    assert "/one-to-one" in alert and "Open a one-to-one" in alert

"""Membership that came from a role ends with the role, on the page and the socket."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from network.extensions import db
from network.models import AuditEvent, Role, RoomMember
from network.rooms import services as rooms
from network.supervision import services as supervision
from tests import factories
from tests.conftest import mask_csrf, post_form
from tests.supervision.conftest import events, join, send, start_session


def _set_role(login_as, lead, person, role: str):
    url = f"/org/members/{person.profile.public_id}"
    response = post_form(
        login_as(lead), url, {"action": "role", "role-role": role}, token_from=url
    )
    assert response.status_code == 302


def _suspend(login_as, lead, person):
    url = f"/org/members/{person.profile.public_id}"
    response = post_form(
        login_as(lead),
        url,
        {"action": "suspend", "suspend-reason": "test"},
        token_from=url,
    )
    assert response.status_code == 302


def _looks_missing(client, room) -> None:
    denied = client.get(f"/rooms/{room.public_id}")
    missing = client.get("/rooms/missingMissing0")
    assert denied.status_code == missing.status_code == 404
    assert mask_csrf(denied.data) == mask_csrf(missing.data)


def _texts(sock) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", m["html"]).strip()
        for m in events(sock, "message:created")
    ]


def _opens_and_listens(world, sup, connect, login_as, person):
    """The person opens the supervision room (page and socket) and the channel."""
    room, fern, _ = sup
    assert login_as(person).get(f"/rooms/{room.public_id}").status_code == 200
    sock = connect(person)
    assert join(sock, room)["ok"]
    assert join(sock, world.room)["ok"]
    start_session(room, fern)
    alice = connect(world.alice)
    join(alice, room)
    assert send(alice, room, "before")["ok"]
    assert _texts(sock) == ["before"]
    return sock, alice


def _stops_receiving(world, sup, connect, login_as, person, old_sock, alice):
    room = sup[0]
    assert not old_sock.is_connected()
    _looks_missing(login_as(person), room)
    sock = connect(person)  # the browser reconnects by itself
    assert join(sock, room) == {"ok": False, "error": "not_found"}
    assert join(sock, world.room)["ok"]
    assert send(alice, room, "secret after")["ok"]
    join(alice, world.room)
    assert send(alice, world.room, "marker")["ok"]
    assert _texts(sock) == ["marker"]


@pytest.mark.parametrize("start,end", [("moderator", "member"), ("lead", "member")])
def test_demoted_manager_loses_the_supervision_room_at_once(
    app, world, sup, connect, login_as, start, end
):
    person = factories.make_member(world.org_a, pseudonym="Sorrel Mod")
    if start == "lead":  # promotion then demotion
        _set_role(login_as, world.lead_a, person, "moderator")
        _set_role(login_as, world.lead_a, person, "lead")
    else:
        _set_role(login_as, world.lead_a, person, start)
    sock, alice = _opens_and_listens(world, sup, connect, login_as, person)
    _set_role(login_as, world.lead_a, person, end)
    _stops_receiving(world, sup, connect, login_as, person, sock, alice)
    row = db.session.scalar(
        select(RoomMember).where(
            RoomMember.room_id == sup[0].id, RoomMember.account_id == person.id
        )
    )
    assert row is None
    assert db.session.scalar(
        select(AuditEvent.id).where(AuditEvent.action == "room.role_membership_ended")
    )


def test_lead_to_moderator_keeps_the_room(app, world, sup, connect, login_as):
    person = factories.make_member(world.org_a, role=Role.LEAD, pseudonym="Sorrel")
    sock, alice = _opens_and_listens(world, sup, connect, login_as, person)
    _set_role(login_as, world.lead_a, person, "moderator")
    sock = connect(person)
    assert join(sock, sup[0])["ok"]
    assert login_as(person).get(f"/rooms/{sup[0].public_id}").status_code == 200


def test_suspended_moderator_loses_the_supervision_room(
    app, world, sup, connect, login_as
):
    room, _, moderator = sup
    sock, alice = _opens_and_listens(world, sup, connect, login_as, moderator)
    _suspend(login_as, world.lead_a, moderator)
    assert not sock.is_connected()
    assert login_as(moderator).get(f"/rooms/{room.public_id}").status_code != 200
    row = db.session.scalar(
        select(RoomMember).where(
            RoomMember.room_id == room.id, RoomMember.account_id == moderator.id
        )
    )
    assert row is None


def test_role_row_grants_nothing_once_the_role_is_gone(app, world, sup, login_as):
    """Belt and braces: even a row left behind does not let a former moderator in."""
    room, _, moderator = sup
    rooms.ensure_member(room, moderator)
    moderator.membership.role = Role.MEMBER  # changed behind the services' back
    db.session.commit()
    _looks_missing(login_as(moderator), room)
    assert room.name not in login_as(moderator).get("/rooms").get_data(as_text=True)


def test_demoted_moderator_loses_the_one_to_one_space_they_opened(
    app, world, sup, connect, login_as
):
    room, _, moderator = sup
    alert, recipients = supervision.support_alert(room, actor=world.alice)
    assert moderator.id in recipients
    private = supervision.open_private_room(alert, actor=moderator)
    assert login_as(moderator).get(f"/rooms/{private.public_id}").status_code == 200
    _set_role(login_as, world.lead_a, moderator, "member")
    _looks_missing(login_as(moderator), private)
    assert login_as(world.alice).get(f"/rooms/{private.public_id}").status_code == 200

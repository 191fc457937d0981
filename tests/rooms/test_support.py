"""Asking a facilitator for help from a room (the separation notice's second option)."""

from __future__ import annotations

from sqlalchemy import select

from network.extensions import db
from network.models import Role, SupportRequest
from network.safety import services as safety
from tests import factories
from tests.conftest import post_form


def test_help_request_reaches_host_managers_only(app, world, login_as, connect):
    moderator = factories.make_member(
        world.org_a, role=Role.MODERATOR, pseudonym="Mod Maple"
    )
    partner_lead = factories.make_member(world.org_b, role=Role.LEAD)
    safety.file_separation(world.alice, world.amir, actor=world.alice)
    mod_sock, amir_sock = connect(moderator), connect(world.amir)
    alice = login_as(world.alice)
    url = f"/rooms/{world.room.public_id}"
    response = post_form(
        alice, url + "/help", {"note": "please call me"}, token_from=url
    )
    assert response.status_code == 302
    row = db.session.scalar(select(SupportRequest))
    assert (row.requester_id, row.host_org_id) == (world.alice.id, world.org_a.id)
    alerts = [e for e in mod_sock.get_received() if e["name"] == "support:requested"]
    assert alerts == [
        {
            "name": "support:requested",
            "namespace": "/",
            "args": [
                {
                    "room": "Host only",
                    "from": "Alice A",
                    "from_tag": world.alice.tag,
                }
            ],
        }
    ]
    assert amir_sock.get_received() == []
    for manager in (world.lead_a, moderator):
        home = login_as(manager).get("/").get_data(as_text=True)
        assert "Alice A" in home and "please call me" in home
        assert "Amir" not in home.split('id="support-requests"')[1].split("</ul>")[0]
        assert "apart" not in home
    for other in (world.amir, partner_lead, world.bea):
        assert "please call me" not in login_as(other).get("/").get_data(as_text=True)
    assert (
        post_form(
            login_as(partner_lead),
            f"/support/{row.public_id}/handled",
            {},
            token_from="/logout",
        ).status_code
        == 404
    )
    post_form(
        login_as(moderator),
        f"/support/{row.public_id}/handled",
        {},
        token_from="/logout",
    )
    db.session.refresh(row)
    assert row.handled_at is not None
    assert "please call me" not in login_as(world.lead_a).get("/").get_data(
        as_text=True
    )


def test_help_request_needs_room_access(app, world, login_as):
    response = post_form(
        login_as(world.cole),
        f"/rooms/{world.room.public_id}/help",
        {},
        token_from="/logout",
    )
    assert response.status_code == 404
    assert db.session.scalar(select(SupportRequest.id)) is None

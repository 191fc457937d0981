"""Retention: the admin's bounds, the room form within them, and every place
that states a room's retention and what happens to a deleted author's text."""

from __future__ import annotations

import re
from datetime import timedelta

from network.extensions import db
from network.models import Message, Role
from network.rooms import retention
from network.rooms.history import purge_expired
from network.rooms.messages import send_message
from tests import factories
from tests.conftest import post_form

ADMIN_URL = "/admin/retention"


def test_the_admin_sets_the_bounds_and_rooms_outside_move_to_them(app, login_as):
    org = factories.make_org()
    short = factories.make_room(org, retention_days=3)
    long = factories.make_room(org, retention_days=300)
    admin = login_as(factories.make_admin())
    bad = post_form(
        admin, ADMIN_URL, {"min_days": "60", "max_days": "30"}, token_from=ADMIN_URL
    )
    assert bad.status_code == 400 and "no more than the most" in bad.get_data(True)
    done = post_form(
        admin, ADMIN_URL, {"min_days": "7", "max_days": "180"}, token_from=ADMIN_URL
    )
    assert done.status_code == 302
    assert retention.bounds() == (7, 180)
    db.session.expire_all()
    assert (short.retention_days, long.retention_days) == (7, 180)


def test_only_the_admin_sees_the_bounds_page(app, login_as):
    org = factories.make_org()
    lead = login_as(factories.make_member(org, role=Role.LEAD))
    assert lead.get(ADMIN_URL).status_code == 404


def test_the_room_form_refuses_retention_outside_the_bounds(app, login_as):
    org = factories.make_org()
    lead = factories.make_member(org, role=Role.LEAD)
    retention.set_bounds(10, 60, actor=factories.make_admin())
    client = login_as(lead)
    form = client.get("/rooms/new").get_data(as_text=True)
    assert "From 10 to 60 days" in form
    for days in ("5", "61"):
        refused = post_form(
            client,
            "/rooms/new",
            {
                "name": "Circle",
                "visibility": "org",
                "kind": "channel",
                "retention_days": days,
                "on_author_deletion": "remove",
            },
            token_from="/rooms/new",
        )
        assert refused.status_code == 400
        assert "Choose from 10 to 60 days" in refused.get_data(as_text=True)
    made = post_form(
        client,
        "/rooms/new",
        {
            "name": "Circle",
            "visibility": "org",
            "kind": "channel",
            "retention_days": "30",
            "on_author_deletion": "keep",
        },
        token_from="/rooms/new",
    )
    assert made.status_code == 302


def test_room_page_list_and_form_state_retention_and_the_deletion_rule(app, login_as):
    org = factories.make_org()
    lead = factories.make_member(org, role=Role.LEAD)
    removing = factories.make_room(org, name="Removing", retention_days=45)
    keeping = factories.make_room(org, name="Keeping", retention_days=20)
    keeping.on_author_deletion = "keep"
    db.session.commit()
    client = login_as(lead)
    page = client.get(f"/rooms/{removing.public_id}").get_data(as_text=True)
    assert "Messages are kept 45 days." in page
    assert "the text of their messages here is removed" in page
    page = client.get(f"/rooms/{keeping.public_id}").get_data(as_text=True)
    assert "Messages are kept 20 days." in page
    assert "their messages stay here, shown as from “former member”" in page
    listing = client.get("/rooms").get_data(as_text=True)
    assert "Messages kept 45 days · a deleted account’s text is removed" in listing
    assert "Messages kept 20 days</div>" in listing
    edit = client.get(f"/rooms/{keeping.public_id}/edit").get_data(as_text=True)
    assert "When someone deletes their account" in edit
    chosen = re.search(
        r'<input[^>]*name="on_author_deletion"[^>]*value="keep"[^>]*>', edit
    )
    assert chosen and "checked" in chosen.group(0), edit


def test_a_direct_conversation_states_its_retention_and_rule(app, login_as):
    org = factories.make_org()
    one, two = factories.make_member(org), factories.make_member(org)
    room = factories.make_conversation(one, two)
    page = login_as(one).get(f"/rooms/{room.public_id}").get_data(as_text=True)
    assert f"Messages are kept {room.retention_days} days." in page
    assert "If either of you deletes their account" in page


def test_the_purge_clamps_a_room_into_the_bounds(app):
    org = factories.make_org()
    member = factories.make_member(org)
    room = factories.make_room(org, retention_days=90)
    old = send_message(room, actor=member, body="old words", client_msg_id="o")
    old.created_at = old.created_at - timedelta(days=40)
    old_id = old.id
    db.session.commit()
    admin = factories.make_admin()
    retention.set_bounds(1, 60, actor=admin)
    assert purge_expired() == 0
    # A room left above the bounds (a row written around them) is purged at
    # the bound all the same.
    retention.set_bounds(1, 30, actor=admin)
    room.retention_days = 90
    db.session.commit()
    assert purge_expired() == 1
    assert db.session.get(Message, old_id) is None

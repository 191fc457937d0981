"""Destructive actions outside the room page ask once, in the page, before they
act: a first POST without `confirm` changes nothing and shows the confirm step."""

from __future__ import annotations

from sqlalchemy import func, select

from network.extensions import db
from network.models import Block, Role
from tests import factories
from tests.conftest import post_form

STEP = 'name="confirm" value="1"'


def test_suspending_an_organization_asks_first(app, login_as):
    org = factories.make_org("Harbour House")
    admin = login_as(factories.make_admin())
    url = f"/admin/organizations/{org.public_id}"
    asked = post_form(admin, url, {"action": "status"}, token_from=url)
    db.session.refresh(org)
    assert asked.status_code == 200 and org.is_active
    page = asked.get_data(as_text=True)
    assert '<details class="confirm-step" open>' in page and STEP in page
    assert "Yes, suspend Harbour House" in page
    done = post_form(admin, url, {"action": "status", "confirm": "1"}, token_from=url)
    db.session.refresh(org)
    assert done.status_code == 302 and not org.is_active


def test_locking_a_room_asks_first(app, login_as):
    org = factories.make_org("Harbour House")
    lead = factories.make_member(org, role=Role.LEAD)
    room = factories.make_room(org, name="Tuesday circle")
    client = login_as(lead)
    manage = f"/rooms/{room.public_id}/manage"
    asked = post_form(client, f"{manage}/lock", {}, token_from=manage)
    db.session.refresh(room)
    assert asked.status_code == 200 and not room.locked
    page = asked.get_data(as_text=True)
    assert '<details class="confirm-step" open>' in page and STEP in page
    done = post_form(client, f"{manage}/lock", {"confirm": "1"}, token_from=manage)
    db.session.refresh(room)
    assert done.status_code == 302 and room.locked


def test_blocking_asks_first(app, login_as):
    org = factories.make_org("Harbour House")
    me, other = factories.make_member(org), factories.make_member(org)
    client = login_as(me)
    url = f"/profiles/{other.profile.public_id}/block"
    profile_page = client.get(f"/profiles/{other.profile.public_id}")
    assert STEP in profile_page.get_data(as_text=True)  # the step, closed
    asked = post_form(client, url, {}, token_from="/logout")
    assert asked.status_code == 200 and STEP in asked.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Block.id))) == 0
    done = post_form(client, url, {"confirm": "1"}, token_from="/logout")
    assert done.status_code == 302
    assert db.session.scalar(select(func.count(Block.id))) == 1

"""The notifications page, opening one, mark all read (CSRF), the count
endpoint, the bell, the email setting and the per-room mute over HTTP."""

from __future__ import annotations

import re

from sqlalchemy import select

from network.extensions import db
from network.models import Notification, RoomMember
from network.notifications.services import notify
from network.rooms import services as rooms
from tests import factories
from tests.conftest import post_form


def _notify(person, kind="approved", **kwargs) -> Notification:
    notify(person.id, kind, **kwargs)
    db.session.commit()
    return db.session.scalars(
        select(Notification).order_by(Notification.id.desc())
    ).first()


def test_the_bell_shows_the_count_in_its_accessible_name(world, login_as):
    _notify(world.alice)
    _notify(world.alice, "report_outcome")
    page = login_as(world.alice).get("/").get_data(as_text=True)
    assert 'aria-label="Notifications, 2 unread"' in page
    assert re.search(r'id="bell-count"\s*>2</span>', page)


def test_no_bell_for_people_outside_the_network(world, login_as):
    admin = factories.make_admin()
    assert 'id="bell"' not in login_as(admin).get("/").get_data(as_text=True)
    assert 'id="bell"' not in login_as(None).get("/login").get_data(as_text=True)


def test_the_page_lists_newest_first_and_opening_one_marks_it_read(world, login_as):
    first = _notify(world.alice, link="/rooms")
    _notify(world.alice, "report_outcome", link="/reports")
    client = login_as(world.alice)
    page = client.get("/notifications").get_data(as_text=True)
    assert page.index("A report you made was reviewed") < page.index(
        "Your membership was approved"
    )
    response = client.get(f"/notifications/{first.public_id}")
    assert (response.status_code, response.location) == (302, "/rooms")
    db.session.expire_all()
    assert first.read_at is not None
    assert client.get("/notifications/count").get_json() == {"count": 1}


def test_the_page_pages(world, login_as):
    for _ in range(25):
        _notify(world.alice)
    client = login_as(world.alice)
    assert client.get("/notifications").get_data(as_text=True).count("<li class=") == 20
    second = client.get("/notifications?page=2").get_data(as_text=True)
    assert second.count("<li class=") == 5


def test_someone_elses_notification_answers_like_a_missing_one(world, login_as):
    theirs = _notify(world.amir)
    client = login_as(world.alice)
    other = client.get(f"/notifications/{theirs.public_id}")
    missing = client.get("/notifications/" + "x" * 22)
    assert other.status_code == missing.status_code == 404
    assert other.get_data() == missing.get_data()
    db.session.expire_all()
    assert theirs.read_at is None


def test_a_link_outside_the_network_is_never_followed(world, login_as):
    row = _notify(world.alice, link="//elsewhere.example/")
    response = login_as(world.alice).get(f"/notifications/{row.public_id}")
    assert response.location == "/notifications"


def test_mark_all_read_needs_its_csrf_token(world, login_as):
    _notify(world.alice)
    client = login_as(world.alice)
    client.post("/notifications/read", data={})
    assert client.get("/notifications/count").get_json() == {"count": 1}
    post_form(client, "/notifications/read", {}, token_from="/notifications")
    assert client.get("/notifications/count").get_json() == {"count": 0}


def test_the_count_endpoint_is_for_members_only(world, login_as):
    anonymous = login_as(None).get("/notifications/count")
    assert anonymous.status_code == 302
    response = login_as(world.alice).get("/notifications/count")
    assert response.headers["Cache-Control"] == "no-store"


def test_the_email_setting_is_off_by_default_and_saved_with_csrf(world, login_as):
    client = login_as(world.alice)
    page = client.get("/account").get_data(as_text=True)
    assert 'name="email" value="0" checked' in page
    client.post("/account/notifications", data={"email": "1"})
    db.session.expire_all()
    assert world.alice.notify_by_email is False
    post_form(client, "/account/notifications", {"email": "1"}, token_from="/account")
    db.session.expire_all()
    assert world.alice.notify_by_email is True


def test_a_member_mutes_and_unmutes_a_room_from_its_page(world, login_as):
    rooms.ensure_member(world.room, world.alice)
    db.session.commit()
    client = login_as(world.alice)
    url = f"/rooms/{world.room.public_id}"
    assert "Mute notifications" in client.get(url).get_data(as_text=True)
    client.post(url + "/notifications", data={"muted": "1"})  # no token: nothing
    row = db.session.scalar(
        select(RoomMember).where(RoomMember.room_id == world.room.id)
    )
    assert row.notifications_muted is False
    response = post_form(client, url + "/notifications", {"muted": "1"}, token_from=url)
    assert response.status_code == 302
    db.session.expire_all()
    assert row.notifications_muted is True
    assert "Unmute notifications" in client.get(url).get_data(as_text=True)


def test_muting_a_room_one_may_not_see_answers_like_a_missing_one(world, login_as):
    client = login_as(world.cole)
    token_from = "/account/notifications"
    hidden = post_form(
        client,
        f"/rooms/{world.room.public_id}/notifications",
        {"muted": "1"},
        token_from=token_from,
    )
    missing = post_form(
        client,
        "/rooms/" + "x" * 22 + "/notifications",
        {"muted": "1"},
        token_from=token_from,
    )
    assert hidden.status_code == missing.status_code == 404
    assert hidden.get_data() == missing.get_data()


def test_a_target_one_may_no_longer_see_shows_only_the_title(world, login_as):
    from network.models import TrustLevel

    row = _notify(
        world.bea,
        "mention",
        room_id=world.partner_room.id,
        link=f"/rooms/{world.partner_room.public_id}#message-abc",
    )
    factories.set_trust(world.org_a, world.org_b, TrustLevel.SEE)  # B loses the room
    client = login_as(world.bea)
    page = client.get("/notifications").get_data(as_text=True)
    assert "You were mentioned in a room" in page
    assert world.partner_room.name not in page and world.org_a.name not in page
    opened = client.get(f"/notifications/{row.public_id}", follow_redirects=True)
    missing = client.get("/rooms/" + "x" * 22)
    assert opened.status_code == missing.status_code == 404
    assert opened.get_data() == missing.get_data()

"""notify(): collapsing, per-room mute, the live count, activity email (off by
default, at most one an hour, no content, sent only after the commit)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from network import policy
from network.errors import NotFound

from network.extensions import db
from network.models import Notification, RoomMember, utcnow
from network.notifications import services
from network.notifications.email import SENTENCE
from network.rooms import services as rooms
from tests import factories
from tests.conftest import wait_for_background


def _count(account) -> int:
    return services.unread_count(account.id)


def _member_row(room, person) -> RoomMember:
    row = rooms.ensure_member(room, person)
    db.session.commit()
    return row


def test_repeats_in_one_room_collapse_until_read(world):
    services.notify(world.alice.id, "mention", room_id=world.room.id, link="/a")
    services.notify(world.alice.id, "mention", room_id=world.room.id, link="/b")
    services.notify(world.alice.id, "mention", room_id=world.partner_room.id)
    db.session.commit()
    assert _count(world.alice) == 2
    row = db.session.scalar(
        select(Notification).where(Notification.room_id == world.room.id)
    )
    assert row.link == "/b"
    services.open_notification(row, actor=world.alice)
    services.notify(world.alice.id, "mention", room_id=world.room.id)
    db.session.commit()
    assert db.session.scalar(select(func.count(Notification.id))) == 3


def test_unknown_kinds_are_refused(world):
    try:
        services.notify(world.alice.id, "hello")
    except ValueError:
        return
    raise AssertionError("an unknown kind was accepted")


def test_a_muted_room_adds_nothing_except_support_alerts(world):
    row = _member_row(world.room, world.alice)
    services.set_room_muted(row, True, actor=world.alice)
    services.notify(world.alice.id, "mention", room_id=world.room.id)
    services.notify(world.alice.id, "direct_message", room_id=world.room.id)
    services.notify(world.alice.id, "support_alert", room_id=world.room.id)
    services.notify(world.alice.id, "mention", room_id=world.partner_room.id)
    db.session.commit()
    kinds = sorted(
        (n.kind, n.room_id) for n in db.session.scalars(select(Notification))
    )
    assert kinds == [
        ("mention", world.partner_room.id),
        ("support_alert", world.room.id),
    ]


def test_the_live_count_goes_to_the_person_only_after_commit(world, connect):
    mine, other = connect(world.alice), connect(world.amir)
    mine.get_received(), other.get_received()
    services.notify(world.alice.id, "approved")
    assert mine.get_received() == []  # nothing before the commit
    db.session.commit()
    counts = [
        e["args"][0] for e in mine.get_received() if e["name"] == "notification:count"
    ]
    assert counts == [{"count": 1}]
    assert other.get_received() == []
    services.notify(world.alice.id, "approved")
    db.session.rollback()
    assert mine.get_received() == []


def test_email_is_off_by_default(app, world, outbox):
    world.alice.email = "alice@example.org"
    db.session.commit()
    services.notify(world.alice.id, "approved")
    db.session.commit()
    wait_for_background(app)
    assert outbox == []


def test_email_says_only_new_activity_at_most_once_an_hour(app, world, outbox):
    world.alice.email = "alice@example.org"
    services.set_email(True, actor=world.alice)
    services.notify(world.alice.id, "mention", room_id=world.room.id)
    assert outbox == []  # only after the commit
    db.session.commit()
    services.notify(world.alice.id, "report_outcome")
    db.session.commit()
    wait_for_background(app)
    assert len(outbox) == 1
    to, subject, body = outbox[0]
    assert to == "alice@example.org"
    assert body.splitlines()[0] == SENTENCE == "You have new activity"
    assert body.strip().splitlines()[-1] == "http://localhost/login"
    assert subject == "Notes"  # the neutral site title (SITE_TITLE)
    # An hour later, another.
    world.alice.notified_by_email_at = utcnow() - timedelta(hours=1, seconds=1)
    db.session.commit()
    services.notify(world.alice.id, "approved")
    db.session.commit()
    wait_for_background(app)
    assert len(outbox) == 2


def test_a_rolled_back_notification_sends_no_email(app, world, outbox):
    world.alice.email = "alice@example.org"
    services.set_email(True, actor=world.alice)
    services.notify(world.alice.id, "approved")
    db.session.rollback()
    wait_for_background(app)
    assert outbox == []
    db.session.expire_all()
    assert world.alice.notified_by_email_at is None


def test_no_address_no_email(app, world, outbox):
    services.set_email(True, actor=world.alice)
    services.notify(world.alice.id, "approved")
    db.session.commit()
    wait_for_background(app)
    assert outbox == []


def test_mark_all_read_clears_the_count(world):
    for kind in ("approved", "report_outcome"):
        services.notify(world.alice.id, kind)
    services.notify(world.amir.id, "approved")
    db.session.commit()
    services.mark_all_read(actor=world.alice)
    assert (_count(world.alice), _count(world.amir)) == (0, 1)


def test_only_ones_own_notification_is_found(world):
    services.notify(world.amir.id, "approved")
    db.session.commit()
    row = db.session.scalar(select(Notification))
    for actor, public_id in ((world.alice, row.public_id), (world.amir, ["x"])):
        with pytest.raises(NotFound):
            policy.access_own_notification(actor, public_id)
    assert policy.access_own_notification(world.amir, row.public_id) is row


@pytest.mark.parametrize(
    "link, safe",
    [
        ("/rooms/x", True),
        ("/", True),
        ("//evil.example", False),
        ("/\\evil.example", False),
        ("https://evil.example", False),
        ("", False),
    ],
)
def test_only_links_inside_the_network_are_followed(link, safe):
    assert policy.safe_local_link(link) is safe


def test_people_notified_together_cost_the_same_statements(world):
    from tests.rooms.test_statement_budget import counted

    ids = [factories.make_member(world.org_a).id for _ in range(5)]
    with counted() as one:
        services.notify_many(ids[:1], "approved")
    with counted() as four:
        services.notify_many(ids[1:], "approved")
    assert len(one) == len(four)


def test_housekeeping_deletes_old_notifications(app, world):
    from network.housekeeping import run_once

    for kind in ("approved", "report_outcome", "support_alert"):
        services.notify(world.alice.id, kind)
    db.session.commit()
    rows = {n.kind: n for n in db.session.scalars(select(Notification))}
    now = utcnow()
    rows["approved"].read_at = now - services.KEEP_READ - timedelta(minutes=1)
    rows["report_outcome"].created_at = (
        now - services.KEEP_UNREAD - timedelta(minutes=1)
    )
    rows["support_alert"].read_at = now  # read just now: kept
    db.session.commit()
    assert run_once(app)["notifications"] == 2
    assert list(db.session.scalars(select(Notification.kind))) == ["support_alert"]

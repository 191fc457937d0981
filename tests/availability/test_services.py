"""Availability services: held notifications, waiting requests, the gentle
note, support routing and the lead's count of members on a break."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from network import policy
from network.availability import services
from network.conversations import listing
from network.conversations import services as conversations
from network.extensions import db
from network.models import MessageRequest, Notification, Role, TrustLevel, utcnow
from network.notifications.services import notify, page_of, unread_count
from network.rooms import services as rooms
from tests import factories
from tests.availability.conftest import hours_excluding_now, hours_including_now


@pytest.fixture
def people(app):
    org, other = factories.make_org("Haven"), factories.make_org("Elsewhere")
    factories.set_trust(org, other, TrustLevel.MESSAGE)
    willow = factories.make_member(org, pseudonym="Willow")
    writer = factories.make_member(other, pseudonym="Rowan")
    return org, other, willow, writer


def test_a_notification_to_someone_away_is_held_then_delivered(people):
    _org, _other, willow, _writer = people
    spans = hours_excluding_now(willow)
    notify(willow.id, "approved", link="/")
    db.session.commit()
    row = db.session.scalar(
        select(Notification).where(Notification.account_id == willow.id)
    )
    assert row.visible_from is not None and row.visible_from > utcnow()
    assert unread_count(willow.id) == 0
    assert page_of(willow, 1).total == 0
    # Her hours start: the release pass delivers it (and pushes the count).
    assert services.release_held(row.visible_from + timedelta(seconds=1)) == 1
    assert unread_count(willow.id) == 1
    assert spans  # hours were set through the service


def test_available_people_get_notifications_at_once(people):
    _org, _other, willow, _writer = people
    hours_including_now(willow)
    notify(willow.id, "approved", link="/")
    db.session.commit()
    assert unread_count(willow.id) == 1


def test_ending_a_break_delivers_what_was_held(people):
    _org, _other, willow, _writer = people
    services.start_break(None, actor=willow)
    notify(willow.id, "approved", link="/")
    db.session.commit()
    row = db.session.scalar(
        select(Notification).where(Notification.account_id == willow.id)
    )
    assert row.visible_from == services.UNTIL_ENDED
    assert unread_count(willow.id) == 0
    services.end_break(actor=willow)
    assert unread_count(willow.id) == 1
    db.session.refresh(row)
    assert row.visible_from is None


def test_a_request_to_someone_away_waits_and_the_sender_sees_waiting(people):
    _org, _other, willow, writer = people
    hours_excluding_now(willow)
    row = conversations.send_request(willow, actor=writer, body="Hello Willow")
    assert row.visible_from is not None and row.visible_from > utcnow()
    assert listing.incoming(willow) == []
    assert unread_count(willow.id) == 0
    assert [item.state for item in listing.outgoing(writer)] == ["waiting"]
    # Once her hours start it is there, like any request.
    hours_including_now(willow)
    assert [r.id for r, _who in listing.incoming(willow)] == [row.id]
    assert unread_count(willow.id) == 1


def test_away_note_names_the_time_in_the_writers_zone(people):
    _org, _other, willow, writer = people
    willow.profile.timezone = "America/St_Johns"
    writer.profile.timezone = "America/Vancouver"
    db.session.commit()
    assert services.away_note(willow, writer) == ""  # no hours: available
    hours_excluding_now(willow)
    note = services.away_note(willow, writer)
    _state, moment = services.available_from(
        services.hours_of(willow.id), "America/St_Johns", False, None
    )
    local = moment.astimezone(__import__("zoneinfo").ZoneInfo("America/Vancouver"))
    assert note.startswith("Willow is away until ")
    assert note.endswith("; they will see this later")
    assert f"{(local.hour % 12) or 12}:{local.minute:02d}" in note
    assert "break" not in note


def test_away_note_on_a_break_says_no_more(people):
    _org, _other, willow, writer = people
    services.start_break(None, actor=willow)
    assert (
        services.away_note(willow, writer) == "Willow is away; they will see this later"
    )
    services.end_break(actor=willow)
    services.start_break(utcnow() + timedelta(days=3), actor=willow)
    note = services.away_note(willow, writer)
    assert "break" not in note and "until" in note


def test_support_routing_skips_people_away(app):
    org = factories.make_org("Harbour")
    lead = factories.make_member(org, role=Role.LEAD, pseudonym="Beacon")
    moderator = factories.make_member(org, role=Role.MODERATOR, pseudonym="Lantern")
    asker = factories.make_member(org, pseudonym="Sea Glass")
    room = factories.make_room(org)
    rooms.ensure_member(room, asker)
    db.session.commit()
    assert policy.support_recipient_ids(room, asker) == sorted([lead.id, moderator.id])
    services.start_break(None, actor=moderator)
    assert policy.support_recipient_ids(room, asker) == [lead.id]
    hours_excluding_now(lead)
    assert policy.support_recipient_ids(room, asker) == []


def test_lead_sees_a_suppressed_count_and_only_shared_names(people):
    org, _other, willow, _writer = people
    lead = factories.make_member(org, role=Role.LEAD, pseudonym="Beacon")
    assert services.break_count(actor=willow) is None  # not a lead
    assert services.break_count(actor=lead)["shown"] == "0"
    services.start_break(None, actor=willow)
    found = services.break_count(actor=lead)
    assert found["shown"] == "fewer than 5" and found["shared"] == []
    others = [factories.make_member(org) for _ in range(4)]
    for person in others:
        services.start_break(None, actor=person)
    assert services.break_count(actor=lead)["shown"] == "5"
    services.set_share(True, actor=willow)
    assert [p.account_id for p in services.break_count(actor=lead)["shared"]] == [
        willow.id
    ]


def test_a_past_break_end_is_refused(people):
    from network.errors import InputError

    with pytest.raises(InputError):
        services.parse_break_end("2020-01-01", "America/Toronto", utcnow())
    for bad in ("not a date", "9999-12-31", "2999-01-01"):
        with pytest.raises(InputError):
            services.parse_break_end(bad, "America/Toronto", utcnow())
    assert services.parse_break_end("", "America/Toronto", utcnow()) is None


def test_request_rows_keep_visible_from(people):
    _org, _other, willow, writer = people
    conversations.send_request(willow, actor=writer, body="Hi")
    row = db.session.scalar(select(MessageRequest))
    assert row.visible_from is None  # available: shown at once


def test_housekeeping_releases_what_is_due(app, people):
    from network.housekeeping import run_once

    _org, _other, willow, _writer = people
    hours_excluding_now(willow)
    notify(willow.id, "approved", link="/")
    db.session.commit()
    assert run_once(app)["released"] == 0  # not yet
    row = db.session.scalar(select(Notification))
    row.visible_from = utcnow() - timedelta(minutes=1)  # her hours started
    db.session.commit()
    assert run_once(app)["released"] == 1
    assert unread_count(willow.id) == 1

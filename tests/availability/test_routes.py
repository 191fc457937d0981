"""The availability page over HTTP, and the gentle note on the pages where
one writes to someone away."""

from __future__ import annotations

import html

from network.availability import services
from network.extensions import db
from network.models import Role
from tests import factories
from tests.availability.conftest import hours_excluding_now
from tests.conftest import post_form

URL = "/account/availability"


def _post(client, data):
    return post_form(client, URL, data, token_from=URL)


def test_settings_page_saves_hours_and_shows_them(app, login_as):
    org = factories.make_org()
    willow = factories.make_member(org, pseudonym="Willow")
    client = login_as(willow)
    page = client.get(URL)
    assert page.status_code == 200 and "Weekly hours" in page.get_data(as_text=True)
    assert URL in client.get("/account").get_data(as_text=True)  # linked from settings
    answer = _post(
        client,
        {
            "action": "hours",
            "day0_start": "09:00",
            "day0_end": "17:00",
            "day4_start": "22:00",
            "day4_end": "02:00",
        },
    )
    assert answer.status_code == 302
    assert services.hours_of(willow.id) == "0:540-1020,4:1320-120"
    shown = client.get(URL).get_data(as_text=True)
    assert 'value="22:00"' in shown and 'value="02:00"' in shown


def test_bad_hours_keep_everything_typed_and_save_nothing(app, login_as):
    org = factories.make_org()
    willow = factories.make_member(org, pseudonym="Willow")
    client = login_as(willow)
    answer = _post(
        client,
        {
            "action": "hours",
            "day0_start": "09:00",
            "day0_end": "17:00",
            "day1_start": "10:00",
            "day1_end": "",
            "day2_start": "08:00",
            "day2_end": "08:00",
            "day3_start": "25:99",
            "day3_end": "10:00",
        },
    )
    body = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert "Give a start and an end time" in body
    assert "The start and end must differ." in body
    assert 'value="09:00"' in body and 'value="17:00"' in body
    assert 'value="25:99"' in body  # what was typed, not lost
    assert 'aria-invalid="true"' in body
    assert services.hours_of(willow.id) == ""  # nothing saved


def test_break_start_end_and_share(app, login_as):
    org = factories.make_org()
    willow = factories.make_member(org, pseudonym="Willow")
    client = login_as(willow)
    bad = _post(client, {"action": "start_break", "until": "2001-01-01"})
    assert bad.status_code == 400
    body = bad.get_data(as_text=True)
    assert "cannot be in the past" in body and 'value="2001-01-01"' in body
    db.session.refresh(willow.profile)
    assert willow.profile.on_break is False
    assert _post(client, {"action": "start_break", "until": ""}).status_code == 302
    db.session.refresh(willow.profile)
    assert willow.profile.on_break is True and willow.profile.break_until is None
    assert "until you end it" in client.get(URL).get_data(as_text=True)
    assert _post(client, {"action": "share", "share": "1"}).status_code == 302
    db.session.refresh(willow.profile)
    assert willow.profile.share_break_with_leads is True
    assert _post(client, {"action": "end_break"}).status_code == 302
    db.session.refresh(willow.profile)
    assert willow.profile.on_break is False


def test_a_form_without_its_token_changes_nothing(app, login_as):
    org = factories.make_org()
    willow = factories.make_member(org)
    client = login_as(willow)
    answer = client.post(URL, data={"action": "start_break", "until": ""})
    assert answer.status_code == 400
    db.session.refresh(willow.profile)
    assert willow.profile.on_break is False


def test_gentle_note_on_ask_page_and_direct_conversation(app, login_as):
    from network.models import TrustLevel

    org, other = factories.make_org("Haven"), factories.make_org("Elsewhere")
    factories.set_trust(org, other, TrustLevel.MESSAGE)
    willow = factories.make_member(org, pseudonym="Willow")
    writer = factories.make_member(other, pseudonym="Rowan")
    third = factories.make_member(other, pseudonym="Ash")
    room = factories.make_conversation(willow, writer)
    client = login_as(writer)
    assert "away-note" not in client.get(f"/rooms/{room.public_id}").get_data(
        as_text=True
    )
    hours_excluding_now(willow)
    page = html.unescape(client.get(f"/rooms/{room.public_id}").get_data(as_text=True))
    assert "Willow is away until " in page and "they will see this later" in page
    ask = html.unescape(
        login_as(third)
        .get(f"/profiles/{willow.profile.public_id}/ask")
        .get_data(as_text=True)
    )
    assert "Willow is away until " in ask
    services.start_break(None, actor=willow)
    page = html.unescape(client.get(f"/rooms/{room.public_id}").get_data(as_text=True))
    assert "Willow is away; they will see this later" in page
    assert "on a break" not in page


def test_lead_home_shows_a_suppressed_count(app, login_as):
    org = factories.make_org()
    lead = factories.make_member(org, role=Role.LEAD, pseudonym="Beacon")
    willow = factories.make_member(org, pseudonym="Marigold")
    services.start_break(None, actor=willow)
    home = html.unescape(login_as(lead).get("/").get_data(as_text=True))
    assert "Members on a break" in home and "fewer than 5" in home
    assert "Marigold" not in home
    services.set_share(True, actor=willow)
    assert "Marigold" in login_as(lead).get("/").get_data(as_text=True)
    member_home = login_as(factories.make_member(org)).get("/").get_data(as_text=True)
    assert "Members on a break" not in member_home

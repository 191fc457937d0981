"""In Chromium at phone size: Cedar sets weekly hours that exclude now; when
Wheatfield opens their direct conversation she sees the gentle note before
writing ("Cedar is away until …; they will see this later") and Cedar in the
room's presence as away (never why); when Cedar clears the hours, "away"
leaves her presence list live."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from network.timezones import ZONES
from tests.e2e.helpers import PHONE, expect, signed_in_page
from tests.e2e.test_accessibility import Audit

pytestmark = pytest.mark.e2e

AWAY_ONE, AWAY_NAME = "coastal.lead", "Cedar"  # demo: they talk directly
WRITER, WRITER_NAME = "prairie.lead", "Wheatfield"


def _hours_excluding_now(page) -> tuple[str, str]:
    """Start and end (HH:MM) of an hour starting two hours from now in the
    zone the availability page names."""
    label = page.locator("#hours-h + p.hint").inner_text()
    name = next(key for key, value in ZONES.items() if f"({value};" in label)
    local = datetime.now(UTC).astimezone(ZoneInfo(name))
    start = (local.hour * 60 + local.minute + 120) % 1440
    end = (start + 60) % 1440
    return f"{start // 60:02d}:{start % 60:02d}", f"{end // 60:02d}:{end % 60:02d}"


def test_availability_page_passes_the_accessibility_audit(live_server, new_context):
    """The page as it is, with its errors shown, and a lead's home section."""
    audit = Audit(new_context, live_server.base_url, AWAY_ONE)
    audit.visit("/account/availability")
    audit.page.fill("#day2_start", "09:00")
    with audit.page.expect_navigation():
        audit.page.get_by_role("button", name="Save hours").click()
    audit.check("availability with an error")
    audit.visit("/")
    assert audit.found == {}


def test_hours_excluding_now_show_the_note_and_away(live_server, new_context):
    base = live_server.base_url
    away = signed_in_page(new_context, base, AWAY_ONE, AWAY_NAME, **PHONE)
    away.goto(base + "/account")
    with away.expect_navigation():
        away.get_by_role("link", name="Your hours and breaks").click()
    start, end = _hours_excluding_now(away)
    # A mistake first: kept, explained beside the day, nothing saved.
    away.fill("#day0_start", start)
    away.fill("#day1_start", start)
    with away.expect_navigation():
        away.get_by_role("button", name="Save hours").click()
    expect(away.locator("#day1-error")).to_contain_text("Give a start and an end")
    expect(away.locator("#day0_start")).to_have_value(start)
    away.screenshot(path="/tmp/availability-error-390.png", full_page=True)
    for day in range(7):
        away.fill(f"#day{day}_start", start)
        away.fill(f"#day{day}_end", end)
    with away.expect_navigation():
        away.get_by_role("button", name="Save hours").click()
    expect(away.locator("body")).to_contain_text("Your hours are saved.")
    expect(away.locator("#day6_end")).to_have_value(end)
    away.screenshot(path="/tmp/availability-390.png", full_page=True)

    # Cedar opens the conversation: present, but outside their hours.
    away.goto(base + "/conversations")
    link = away.locator("ul.conversations a[href^='/rooms/']").filter(
        has_text=WRITER_NAME
    )
    room_path = link.first.get_attribute("href")
    away.goto(base + room_path)
    expect(away.locator("#connection")).to_have_text("")

    writer = signed_in_page(new_context, base, WRITER, WRITER_NAME, **PHONE)
    writer.goto(base + room_path)
    note = writer.locator("#away-note")
    expect(note).to_contain_text(f"{AWAY_NAME} is away until ")
    expect(note).to_contain_text("they will see this later")
    present = writer.locator("#presence li").filter(has_text=AWAY_NAME)
    expect(present).to_contain_text("(away)")
    expect(writer.locator("body")).not_to_contain_text("on a break")
    writer.screenshot(path="/tmp/availability-note-390.png", full_page=True)

    # Cedar clears the hours in another tab (the room stays open): always
    # available again, and Wheatfield's presence list drops "away" live.
    settings = away.context.new_page()
    settings.goto(base + "/account/availability")
    for day in range(7):
        settings.fill(f"#day{day}_start", "")
        settings.fill(f"#day{day}_end", "")
    with settings.expect_navigation():
        settings.get_by_role("button", name="Save hours").click()
    expect(settings.locator("#day0_start")).to_have_value("")
    expect(present).not_to_contain_text("(away)")
    expect(present).to_contain_text(AWAY_NAME)

"""The insights page on a phone (390x844), as the demo lead Tidewater
(harbour.lead): the charts show, and each table scrolls inside its own box,
never the page."""

from __future__ import annotations

import os

import pytest

from tests.e2e.helpers import PHONE, expect, signed_in_page

pytestmark = pytest.mark.e2e

LEAD = "harbour.lead"


def test_insights_on_a_phone(live_server, new_context):
    base = live_server.base_url
    page = signed_in_page(new_context, base, LEAD, **PHONE)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(base + "/insights")
    expect(page.locator("h1")).to_have_text("Insights")
    chart = page.locator("#insight-supervision svg")
    expect(chart).to_be_visible()
    assert chart.bounding_box()["width"] <= 390
    expect(page.locator("#insight-messages table")).to_be_visible()
    # The page itself never scrolls sideways; a wide table scrolls in its box.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for box in page.locator(".table-scroll").all():
        assert box.bounding_box()["width"] <= 390
    expect(
        page.get_by_role("link", name="Download these figures (CSV)")
    ).to_be_visible()
    assert not [e for e in errors if "Content Security Policy" in e], errors
    shots = os.environ.get("INSIGHTS_SHOTS")
    if shots:
        page.screenshot(path=f"{shots}/insights-phone.png", full_page=False)
        page.locator("#insight-connections").scroll_into_view_if_needed()
        page.screenshot(path=f"{shots}/insights-phone-messages.png")

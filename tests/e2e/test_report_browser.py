"""The issue-9 repro in Chromium on a phone-sized screen: Sea Glass (Harbour)
reports Wheatfield (Prairie's lead) as "Someone from my past"."""

from __future__ import annotations

from tests.e2e.conftest import browser_login
from tests.e2e.helpers import PHONE, expect


def _phone(new_context, base: str, login_name: str):
    page = new_context(**PHONE).new_page()
    browser_login(page, base, login_name)
    return page


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width}px wide"


def test_past_report_reaches_the_reporters_leads_never_the_subject(
    live_server, new_context
):
    base = live_server.base_url
    sea_glass = _phone(new_context, base, "harbour.ana")
    sea_glass.goto(base + "/directory?q=Wheatfield")
    with sea_glass.expect_navigation():
        sea_glass.get_by_role("link", name="Wheatfield").first.click()
    with sea_glass.expect_navigation():
        sea_glass.get_by_role("link", name="Report this profile").click()
    _fits(sea_glass)
    expect(sea_glass.locator("main")).to_contain_text("never learns who reported them")
    sea_glass.get_by_label("Someone from my past").check()
    sea_glass.fill("#note", "She was there, back then.")
    with sea_glass.expect_navigation():
        sea_glass.get_by_role("button", name="Send report").click()
    expect(sea_glass.locator("h1")).to_have_text("Keep apart from this person?")
    _fits(sea_glass)
    with sea_glass.expect_navigation():
        sea_glass.get_by_role("button", name="Keep me apart from this person").click()
    expect(sea_glass.locator("main")).to_contain_text("Wheatfield")  # her separations

    wheatfield = _phone(new_context, base, "prairie.lead")
    wheatfield.goto(base + "/moderation/reports")
    expect(wheatfield.locator("#report-queue")).to_have_text("Nothing here.")
    expect(wheatfield.locator("main")).not_to_contain_text("Sea Glass")

    tidewater = _phone(new_context, base, "harbour.lead")
    tidewater.goto(base + "/moderation/reports")
    _fits(tidewater)
    with tidewater.expect_navigation():
        tidewater.get_by_role("link", name="Someone from my past").click()
    expect(tidewater.locator("main")).to_contain_text("by Sea Glass")
    expect(tidewater.get_by_role("button", name="Forward")).to_have_count(0)
    _fits(tidewater)

    admin = new_context(**PHONE).new_page()
    browser_login(admin, base, "admin")
    admin.goto(base + "/moderation/reports")
    expect(admin.locator("#report-queue")).to_contain_text("Someone from my past")

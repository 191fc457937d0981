"""In Chromium at phone size (390x844): Driftwood types "@" in the learning
circle, picks Sea Glass from the suggestions and sends; Sea Glass's bell counts
up live, and opening the notification lands on the message.

Set SHOTS_DIR to keep screenshots of the header, the listbox and the page.
"""

from __future__ import annotations

import os
import re

import pytest

from tests.e2e.conftest import browser_login, tagged
from tests.e2e.helpers import PHONE, expect

pytestmark = pytest.mark.e2e

CIRCLE = "Atlantic-Prairie learning circle"
SAM, ANA = "harbour.sam", "harbour.ana"
BELL_NAME = re.compile(r"^Notifications, (\d+) unread$")


def _shot(page, name: str) -> None:
    folder = os.environ.get("SHOTS_DIR")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"))


def _in_room(new_context, server, login: str, pseudonym: str, **options):
    page = new_context(**PHONE, **options).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.page_errors = errors
    browser_login(page, server.base_url, login)
    page.goto(server.base_url + "/rooms")
    with page.expect_navigation():
        page.get_by_role("link", name=CIRCLE, exact=True).click()
    expect(
        page.locator("#presence li").filter(has_text=tagged(pseudonym))
    ).to_have_count(1)
    return page


def _unread(page) -> int:
    return int(BELL_NAME.match(page.locator("#bell").get_attribute("aria-label"))[1])


def test_a_picked_mention_rings_the_bell_live_and_leads_to_the_message(
    live_server, new_context
):
    ana = _in_room(new_context, live_server, ANA, "Sea Glass")
    before = _unread(ana)
    header = ana.locator("header.site-header").bounding_box()
    assert header["height"] <= 57, header  # one line, as before the bell (56.2)
    bell = ana.locator("#bell").bounding_box()
    assert bell["width"] >= 44 and bell["height"] >= 44, bell
    _shot(ana, "room-header")

    sam = _in_room(new_context, live_server, SAM, "Driftwood", has_touch=True)
    # The keyboard: arrows and Enter pick (Enter does not send), Esc closes.
    sam.locator("#body").press_sequentially("@sea")
    expect(sam.get_by_role("option", name=re.compile("Sea Glass"))).to_have_count(1)
    sam.keyboard.press("ArrowDown")
    sam.keyboard.press("Enter")
    expect(sam.locator("#body")).to_have_value("@**Sea Glass** ")
    expect(sam.locator("#mention-box")).to_be_hidden()
    sam.locator("#body").press_sequentially("@S")
    expect(sam.locator("#mention-box")).to_be_visible()
    sam.keyboard.press("Escape")
    expect(sam.locator("#mention-box")).to_be_hidden()
    sam.locator("#body").fill("")
    # Touch: a tap on the suggestion.
    sam.locator("#body").press_sequentially("Thanks @Sea")
    option = sam.get_by_role("option", name=re.compile("Sea Glass"))
    expect(option).to_have_count(1)
    expect(sam.locator("#mention-box")).to_be_visible()
    _shot(sam, "mention-listbox")
    option.tap()
    expect(sam.locator("#body")).to_have_value("Thanks @**Sea Glass** ")
    sam.locator("#body").press_sequentially("for the notes")
    sam.get_by_role("button", name="Send").click()
    sent = sam.locator("#messages li.message").filter(has_text="for the notes")
    expect(sent.locator(".mention")).to_have_text("@Sea Glass")
    expect(sent.locator(".mention.mine")).to_have_count(
        0
    )  # highlighted for Sea Glass only

    # Sea Glass's bell counts up without a reload.
    expect(ana.locator("#bell")).to_have_attribute(
        "aria-label", f"Notifications, {before + 1} unread"
    )
    ana.locator("#bell").click()
    expect(ana.locator("h1")).to_have_text("Notifications")
    _shot(ana, "notifications-page")
    with ana.expect_navigation():
        ana.get_by_role("link", name="You were mentioned in a room").first.click()
    assert re.search(r"/rooms/[^/#]+#message-[\w-]+$", ana.url), ana.url
    target = ana.locator("#messages li.message.target")
    expect(target).to_contain_text("for the notes")
    expect(target.locator(".mention.mine")).to_have_text("@Sea Glass")
    expect(target).to_be_in_viewport()
    expect(ana.locator("#bell")).to_have_attribute(
        "aria-label", f"Notifications, {before} unread"
    )
    _shot(ana, "landed-on-message")
    ana.evaluate("window.scrollTo(0, 0)")
    expect(ana.get_by_role("button", name="Mute notifications")).to_be_visible()
    _shot(ana, "room-top-mute")
    ana.goto(live_server.base_url + "/account")
    email = ana.get_by_role("group", name="Email about new activity")
    expect(email.get_by_role("radio", name="Off")).to_be_checked()
    email.scroll_into_view_if_needed()
    _shot(ana, "account-email")
    assert sam.page_errors == [] and ana.page_errors == []


def test_the_bell_sits_before_quick_exit_on_a_wide_screen(live_server, new_context):
    page = new_context(viewport={"width": 1280, "height": 800}).new_page()
    browser_login(page, live_server.base_url, ANA)
    bell = page.locator("#bell").bounding_box()
    exit_button = page.locator("#quick-exit").bounding_box()
    header = page.locator("header.site-header").bounding_box()
    assert bell["x"] + bell["width"] <= exit_button["x"]
    assert header["height"] <= 57, header
    _shot(page, "desktop-header")

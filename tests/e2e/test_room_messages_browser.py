"""In Chromium at phone size (390x844): editing a message in the room page.

Editing is a visible mode that a new message can never fall into; the editor
starts from the stored Markdown and content warning; Esc in the composer leaves
the mode and keeps the page; message times are in the member's own zone.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.conftest import browser_login, tagged
from tests.e2e.helpers import PHONE, expect

pytestmark = pytest.mark.e2e

CIRCLE = "Atlantic-Prairie learning circle"
SAM, SAM_PSEUDONYM = "harbour.sam", "Driftwood"
ZONE = "America/Halifax"  # not the default zone (Toronto), nor the browser's (UTC)


def _set_zone(server, login_name: str, zone: str) -> None:
    with sqlite3.connect(server.database) as db:
        db.execute(
            "UPDATE profiles SET timezone = ? WHERE account_id = "
            "(SELECT id FROM accounts WHERE login_name = ?)",
            (zone, login_name),
        )


def _room_page(new_context, server):
    """Sam's room page on a phone whose browser clock says UTC."""
    page = new_context(**PHONE, timezone_id="UTC").new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.page_errors = errors
    browser_login(page, server.base_url, SAM)
    page.goto(server.base_url + "/rooms")
    with page.expect_navigation():
        page.get_by_role("link", name=CIRCLE, exact=True).click()
    presence = page.locator("#presence li").filter(has_text=tagged(SAM_PSEUDONYM))
    expect(presence).to_have_count(1)
    return page


def _message(page, text: str):
    return page.locator("#messages li.message").filter(has_text=text)


def _send(page, body: str, warning: str = "") -> None:
    page.fill("#content-warning", warning)
    page.fill("#body", body)
    page.press("#body", "Enter")


def _edit(page, text: str) -> None:
    item = _message(page, text)
    item.get_by_role("button", name="Edit").click()
    expect(page.locator("#composer")).to_have_attribute("data-mode", "edit")


def test_a_new_message_after_edit_is_a_new_message(live_server, new_context):
    page = _room_page(new_context, live_server)
    _send(page, "Message A one")
    expect(_message(page, "Message A one")).to_have_count(1)
    _edit(page, "Message A one")
    expect(_message(page, "Message A one")).to_have_class(re.compile(r"\bediting\b"))
    expect(page.locator("#composer-mode")).to_contain_text("Editing")
    # Cancel leaves the mode; what is typed next is a new message.
    page.get_by_role("button", name="Cancel editing").click()
    expect(page.locator("#composer")).not_to_have_attribute("data-mode", "edit")
    _send(page, "Message B one")
    expect(_message(page, "Message B one")).to_have_count(1)
    expect(_message(page, "Message A one")).to_have_count(1)
    expect(_message(page, "Message A one")).not_to_contain_text("(edited)")
    # While editing, Enter saves the edit; the next Enter sends a new message.
    _edit(page, "Message B one")
    page.fill("#body", "Message B two")
    page.press("#body", "Enter")
    expect(_message(page, "Message B two")).to_contain_text("(edited)")
    expect(page.locator("#composer")).not_to_have_attribute("data-mode", "edit")
    _send(page, "Message C one")
    expect(_message(page, "Message C one")).to_have_count(1)
    expect(_message(page, "Message C one")).not_to_contain_text("(edited)")
    expect(_message(page, "Message B two")).to_have_count(1)
    assert page.page_errors == []


def test_edit_starts_from_the_stored_markdown_and_warning(live_server, new_context):
    page = _room_page(new_context, live_server)
    _send(page, "**Glad** to be here today", warning="grief")
    item = _message(page, "grief")
    expect(item.locator(".body strong")).to_have_text("Glad")
    item.get_by_role("button", name="Edit").click()
    expect(page.locator("#body")).to_have_value("**Glad** to be here today")
    expect(page.locator("#content-warning")).to_have_value("grief")
    page.fill("#body", "**Glad** to be here tonight")
    page.press("#body", "Enter")
    edited = _message(page, "grief")
    expect(edited).to_contain_text("(edited)")
    expect(edited.locator("details.cw summary")).to_contain_text("grief")
    expect(edited.locator(".body strong")).to_have_text("Glad")
    assert page.page_errors == []


def test_esc_in_the_composer_cancels_editing_and_keeps_the_page(
    live_server, new_context
):
    page = _room_page(new_context, live_server)
    url = page.url
    _send(page, "Esc test message")
    expect(_message(page, "Esc test message")).to_have_count(1)
    _message(page, "Esc test message").get_by_role("button", name="Edit").click()
    expect(page.locator("#body")).to_have_value("Esc test message")
    page.press("#body", "Escape")
    # A marker: a message sent after Esc arrives on the same page, as a new one.
    _send(page, "Esc marker message")
    expect(_message(page, "Esc marker message")).to_have_count(1)
    assert page.url == url
    expect(_message(page, "Esc test message")).not_to_contain_text("(edited)")
    expect(page.locator("#composer")).to_have_attribute("data-mode", "new")


def test_message_times_are_in_the_members_zone(live_server, new_context):
    _set_zone(live_server, SAM, ZONE)
    page = _room_page(new_context, live_server)
    _send(page, "What time is it here")
    live = _message(page, "What time is it here").locator("time")
    expect(live).to_have_count(1)

    def local(node) -> str:
        moment = datetime.fromisoformat(node.get_attribute("datetime"))
        if moment.tzinfo is None:  # the server's times are UTC
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(ZoneInfo(ZONE)).strftime("%H:%M")

    expect(live).to_contain_text(local(live))
    # Repeated buttons say whose message and from when.
    edit = _message(page, "What time is it here").get_by_role("button", name="Edit")
    expect(edit).to_have_attribute(
        "aria-label", f"Edit your message from {local(live)}"
    )
    log = page.get_by_role("log")
    expect(log.locator("#messages")).to_have_count(1)
    page.reload()  # the same message from the page's first load
    loaded = _message(page, "What time is it here").locator("time")
    expect(loaded).to_contain_text(local(loaded))

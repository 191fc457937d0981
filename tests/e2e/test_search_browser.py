"""In Chromium at phone size (390x844): search from the menu, find one's words
marked in a result, open it in its room at that message (scrolled to and marked,
with later messages below it); a deleted message is not found."""

from __future__ import annotations

import secrets
import sqlite3
import string

import pytest

from tests.e2e.conftest import browser_login, tagged
from tests.e2e.helpers import PHONE, expect

pytestmark = pytest.mark.e2e

CIRCLE = "Atlantic-Prairie learning circle"
SAM, SAM_PSEUDONYM = "harbour.sam", "Driftwood"
LATER = 60  # messages after the one found: it is far above the newest


def _word() -> str:
    return "q" + "".join(secrets.choice(string.ascii_lowercase) for _ in range(9))


def _send(page, body: str) -> None:
    page.fill("#body", body)
    page.press("#body", "Enter")
    expect(page.locator("#messages li.message").filter(has_text=body)).to_have_count(1)


def _later_messages(server, body: str) -> None:
    """LATER messages after the one with `body`, written as the server would."""
    with sqlite3.connect(server.database) as db:
        room_id, author_id, order_key = db.execute(
            "SELECT room_id, author_id, order_key FROM messages WHERE body = ?", (body,)
        ).fetchone()
        for n in range(LATER):
            db.execute(
                "INSERT INTO messages (public_id, room_id, author_id, client_msg_id,"
                " body, html, content_warning, created_at, order_key, hidden_reason)"
                " VALUES (?, ?, ?, ?, ?, ?, '', CURRENT_TIMESTAMP, ?, '')",
                (
                    secrets.token_urlsafe(12),
                    room_id,
                    author_id,
                    f"later-{body}-{n}",
                    f"later {n}",
                    f"<p>later {n}</p>",
                    order_key + n + 1,
                ),
            )


def _search(page, query: str):
    page.get_by_role("button", name="Menu").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Search", exact=True).click()
    page.fill("#q", query)
    with page.expect_navigation():
        page.locator("form.search-form").get_by_role("button", name="Search").click()
    return page.locator("#results > li")


def test_search_finds_a_message_and_opens_it_in_its_room(
    live_server, new_context, tmp_path
):
    base = live_server.base_url
    page = new_context(**PHONE).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    browser_login(page, base, SAM)
    page.goto(base + "/rooms")
    with page.expect_navigation():
        page.get_by_role("link", name=CIRCLE, exact=True).click()
    expect(page.locator("#presence li").filter(has_text=tagged(SAM_PSEUDONYM)))
    found_word, gone_word = _word(), _word()
    body = f"Bring the {found_word} checklist"
    _send(page, body)
    _send(page, f"{gone_word} said too much")
    item = page.locator("#messages li.message").filter(has_text=gone_word)
    item.get_by_role("button", name="Delete").click()
    page.locator("#room-confirm-yes").click()
    expect(
        page.locator("#messages li.message").filter(has_text=gone_word)
    ).to_have_count(0)
    _later_messages(live_server, body)

    results = _search(page, gone_word)
    expect(page.locator("#result-status")).to_have_text("No messages found.")
    expect(results).to_have_count(0)

    results = _search(page, found_word[:6])  # a prefix finds the word
    expect(results).to_have_count(1)
    expect(results.locator("mark")).to_have_text(found_word)
    expect(results.first).to_contain_text(CIRCLE)
    expect(results.first).to_contain_text(SAM_PSEUDONYM)
    page.screenshot(path=str(tmp_path / "search-390.png"), full_page=True)

    with page.expect_navigation():
        results.first.get_by_role("link", name=CIRCLE).click()
    target = page.locator("#messages li.message.found")
    expect(target).to_have_count(1)
    expect(target).to_contain_text(body)
    expect(target).to_be_in_viewport()
    expect(
        page.locator("#messages li.message").filter(has_text="later 59")
    ).not_to_be_in_viewport()
    # Joined (the presence comes with the join's catch-up, which redraws the
    # messages it replays): the message is still marked and in view.
    expect(page.locator("#presence li").filter(has_text=tagged(SAM_PSEUDONYM)))
    expect(target).to_have_count(1)
    expect(target).to_be_in_viewport()  # ... and left the message where it was
    expect(page.locator(".jump-latest")).to_have_text("Later messages ↓")
    page.screenshot(path=str(tmp_path / "room-at-390.png"))
    assert errors == []

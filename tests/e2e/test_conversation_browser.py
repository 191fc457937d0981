"""In Chromium at phone size: Kestrel asks Salt Marsh to talk, Salt Marsh
accepts, they chat both ways; then Kestrel's lead lowers trust below
`message` and both pages say "This conversation is closed", live, without a
reload (and never why)."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import PHONE, expect, search_directory, signed_in_page
from tests.e2e.test_accessibility import Audit

pytestmark = pytest.mark.e2e

# Prairie Bridges and Coastal Roots give each other `message` (network/demo.py).
ASKER, ASKER_NAME = "prairie.jo", "Kestrel"
ANSWERER, ANSWERER_NAME = "coastal.kai", "Salt Marsh"
LEAD = "prairie.lead"
OTHER_ORG = "Coastal Roots Peer Alliance"
CLOSED = "This conversation is closed."


def test_conversation_pages_pass_the_accessibility_audit(live_server, new_context):
    """Cedar (demo): a conversation with Wheatfield, a request from Aspen Grove.
    Runs first: the journey below lowers Prairie's trust toward Coastal."""
    audit = Audit(new_context, live_server.base_url, "coastal.lead")
    audit.visit("/conversations")
    expect(audit.page.locator("li.request")).to_contain_text("Aspen Grove")
    audit.visit(audit.href("ul.conversations a[href^='/rooms/']"), "direct room")
    expect(audit.page.locator("h1")).to_contain_text("Wheatfield")
    audit.visit("/directory?q=Kestrel")
    profile = audit.href("main a[href^='/profiles/']")
    audit.visit(profile + "/ask", "ask to talk")
    assert audit.found == {}


def _send(page, text: str) -> None:
    page.fill("#body", text)
    page.get_by_role("button", name="Send").click()


def test_ask_accept_chat_then_lowered_trust_closes_it_for_both(
    live_server, new_context
):
    base = live_server.base_url
    asker = signed_in_page(new_context, base, ASKER, ASKER_NAME, **PHONE)
    results = search_directory(asker, base, ANSWERER_NAME)
    with asker.expect_navigation():
        results.filter(has_text=ANSWERER_NAME).get_by_role("link").first.click()
    ask = asker.get_by_role("link", name="Ask to talk")
    expect(ask).to_be_visible()
    asker.screenshot(path="/tmp/direct-profile-390.png")
    with asker.expect_navigation():
        ask.click()
    asker.fill("#body", "Hi Salt Marsh, could we talk about youth circles?")
    asker.screenshot(path="/tmp/direct-ask-390.png", full_page=True)
    with asker.expect_navigation():
        asker.get_by_role("button", name="Send request").click()
    expect(asker).to_have_url(base + "/conversations")
    sent = asker.locator("ul.sent > li").filter(has_text=ANSWERER_NAME)
    expect(sent).to_contain_text("Waiting for an answer")
    asker.screenshot(path="/tmp/direct-sent-390.png", full_page=True)

    answerer = signed_in_page(new_context, base, ANSWERER, ANSWERER_NAME, **PHONE)
    answerer.goto(base + "/conversations")
    request = answerer.locator("li.request").filter(has_text=ASKER_NAME)
    expect(request).to_contain_text("could we talk about youth circles?")
    answerer.screenshot(path="/tmp/direct-conversations-390.png", full_page=True)
    with answerer.expect_navigation():
        request.get_by_role("button", name="Accept").click()
    expect(answerer.locator("h1")).to_contain_text(ASKER_NAME)
    room_id = answerer.locator("#room").get_attribute("data-room-id")
    expect(answerer.locator("#connection")).to_have_text("")

    asker.goto(f"{base}/rooms/{room_id}")
    expect(asker.locator("h1")).to_contain_text(ANSWERER_NAME)
    messages = asker.locator("#messages li.message")
    expect(messages.filter(has_text="youth circles")).to_have_count(1)

    _send(answerer, "Hello Kestrel, gladly.")
    expect(messages.filter(has_text="Hello Kestrel, gladly.")).to_have_count(1)
    _send(asker, "Thank you! Thursday?")
    theirs = answerer.locator("#messages li.message")
    expect(theirs.filter(has_text="Thank you! Thursday?")).to_have_count(1)
    asker.screenshot(path="/tmp/direct-room-390.png")
    asker.evaluate("window.scrollTo(0, 0)")
    asker.screenshot(path="/tmp/direct-room-top-390.png")

    # Kestrel's lead lowers trust toward Coastal Roots below `message`.
    lead = signed_in_page(new_context, base, LEAD, **PHONE)
    lead.goto(base + "/org/trust")
    card = lead.locator("ul.trust-list > li").filter(
        has=lead.get_by_role("heading", name=OTHER_ORG, exact=True)
    )
    card.locator("select[name=level]").select_option("collaborate")
    with lead.expect_navigation():
        card.get_by_role("button", name="Save").click()

    for page in (asker, answerer):  # live, without a reload
        expect(page.locator("#closed-banner")).to_be_visible()
        expect(page.locator("#closed-banner")).to_have_text(CLOSED)
        expect(page.locator("#connection")).to_have_text(CLOSED)
        expect(page.locator("#composer")).to_be_hidden()
        expect(page.get_by_role("button", name="Leave conversation")).to_be_hidden()
        assert "trust" not in page.locator("main").inner_text().lower()
    # Nothing in it can be edited, deleted or reported any more.
    expect(answerer.locator("#messages .actions")).to_have_count(1)  # her own
    expect(answerer.locator("#messages .actions").first).to_be_hidden()
    answerer.screenshot(path="/tmp/direct-closed-390.png")

    # A reload says the same, and the list shows it closed.
    asker.reload()
    expect(asker.locator("h1")).to_have_text("This conversation is closed")
    asker.goto(base + "/conversations")
    expect(
        asker.locator("ul.conversations > li").filter(has_text=ANSWERER_NAME)
    ).to_contain_text("closed")

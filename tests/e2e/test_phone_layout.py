"""In Chromium at 390x844 (issue 15, "On a phone"): a compact header with a menu
button and Quick exit always visible, a room whose composer is on screen when it
opens, a supervision room whose chat is near the top once the rules are
accepted, the connection line beside the composer, Enter that makes a new line
on a touch keyboard, and "I need support" that does not look like Quick exit.

Demo people (network/demo.py): Tidewater (harbour.lead) sees the most links;
Driftwood (harbour.sam) has not accepted the Thursday circle's ground rules.
"""

from __future__ import annotations

import uuid

import pytest

from tests.e2e.conftest import (
    browser_login,
    close_sockets,
    connect_socket,
    cookie_header,
    http_login,
    room_ids,
    tagged,
)
from tests.e2e.helpers import PHONE, expect

pytestmark = pytest.mark.e2e

COMMONS = "Harbour commons"
CIRCLE = "Thursday supervision circle"
SAM, SAM_PSEUDONYM = "harbour.sam", "Driftwood"
LEAD = "harbour.lead"
RULES_ERROR = "Accept the ground rules before your first message."
TOUCH = {**PHONE, "has_touch": True, "is_mobile": True}


@pytest.fixture(scope="module")
def live_server_env() -> dict[str, str]:
    # One member sends a backlog of messages over one socket.
    return {"MESSAGE_BURST": "100", "MESSAGE_RATE": "100"}


def _page(new_context, base: str, login_name: str, **options):
    page = new_context(**(options or PHONE)).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.page_errors = errors
    browser_login(page, base, login_name)
    return page


def _open_room(page, base: str, name: str, pseudonym: str) -> None:
    page.goto(base + "/rooms")
    with page.expect_navigation():
        page.get_by_role("link", name=name, exact=True).click()
    expect(page.locator("h1")).to_have_text(name)
    presence = page.locator("#presence li").filter(has_text=tagged(pseudonym))
    expect(presence).to_have_count(1)


def _in_viewport(page, selector: str) -> bool:
    """Whether the element's box lies wholly inside the visible window."""
    return page.eval_on_selector(
        selector,
        """el => { const r = el.getBoundingClientRect();
                   return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight
                          && r.left >= 0 && r.right <= innerWidth; }""",
    )


def test_header_is_compact_with_quick_exit_and_a_menu(live_server, new_context):
    base = live_server.base_url
    page = _page(new_context, base, LEAD)
    header = page.locator("header.site-header")
    assert header.bounding_box()["height"] <= 64, header.bounding_box()
    expect(page.locator("#quick-exit")).to_be_visible()
    assert _in_viewport(page, "#quick-exit")

    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_have_attribute("aria-expanded", "false")
    rooms = page.locator("header").get_by_role("link", name="Rooms", exact=True)
    expect(rooms).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(rooms).to_be_visible()
    expect(page.locator("#quick-exit")).to_be_visible()
    with page.expect_navigation():
        rooms.click()
    assert page.url.endswith("/rooms"), page.url
    assert page.page_errors == []


def test_header_links_reachable_without_javascript(live_server, new_context):
    base = live_server.base_url
    page = _page(new_context, base, LEAD, java_script_enabled=False, **PHONE)
    rooms = page.locator("header").get_by_role("link", name="Rooms", exact=True)
    expect(rooms).to_be_visible()
    expect(page.locator("#quick-exit")).to_be_visible()


def test_room_opens_with_the_composer_on_screen(live_server, new_context):
    base = live_server.base_url
    page = _page(new_context, base, SAM)
    _open_room(page, base, COMMONS, SAM_PSEUDONYM)
    for selector in ("#body", "#composer button[type=submit]"):
        assert _in_viewport(page, selector), selector
    # The connection line sits with the composer, where the member types.
    page.context.set_offline(True)
    expect(page.locator("#connection")).to_have_text("Reconnecting…")
    assert _in_viewport(page, "#connection")
    assert page.eval_on_selector(
        "#connection",
        """el => { const c = document.getElementById("body").getBoundingClientRect();
                   const r = el.getBoundingClientRect();
                   return Math.abs(c.top - r.bottom) < 120; }""",
    )
    expect(page.locator("#connection")).to_have_attribute("role", "status")
    page.context.set_offline(False)
    expect(page.locator("#connection")).to_have_text("", timeout=15_000)
    assert page.page_errors == []


def test_supervision_room_no_early_error_and_chat_near(live_server, new_context):
    base = live_server.base_url
    page = _page(new_context, base, SAM)
    _open_room(page, base, CIRCLE, SAM_PSEUDONYM)
    # Nothing was attempted: a neutral hint, never the refusal as an error.
    expect(page.locator("#composer-error")).to_be_hidden()
    expect(page.get_by_text(RULES_ERROR)).to_have_count(0)
    expect(page.locator("#composer-note")).to_contain_text("ground rules")
    # "I need support" is not a second red, Quick-exit-like control.
    colours = page.evaluate(
        """() => ["need-support", "quick-exit"].map(id =>
             getComputedStyle(document.getElementById(id)).backgroundColor)"""
    )
    assert colours[0] != colours[1], colours
    # A send attempt is refused, and only then says so as an error.
    page.fill("#body", "Hello before the rules")
    page.press("#body", "Enter")
    expect(page.locator("#composer-error")).to_have_text(RULES_ERROR)
    expect(page.locator("#composer-note")).to_be_hidden()

    with page.expect_navigation():
        page.get_by_role("button", name="I accept the ground rules").click()
    expect(page.locator("details.rules")).not_to_have_attribute("open", "")
    sessions = page.locator("details.sessions-list")
    expect(sessions).to_have_count(1)
    expect(sessions).not_to_have_attribute("open", "")
    # The composer is within the first two screens of the page, and on screen.
    top = page.eval_on_selector(
        "#body", "el => el.getBoundingClientRect().top + scrollY"
    )
    assert top <= 2 * 844, top
    assert _in_viewport(page, "#body")
    assert page.page_errors == []


def test_enter_on_a_touch_keyboard_makes_a_new_line(live_server, new_context):
    base = live_server.base_url
    page = _page(new_context, base, SAM, **TOUCH)
    _open_room(page, base, COMMONS, SAM_PSEUDONYM)
    page.fill("#body", "first line")
    page.press("#body", "Enter")
    page.type("#body", "second line")
    expect(page.locator("#body")).to_have_value("first line\nsecond line")
    expect(page.locator("#composer-hint")).to_contain_text("Send")
    send = page.locator("#composer button[type=submit]")
    assert _in_viewport(page, "#composer button[type=submit]")
    send.click()
    expect(page.locator("#body")).to_have_value("")
    expect(
        page.locator("#messages li.message").filter(has_text="second line")
    ).to_have_count(1)
    assert page.page_errors == []


def _latest_visible(page) -> bool:
    """Whether the newest message ends above the pinned composer, on screen."""
    return page.evaluate(
        """() => { const all = document.querySelectorAll("#messages li.message");
                   const r = all[all.length - 1].getBoundingClientRect();
                   const dock = document.querySelector(".composer-dock");
                   return r.bottom > 0
                          && r.bottom <= dock.getBoundingClientRect().top + 1; }"""
    )


def test_new_messages_divider_and_jump_to_latest(live_server, new_context):
    base = live_server.base_url
    session = http_login(base, "harbour.ana")
    room = room_ids(session, base)[COMMONS]
    client = connect_socket(base, cookie=cookie_header(session), origin=base)

    def send(body: str) -> None:
        payload = {"room_id": room, "body": body, "client_msg_id": uuid.uuid4().hex}
        ack = client.call("message:send", payload, timeout=10)
        assert ack["ok"] is True, ack

    try:
        tag = uuid.uuid4().hex[:6]
        for n in range(15):
            send(f"Backlog {n:02d} {tag}: a message long enough to take some room.")
        page = _page(new_context, base, SAM)
        _open_room(page, base, COMMONS, SAM_PSEUDONYM)
        messages = page.locator("#messages li.message")
        expect(messages.last).to_contain_text(f"Backlog 14 {tag}")
        assert _latest_visible(page), "the room does not open at the latest"

        # At the latest, a new message follows into view, with no divider.
        send(f"Live one {tag}")
        expect(messages.last).to_contain_text(f"Live one {tag}")
        page.wait_for_function(_LATEST_JS)
        jump = page.locator(".jump-latest")
        expect(jump).to_be_hidden()
        expect(page.locator("#messages .new-divider")).to_have_count(0)

        # Reading older messages: the new one is marked and the view stays put.
        page.evaluate("window.scrollTo(0, 0)")
        page.evaluate(_TWO_FRAMES)
        send(f"Live two {tag}")
        expect(jump).to_be_visible()
        expect(jump).to_have_text("1 new message ↓")
        divider = page.locator("#messages .new-divider")
        expect(divider).to_have_count(1)
        expect(divider).to_have_text("New messages")
        assert page.evaluate(
            "document.querySelector('#messages .new-divider').nextElementSibling"
            ".textContent.includes('Live two')"
        )
        assert page.evaluate("scrollY") == 0
        jump.click()
        expect(jump).to_be_hidden()
        assert _latest_visible(page)
        assert page.page_errors == []
    finally:
        close_sockets([client])


_LATEST_JS = """() => { const all = document.querySelectorAll("#messages li.message");
  const r = all[all.length - 1].getBoundingClientRect();
  return r.bottom <= document.querySelector(".composer-dock")
                             .getBoundingClientRect().top + 1; }"""
_TWO_FRAMES = "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"

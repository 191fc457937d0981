"""In Chromium: join with a code, get approved by the lead, sign in; security
headers; the phone layout (quick exit itself: test_quick_exit_browser.py)."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import browser_login
from tests.e2e.helpers import expect

pytestmark = pytest.mark.e2e

NEWCOMER_LOGIN = "tern.e2e"  # the stem: the network adds four digits
NEWCOMER_PSEUDONYM = "Morning Tern"
NEWCOMER_PASSWORD = "a long enough passphrase"


def _watch_console(page) -> list[str]:
    """Collect console errors and uncaught page errors."""
    problems: list[str] = []
    page.on(
        "console",
        lambda msg: problems.append(msg.text) if msg.type == "error" else None,
    )
    page.on("pageerror", lambda error: problems.append(f"pageerror: {error}"))
    return problems


def _csp_errors(problems: list[str]) -> list[str]:
    return [p for p in problems if "content security policy" in p.lower()]


def test_join_approve_sign_in(live_server, new_context):
    base = live_server.base_url

    # 1. A newcomer signs up with the lead's invitation code and waits.
    newcomer = new_context().new_page()
    problems = _watch_console(newcomer)
    newcomer.goto(base + "/join/invitation")
    newcomer.fill("#code", live_server.invitation_code.lower())  # typed loosely
    newcomer.fill("#login_name", NEWCOMER_LOGIN)
    newcomer.fill("#pseudonym", NEWCOMER_PSEUDONYM)
    newcomer.fill("#password", NEWCOMER_PASSWORD)
    newcomer.fill("#confirm", NEWCOMER_PASSWORD)
    with newcomer.expect_navigation():
        newcomer.click("main button[type=submit]")
    expect(newcomer).to_have_url(base + "/waiting")
    expect(newcomer.locator("h1")).to_have_text("Waiting for approval")
    expect(newcomer.locator("main")).to_contain_text("Harbour Light Peer Collective")
    # The page shows the sign-in name the network gave; the person writes it down.
    sign_in_name = newcomer.locator("#sign-in-name").inner_text()
    assert re.fullmatch(re.escape(NEWCOMER_LOGIN) + r"-\d{4}", sign_in_name)
    expect(newcomer.locator(".sign-in-name")).to_be_in_viewport()

    # 2. The lead, in another browser context, approves against the checklist.
    lead = new_context().new_page()
    problems += _watch_console(lead)
    browser_login(lead, base, "harbour.lead")
    expect(lead.locator("h1")).to_have_text("Hello, Tidewater")
    with lead.expect_navigation():
        lead.get_by_role("navigation", name="Main").get_by_role(
            "link", name="Requests"
        ).click()
    expect(lead.locator("h1")).to_have_text("Join requests")
    with lead.expect_navigation():
        lead.get_by_role("link", name=NEWCOMER_PSEUDONYM).click()
    expect(lead.locator("h1 .person")).to_contain_text(NEWCOMER_PSEUDONYM)
    expect(lead.locator("h1 .tag")).to_have_text(re.compile(r"^· [0-9A-Z]{4}$"))
    expect(lead.locator("main")).to_contain_text("invitation code")
    boxes = lead.locator("form:has(input[value=approve]) input[type=checkbox]")
    assert boxes.count() == 3  # the default checklist
    for index in range(boxes.count()):
        boxes.nth(index).check()
    with lead.expect_navigation():
        lead.get_by_role("button", name="Approve").click()
    expect(lead).to_have_url(base + "/org/requests")
    expect(lead.locator(".flashes")).to_have_text(
        re.compile(re.escape(NEWCOMER_PSEUDONYM) + r" · [0-9A-Z]{4} is approved\.")
    )
    expect(lead.get_by_role("link", name=NEWCOMER_PSEUDONYM)).to_have_count(0)

    # 3. The newcomer signs in afresh and reaches the home page.
    home = new_context().new_page()
    problems += _watch_console(home)
    home.goto(base + "/login")
    home.fill("#login_name", sign_in_name)
    home.fill("#password", NEWCOMER_PASSWORD)
    with home.expect_navigation():
        home.click("main button[type=submit]")
    expect(home).to_have_url(base + "/")
    expect(home.locator("h1")).to_have_text(f"Hello, {NEWCOMER_PSEUDONYM}")
    expect(home.locator("main")).to_contain_text("Harbour Light Peer Collective")

    # 4. The home page's headers and title give nothing away.
    response = home.reload()
    assert response is not None and response.status == 200
    headers = response.headers
    csp = headers.get("content-security-policy", "")
    assert "script-src 'self'" in csp, csp
    assert "frame-ancestors 'none'" in csp, csp
    assert headers.get("referrer-policy") == "no-referrer"
    assert "no-store" in headers.get("cache-control", "")
    assert home.title() == "Notes"
    expect(home.locator("h1")).to_have_text(f"Hello, {NEWCOMER_PSEUDONYM}")

    assert _csp_errors(problems) == [], problems
    assert not [p for p in problems if p.startswith("pageerror")], problems


@pytest.fixture
def member_context(live_server, new_context):
    """A browser context signed in as an approved demo member."""

    def _make(**options):
        context = new_context(**options)
        page = context.new_page()
        browser_login(page, live_server.base_url, "harbour.sam")
        expect(page.locator("h1")).to_have_text("Hello, Driftwood")
        page.close()
        return context

    return _make


def test_phone_viewport_shows_quick_exit(live_server, member_context):
    context = member_context(viewport={"width": 375, "height": 740}, has_touch=True)
    page = context.new_page()
    page.goto(live_server.base_url + "/")
    expect(page.locator("h1")).to_have_text("Hello, Driftwood")
    button = page.get_by_role("button", name="Quick exit")
    expect(button).to_be_visible()
    expect(button).to_be_in_viewport(ratio=1)
    box = button.bounding_box()
    assert box is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375, box
    assert box["height"] >= 44, box  # a comfortable touch target
    # The page does not scroll sideways on a phone.
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 375, scroll_width
    assert page.title() == "Notes"


def test_names_with_tags_fit_a_phone(live_server, member_context):
    context = member_context(viewport={"width": 390, "height": 844}, has_touch=True)
    page = context.new_page()
    problems = _watch_console(page)
    for path in ("/directory", "/account"):
        page.goto(live_server.base_url + path)
        expect(page.locator(".tag").first).to_be_visible()
        expect(page.locator(".tag").first).to_have_text(re.compile(r"^· [0-9A-Z]{4}$"))
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= 390, (path, scroll_width)
    box = page.locator(".sign-in-name").bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390, box
    assert _csp_errors(problems) == [], problems

"""axe-core (vendored under tests/e2e/vendor/axe-core) finds no violation on any
page type, on a phone-sized screen (390x844), in the demo network."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import browser_login
from tests.e2e.helpers import PHONE, expect

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
# The page's own CSP blocks injected <script> tags; evaluating the source through
# the DevTools protocol is not subject to it, so the audited page stays as served.
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => v.id + ' (' + v.nodes.map(n => n.target.join(' ')).join(', ') + ')');
}"""


@pytest.fixture(scope="module")
def live_server_env() -> dict[str, str]:
    """A 1 MB upload limit, so the 413 page is reached with a small request."""
    return {"UPLOAD_MAX_MB": "1"}


def _violations(page) -> list[str]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(RUN_AXE)


class Audit:
    """Visits pages in one signed-in phone page and records axe's findings."""

    def __init__(self, new_context, base: str, login_name: str | None):
        self.base, self.found = base, {}
        self.page = new_context(**PHONE).new_page()
        if login_name:
            browser_login(self.page, base, login_name)

    def check(self, label: str) -> None:
        """Audit the page as it is now."""
        self.page.wait_for_load_state("load")
        found = _violations(self.page)
        if found:
            self.found[f"{label} {self.page.url}"] = found

    def visit(self, path: str, label: str | None = None, status: int = 200) -> None:
        """Open base+path (or an absolute URL) and audit it."""
        url = path if path.startswith("http") else self.base + path
        response = self.page.goto(url)
        assert response.status == status, (url, response.status)
        self.check(label or path)

    def href(self, selector: str) -> str:
        """The href of the first link matching selector on the current page."""
        link = self.page.locator(selector).first
        expect(link).to_be_attached()
        return link.get_attribute("href")


def _skip_to_message_box(page) -> None:
    """From the top of a room: Skip to content, then Skip to message box (four keys)."""
    page.locator("body").focus()
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to content")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to message box")
    expect(page.locator(":focus")).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("#body")).to_be_focused()


def test_signed_out_and_error_pages(live_server, new_context):
    audit = Audit(new_context, live_server.base_url, None)
    for path in ("/login", "/join", "/join/invitation", "/join/request", "/reset"):
        audit.visit(path)
    audit.visit("/no-such-page", status=404)
    audit.visit("/login")
    page = audit.page
    page.evaluate(
        """() => { const f = document.querySelector('main form');
        const t = document.createElement('textarea'); t.name = 'pad';
        t.value = 'x'.repeat(1500000); f.appendChild(t); }"""
    )
    with page.expect_navigation():
        page.evaluate("document.querySelector('main form').submit()")
    expect(page.locator("h1")).to_be_visible()
    audit.check("413")
    assert audit.found == {}


def test_member_pages(live_server, new_context):
    base = live_server.base_url
    audit = Audit(new_context, base, "harbour.ana")
    for path in ("/", "/rooms", "/directory", "/library", "/library/new", "/reports"):
        audit.visit(path)
    audit.visit("/search?q=")  # the empty query's message
    audit.visit("/search?q=housing")  # results from the demo rooms
    audit.visit("/rooms")
    audit.visit(audit.href("main a[href^='/rooms/']"), "a room")
    _skip_to_message_box(audit.page)
    page = audit.page
    page.goto(base + "/library/new")
    page.fill("#url", "https://example.org/housing")
    page.fill("#title", "Housing rights")
    with page.expect_navigation():
        page.get_by_role("button", name="Share").click()
    audit.visit("/library")
    audit.visit(audit.href("main a[href^='/library/']:not([href$='/new'])"), "item")
    for path in (
        "/account",
        "/account/password",
        "/account/devices",
        "/account/safety",
        "/account/blocks",
        "/notifications",
        "/account/notifications",
        "/account/delete",
    ):
        audit.visit(path)
    audit.visit("/directory?q=Wheatfield")
    audit.visit(audit.href("main a[href^='/profiles/']"), "profile")
    audit.visit(audit.href("main a[href^='/reports/new']"), "report form")
    page.get_by_label("Someone from my past").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Send report").click()
    audit.check("offer separation")
    audit.visit("/no-such-page", status=404)
    assert audit.found == {}


def test_waiting_page(live_server, new_context):
    audit = Audit(new_context, live_server.base_url, "harbour.new")
    audit.check("waiting")
    assert "/waiting" in audit.page.url
    assert audit.found == {}


def test_lead_pages(live_server, new_context):
    audit = Audit(new_context, live_server.base_url, "harbour.lead")
    audit.visit("/")
    audit_log = audit.href("main a[href*='/audit']")
    for path in ("/org/members", "/org/requests", "/org/settings", "/org/invitations"):
        audit.visit(path)
    audit.visit("/org/members")
    audit.visit(audit.href("main a[href^='/org/members/']"), "member detail")
    audit.visit(audit_log, "audit log")
    for path in ("/org/trust", "/org/safety", "/org/safety/requests"):
        audit.visit(path)
    audit.visit("/moderation/reports", "reports queue")
    audit.visit("/moderation/preferences")
    audit.visit("/rooms/new")
    audit.visit("/rooms")
    supervision = audit.page.get_by_role("link", name="Thursday supervision circle")
    room = supervision.first.get_attribute("href")
    audit.visit(room, "supervision room")
    audit.visit(room + "/manage", "manage supervision room")
    audit.visit(room + "/edit", "edit room")
    audit.visit("/rooms")
    commons = audit.page.get_by_role("link", name="Harbour commons").first
    audit.visit(commons.get_attribute("href") + "/manage", "manage room")
    assert audit.found == {}


def test_admin_pages(live_server, new_context):
    audit = Audit(new_context, live_server.base_url, "admin")
    audit.visit("/", "admin home")
    audit.visit("/admin/organizations")
    audit.visit(audit.href("main a[href^='/admin/organizations/']"), "organization")
    audit.visit("/admin/retention")
    assert audit.found == {}

"""In Chromium: quick exit. The button leaves at once; Esc pressed twice outside
a text field leaves; Esc in the composer keeps the draft and the page. After
leaving, the server has ended the session (a request with the old cookie is
anonymous, its sockets are closed), Back shows nothing of the network, and the
network's other tabs leave too."""

from __future__ import annotations

import threading

import pytest
import requests

from tests.e2e.conftest import close_sockets, connect_socket
from tests.e2e.helpers import PHONE, expect, signed_in_page

pytestmark = pytest.mark.e2e

SAM, SAM_PSEUDONYM = "harbour.sam", "Driftwood"
COMMONS = "Harbour commons"  # a Harbour Light room Sam belongs to (network/demo.py)


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


def _history(page) -> tuple[int, list[str]]:
    """The tab's own history, asked through CDP: (current index, URLs)."""
    history = page.context.new_cdp_session(page).send("Page.getNavigationHistory")
    return history["currentIndex"], [entry["url"] for entry in history["entries"]]


def _session_cookie(page) -> str:
    cookies = page.context.cookies()
    return next(c["value"] for c in cookies if c["name"] == "pn_session")


def _enter_room(page, base: str) -> None:
    """From /rooms, open the commons by its link; wait until the socket joined."""
    page.goto(base + "/rooms")
    with page.expect_navigation():
        page.get_by_role("link", name=COMMONS, exact=True).click()
    expect(page.locator("h1")).to_have_text(COMMONS)
    expect(page.locator("#presence li").filter(has_text=SAM_PSEUDONYM)).to_have_count(1)


def _watch_sockets_of(base: str, cookie: str, sockets: list):
    """A second socket on the same server-side session; returns an Event set
    when the server closes it."""
    closed = threading.Event()
    client = connect_socket(base, cookie=f"pn_session={cookie}", origin=base)
    client.on("disconnect", lambda *args: closed.set())
    sockets.append(client)
    return closed


def _back_shows_nothing(page, base: str, neutral_site: str) -> None:
    """Go Back through the whole tab history: no step shows the network."""
    index, _ = _history(page)
    while index > 0:
        page.go_back()
        new_index, entries = _history(page)
        assert new_index < index, entries
        index = new_index
        assert not page.url.startswith(base), (page.url, entries)
        assert page.title() != "Notes", entries
        expect(page.locator("body")).not_to_contain_text(SAM_PSEUDONYM)
        assert page.url in ("about:blank", neutral_site), page.url


def _session_ended(base: str, cookie: str, closed: threading.Event) -> None:
    """The old cookie is worthless now, and the session's sockets were closed."""
    assert closed.wait(10), "the session's socket was not closed"
    page = requests.get(base + "/", cookies={"pn_session": cookie}, timeout=10)
    assert page.status_code == 200
    assert "Hello," not in page.text and "Sign in" in page.text


@pytest.fixture
def sockets():
    made: list = []
    yield made
    close_sockets(made)


def test_quick_exit_button_ends_session_and_back_shows_nothing(
    live_server, neutral_site, new_context, sockets
):
    base = live_server.base_url
    page = signed_in_page(new_context, base, SAM, SAM_PSEUDONYM, **PHONE)
    problems = _watch_console(page)
    _enter_room(page, base)  # history: /login, /, /rooms, the room
    cookie = _session_cookie(page)
    closed = _watch_sockets_of(base, cookie, sockets)

    with page.expect_navigation(url=neutral_site):
        page.get_by_role("button", name="Quick exit").click()
    assert page.title() == "Weather"
    _session_ended(base, cookie, closed)

    _back_shows_nothing(page, base, neutral_site)
    assert _csp_errors(problems) == [], problems


def test_escape_twice_leaves_no_way_back(live_server, neutral_site, new_context):
    base = live_server.base_url
    page = signed_in_page(new_context, base, SAM, SAM_PSEUDONYM)
    problems = _watch_console(page)
    page.goto(base + "/directory")
    expect(page.locator("h1")).to_be_visible()
    page.locator("h1").click()  # focus outside any text field
    with page.expect_navigation(url=neutral_site):
        page.keyboard.press("Escape")
        page.keyboard.press("Escape")
    assert page.title() == "Weather"
    _back_shows_nothing(page, base, neutral_site)
    assert _csp_errors(problems) == [], problems


def test_escape_in_the_composer_keeps_the_draft(live_server, neutral_site, new_context):
    base = live_server.base_url
    page = signed_in_page(new_context, base, SAM, SAM_PSEUDONYM, **PHONE)
    problems = _watch_console(page)
    _enter_room(page, base)
    room_url = page.url

    page.fill("#body", "A draft I am still writing")
    page.press("#body", "Escape")
    page.press("#body", "Escape")  # twice, quickly: still inside the composer
    page.press("#body", "End")
    page.keyboard.type(".")  # the marker: the page is still here, and still typing
    expect(page.locator("#body")).to_have_value("A draft I am still writing.")
    assert page.url == room_url
    expect(page.locator("h1")).to_have_text(COMMONS)

    # One Esc outside a field does nothing yet; the second within a second leaves.
    page.locator("h1").click()
    page.keyboard.press("Escape")
    expect(page.locator("#body")).to_have_value("A draft I am still writing.")
    with page.expect_navigation(url=neutral_site):
        page.keyboard.press("Escape")
    assert page.title() == "Weather"
    assert _csp_errors(problems) == [], problems


def test_quick_exit_works_for_an_anonymous_visitor(
    live_server, neutral_site, new_context
):
    base = live_server.base_url
    page = new_context(**PHONE).new_page()
    problems = _watch_console(page)
    page.goto(base + "/login")
    with page.expect_navigation(url=neutral_site):
        page.get_by_role("button", name="Quick exit").click()
    _back_shows_nothing(page, base, neutral_site)
    assert [p for p in problems if "pageerror" in p or "status of" in p] == [], problems


@pytest.fixture
def member_context(live_server, new_context):
    """A browser context signed in as Sam, in a page already closed: a new page's
    first navigation is then its first history entry."""

    def _make(**options):
        base = live_server.base_url
        page = signed_in_page(new_context, base, SAM, SAM_PSEUDONYM, **options)
        context = page.context
        page.close()
        return context

    return _make


def test_quick_exit_button_leaves_at_once(live_server, neutral_site, member_context):
    page = member_context().new_page()
    problems = _watch_console(page)
    page.goto(live_server.base_url + "/")
    expect(page.locator("h1")).to_have_text(f"Hello, {SAM_PSEUDONYM}")
    with page.expect_navigation(url=neutral_site):
        page.get_by_role("button", name="Quick exit").click()
    assert page.url == neutral_site
    assert page.title() == "Weather"
    assert _csp_errors(problems) == [], problems


def test_escape_leaves_no_way_back(live_server, neutral_site, member_context):
    page = member_context().new_page()
    problems = _watch_console(page)
    response = page.goto(live_server.base_url + "/")  # the tab's first navigation
    assert response is not None and response.status == 200
    expect(page.locator("h1")).to_have_text(f"Hello, {SAM_PSEUDONYM}")
    with page.expect_navigation(url=neutral_site):
        page.keyboard.press("Escape")
        page.keyboard.press("Escape")
    assert page.title() == "Weather"

    page.go_back()  # the app page was replaced, so there is nothing to go back to
    # go_back returns once the navigation Back makes (if any) has loaded; and
    # the tab's history itself, asked directly, holds no page of the network.
    _, entries = _history(page)
    assert not [url for url in entries if url.startswith(live_server.base_url)]
    assert not page.url.startswith(live_server.base_url), page.url
    assert page.url in ("about:blank", neutral_site), page.url
    assert _csp_errors(problems) == [], problems


def test_the_networks_other_tabs_leave_too(live_server, neutral_site, member_context):
    context = member_context(**PHONE)
    base = live_server.base_url
    left_open = context.new_page()
    left_open.goto(base + "/directory")
    expect(left_open.locator("h1")).to_be_visible()
    page = context.new_page()
    page.goto(base + "/")
    expect(page.locator("h1")).to_have_text(f"Hello, {SAM_PSEUDONYM}")
    with left_open.expect_navigation(url=neutral_site):
        with page.expect_navigation(url=neutral_site):
            page.get_by_role("button", name="Quick exit").click()
    assert left_open.title() == "Weather"

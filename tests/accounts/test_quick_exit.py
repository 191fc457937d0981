"""Quick exit over HTTP: the beacon ends the session (and its sockets), answers
204 to members and anonymous visitors alike, is CSRF-checked, and the browser
that left then sees only the neutral site, sign-in page included."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from network.extensions import db
from network.models import AuthSession
from tests import factories
from tests.conftest import CSRF_RE

NEUTRAL = "https://neutral.example/"


@pytest.fixture
def app(app):
    app.config["QUICK_EXIT_URL"] = NEUTRAL
    return app


def _sessions() -> int:
    return db.session.scalar(select(func.count(AuthSession.id)))


def _exit_token(client, page: str = "/login") -> str:
    """The token every page hands its quick exit script (data-csrf on <body>)."""
    html = client.get(page).get_data(as_text=True)
    return re.search(r'<body[^>]*data-csrf="([^"]+)"', html).group(1)


def _leave(client, page: str = "/login"):
    """What the page's beacon does: POST /exit with the page's token."""
    return client.post("/exit", data={"csrf_token": _exit_token(client, page)})


def _marker(response) -> str:
    cookies = response.headers.getlist("Set-Cookie")
    return next(c for c in cookies if c.startswith("pn_exit="))


def test_quick_exit_ends_the_session_and_its_sockets(app, login_as, socket_client):
    member = factories.make_member(factories.make_org())
    browser, other_device = login_as(member), login_as(member)
    sock, other_sock = socket_client(browser), socket_client(other_device)
    cookie = browser.get_cookie("pn_session").value
    assert _sessions() == 2

    response = _leave(browser, "/account")

    assert response.status_code == 204 and response.get_data() == b""
    assert _sessions() == 1
    assert not sock.is_connected()
    assert other_sock.is_connected()  # only this browser left
    marker = _marker(response)
    assert "Max-Age=600" in marker and "SameSite=Lax" in marker and "Path=/" in marker
    replay = app.test_client()  # the old cookie, without the marker: anonymous
    replay.set_cookie("pn_session", cookie)
    page = replay.get("/").get_data(as_text=True)
    assert "Sign in" in page and "Hello," not in page


def test_quick_exit_answers_an_anonymous_visitor(app, client):
    response = _leave(client)
    assert response.status_code == 204
    assert _marker(response)


def test_quick_exit_needs_this_sessions_token(app, login_as):
    member = factories.make_member(factories.make_org())
    browser, other = login_as(member), login_as(member)
    # A valid form token is not the exit token; nor is another session's.
    form_token = CSRF_RE.search(browser.get("/logout").get_data(as_text=True))[1]
    for data in ({}, {"csrf_token": _exit_token(other)}, {"csrf_token": form_token}):
        response = browser.post("/exit", data=data)
        assert response.status_code == 400, data
        assert _sessions() == 2
        assert "pn_exit" not in " ".join(response.headers.getlist("Set-Cookie"))
    assert _leave(browser).status_code == 204
    assert _sessions() == 1


def test_the_exit_token_reads_the_same_on_every_page_of_a_session(app, login_as):
    browser = login_as(factories.make_member(factories.make_org()))
    assert _exit_token(browser, "/") == _exit_token(browser, "/nowhere")


@pytest.mark.parametrize("path", ["/", "/login", "/rooms", "/account", "/nowhere"])
def test_after_quick_exit_every_page_goes_to_the_neutral_site(app, login_as, path):
    member = factories.make_member(factories.make_org())
    browser = login_as(member)
    _leave(browser, "/account")
    response = browser.get(path)
    assert response.status_code == 303
    assert response.headers["Location"] == NEUTRAL
    assert response.headers["Cache-Control"] == "no-store"
    assert "Notes" not in response.get_data(as_text=True)


def test_after_quick_exit_assets_and_the_beacon_still_answer(app, login_as):
    browser = login_as(factories.make_member(factories.make_org()))
    token = _exit_token(browser, "/account")
    _leave(browser, "/account")
    assert browser.get("/static/js/app.js").status_code == 200
    assert browser.get("/healthz").status_code == 200
    again = browser.post("/exit", data={"csrf_token": token})
    assert again.status_code in (204, 400)  # the session, and its token, are gone
    assert again.status_code != 303


def test_a_marker_without_the_beacon_ends_the_session_on_the_next_request(
    app, login_as, socket_client
):
    """The page sets the marker itself; if its beacon was lost, the next request
    from that browser ends the session."""
    member = factories.make_member(factories.make_org())
    browser = login_as(member)
    sock = socket_client(browser)
    browser.set_cookie("pn_exit", "1")
    response = browser.get("/rooms")
    assert response.status_code == 303 and response.headers["Location"] == NEUTRAL
    assert _sessions() == 0
    assert not sock.is_connected()


def test_signed_in_pages_are_never_stored(app, login_as):
    browser = login_as(factories.make_member(factories.make_org()))
    for path in ("/", "/rooms", "/account", "/directory"):
        response = browser.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path


def test_pages_carry_what_the_quick_exit_script_needs(app, client):
    html = client.get("/login").get_data(as_text=True)
    assert 'data-exit-beacon="/exit"' in html
    assert 'data-exit-hold="600"' in html
    assert 'data-csrf="' in html
    assert "Esc</kbd> twice" in html

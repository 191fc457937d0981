"""The language switch and html lang: the person's choice (kept on the account),
a visitor's cookie, the browser's language; and a safe way back."""

from __future__ import annotations

import json
import re

import pytest

from network.extensions import db
from network.models import Account
from tests import factories

LANG_RE = re.compile(r'<html lang="([^"]+)">')
SWITCH_TOKEN_RE = re.compile(
    r'action="/language" class="language-switch">\s*'
    r'<input type="hidden" name="csrf_token" value="([^"]+)">'
)


def switch(client, data: dict, *, token_from: str = "/login"):
    """POST the footer's language switch with the page's own token."""
    html = client.get(token_from).get_data(as_text=True)
    match = SWITCH_TOKEN_RE.search(html)
    assert match, f"no language switch on {token_from}"
    return client.post("/language", data={"csrf_token": match.group(1), **data})


def page_lang(client, url: str = "/login", **kwargs) -> str:
    """The lang attribute of the page at url."""
    html = client.get(url, **kwargs).get_data(as_text=True)
    match = LANG_RE.search(html)
    assert match, f"no html lang on {url}"
    return match.group(1)


def test_english_by_default(client):
    assert page_lang(client) == "en"


def test_browser_language_chooses_french(client):
    headers = {"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"}
    assert page_lang(client, headers=headers) == "fr-CA"
    html = client.get("/login", headers=headers).get_data(as_text=True)
    assert "Sortie rapide" in html


def test_visitor_switch_sets_a_lax_cookie_and_returns(client):
    response = switch(client, {"locale": "fr_CA", "next": "/login"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("lang=fr_CA") and "SameSite=Lax" in cookie
    assert "Max-Age=31536000" in cookie
    assert page_lang(client) == "fr-CA"


@pytest.mark.parametrize(
    "target", ["https://evil.example/x", "//evil.example/x", "/\\evil.example", "x"]
)
def test_switch_never_leaves_the_site(client, target):
    response = switch(client, {"locale": "fr_CA", "next": target})
    location = response.headers["Location"]
    assert "evil" not in location and location.endswith("/")


def test_switch_without_csrf_changes_nothing(client):
    response = client.post("/language", data={"locale": "fr_CA", "next": "/login"})
    assert response.status_code in (302, 400)
    assert "lang=" not in response.headers.get("Set-Cookie", "")


def test_unknown_language_is_refused(client):
    response = switch(client, {"locale": "xx", "next": "/login"})
    assert "lang=" not in response.headers.get("Set-Cookie", "")
    assert page_lang(client) == "en"


def test_signed_in_choice_is_kept_on_the_account(app, login_as):
    member = factories.make_member(factories.make_org())
    client = login_as(member)
    switch(client, {"locale": "fr_CA", "next": "/account"})
    assert db.session.get(Account, member.id).locale == "fr_CA"
    # The account's choice wins over the browser and follows to a new browser.
    other = login_as(member)
    other.delete_cookie("lang")
    assert page_lang(other, "/account", headers={"Accept-Language": "en"}) == "fr-CA"


def test_account_choice_wins_over_a_cookie(app, login_as):
    member = factories.make_member(factories.make_org())
    member.locale = "en"
    db.session.commit()
    client = login_as(member)
    client.set_cookie("lang", "fr_CA")
    assert page_lang(client, "/account") == "en"


@pytest.mark.parametrize("url", ["/no-such-page", "/login", "/reset"])
def test_every_page_and_error_page_speaks_french_with_its_catalogue(client, url):
    client.set_cookie("lang", "fr_CA")
    html = client.get(url).get_data(as_text=True)
    assert LANG_RE.search(html).group(1) == "fr-CA"
    assert 'id="i18n-catalogue"' in html


def test_scripts_get_their_french_in_the_page(client):
    client.set_cookie("lang", "fr_CA")
    html = client.get("/login").get_data(as_text=True)
    match = re.search(r'id="i18n-catalogue">(.*?)</script>', html, re.S)
    catalogue = json.loads(match.group(1))
    assert (
        catalogue["Notifications, {count} unread"] == "Notifications, {count} non lues"
    )


def test_english_pages_carry_an_empty_catalogue(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<script type="application/json" id="i18n-catalogue">{}</script>' in html


def test_a_page_reads_the_same_at_every_render(login_as, monkeypatch):
    """The switch is on every page, so its token must carry no timestamp: two
    renders seconds apart are byte-identical (pages of denial and absence are
    compared byte for byte; Flask-WTF's timestamped token made them differ)."""
    import time

    from tests import factories

    client = login_as(factories.make_member(factories.make_org()))
    first = client.get("/directory").data
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 7)
    assert client.get("/directory").data == first

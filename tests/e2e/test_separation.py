"""In Chromium: a safety separation inside one organization. The other person
loses sight of the protected person without any sign that something changed."""

from __future__ import annotations

import secrets

import pytest

from tests.e2e.conftest import browser_login, tagged

pytestmark = pytest.mark.e2e

# Two approved members of Harbour Light (network/demo.py PEOPLE).
PROTECTED, PROTECTED_PSEUDONYM = "harbour.ana", "Sea Glass"
OTHER, OTHER_PSEUDONYM = "harbour.sam", "Driftwood"
NOBODY_PSEUDONYM = "Nobody By This Name"
SAVED = (
    "Saved. From now on you and this person will not see each other here. "
    "They are not told."
)


def _expect():
    from playwright.sync_api import expect

    return expect


def _signed_in_page(new_context, base: str, login_name: str, pseudonym: str):
    page = new_context().new_page()
    browser_login(page, base, login_name)
    _expect()(page.locator("h1")).to_have_text(f"Hello, {pseudonym}")
    return page


def _search(page, base: str, query: str):
    page.goto(base + "/directory")
    page.fill("#q", query)
    with page.expect_navigation():
        page.get_by_role("button", name="Search").click()
    return page.locator("ul.directory > li")


def _file_separation(page, base: str, pseudonym: str) -> str:
    """File through /account/safety; returns the flash message shown."""
    page.goto(base + "/account/safety")
    page.fill("input[name=pseudonym]", pseudonym)
    with page.expect_navigation():
        page.get_by_role("button", name="Keep us apart").click()
    _expect()(page).to_have_url(base + "/account/safety")
    flashes = page.locator(".flashes")
    _expect()(flashes).to_have_count(1)
    return flashes.inner_text().strip()


def test_separation_hides_the_protected_person(live_server, new_context):
    expect = _expect()
    base = live_server.base_url

    protected = _signed_in_page(new_context, base, PROTECTED, PROTECTED_PSEUDONYM)
    other = _signed_in_page(new_context, base, OTHER, OTHER_PSEUDONYM)

    # Before: the other person finds the protected one and can open the profile.
    results = _search(other, base, PROTECTED_PSEUDONYM)
    expect(other.locator("#result-count")).to_have_text("1 person")
    with other.expect_navigation():
        results.first.get_by_role("link", name=tagged(PROTECTED_PSEUDONYM)).click()
    profile_url = other.url
    assert profile_url.startswith(base + "/profiles/"), profile_url
    expect(other.locator("h1")).to_have_text(tagged(PROTECTED_PSEUDONYM))

    # The protected person files a separation by pseudonym.
    message = _file_separation(protected, base, OTHER_PSEUDONYM)
    assert message == SAVED
    entries = protected.locator("#separations > li")
    expect(entries).to_have_count(1)
    expect(entries.first).to_contain_text(f"Kept apart from {OTHER_PSEUDONYM}")
    expect(entries.first.get_by_role("button", name="Withdraw")).to_have_count(1)

    # A pseudonym nobody has gets exactly the same answer.
    assert _file_separation(protected, base, NOBODY_PSEUDONYM) == message
    expect(entries).to_have_count(2)

    # The other person no longer finds the protected one.
    results = _search(other, base, PROTECTED_PSEUDONYM)
    expect(other.locator("#result-count")).to_have_text("0 people")
    expect(results).to_have_count(0)
    expect(other.locator("main")).not_to_contain_text(PROTECTED_PSEUDONYM)

    # The profile URL they had answers like a made-up one: status and body.
    made_up_url = f"{base}/profiles/{secrets.token_urlsafe(12)}"
    gone = other.request.get(profile_url)
    made_up = other.request.get(made_up_url)
    assert gone.status == made_up.status == 404
    assert gone.text() == made_up.text()
    assert PROTECTED_PSEUDONYM not in gone.text()

    gone_nav = other.goto(profile_url)
    gone_body = other.content()
    made_up_nav = other.goto(made_up_url)
    assert gone_nav.status == made_up_nav.status == 404
    assert gone_body == other.content()
    expect(other.locator("h1")).to_have_text("Not found")

    # Nothing on the other person's side mentions a separation.
    other.goto(base + "/account/safety")
    expect(other.locator("#separations > li")).to_have_text(["None."])

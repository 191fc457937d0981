"""In Chromium: safety separation. A member keeps apart from a profile they can
see; for a name, a lead files a confidential request that another
organization's lead attaches. The other person never sees any sign of it."""

from __future__ import annotations

import secrets

import pytest

from tests.e2e.conftest import tagged
from tests.e2e.helpers import PHONE, expect, search_directory, signed_in_page

pytestmark = pytest.mark.e2e

# Two approved members of Harbour Light (network/demo.py PEOPLE).
PROTECTED, PROTECTED_PSEUDONYM = "harbour.ana", "Sea Glass"
OTHER, OTHER_PSEUDONYM = "harbour.sam", "Driftwood"
NOBODY_PSEUDONYM = "Nobody By This Name"
ASKED = (
    "Your request went to your organization's leads. Only they see it. "
    "You can follow it below."
)
SAVED = (
    "Saved. From now on you and this person will not see each other here. "
    "They are not told."
)


def _flash(page) -> str:
    flashes = page.locator(".flashes")
    expect(flashes).to_have_count(1)
    return flashes.inner_text().strip()


def _keep_apart_by_lookup(page, base: str, pseudonym: str) -> str:
    """Look the name up among visible profiles and keep apart from the match."""
    page.goto(base + "/account/safety")
    page.fill("#q", pseudonym)
    with page.expect_navigation():
        page.get_by_role("button", name="Look").click()
    match = page.locator("#matches > li", has_text=pseudonym)
    with page.expect_navigation():
        match.get_by_role("button", name="Keep me apart from this person").click()
    expect(page).to_have_url(base + "/account/safety")
    return _flash(page)


def _ask_lead(page, base: str, name: str) -> str:
    page.goto(base + f"/account/safety?q={name}")
    expect(page.locator("#matches > li")).to_have_text(
        ["Nobody you can see has a pseudonym like that."]
    )
    with page.expect_navigation():
        page.get_by_role(
            "button", name="Ask my lead to file a confidential request"
        ).click()
    return _flash(page)


def test_separation_hides_the_protected_person(live_server, new_context):
    base = live_server.base_url

    protected = signed_in_page(
        new_context, base, PROTECTED, PROTECTED_PSEUDONYM, **PHONE
    )
    other = signed_in_page(new_context, base, OTHER, OTHER_PSEUDONYM, **PHONE)

    # Before: the other person finds the protected one and can open the profile.
    results = search_directory(other, base, PROTECTED_PSEUDONYM)
    expect(other.locator("#result-count")).to_have_text("1 person")
    with other.expect_navigation():
        results.first.get_by_role("link", name=tagged(PROTECTED_PSEUDONYM)).click()
    profile_url = other.url
    assert profile_url.startswith(base + "/profiles/"), profile_url
    expect(other.locator("h1")).to_have_text(tagged(PROTECTED_PSEUDONYM))

    # The protected person finds the profile among those they see, keeps apart.
    assert _keep_apart_by_lookup(protected, base, OTHER_PSEUDONYM) == SAVED
    entries = protected.locator("#separations > li")
    expect(entries).to_have_count(1)
    expect(entries.first).to_contain_text(f"Kept apart from {OTHER_PSEUDONYM}")
    expect(entries.first.get_by_role("button", name="Withdraw")).to_have_count(1)

    # A name nobody has: nothing separates; the ask goes to her own lead.
    assert _ask_lead(protected, base, NOBODY_PSEUDONYM) == ASKED
    expect(entries).to_have_count(1)
    expect(protected.locator("#requests > li")).to_contain_text(
        [f"{NOBODY_PSEUDONYM} waiting for your lead"]
    )

    # The other person no longer finds the protected one.
    results = search_directory(other, base, PROTECTED_PSEUDONYM)
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


def test_confidential_request_attached_by_another_lead(live_server, new_context):
    """Harbour's lead files for Sea Glass by name; Prairie's lead attaches it."""
    base = live_server.base_url
    protected = signed_in_page(
        new_context, base, PROTECTED, PROTECTED_PSEUDONYM, **PHONE
    )
    other = signed_in_page(new_context, base, "prairie.jo", "Kestrel", **PHONE)
    expect(search_directory(other, base, PROTECTED_PSEUDONYM)).to_have_count(1)
    expect(search_directory(protected, base, "Kestrel")).to_have_count(1)

    lead = signed_in_page(new_context, base, "harbour.lead", "Tidewater", **PHONE)
    lead.goto(base + "/org/safety")
    lead.select_option(
        "#member", value=_option(lead.locator("#member"), PROTECTED_PSEUDONYM)
    )
    lead.fill("#pseudonym", "Kestrel")
    lead.fill("#details", "Knew them in Winnipeg, 2019.")
    with lead.expect_navigation():
        lead.get_by_role("button", name="File the request").click()
    assert "Filed." in _flash(lead)
    expect(lead.locator("#requests > li").first).to_contain_text("Kestrel")
    lead.goto(base + "/org/safety/requests")
    expect(lead.locator("#open-requests")).not_to_contain_text("Kestrel")

    # Nothing changed yet for either of them.
    expect(search_directory(other, base, PROTECTED_PSEUDONYM)).to_have_count(1)

    prairie = signed_in_page(new_context, base, "prairie.lead", "Wheatfield", **PHONE)
    prairie.goto(base + "/org/safety/requests")
    card = prairie.locator("#open-requests > li", has_text="Kestrel")
    expect(card).to_contain_text("Knew them in Winnipeg")
    expect(card).to_contain_text("Your members with a pseudonym like this: Kestrel")
    expect(prairie.locator("main")).not_to_contain_text(PROTECTED_PSEUDONYM)
    expect(prairie.locator("main")).not_to_contain_text("Harbour")
    card.locator("select").select_option(
        value=_option(card.locator("select"), "Kestrel")
    )
    with prairie.expect_navigation():
        card.get_by_role("button", name="Attach to this member").click()
    assert "Attached." in _flash(prairie)
    expect(prairie.locator("#open-requests")).not_to_contain_text("Kestrel")

    # Now the two no longer see each other; the protected side sees the status.
    expect(search_directory(other, base, PROTECTED_PSEUDONYM)).to_have_count(0)
    expect(search_directory(protected, base, "Kestrel")).to_have_count(0)
    protected.goto(base + "/account/safety")
    status = protected.locator("#requests > li", has_text="Kestrel")
    expect(status).to_contain_text("attached")
    expect(status).not_to_contain_text("Prairie")
    other.goto(base + "/account/safety")
    expect(other.locator("main")).not_to_contain_text(PROTECTED_PSEUDONYM)


def _option(select, pseudonym: str) -> str:
    """The value of the option naming this person (labels carry the tag)."""
    option = select.locator("option").filter(has_text=tagged(pseudonym))
    return option.first.get_attribute("value")

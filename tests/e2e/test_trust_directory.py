"""In Chromium: trust between two organizations decides who appears in the
directory, and lowering it makes a profile indistinguishable from a missing one."""

from __future__ import annotations

import secrets

import pytest

from tests.e2e.conftest import tagged
from tests.e2e.helpers import expect, search_directory, signed_in_page

pytestmark = pytest.mark.e2e

# Two demo organizations with no trust in either direction (network/demo.py TRUST
# has no (1, 2) pair), checked again on the trust page before anything changes.
ORG_A = "Fleuve Solidaire"
LEAD_A = "fleuve.lead"
MEMBER_A, MEMBER_A_PSEUDONYM = "fleuve.marie", "Luciole"
ORG_B = "Prairie Bridges Survivor Network"
LEAD_B = "prairie.lead"
MEMBER_B_PSEUDONYM = "Kestrel"


def _trust_card(page, org_name: str):
    return page.locator("ul.trust-list > li").filter(
        has=page.get_by_role("heading", name=org_name, exact=True)
    )


def _effective(page, org_name: str) -> str:
    card = _trust_card(page, org_name)
    return card.locator("dt:text-is('Effective') + dd").inner_text().strip()


def _set_trust(page, base: str, org_name: str, level: str) -> None:
    """As a lead: choose `level` in org_name's card and save."""
    page.goto(base + "/org/trust")
    card = _trust_card(page, org_name)
    expect(card).to_have_count(1)
    card.locator("select[name=level]").select_option(level)
    with page.expect_navigation():
        card.get_by_role("button", name="Save").click()
    expect(page).to_have_url(base + "/org/trust")
    expect(page.locator(".flashes")).to_have_text(
        f"Trust toward {org_name} is now “{level}”."
    )
    expect(_trust_card(page, org_name).locator("select[name=level]")).to_have_value(
        level
    )


def test_trust_opens_and_closes_the_directory(live_server, new_context):
    base = live_server.base_url

    lead_a = signed_in_page(new_context, base, LEAD_A)
    lead_b = signed_in_page(new_context, base, LEAD_B)
    member = signed_in_page(new_context, base, MEMBER_A)
    expect(member.locator("h1")).to_have_text(f"Hello, {MEMBER_A_PSEUDONYM}")

    # The pair starts at "none" both ways (each lead's view of the other).
    lead_a.goto(base + "/org/trust")
    card = _trust_card(lead_a, ORG_B)
    expect(card.locator("select[name=level]")).to_have_value("none")
    expect(card.locator("dt:text-is('They give you') + dd")).to_have_text("none")
    assert _effective(lead_a, ORG_B) == "none"

    # (a) The member of A does not find B's member.
    results = search_directory(member, base, MEMBER_B_PSEUDONYM)
    expect(member.locator("#result-count")).to_have_text("0 people")
    expect(results.filter(has_text=MEMBER_B_PSEUDONYM)).to_have_count(0)

    # (b) Both leads give "see"; one side alone is not enough.
    _set_trust(lead_a, base, ORG_B, "see")
    assert _effective(lead_a, ORG_B) == "none"
    search_directory(member, base, MEMBER_B_PSEUDONYM)
    expect(member.locator("#result-count")).to_have_text("0 people")

    _set_trust(lead_b, base, ORG_A, "see")
    assert _effective(lead_b, ORG_A) == "see"

    # (c) Now the member finds B's member, with B's organization named.
    results = search_directory(member, base, MEMBER_B_PSEUDONYM)
    expect(member.locator("#result-count")).to_have_text("1 person")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text(ORG_B)
    link = results.first.get_by_role("link", name=tagged(MEMBER_B_PSEUDONYM))
    with member.expect_navigation():
        link.click()
    profile_url = member.url
    assert profile_url.startswith(base + "/profiles/"), profile_url
    expect(member.locator("h1")).to_have_text(tagged(MEMBER_B_PSEUDONYM))
    expect(member.locator("main")).to_contain_text(ORG_B)
    seen = member.request.get(profile_url)
    assert seen.status == 200

    # (d) Lead B lowers trust to "none".
    _set_trust(lead_b, base, ORG_A, "none")
    assert _effective(lead_b, ORG_A) == "none"

    # (e) The member reloads the directory: B's member is gone.
    results = search_directory(member, base, MEMBER_B_PSEUDONYM)
    search_url = member.url
    response = member.reload()
    assert response is not None and response.status == 200
    assert member.url == search_url
    expect(member.locator("#result-count")).to_have_text("0 people")
    expect(results).to_have_count(0)
    expect(member.locator("main")).not_to_contain_text(MEMBER_B_PSEUDONYM)
    expect(member.locator("main")).not_to_contain_text(ORG_B)

    # The profile URL they had answers exactly like a made-up one.
    made_up_url = f"{base}/profiles/{secrets.token_urlsafe(12)}"
    gone = member.request.get(profile_url)
    made_up = member.request.get(made_up_url)
    assert gone.status == made_up.status == 404
    assert gone.text() == made_up.text()
    assert MEMBER_B_PSEUDONYM not in gone.text()

    # And the same in the tab itself, by navigation.
    gone_nav = member.goto(profile_url)
    gone_body = member.content()
    made_up_nav = member.goto(made_up_url)
    assert gone_nav.status == made_up_nav.status == 404
    assert gone_body == member.content()
    expect(member.locator("h1")).to_have_text("Not found")

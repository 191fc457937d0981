"""In Chromium at phone size: a member deletes their account from the account
page, is signed out, and another member's room shows their old message as from
"former member", its text removed (the rooms' default)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import DEMO_PASSWORD, browser_login
from tests.e2e.helpers import PHONE, expect, signed_in_page
from tests.e2e.test_rooms_browser import COMMONS, SAM, SAM_PSEUDONYM, _enter_room

pytestmark = pytest.mark.e2e

ANA, ANA_PSEUDONYM = "harbour.ana", "Sea Glass"
WORDS = "words that leave with their author"


def test_a_member_deletes_their_account_and_becomes_former_member(
    live_server, new_context
):
    base = live_server.base_url
    ana = signed_in_page(new_context, base, ANA, ANA_PSEUDONYM, **PHONE)
    _enter_room(ana, base, COMMONS, ANA_PSEUDONYM)
    ana.fill("#body", WORDS)
    ana.press("#body", "Enter")
    expect(ana.locator("#messages li.message").filter(has_text=WORDS)).to_have_count(1)
    statement = ana.locator("#retention-statement")
    expect(statement).to_contain_text("Messages are kept")
    expect(statement).to_contain_text("the text of their messages here is removed")
    ana.screenshot(path="/tmp/erase-room-390.png", full_page=False)

    ana.goto(base + "/account")
    with ana.expect_navigation():
        ana.get_by_role("link", name="Delete your account").click()
    expect(ana.locator("h1")).to_have_text("Delete your account")
    ana.screenshot(path="/tmp/erase-delete-390.png", full_page=True)
    ana.fill("#password", "not the password")
    with ana.expect_navigation():
        ana.get_by_role("button", name="Delete my account").click()
    expect(ana.get_by_text("That is not your password.").first).to_be_visible()
    ana.fill("#password", DEMO_PASSWORD)
    with ana.expect_navigation():
        ana.get_by_role("button", name="Delete my account").click()
    expect(ana.get_by_text("Your account is deleted.")).to_be_visible()
    ana.goto(base + "/rooms")
    expect(ana).to_have_url(f"{base}/login")  # signed out

    sam = signed_in_page(new_context, base, SAM, SAM_PSEUDONYM, **PHONE)
    _enter_room(sam, base, COMMONS, SAM_PSEUDONYM)
    old = sam.locator("#messages li.message").filter(has_text="former member")
    expect(old).to_have_count(1)
    expect(old).to_contain_text("Message deleted.")
    expect(sam.locator("#messages")).not_to_contain_text(WORDS)
    expect(sam.locator("#messages")).not_to_contain_text(ANA_PSEUDONYM)
    sam.screenshot(path="/tmp/erase-former-390.png", full_page=False)


def test_room_list_and_form_state_retention_at_phone_size(live_server, new_context):
    base = live_server.base_url
    lead = signed_in_page(new_context, base, "harbour.lead", "Tidewater", **PHONE)
    lead.goto(base + "/rooms")
    expect(lead.locator(".room-retention").first).to_contain_text("Messages kept")
    lead.screenshot(path="/tmp/erase-rooms-390.png", full_page=True)
    with lead.expect_navigation():
        lead.get_by_role("link", name=COMMONS, exact=True).click()
    with lead.expect_navigation():
        lead.get_by_role("link", name="Room settings").click()
    expect(lead.get_by_text("When someone deletes their account")).to_be_visible()
    expect(lead.get_by_text("(the network’s limits)")).to_be_visible()
    lead.screenshot(path="/tmp/erase-edit-390.png", full_page=True)


def test_the_admin_sets_retention_limits_at_phone_size(live_server, new_context):
    base = live_server.base_url
    admin = new_context(**PHONE).new_page()
    browser_login(admin, base, "admin")
    expect(admin.locator("h1")).to_have_text("Organizations")
    with admin.expect_navigation():
        admin.get_by_role("link", name="Message retention limits").click()
    admin.fill("#min_days", "30")
    admin.fill("#max_days", "10")
    with admin.expect_navigation():
        admin.get_by_role("button", name="Save limits").click()
    expect(admin.get_by_text("the fewest no more than the most")).to_be_visible()
    admin.screenshot(path="/tmp/erase-admin-390.png", full_page=True)

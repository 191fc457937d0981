"""Two-factor login in Chromium at 390x844: enrol by typing the manual key,
confirm, sign out, sign in with the password and a code made here with pyotp,
then with a recovery code; finally turn it off again (the demo as it was).

Screenshots of the enrolment page, the recovery codes and the code step go to
TWO_FACTOR_SHOTS (a folder) when it is set, for a person to look at."""

from __future__ import annotations

import os
import time

import pyotp
import pytest

from tests.e2e.conftest import browser_login
from tests.e2e.helpers import PHONE, expect
from tests.e2e.test_accessibility import _violations

pytestmark = pytest.mark.e2e

ANA = "harbour.ana"
WRONG = "That code does not match, or it has expired."


def _shot(page, name: str) -> None:
    """Check the page with axe, and save a screenshot when asked to."""
    assert _violations(page) == [], name
    folder = os.environ.get("TWO_FACTOR_SHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def _sign_out(page, base: str) -> None:
    page.goto(base + "/logout")
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Sign in")


def _code(totp: pyotp.TOTP, offset: int) -> str:
    return totp.generate_otp(totp.timecode(time.time()) + offset)


def _submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()


def test_enrol_sign_in_with_a_code_then_a_recovery_code(live_server, new_context):
    base = live_server.base_url
    page = new_context(**PHONE).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    browser_login(page, base, ANA)

    page.goto(base + "/account")
    with page.expect_navigation():
        page.get_by_role("link", name="Two-factor login").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Set up two-factor login").click()
    expect(page.locator(".qr svg")).to_be_visible()
    code_input = page.locator("#code")
    expect(code_input).to_have_attribute("inputmode", "numeric")
    expect(code_input).to_have_attribute("autocomplete", "one-time-code")
    _shot(page, "enrol")
    key = page.locator("#totp-key").inner_text()
    totp = pyotp.TOTP(key.replace(" ", ""))

    # The step before now is in the window; leaves now and the next for sign-in.
    code_input.fill(_code(totp, -1))
    _submit(page, "main form button[type=submit]")
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    _shot(page, "recovery-codes")
    with page.expect_navigation():
        page.get_by_role("link", name="I saved them: continue").click()
    expect(page.locator("h1")).to_contain_text("Hello, ")

    _sign_out(page, base)
    browser_login(page, base, ANA)
    expect(page.locator("h1")).to_have_text("Enter your code")
    expect(page.locator("#code")).to_have_attribute("autocomplete", "one-time-code")
    _shot(page, "code-step")
    page.fill("#code", "000000")
    _submit(page, "main form button[type=submit] >> nth=0")
    expect(page.locator("#code-error")).to_have_text(WRONG)
    page.fill("#code", _code(totp, 0))
    _submit(page, "main form button[type=submit] >> nth=0")
    expect(page.locator("h1")).to_contain_text("Hello, ")

    _sign_out(page, base)
    browser_login(page, base, ANA)
    page.get_by_text("Use a recovery code", exact=True).click()
    page.get_by_text("Lost your phone and your codes?", exact=True).click()
    _shot(page, "code-step-open")
    page.fill("#recovery_code", codes[0])
    _submit(page, "text=Sign in with a recovery code")
    expect(page.locator("h1")).to_contain_text("Hello, ")

    # Clean up: turn it off with another recovery code.
    page.goto(base + "/account/two-factor")
    expect(page.locator("main")).to_contain_text("Recovery codes left: 9 of 10.")
    _shot(page, "settings")
    page.fill("#code", codes[1])
    _submit(page, "text=Turn two-factor login off")
    expect(page.locator("main")).to_contain_text("Two-factor login is off.")
    assert errors == []

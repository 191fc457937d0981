"""Browser helpers shared by the end-to-end tests (fixtures are in conftest.py)."""

from __future__ import annotations

from tests.e2e.conftest import browser_login

PHONE = {"viewport": {"width": 390, "height": 844}}


def expect(actual, *args, **kwargs):
    """Playwright's expect(), imported on use: without Playwright installed the
    browser fixture skips (or fails under REQUIRE_BROWSER=1) instead of the
    module failing to import."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(actual, *args, **kwargs)


def signed_in_page(new_context, base: str, login_name: str, pseudonym=None, **options):
    """A page in a new browser context (options: viewport, ...), signed in and
    showing the home page's greeting ("Hello, <pseudonym>" exactly, if given)."""
    page = new_context(**options).new_page()
    browser_login(page, base, login_name)
    if pseudonym is None:
        expect(page.locator("h1")).to_contain_text("Hello, ")
    else:
        expect(page.locator("h1")).to_have_text(f"Hello, {pseudonym}")
    return page


def search_directory(page, base: str, query: str):
    """Search the directory by pseudonym through its form; returns the results."""
    page.goto(base + "/directory")
    page.fill("#q", query)
    with page.expect_navigation():
        page.get_by_role("button", name="Search").click()
    return page.locator("ul.directory > li")

"""In Chromium: the devices page. Two browsers signed in as the same person;
the first signs the second out from the list: the second's socket is closed by
the server (the first's still answers: the marker), and its next navigation
lands on sign-in. Then the first downloads its data with its password."""

from __future__ import annotations

import threading
import zipfile

import pytest

from tests.e2e.conftest import connect_socket
from tests.e2e.helpers import PHONE, expect, signed_in_page

pytestmark = pytest.mark.e2e

SAM = "harbour.sam"
COMMONS = "Harbour commons"  # a Harbour Light room Sam belongs to (network/demo.py)
CHROME_MAC = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
)
FIREFOX_PHONE = "Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0"


def _session_cookie(page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == "pn_session")


def _watch(base: str, page, sockets: list):
    """A socket on the page's server-side session; an Event set when it closes."""
    closed = threading.Event()
    client = connect_socket(
        base, cookie=f"pn_session={_session_cookie(page)}", origin=base
    )
    client.on("disconnect", lambda *args: closed.set())
    sockets.append(client)
    return client, closed


def test_sign_out_the_other_device_from_the_list(
    live_server, new_context, sockets, tmp_path
):
    base = live_server.base_url
    laptop = signed_in_page(new_context, base, SAM, user_agent=CHROME_MAC)
    phone = signed_in_page(
        new_context, base, SAM, user_agent=FIREFOX_PHONE, accept_downloads=True, **PHONE
    )

    # The phone's own view of the page, at phone size.
    phone.goto(base + "/account/devices")
    expect(phone.locator("li.device.current")).to_contain_text("Phone · Firefox")
    phone.screenshot(path=str(tmp_path / "devices-phone.png"), full_page=True)

    # The phone sits in a room with its socket live.
    phone.goto(base + "/rooms")
    with phone.expect_navigation():
        phone.get_by_role("link", name=COMMONS, exact=True).click()
    expect(phone.locator("#presence li")).not_to_have_count(0)
    phone_watch, phone_closed = _watch(base, phone, sockets)
    laptop_watch, laptop_closed = _watch(base, laptop, sockets)

    laptop.goto(base + "/account/devices")
    current = laptop.locator("li.device.current")
    expect(current).to_contain_text("Computer · Chrome")
    expect(current).to_contain_text("This device")
    expect(current.get_by_role("button", name="Sign out")).to_have_count(0)
    other = laptop.locator("li.device").filter(has_text="Phone · Firefox")
    expect(other).to_contain_text("active now")
    with laptop.expect_navigation():
        other.get_by_role("button", name="Sign out").click()
    expect(laptop.locator(".flashes")).to_contain_text("That device is signed out.")
    expect(laptop.locator("li.device")).to_have_count(1)

    assert phone_closed.wait(10), "the signed-out session's socket stayed open"
    # The marker: the kept session's socket answers after the revocation.
    assert laptop_watch.call("session:check", {}, timeout=5)["ok"] is True
    assert not laptop_closed.is_set()
    # The phone's page lost its socket and cannot get it back.
    expect(phone.locator("#connection")).to_have_text("Reconnecting…")
    phone.goto(base + "/rooms")
    assert phone.url.endswith("/login")

    # Clean up: the laptop signs out the ordinary way.
    laptop.goto(base + "/logout")
    with laptop.expect_navigation():
        laptop.get_by_role("button", name="Sign out now").click()
    assert laptop.url.endswith("/login")


def test_download_your_data_with_the_password(live_server, new_context, tmp_path):
    base = live_server.base_url
    page = signed_in_page(new_context, base, SAM, accept_downloads=True, **PHONE)
    page.goto(base + "/account/devices")
    page.fill("#password", "not the password")
    with page.expect_navigation():
        page.get_by_role("button", name="Download your data").click()
    expect(page.locator("#password-error, .error").first).to_contain_text(
        "That password or code did not work."
    )
    page.locator("#export-title").scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "export-phone.png"), full_page=True)

    page.fill("#password", "peer-demo-2026")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download your data").click()
    download = download_info.value
    assert download.suggested_filename.startswith("peer-network-export-")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    with zipfile.ZipFile(path) as archive:
        assert "messages.json" in archive.namelist()
        assert SAM in archive.read("profile.json").decode()

"""Devices across processes: two real servers share PostgreSQL and a Redis
message queue (the `live_servers` fixture). Signing a device out on one process
closes that session's socket held by the other; the session kept stays."""

from __future__ import annotations

import re
import time

import pytest

from tests.e2e.conftest import connect_socket, cookie_header, csrf_from, http_login

pytestmark = [pytest.mark.e2e, pytest.mark.services]

MEMBER = "harbour.sam"
DEVICE_RE = re.compile(r'<li class="device( current)?" data-device="([^"]+)"')


def _closed(client, limit: float = 5.0) -> bool:
    """Wait (at most `limit` seconds) for the server to close the socket."""
    deadline = time.monotonic() + limit
    while client.connected and time.monotonic() < deadline:
        time.sleep(0.01)
    return not client.connected


def test_signing_out_a_device_closes_its_socket_on_another_process(
    live_servers, sockets
):
    p1, p2 = (server.base_url for server in live_servers)
    gone = http_login(p1, MEMBER)  # the device to sign out, its socket on P1
    kept = http_login(p2, MEMBER)  # the device that signs it out, on P2
    gone_socket = connect_socket(p1, cookie=cookie_header(gone), origin=p1)
    kept_socket = connect_socket(p2, cookie=cookie_header(kept), origin=p2)
    sockets.extend([gone_socket, kept_socket])
    assert gone_socket.call("session:check", {}, timeout=5)["ok"] is True

    page = kept.get(p2 + "/account/devices", timeout=10).text
    others = [
        public_id for current, public_id in DEVICE_RE.findall(page) if not current
    ]
    assert len(others) >= 1
    token = csrf_from(kept, p2 + "/account/devices")
    for public_id in others:
        answer = kept.post(
            f"{p2}/account/devices/{public_id}/sign-out",
            data={"csrf_token": token},
            allow_redirects=False,
            timeout=10,
        )
        assert answer.status_code == 302, answer.text

    assert _closed(gone_socket), "P1 kept the signed-out session's socket open"
    # The marker: the kept session's socket, on P2, still answers afterwards.
    assert kept_socket.call("session:check", {}, timeout=5)["ok"] is True
    assert kept_socket.connected
    landed = gone.get(p1 + "/account/devices", allow_redirects=False, timeout=10)
    assert landed.status_code == 302 and landed.headers["Location"].endswith("/login")

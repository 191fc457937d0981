"""The real server's logs after a journey: no bodies, bios, notes, emails or client
addresses, including the gevent server's own error lines."""

from __future__ import annotations

import re
import socket
import uuid
from urllib.parse import urlsplit

import pytest
import requests
from requests.adapters import HTTPAdapter

from tests.e2e.conftest import (
    CSRF_RE,
    DEMO_PASSWORD,
    close_sockets,
    connect_socket,
    cookie_header,
    room_ids,
)
from tests.e2e.faults import wait_until

pytestmark = pytest.mark.e2e

CLIENT_ADDRESS = "127.0.0.42"
SECRETS = {
    "body": "body-sweep-7Q2XK",
    "bio": "bio-sweep-4M8RT",
    "note": "note-sweep-9V3LD",
    "email": "sweep-6H1PZ@example.org",
}
# A client's (host, port) as servers print it, and any client address in it.
ADDRESS_TUPLE = re.compile(r"\(\s*'[^']*',\s*\d+")


class _FromAddress(HTTPAdapter):
    """Every connection of this session leaves from CLIENT_ADDRESS."""

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (CLIENT_ADDRESS, 0)
        super().init_poolmanager(*args, **kwargs)


def _session() -> requests.Session:
    session = requests.Session()
    session.mount("http://", _FromAddress())
    return session


def _post(session, base: str, path: str, data: dict) -> requests.Response:
    page = session.get(base + path, timeout=10)
    token = CSRF_RE.search(page.text).group(1)
    return session.post(
        base + path,
        data={"csrf_token": token, **data},
        allow_redirects=False,
        timeout=10,
    )


def _raw(base: str, payload: bytes) -> None:
    """Send raw bytes from CLIENT_ADDRESS, then end our side and read until the
    server closes: by then it has handled (and logged) all it will."""
    host, port = urlsplit(base).hostname, urlsplit(base).port
    with socket.create_connection(
        (host, port), timeout=10, source_address=(CLIENT_ADDRESS, 0)
    ) as conn:
        conn.sendall(payload)
        conn.shutdown(socket.SHUT_WR)
        while conn.recv(4096):
            pass


def _wait_for_marker(base: str, server) -> None:
    """The positive control: a request the gevent server certainly logs (an
    HTTP version it refuses), sent from CLIENT_ADDRESS after the others; once
    its line is in the log, whatever they made the server log is there too."""
    marker = f"/sweep-marker-{uuid.uuid4().hex}"
    _raw(base, f"GET {marker} HTTP/9.9\r\n\r\n".encode())
    wait_until(lambda: marker in server.logs(), 10, "the marker's line in the log")


def _journey(base: str) -> None:
    session = _session()
    response = _post(
        session,
        base,
        "/login",
        {"login_name": "harbour.sam", "password": DEMO_PASSWORD},
    )
    assert response.status_code == 302
    settings = session.get(base + "/account", timeout=10).text
    pseudonym = re.search(r'name="pseudonym"[^>]*value="([^"]+)"', settings).group(1)
    for bio in (SECRETS["bio"], SECRETS["bio"] + "\x00"):
        response = _post(
            session,
            base,
            "/account",
            {"pseudonym": pseudonym, "bio": bio, "email": SECRETS["email"]},
        )
        assert response.status_code in {302, 400}, response.status_code
    directory = session.get(base + "/directory", timeout=10).text
    profile = re.search(r'href="/profiles/([A-Za-z0-9_-]+)"', directory).group(1)
    url = f"/reports/new?profile={profile}"
    for note in (SECRETS["note"], SECRETS["note"] + "\x00"):
        response = _post(session, base, url, {"category": "spam", "note": note})
        assert response.status_code in {302, 400}, response.status_code
    rooms = room_ids(session, base)
    room = next(iter(rooms.values()))
    sock = connect_socket(base, cookie=cookie_header(session), origin=base)
    try:
        assert sock.call("room:join", {"room_id": room}, timeout=5)["ok"]
        for payload in (
            {"room_id": room, "body": SECRETS["body"], "client_msg_id": "sweep-0001"},
            {"room_id": room, "body": SECRETS["body"] + "\x00", "client_msg_id": "x"},
            {"room_id": room + "\x00", "after_id": 2**70},
        ):
            ack = sock.call("message:send", payload, timeout=5)
            assert ack is not None
    finally:
        close_sockets([sock])
    for path in ("/rooms/%00", f"/rooms/{room}?before={2**70}", "/library?page=9e99"):
        session.get(base + path, timeout=10)


def test_logs_of_a_journey_hold_no_personal_data(live_server):
    base = live_server.base_url
    _journey(base)
    _raw(base, b"BOGUS\x01 / HTTP/1.1\r\n\r\n")
    _raw(base, b"GET /\x00 HTTP/1.1\r\nHost: x\r\n\r\n")
    _raw(base, b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03")  # a TLS hello
    _wait_for_marker(base, live_server)
    logs = live_server.logs()
    for name, secret in SECRETS.items():
        assert secret not in logs, f"the {name} reached the server log:\n{logs}"
    assert CLIENT_ADDRESS not in logs, logs
    assert not ADDRESS_TUPLE.search(logs), logs

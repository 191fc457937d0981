"""The socket gate on the real gevent server, with python-socketio as the client."""

from __future__ import annotations

import time

import pytest
import requests
import socketio

from tests.e2e.conftest import (
    connect_socket,
    cookie_header,
    csrf_from,
    http_login,
)

pytestmark = pytest.mark.e2e

EVIL_ORIGIN = "http://evil.example"


def _connect(base_url, made, **kwargs) -> socketio.Client:
    client = connect_socket(base_url, **kwargs)
    made.append(client)
    return client


def test_approved_member_connects_and_checks_session(live_server, sockets):
    base = live_server.base_url
    session = http_login(base, "harbour.sam")
    client = _connect(base, sockets, cookie=cookie_header(session), origin=base)
    assert client.connected
    answer = client.call("session:check", {}, timeout=5)
    assert answer["ok"] is True, answer
    assert answer.get("pseudonym") == "Driftwood"


def test_no_cookie_is_refused(live_server, sockets):
    base = live_server.base_url
    with pytest.raises(socketio.exceptions.ConnectionError):
        _connect(base, sockets, cookie=None, origin=base)


def test_foreign_origin_is_refused(live_server, sockets):
    base = live_server.base_url
    session = http_login(base, "harbour.ana")
    with pytest.raises(socketio.exceptions.ConnectionError):
        _connect(base, sockets, cookie=cookie_header(session), origin=EVIL_ORIGIN)
    # The same cookie from the right origin is fine: the origin was the reason.
    client = _connect(base, sockets, cookie=cookie_header(session), origin=base)
    assert client.call("session:check", {}, timeout=5)["ok"] is True


def test_pending_account_is_refused(live_server, sockets):
    base = live_server.base_url
    session = http_login(base, "harbour.new")
    assert session.get(base + "/", timeout=10).url == base + "/waiting"
    with pytest.raises(socketio.exceptions.ConnectionError):
        _connect(base, sockets, cookie=cookie_header(session), origin=base)


def test_logout_disconnects_socket_and_kills_cookie(live_server, sockets):
    base = live_server.base_url
    session = http_login(base, "harbour.mod")
    old_cookie = cookie_header(session)
    client = _connect(base, sockets, cookie=old_cookie, origin=base)
    assert client.call("session:check", {}, timeout=5)["ok"] is True

    token = csrf_from(session, base + "/logout")
    response = session.post(
        base + "/logout", data={"csrf_token": token}, allow_redirects=False, timeout=10
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")

    deadline = time.monotonic() + 2.0
    while client.connected and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not client.connected, "the server kept the socket open after logout"

    replay = requests.get(base + "/", headers={"Cookie": old_cookie}, timeout=10)
    assert replay.status_code == 200
    assert "Hello," not in replay.text
    assert "Lantern" not in replay.text
    assert "<h1>Welcome</h1>" in replay.text  # the signed-out landing page
    assert 'href="/login"' in replay.text

    with pytest.raises(socketio.exceptions.ConnectionError):
        _connect(base, sockets, cookie=old_cookie, origin=base)


def _handshake(base_url: str, cookie: str) -> str:
    """A browser's websocket handshake, offering permessage-deflate as every
    browser does; returns the response head."""
    import base64
    import os
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(base_url)
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
        f"Host: {parts.netloc}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
        "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
        f"Origin: {base_url}\r\nCookie: {cookie}\r\n\r\n"
    )
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as conn:
        conn.sendall(request.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = conn.recv(4096)
            if not chunk:
                break
            head += chunk
    return head.split(b"\r\n\r\n")[0].decode("latin-1")


def test_sockets_decline_compression(live_server):
    """Frames are small and each was compressed once per receiving socket: the
    server declines permessage-deflate even when the browser offers it."""
    cookie = cookie_header(http_login(live_server.base_url, "harbour.sam"))
    head = _handshake(live_server.base_url, cookie)
    assert head.startswith("HTTP/1.1 101"), head
    assert "sec-websocket-extensions" not in head.lower(), head

"""The same server under NETWORK_ASYNC=eventlet: health, login, an authenticated socket."""

from __future__ import annotations

import pytest
import socketio

from tests.e2e.conftest import connect_socket, cookie_header, http_login

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.parametrize("live_server", ["eventlet"], indirect=True),
]


def test_eventlet_server_serves_http_and_sockets(live_server):
    import requests

    base = live_server.base_url
    assert live_server.async_mode == "eventlet"

    health = requests.get(base + "/healthz", timeout=10)
    assert health.status_code == 200
    assert health.json() == {"ok": True, "database": "ok", "queue": "none"}

    session = http_login(base, "harbour.lead")
    home = session.get(base + "/", timeout=10)
    assert home.status_code == 200
    assert "Hello, Tidewater" in home.text

    client = connect_socket(base, cookie=cookie_header(session), origin=base)
    try:
        assert client.connected
        answer = client.call("session:check", {}, timeout=5)
        assert answer["ok"] is True, answer
        assert answer.get("pseudonym") == "Tidewater"
    finally:
        client.disconnect()

    with pytest.raises(socketio.exceptions.ConnectionError):
        connect_socket(base, cookie=None, origin=base).disconnect()

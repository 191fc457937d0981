"""Engine.IO sessions a client that never signed in can open or hold (issue 13).

Handshakes without a valid sign-in are limited per client address; a polling POST
that Engine.IO refuses is answered, and its session closed, without waiting for
a poll that never comes (the request used to block for ever)."""

from __future__ import annotations

import json
import threading

import pytest

from network import create_app
from network.extensions import db, socketio
from network.realtime import MAX_SOCKET_PAYLOAD
from tests import factories
from tests.conftest import IsolatedClient, login

HANDSHAKE = "/socket.io/?EIO=4&transport=polling"


@pytest.fixture
def limited_app():
    app = create_app(
        "test", RATELIMIT_ENABLED=True, SOCKET_HANDSHAKE_LIMIT="3 per minute"
    )
    app.test_client_class = IsolatedClient
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()


def _client(app, address: str = "198.51.100.7"):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _sessions() -> int:
    return len(socketio.server.eio.sockets)


def _sid(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_data(as_text=True)
    assert body.startswith("0"), body
    return json.loads(body[1:])["sid"]


def _answered(request) -> object:
    """request()'s answer; fails (rather than hangs) if it never comes."""
    answers = []
    worker = threading.Thread(target=lambda: answers.append(request()), daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert answers, "the request got no answer"
    return answers[0]


def test_anonymous_handshakes_are_limited_per_address(limited_app):
    stranger = _client(limited_app)
    for _ in range(3):
        _sid(stranger.get(HANDSHAKE))
    before = _sessions()
    assert stranger.get(HANDSHAKE).status_code == 401
    assert _sessions() == before  # the refused session was not kept
    # Another address has its own allowance.
    _sid(_client(limited_app, "203.0.113.9").get(HANDSHAKE))


def test_signed_in_handshakes_are_not_limited_by_strangers(limited_app):
    member = factories.make_member(factories.make_org())
    db.session.commit()
    stranger = _client(limited_app)
    for _ in range(3):
        _sid(stranger.get(HANDSHAKE))
    assert stranger.get(HANDSHAKE).status_code == 401
    signed_in = _client(limited_app)  # same address
    login(signed_in, member)
    for _ in range(5):
        _sid(signed_in.get(HANDSHAKE))


@pytest.mark.parametrize(
    "body",
    [b"4" + b"x" * MAX_SOCKET_PAYLOAD, b"2"],
    ids=["oversized", "ping-from-client"],
)
def test_refused_polling_post_is_answered_and_ends_the_session(client, body):
    sid = _sid(client.get(HANDSHAKE))
    response = _answered(lambda: client.post(f"{HANDSHAKE}&sid={sid}", data=body))
    assert response.status_code == 400
    assert sid not in socketio.server.eio.sockets
    assert client.get(f"{HANDSHAKE}&sid={sid}").status_code == 400

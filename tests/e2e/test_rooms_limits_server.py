"""Message limits on the real gevent server, with python-socketio as the client
and the server's own SQLite file as the witness of what was stored.

* A frame over max_http_buffer_size (16 KB, network/realtime.py) is not parsed:
  python-engineio raises "packet is too large" and closes the websocket, so the
  client is disconnected and its send never gets an ack. Nothing is stored.
* A body of 4,001 characters gets {"ok": false, "error": "too_long"}; 4,000 pass.
* With the default limit (MESSAGE_BURST=10, MESSAGE_RATE=1 a second), 15 sends
  in a row get some {"error": "rate_limited"}; exactly the acknowledged ones are
  stored.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid

import pytest

from tests.e2e.conftest import (
    connect_socket,
    cookie_header,
    http_login,
    room_ids,
)

pytestmark = pytest.mark.e2e

ROOM = "Harbour commons"
MAX_MESSAGE_LENGTH = 4000  # network/models/rooms.py


def _member(base: str, login_name: str, made: list):
    session = http_login(base, login_name)
    room = room_ids(session, base)[ROOM]
    client = connect_socket(base, cookie=cookie_header(session), origin=base)
    made.append(client)
    return client, room


def _send(client, room: str, body: str, client_msg_id: str | None = None) -> dict:
    return client.call(
        "message:send",
        {"room_id": room, "body": body, "client_msg_id": client_msg_id or _new_id()},
        timeout=10,
    )


def _new_id() -> str:
    return uuid.uuid4().hex


def _stored(server, login_name: str) -> dict[str, tuple[str, int]]:
    """client_msg_id -> (public id, body length) of one member's messages, from the
    server's database file."""
    with sqlite3.connect(f"file:{server.database}?mode=ro", uri=True) as db:
        rows = db.execute(
            "SELECT m.client_msg_id, m.public_id, length(m.body) FROM messages m "
            "JOIN accounts a ON a.id = m.author_id WHERE a.login_name = ?",
            (login_name,),
        ).fetchall()
    return {client_msg_id: (id_, length) for client_msg_id, id_, length in rows}


def test_oversized_frame_disconnects_and_stores_nothing(live_server, sockets):
    base = live_server.base_url
    client, room = _member(base, "harbour.sam", sockets)
    assert client.call("session:check", {}, timeout=5)["ok"] is True

    answered = threading.Event()
    client_msg_id = _new_id()
    client.emit(
        "message:send",
        {"room_id": room, "body": "x" * (20 * 1024), "client_msg_id": client_msg_id},
        callback=lambda *ack: answered.set(),
    )
    deadline = time.monotonic() + 5
    while client.connected and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not client.connected, "the server kept a socket that sent a 20 KB frame"
    assert not answered.is_set(), "an oversized frame must not be acknowledged"
    assert client_msg_id not in _stored(live_server, "harbour.sam")

    # The server is fine, and the same member reconnects and sends normally.
    again, room = _member(base, "harbour.sam", sockets)
    ack = _send(again, room, "Back after an oversized frame")
    assert ack["ok"] is True, ack
    assert _stored(live_server, "harbour.sam")


def test_length_limit(live_server, sockets):
    base = live_server.base_url
    client, room = _member(base, "harbour.lead", sockets)
    too_long, longest = _new_id(), _new_id()

    assert _send(client, room, "y" * (MAX_MESSAGE_LENGTH + 1), too_long) == {
        "ok": False,
        "error": "too_long",
    }
    ack = _send(client, room, "z" * MAX_MESSAGE_LENGTH, longest)
    assert ack["ok"] is True, ack

    stored = _stored(live_server, "harbour.lead")
    assert too_long not in stored
    assert stored[longest] == (ack["id"], MAX_MESSAGE_LENGTH)


def test_rate_limit_stores_exactly_the_acknowledged(live_server, sockets):
    base = live_server.base_url
    client, room = _member(base, "harbour.ana", sockets)
    before = _stored(live_server, "harbour.ana")

    answers = {}
    started = time.monotonic()
    for _ in range(15):
        client_msg_id = _new_id()
        answers[client_msg_id] = _send(client, room, "fast message", client_msg_id)
    took = time.monotonic() - started

    acked = {cid: ack["id"] for cid, ack in answers.items() if ack.get("ok")}
    refused = [ack for ack in answers.values() if not ack.get("ok")]
    assert all(ack == {"ok": False, "error": "rate_limited"} for ack in refused), (
        refused
    )
    # A burst of 10, plus at most one token a second refilled meanwhile.
    assert 10 <= len(acked) <= 10 + int(took) + 1, (len(acked), took)
    assert refused, "15 sends in a row must hit the limit"

    stored = _stored(live_server, "harbour.ana")
    new = {cid: row[0] for cid, row in stored.items() if cid not in before}
    assert new == acked

    # A second later the bucket has a token again.
    time.sleep(1.1)
    assert _send(client, room, "after a pause")["ok"] is True

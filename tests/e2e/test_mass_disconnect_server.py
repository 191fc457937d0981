"""200 sockets go silent at once while a member keeps broadcasting in the room.

The real gevent server (python wsgi.py) with short Engine.IO pings. The dropped
sockets are raw websockets that answer pings until the drop and then never again,
as when a network or a load balancer goes away: the server finds them dead while
it broadcasts (python-engineio closes such a socket inside the send, so the
disconnect handler runs inside the emit) and by its own ping check. Afterwards
there must be no traceback in the server log and no room_presence or live_sockets
row left; the server's SQLite file is the witness, polled with a deadline.
"""

from __future__ import annotations

import json
import select
import sqlite3
import threading
import time
import uuid

import pytest
import websocket

from tests.e2e.conftest import (
    close_sockets,
    connect_socket,
    cookie_header,
    http_login,
    room_ids,
)

pytestmark = pytest.mark.e2e

ROOM = "Harbour commons"
DROPPED = 200
DROPPED_LOGINS = ("harbour.sam", "harbour.ana", "harbour.mod")
SENDER = "harbour.lead"
DEADLINE = 60.0


@pytest.fixture(scope="module")
def live_server_env() -> dict[str, str]:
    """Short pings, and no token bucket in the way of the broadcasts."""
    return {
        "SOCKETIO_PING_INTERVAL": "2",
        "SOCKETIO_PING_TIMEOUT": "2",
        "SOCKET_RATELIMIT_ENABLED": "0",
        "SOCKET_EVENT_BURST": "1000",
        "SOCKET_EVENT_RATE": "1000",
    }


class RawSocket:
    """A Socket.IO client over one websocket, speaking the protocol by hand."""

    def __init__(self, base_url: str, cookie: str) -> None:
        url = (
            base_url.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"
        )
        self.ws = websocket.create_connection(
            url,
            header=[f"Cookie: {cookie}", f"Origin: {base_url}"],
            suppress_origin=True,
            timeout=10,
        )

    def pump(self) -> list[str]:
        """Answer pings; return the other frames waiting now."""
        frames = []
        while select.select([self.ws.sock], [], [], 0)[0]:
            frame = self.ws.recv()
            if frame == "2":
                self.ws.send("3")
            else:
                frames.append(frame)
        return frames

    def wait_for(self, prefix: str, others: list[RawSocket]) -> str:
        """The first frame starting with prefix; keeps every socket's pings answered."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            for frame in self.pump():
                if frame.startswith(prefix):
                    return frame
            answer_pings(others)
            time.sleep(0.005)
        raise AssertionError(f"no {prefix!r} frame within 10 s")

    def join(self, room: str, others: list[RawSocket]) -> None:
        """Connect to the namespace and join the room (the ack must say ok)."""
        self.ws.send("40")
        self.wait_for("40", others)
        self.ws.send("421" + json.dumps(["room:join", {"room_id": room}]))
        ack = json.loads(self.wait_for("431", others)[3:])[0]
        assert ack.get("ok") is True, ack


def answer_pings(sockets: list[RawSocket]) -> None:
    """Keep every socket alive until the drop."""
    socks = {raw.ws.sock: raw for raw in sockets}
    for ready in select.select(list(socks), [], [], 0)[0]:
        socks[ready].pump()


def _count(database: str, table: str) -> int:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5) as db:
        return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def _wait_empty(server, tables: tuple[str, ...]) -> None:
    deadline = time.monotonic() + DEADLINE
    counts = {}
    while time.monotonic() < deadline:
        counts = {table: _count(server.database, table) for table in tables}
        if not any(counts.values()):
            return
        time.sleep(0.25)
    pytest.fail(f"rows left after {DEADLINE}s: {counts}\n{server.logs()}")


def _broadcast(client, room: str, stop: threading.Event, acks: list) -> None:
    while not stop.is_set():
        body = {
            "room_id": room,
            "body": "still here",
            "client_msg_id": uuid.uuid4().hex,
        }
        try:
            acks.append(client.call("message:send", body, timeout=10))
        except Exception as error:  # recorded; the test asserts on it
            acks.append({"ok": False, "error": repr(error)})
        stop.wait(0.05)


def test_mass_drop_during_broadcasts_leaves_no_ghosts(live_server):
    base = live_server.base_url
    sessions = [http_login(base, login) for login in DROPPED_LOGINS]
    room = room_ids(sessions[0], base)[ROOM]
    dropped: list[RawSocket] = []
    for number in range(DROPPED):
        raw = RawSocket(base, cookie_header(sessions[number % len(sessions)]))
        raw.join(room, dropped)
        dropped.append(raw)
        answer_pings(dropped)

    sender_session = http_login(base, SENDER)
    sender = connect_socket(base, cookie=cookie_header(sender_session), origin=base)
    stop, acks = threading.Event(), []
    try:
        assert sender.call("room:join", {"room_id": room}, timeout=10)["ok"] is True
        broadcaster = threading.Thread(
            target=_broadcast, args=(sender, room, stop, acks), daemon=True
        )
        broadcaster.start()
        # The drop: from now on no dropped socket answers a ping or reads a frame.
        _wait_only_sender_left(live_server)
        stop.set()
        broadcaster.join(timeout=15)
    finally:
        stop.set()
        close_sockets([sender])
    _wait_empty(live_server, ("room_presence", "live_sockets"))
    for raw in dropped:
        raw.ws.sock.close()
    assert acks and all(ack.get("ok") for ack in acks), acks[-5:]
    logs = live_server.logs()
    assert "Traceback" not in logs, logs


def _wait_only_sender_left(server) -> None:
    """Poll until only the sender's one socket is live and present."""
    deadline = time.monotonic() + DEADLINE
    counts = {}
    while time.monotonic() < deadline:
        counts = {
            t: _count(server.database, t) for t in ("room_presence", "live_sockets")
        }
        if counts == {"room_presence": 1, "live_sockets": 1}:
            return
        time.sleep(0.25)
    pytest.fail(
        f"dropped sockets still recorded after {DEADLINE}s: {counts}\n{server.logs()}"
    )

"""Issue 13, item 9: no ghosts after a process dies.

Two real servers (P1, P2) on one PostgreSQL database and one Redis queue. People
sit in a room on P1; P1 is SIGKILLed, so nothing on it says goodbye. P2's
heartbeat notices that P1's stopped and clears P1's sockets: their presence and
live-socket rows go, and a listener on P2 sees them leave. Intervals are
shortened through the environment (HEARTBEAT_INTERVAL_SECONDS,
HOST_TIMEOUT_SECONDS); production keeps 15 s and 60 s.
"""

from __future__ import annotations

import signal
import time

import pytest

from tests.e2e.conftest import (
    connect_socket,
    cookie_header,
    http_login,
    room_ids,
)

pytestmark = [pytest.mark.e2e, pytest.mark.services]

COMMONS = "Harbour commons"  # Harbour Light members only
ON_P1 = ("harbour.sam", "harbour.lead", "harbour.mod")
LISTENER = "harbour.ana"
HEARTBEAT, HOST_TIMEOUT = 1, 3
# The dead process is noticed once its last beat is HOST_TIMEOUT old, at the next
# beat of a survivor; the rest is slack for a loaded test machine.
BOUND = HOST_TIMEOUT + 2 * HEARTBEAT + 10


@pytest.fixture
def live_servers_env() -> dict[str, str]:
    return {
        "HEARTBEAT_INTERVAL_SECONDS": str(HEARTBEAT),
        "HOST_TIMEOUT_SECONDS": str(HOST_TIMEOUT),
    }


def _pg(url: str):
    import psycopg

    return psycopg.connect(url, autocommit=True, connect_timeout=5)


def _count(url: str, sql: str, *params) -> int:
    db = _pg(url)
    try:
        return db.execute(sql, params).fetchone()[0]
    finally:
        db.close()


def _wait_for(condition, timeout: float, what: str) -> float:
    """Seconds until condition() held; fails after timeout."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if condition():
            return time.monotonic() - start
        time.sleep(0.1)
    assert condition(), f"timed out after {timeout}s waiting for {what}"
    return time.monotonic() - start


class Listener:
    """A socket on P2 keeping the room's presence as its page would."""

    def __init__(self, base: str, room: str, made: list) -> None:
        session = http_login(base, LISTENER)
        self.client = connect_socket(base, cookie=cookie_header(session), origin=base)
        made.append(self.client)
        self.room = room
        self.present: set[str] = set()
        self.client.on("presence:changed", self._changed)

    def _changed(self, event: dict) -> None:
        if event.get("room_id") != self.room:
            return
        for change in event["changes"]:
            if "joined" in change:
                self.present.add(change["joined"]["id"])
            if "left" in change:
                self.present.discard(change["left"])

    def join(self) -> dict:
        ack = self.client.call("room:join", {"room_id": self.room}, timeout=10)
        assert ack["ok"] is True, ack
        self.present |= {person["id"] for person in ack["presence"]}
        return ack


def test_sigkilled_process_leaves_no_ghosts(sockets, live_servers):
    server1, server2 = live_servers
    p1, p2 = server1.base_url, server2.base_url
    database = server2.database
    room = room_ids(http_login(p2, LISTENER), p2)[COMMONS]

    listener = Listener(p2, room, sockets)
    me = {person["id"] for person in listener.join()["presence"]}
    assert len(me) == 1

    # Three people, two sockets (tabs) each, in the room on P1.
    doomed = []
    for login_name in ON_P1:
        cookie = cookie_header(http_login(p1, login_name))
        for _ in range(2):
            client = connect_socket(p1, cookie=cookie, origin=p1)
            sockets.append(client)
            ack = client.call("room:join", {"room_id": room}, timeout=10)
            assert ack["ok"] is True, ack
            doomed.append(client.get_sid())
    _wait_for(lambda: len(listener.present) == 1 + len(ON_P1), 10, "joins on P2")
    others = listener.present - me

    host_of_p1 = "SELECT host_id FROM live_sockets WHERE sid = %s"
    db = _pg(database)
    try:
        (p1_host,) = db.execute(host_of_p1, (doomed[0],)).fetchone()
    finally:
        db.close()
    rows = "SELECT count(*) FROM room_presence WHERE sid = ANY(%s)"
    live = "SELECT count(*) FROM live_sockets WHERE host_id = %s"
    assert _count(database, rows, doomed) == len(doomed)
    assert _count(database, live, p1_host) == len(doomed)

    server1.process.send_signal(signal.SIGKILL)  # no goodbye, no cleanup
    server1.process.wait(timeout=5)

    took = _wait_for(
        lambda: _count(database, rows, doomed) == 0
        and _count(database, live, p1_host) == 0,
        BOUND,
        "P1's presence and live-socket rows to go",
    )
    # The listener on P2 saw each of them leave, and a fresh look agrees.
    _wait_for(lambda: listener.present == me, 5, "the listener to see them leave")
    fresh = listener.join()["presence"]
    assert {person["id"] for person in fresh} == me
    assert not others & {person["id"] for person in fresh}
    assert (
        _count(
            database,
            "SELECT count(*) FROM server_processes WHERE host_id = %s",
            p1_host,
        )
        == 0
    )
    print(f"\nSIGKILL: {len(doomed)} ghost rows cleared {took:.1f} s after the kill")

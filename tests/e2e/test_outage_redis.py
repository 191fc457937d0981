"""A Redis outage under two processes (issue 13, part 4): P1 and P2 share one
PostgreSQL database and a Redis queue of this test's own (the machine's shared
Redis is never touched), which the test stops, restarts, or freezes (SIGSTOP).

What must hold: no send hangs (an ack within 2 s, an error while the queue cannot
take it); when a process loses and regains its queue its sockets get
`room:resync`, after which a `room:join` with `after_id` brings every stored
message; broadcasts resume once Redis is back; /healthz says what the queue is.
"""

from __future__ import annotations

import threading
import uuid

import pytest
import requests

from tests.e2e.conftest import (
    connect_socket,
    cookie_header,
    http_login,
    room_ids,
)
from tests.e2e.faults import OwnRedis, wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.services]

COMMONS = "Harbour commons"
ACK = 2.0  # the required bound on any answer to a send
RESUME = 4.0  # Redis answering again -> resync told (the bound is 2 s; slack for CI)


@pytest.fixture
def own_redis(tmp_path):
    server = OwnRedis(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_url(own_redis):
    """live_servers' queue: this test's own Redis, not the shared one."""
    return own_redis.url


@pytest.fixture
def live_servers_env() -> dict[str, str]:
    return {"MESSAGE_BURST": "1000", "MESSAGE_RATE": "1000"}


class Member:
    """One socket in COMMONS, recording live messages and resync requests."""

    def __init__(self, base: str, login: str, made: list) -> None:
        session = http_login(base, login)
        self.room_id = room_ids(session, base)[COMMONS]
        self.client = connect_socket(base, cookie=cookie_header(session), origin=base)
        made.append(self.client)
        self.live: list[str] = []
        self.resyncs: list[dict] = []
        self.lock = threading.Lock()
        self.client.on("message:created", self._created)
        self.client.on("room:resync", self._resync)
        self.seen: set[str] = set()
        self.join()

    def _created(self, message: dict) -> None:
        if message.get("room_id") == self.room_id:
            with self.lock:
                self.live.append(message["id"])
                self.seen.add(message["id"])

    def _resync(self, event: dict) -> None:
        with self.lock:
            self.resyncs.append(event)

    def join(self, after_id: str | None = None) -> dict:
        payload = {"room_id": self.room_id}
        if after_id is not None:
            payload["after_id"] = after_id
        ack = self.client.call("room:join", payload, timeout=10)
        assert ack["ok"] is True, ack
        with self.lock:
            self.seen.update(m["id"] for m in ack["messages"])
        return ack

    def send(self, body: str, client_msg_id: str | None = None) -> dict:
        """The ack, which must come within ACK seconds."""
        return self.client.call(
            "message:send",
            {
                "room_id": self.room_id,
                "body": body,
                "client_msg_id": client_msg_id or uuid.uuid4().hex,
            },
            timeout=ACK,
        )

    def told(self, live: bool) -> bool:
        with self.lock:
            return any(event.get("live") is live for event in self.resyncs)


def _stored_ids(database: str, room_public_id: str) -> set[str]:
    import psycopg

    with psycopg.connect(database, autocommit=True, connect_timeout=5) as db:
        rows = db.execute(
            "SELECT m.public_id FROM messages m JOIN rooms r ON r.id = m.room_id "
            "WHERE r.public_id = %s",
            (room_public_id,),
        ).fetchall()
    return {row[0] for row in rows}


def _health(base: str) -> tuple[int, dict]:
    response = requests.get(base + "/healthz", timeout=5)
    return response.status_code, response.json()


def _cross_process_works(sender: Member, listener: Member) -> None:
    ack = sender.send("across the queue")
    assert ack["ok"] is True, ack
    wait_until(lambda: ack["id"] in listener.live, 10, "the cross-process delivery")


@pytest.mark.parametrize("fault", ["stopped", "frozen"])
def test_redis_outage_acks_every_send_and_resyncs_listeners(
    fault, sockets, own_redis, live_servers
):
    p1, p2 = (server.base_url for server in live_servers)
    sender = Member(p1, "harbour.ana", sockets)
    listener = Member(p2, "harbour.lead", sockets)
    _cross_process_works(sender, listener)
    before = _stored_ids(live_servers[0].database, listener.room_id)
    assert _health(p1) == (200, {"ok": True, "database": "ok", "queue": "ok"})

    # The queue fails under a send already on its way: an answer within ACK
    # seconds, whatever happened to the message.
    stranded = uuid.uuid4().hex
    if fault == "stopped":
        own_redis.stop()
    else:
        own_redis.freeze()
    first = sender.send("as the queue fails", stranded)
    assert first["ok"] in (True, False), first

    # Both processes notice, and tell their sockets that live delivery stopped.
    wait_until(lambda: listener.told(live=False), 10, "room:resync on P2 (lost)")
    wait_until(lambda: sender.told(live=False), 10, "room:resync on P1 (lost)")
    status, health = _health(p1)
    assert (status, health["queue"]) == (503, "unavailable"), health
    assert health["database"] == "ok", health

    # While the queue cannot take it, a send is refused at once, never hangs.
    refused = sender.send("while the queue is down")
    assert refused == {"ok": False, "error": "unavailable"}, refused

    if fault == "stopped":
        own_redis.start()
    else:
        own_redis.thaw()
    wait_until(lambda: listener.told(live=True), RESUME, "room:resync on P2 (back)")
    wait_until(lambda: sender.told(live=True), RESUME, "room:resync on P1 (back)")
    assert _health(p1) == (200, {"ok": True, "database": "ok", "queue": "ok"})

    # What the client does on room:resync: join again after the newest it has.
    # Then every stored message has reached the listener, the stranded one too.
    listener.join(after_id=listener.live[-1])
    retried = sender.send("as the queue fails", stranded)  # the client's retry
    assert retried["ok"] is True, retried
    assert first.get("id") in (None, retried["id"]), (first, retried)
    _cross_process_works(sender, listener)
    stored = _stored_ids(live_servers[0].database, listener.room_id) - before
    with listener.lock:
        unseen = stored - listener.seen
    assert not unseen, f"{len(unseen)} stored messages never reached the listener"
    for server in live_servers:
        assert "Traceback" not in server.logs()

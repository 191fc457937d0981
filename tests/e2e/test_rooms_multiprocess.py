"""Rooms across processes: two real servers (python wsgi.py, P1 and P2) share one
PostgreSQL database and one Redis message queue (`live_servers` in conftest.py).

Messages cross between processes; under concurrent senders every socket gets
every message exactly once and the stored order is the id order (strictly the
broadcast order too when one process takes the writes); and messages survive a
process killed mid-stream: a client that moves to the other process re-sends
what was not acknowledged with the same client_msg_id, and the server stores
each message exactly once.
"""

from __future__ import annotations

import re
import signal
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

pytestmark = [pytest.mark.e2e, pytest.mark.services]

COMMONS = "Harbour commons"  # Harbour Light members only
CIRCLE = "Atlantic-Prairie learning circle"  # Harbour Light and Prairie Bridges

SENDERS_PER_RUN = 50
MARKER = "flush-marker"  # in the body of the positive controls (see _flush)


@pytest.fixture
def live_servers_env() -> dict[str, str]:
    # Load tests: neither the per-member token bucket nor the per-socket
    # event budget must be what we measure.
    return {
        "MESSAGE_BURST": "1000",
        "MESSAGE_RATE": "1000",
        "SOCKET_EVENT_BURST": "1000",
        "SOCKET_EVENT_RATE": "1000",
    }


class Peer:
    """One socket of one member, recording every message:created of one room."""

    def __init__(self, base: str, cookie: str, room_id: str, made: list) -> None:
        self.base = base
        self.cookie = cookie
        self.room_id = room_id
        self.seen: list[int] = []
        self.keys: dict[str, int] = {}  # id -> order_key
        self.markers: list[str] = []  # ids of the MARKER messages, kept apart
        self.client = connect_socket(base, cookie=cookie, origin=base)
        made.append(self.client)
        self.client.on("message:created", self._created)

    def _created(self, message: dict) -> None:
        if message.get("room_id") != self.room_id:
            return
        if MARKER in message.get("html", ""):
            self.markers.append(message["id"])
            return
        self.seen.append(message["id"])
        self.keys[message["id"]] = message["order_key"]

    def join(self, after_id: str | None = None) -> dict:
        payload = {"room_id": self.room_id}
        if after_id is not None:
            payload["after_id"] = after_id
        ack = self.client.call("room:join", payload, timeout=10)
        assert ack["ok"] is True, ack
        return ack

    def send(self, body: str, client_msg_id: str | None = None) -> dict:
        return self.client.call(
            "message:send",
            {
                "room_id": self.room_id,
                "body": body,
                "client_msg_id": client_msg_id or uuid.uuid4().hex,
            },
            timeout=10,
        )


def _wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    assert condition(), f"timed out after {timeout}s waiting for {what}"


def _pg(url: str):
    import psycopg

    return psycopg.connect(url, autocommit=True, connect_timeout=5)


def _account_id(db, login_name: str) -> int:
    row = db.execute(
        "SELECT id FROM accounts WHERE login_name = %s", (login_name,)
    ).fetchone()
    assert row, login_name
    return row[0]


def _room_pk(db, public_id: str) -> int:
    row = db.execute(
        "SELECT id FROM rooms WHERE public_id = %s", (public_id,)
    ).fetchone()
    assert row, public_id
    return row[0]


def _internal(database: str, public_ids: list[str]) -> list[int]:
    """The stored (ordering) ids behind opaque public ids, for order checks."""
    db = _pg(database)
    try:
        rows = db.execute(
            "SELECT public_id, id FROM messages WHERE public_id = ANY(%s)",
            (list(public_ids),),
        ).fetchall()
    finally:
        db.close()
    known = dict(rows)
    return [known[public_id] for public_id in public_ids]


def _back_to_start(peer: Peer, newest: list[str]) -> list[str]:
    """Page back with before_id, as "Load earlier" does, from the newest page."""
    ids = list(newest)
    while ids:
        ack = peer.client.call(
            "message:history",
            {"room_id": peer.room_id, "before_id": ids[0]},
            timeout=10,
        )
        assert ack["ok"] is True, ack
        ids = [m["id"] for m in ack["messages"]] + ids
        if not ack["more"]:
            return ids
    return ids


def _replay(peer: Peer, after_id: str | None) -> list[str]:
    """Every id after after_id, paging message:history as room.js does (the
    MARKER messages of _flush left out)."""
    ids: list[str] = []
    while True:
        ack = peer.client.call(
            "message:history",
            {"room_id": peer.room_id, "after_id": after_id},
            timeout=10,
        )
        assert ack["ok"] is True, ack
        ids += [m["id"] for m in ack["messages"] if MARKER not in m["html"]]
        if not ack["more"]:
            return ids
        after_id = ack["messages"][-1]["id"]


def _member(base: str, login_name: str) -> str:
    return cookie_header(http_login(base, login_name))


# --- helpers for bursts of concurrent senders ----------------------------------------


def _burst(senders: list[Peer], per_sender: int, label: str) -> list[list[str]]:
    """Every sender (its own thread and socket) sends per_sender messages as fast
    as acks come back; returns each sender's acknowledged ids."""
    acked: list[list[str]] = [[] for _ in senders]
    failures: list[object] = []
    start = threading.Barrier(len(senders))

    def run(index: int, peer: Peer) -> None:
        try:
            start.wait(timeout=10)
            for n in range(per_sender):
                ack = peer.send(f"{label}: sender {index} message {n}")
                if not ack.get("ok"):
                    failures.append(ack)
                    return
                acked[index].append(ack["id"])
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(repr(error))

    threads = [
        threading.Thread(target=run, args=(index, peer), daemon=True)
        for index, peer in enumerate(senders)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures
    return acked


def _inversions(seen: list[str], all_acked: list[str]) -> int:
    place = {public_id: n for n, public_id in enumerate(all_acked)}
    order = [place[public_id] for public_id in seen]
    return sum(1 for a, b in zip(order, order[1:]) if a > b)


def _flush(everyone: list[Peer]) -> None:
    """The positive control after a burst: one MARKER message sent from each
    process, after every acknowledgement; returns once every socket has both.
    A process sends its broadcasts to its own sockets in order, and its Redis
    publications reach the other process in order, so anything either sent
    before its marker (a duplicate too) has reached every socket by then."""
    one_per_process = {peer.base: peer for peer in everyone}.values()
    markers = set()
    for peer in one_per_process:
        ack = peer.send(f"{MARKER} from {peer.base}")
        assert ack["ok"] is True, ack
        markers.add(ack["id"])
    _wait_for(
        lambda: all(markers <= set(peer.markers) for peer in everyone),
        10,
        "every socket to see the markers",
    )


def _collect(everyone: list[Peer], acked: list[list[str]], database: str) -> list[str]:
    """Wait until every socket has every acknowledged message; check that each
    got each exactly once. Returns the acknowledged ids, in stored order."""
    public = [i for ids in acked for i in ids]
    by_order = dict(zip(_internal(database, public), public))
    all_acked = [by_order[n] for n in sorted(by_order)]
    total = len(all_acked)
    assert len(set(all_acked)) == total, "two acks carried the same id"
    _wait_for(
        lambda: all(len(peer.seen) >= total for peer in everyone),
        10,
        f"every socket to see {total} messages "
        f"(they have {[len(peer.seen) for peer in everyone]})",
    )
    _flush(everyone)  # a duplicate would have arrived before the markers
    for peer in everyone:
        assert len(peer.seen) == total, f"{len(peer.seen) - total} extra messages"
        assert sorted(peer.seen) == sorted(all_acked), "a socket missed a message"
    # Each sender's own acknowledgements come back in increasing stored order.
    for ids in acked:
        assert _internal(database, ids) == sorted(_internal(database, ids))
    return all_acked


# --- (i) and (ii): across processes, and in order -----------------------------------


def test_messages_cross_processes_in_one_order(sockets, live_servers):
    p1, p2 = (server.base_url for server in live_servers)

    # --- (i) one message each way between P1 and P2 ----------------------------
    commons = room_ids(http_login(p1, "harbour.ana"), p1)[COMMONS]
    sam = Peer(p1, _member(p1, "harbour.sam"), commons, sockets)
    ana = Peer(p2, _member(p2, "harbour.ana"), commons, sockets)
    sam.join()
    joined = ana.join()
    assert "Driftwood" in {person["pseudonym"] for person in joined["presence"]}
    first = sam.send("Hello from P1")
    assert first["ok"] is True, first
    _wait_for(lambda: first["id"] in ana.seen, 5, "P2 to receive P1's message")
    second = ana.send("Hello back from P2")
    assert second["ok"] is True, second
    _wait_for(lambda: second["id"] in sam.seen, 5, "P1 to receive P2's message")
    assert sam.seen == ana.seen == [first["id"], second["id"]]

    # --- (ii) ordering under concurrent senders ----------------------------------
    room = room_ids(http_login(p1, "prairie.jo"), p1)[CIRCLE]
    logins = [
        "harbour.sam",
        "prairie.jo",
        "harbour.ana",
        "prairie.lead",
        "harbour.lead",
    ]
    cookies = {who: _member(p1, who) for who in logins}  # good on both processes

    # Two readers, one per process; they only listen.
    readers = [
        Peer(p1, _member(p1, "harbour.mod"), room, sockets),
        Peer(p2, _member(p2, "prairie.mod"), room, sockets),
    ]

    # --- 5 senders spread over P1 and P2, 50 messages each ----------------------
    bases = [p1, p2, p1, p2, p2]
    senders = [
        Peer(base, cookies[who], room, sockets) for who, base in zip(logins, bases)
    ]
    before = [peer.join() for peer in readers + senders][1]["messages"]
    start = before[-1]["id"] if before else None  # the replay starts after it
    everyone = readers + senders
    acked = _burst(senders, SENDERS_PER_RUN, "spread")
    database = live_servers[0].database
    all_acked = _collect(everyone, acked, database)
    assert len(all_acked) == len(senders) * SENDERS_PER_RUN
    # The stored order, replayed by message:history, is the id order.
    assert _replay(readers[1], start) == all_acked
    # Sockets on one process receive in the same order. Across processes the
    # arrival order may differ slightly: each process delivers its own broadcasts
    # first and the other's through Redis (python-socketio's PubSubManager), so a
    # message committed on P2 a moment after one on P1 can reach P2's sockets
    # first. room.js places each live message by its order_key, so pages agree.
    for peer in everyone:
        assert sorted(peer.seen, key=peer.keys.__getitem__) == all_acked, peer.base
    for process in (p1, p2):
        orders = {tuple(peer.seen) for peer in everyone if peer.base == process}
        assert len(orders) == 1, f"sockets on {process} saw different orders"
    print(
        "\nspread over P1 and P2: broadcast order differs from id order at "
        f"{_inversions(readers[0].seen, all_acked)} (P1) and "
        f"{_inversions(readers[1].seen, all_acked)} "
        f"(P2) of {len(all_acked) - 1} places"
    )

    # --- the same senders, all on P1: every socket on both processes can put
    # --- the messages in id order by their order_key --------------------------
    # (Arrival order itself is not strict even on one process: two writers'
    # after-commit broadcasts can leave in either order; this assertion on
    # arrival order failed 2 runs in 4 on main at a load average of 4.)
    last_spread = all_acked[-1]
    for peer in everyone:
        peer.seen.clear()
    on_p1 = [Peer(p1, cookies[who], room, sockets) for who in logins]
    for peer in on_p1:
        peer.join()
    everyone = readers + on_p1
    acked = _burst(on_p1, 20, "one process")
    all_acked = _collect(everyone, acked, database)
    for peer in everyone:
        assert sorted(peer.seen, key=peer.keys.__getitem__) == all_acked, peer.base
    print(
        "\none process: arrival order differs from id order at "
        f"{_inversions(readers[0].seen, all_acked)} (P1) and "
        f"{_inversions(readers[1].seen, all_acked)} (P2) places"
    )
    assert _replay(readers[0], last_spread) == all_acked


# --- (iii) P1 is killed mid-stream; the client moves to P2 and re-sends --------------


def test_sigkill_mid_stream_loses_and_duplicates_nothing(sockets, live_servers):
    server1, server2 = live_servers
    p1, p2 = server1.base_url, server2.base_url
    sam_cookie = _member(p1, "harbour.sam")
    room = room_ids(http_login(p2, "harbour.ana"), p2)[COMMONS]

    reader = Peer(p2, _member(p2, "harbour.ana"), room, sockets)
    reader.join()
    sender = Peer(p1, sam_cookie, room, sockets)
    sender.join()

    sent: list[str] = []  # client_msg_ids in the order they were emitted
    bodies: dict[str, str] = {}
    acked: dict[str, int] = {}  # client_msg_id -> id, acknowledged by P1
    lock = threading.Lock()
    stop = threading.Event()

    def on_ack(client_msg_id: str):
        def callback(ack):
            if ack and ack.get("ok"):
                with lock:
                    acked[client_msg_id] = ack["id"]

        return callback

    def pump() -> None:
        """Emit without waiting for acks, so some are in flight at the kill."""
        n = 0
        while not stop.is_set() and n < 500:
            client_msg_id = f"kill-{n:04d}-{uuid.uuid4().hex[:12]}"
            body = f"stream message {n}"
            try:
                sender.client.emit(
                    "message:send",
                    {"room_id": room, "body": body, "client_msg_id": client_msg_id},
                    callback=on_ack(client_msg_id),
                )
            except Exception:  # noqa: BLE001 - the socket is gone: stop sending
                return
            sent.append(client_msg_id)
            bodies[client_msg_id] = body
            n += 1
            time.sleep(0.004)

    thread = threading.Thread(target=pump, daemon=True)
    thread.start()
    _wait_for(lambda: len(acked) >= 20, 20, "20 acknowledgements from P1")
    stop.set()
    thread.join(timeout=5)
    server1.process.send_signal(signal.SIGKILL)  # with sends still in flight
    server1.process.wait(timeout=5)
    _wait_for(lambda: not sender.client.connected, 10, "the client to notice")

    with lock:
        acked_before = dict(acked)
    unacked = [cid for cid in sent if cid not in acked_before]
    assert len(acked_before) >= 20
    db = _pg(server2.database)
    try:
        sam_id = _account_id(db, "harbour.sam")
        room_pk = _room_pk(db, room)
        # What P1 stored before it died, acknowledged or not.
        stored_at_kill = dict(
            db.execute(
                "SELECT client_msg_id, public_id FROM messages WHERE author_id = %s",
                (sam_id,),
            ).fetchall()
        )
    finally:
        db.close()

    # Reconnect to P2 with the same cookie (sessions live in the shared database)
    # and re-send, with the same client_msg_id, whatever was not acknowledged.
    moved = Peer(p2, sam_cookie, room, sockets)
    resent: dict[str, int] = {}
    for client_msg_id in unacked:
        ack = moved.send(bodies[client_msg_id], client_msg_id)
        assert ack["ok"] is True, (client_msg_id, ack)
        resent[client_msg_id] = ack["id"]
    rejoined = moved.join()

    db = _pg(server2.database)
    try:
        rows = db.execute(
            "SELECT public_id, client_msg_id FROM messages WHERE room_id = %s "
            "ORDER BY id",
            (room_pk,),
        ).fetchall()
        duplicates = db.execute(
            "SELECT client_msg_id, count(*) FROM messages WHERE author_id = %s "
            "GROUP BY client_msg_id HAVING count(*) > 1",
            (sam_id,),
        ).fetchall()
        stale_presence = db.execute(
            "SELECT count(*) FROM room_presence WHERE account_id = %s AND sid != %s",
            (sam_id, moved.client.get_sid()),
        ).fetchone()[0]
    finally:
        db.close()

    stored = {client_msg_id: id_ for id_, client_msg_id in rows}
    all_ids = [id_ for id_, _ in rows]
    assert not duplicates, duplicates
    # Every acknowledged id is stored, under the client_msg_id it was sent with.
    for client_msg_id, id_ in {**acked_before, **resent}.items():
        assert stored.get(client_msg_id) == id_, (client_msg_id, id_)
    # Every message the client emitted is stored exactly once.
    assert set(sent) <= set(stored), set(sent) - set(stored)
    assert len([cid for cid in stored if cid in bodies]) == len(sent)
    # A re-send of what P1 had stored (ack lost in the kill) got the first id back.
    for client_msg_id, id_ in resent.items():
        if client_msg_id in stored_at_kill:
            assert id_ == stored_at_kill[client_msg_id]

    # room:join gives the newest page; "load earlier" pages back to the start;
    # together they are every stored message, in stored order.
    joined_ids = [m["id"] for m in rejoined["messages"]]
    history_ids = _back_to_start(moved, joined_ids)
    assert history_ids == all_ids
    assert len(set(all_ids)) == len(all_ids)

    # The reader on P2 saw increasing ids, no duplicates, only stored messages.
    # Every message reaches the reader live, also one P1 stored and was killed
    # before broadcasting: its re-send broadcasts it (issue 13 item 7).
    ours = {stored[cid] for cid in sent}
    _wait_for(lambda: ours <= set(reader.seen), 5, "the reader on P2")
    # A re-send of what P1 had stored is broadcast again (issue 13 item 7), so
    # the reader may get such a message twice (pages keep one, by id), and
    # later than messages after it (pages place it by order_key).
    again = {stored_at_kill[cid] for cid in resent if cid in stored_at_kill}
    twice = {i for i in reader.seen if reader.seen.count(i) > 1}
    assert twice <= again, twice - again
    seen = set(reader.seen)
    in_key_order = sorted(seen, key=reader.keys.__getitem__)
    assert in_key_order == [i for i in all_ids if i in seen]
    assert [i for i in reader.seen if i not in again] == [
        i for i in all_ids if i in seen and i not in again
    ]
    assert seen <= set(all_ids)
    print(
        f"\nSIGKILL: {len(sent)} emitted, {len(acked_before)} acknowledged by P1, "
        f"{len(unacked)} re-sent to P2 "
        f"({sum(1 for cid in unacked if cid in stored_at_kill)} of them already "
        f"stored by P1), the reader on P2 saw {len(seen)} of {len(ours)} live "
        f"({len(twice)} twice); "
        f"presence rows left by the killed socket: {stale_presence}"
    )


def test_one_senders_messages_arrive_in_the_order_sent(sockets, live_servers):
    """A member who types fast (sends without waiting for acks) is read in the
    order they wrote, live on both processes and in history: a socket's events
    are handled one after another, even where PostgreSQL yields mid-event."""
    p1, p2 = (server.base_url for server in live_servers)
    commons = room_ids(http_login(p1, "harbour.ana"), p1)[COMMONS]
    sam = Peer(p1, _member(p1, "harbour.sam"), commons, sockets)
    readers = {
        "same process": Peer(p1, _member(p1, "harbour.mod"), commons, sockets),
        "other process": Peer(p2, _member(p2, "harbour.ana"), commons, sockets),
    }
    typed: dict[str, list[int]] = {name: [] for name in readers}
    for name, peer in readers.items():
        peer.client.on(
            "message:created",
            lambda message, name=name: typed[name].extend(
                int(n) for n in re.findall(r"typed-(\d+)-", message.get("html", ""))
            ),
        )
    for peer in (sam, *readers.values()):
        peer.join()
    acks: list[dict] = []
    count = 40
    for n in range(count):
        sam.client.emit(
            "message:send",
            {
                "room_id": commons,
                "body": f"typed-{n}-",
                "client_msg_id": uuid.uuid4().hex,
            },
            callback=acks.append,
        )
    _wait_for(lambda: len(acks) == count, 30, "every ack")
    assert all(ack.get("ok") for ack in acks), acks
    for name in readers:
        _wait_for(lambda name=name: len(typed[name]) >= count, 30, f"{name} deliveries")
        assert typed[name] == list(range(count)), f"{name} saw {typed[name]}"
    stored = _internal(live_servers[0].database, [ack["id"] for ack in acks])
    assert stored == sorted(stored), "acks (in send order) differ from stored order"

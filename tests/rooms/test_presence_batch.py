"""Issue 11: presence changes are coalesced, one presence:changed per room per
window, and every batch keeps the safety filter of the change it carries.

The window is held open (its timer is captured, not started) and closed with
presence_batch.flush(); absence is proved by a marker message sent afterwards."""

from __future__ import annotations

import time

import pytest

from network import presence_batch
from tests import factories
from tests.rooms.apart import join, make_circle, send, separate

EVENT = "presence:changed"


@pytest.fixture
def window(app, monkeypatch):
    """An open batching window: returns the list of timers armed so far."""
    timers: list[tuple] = []
    app.config["PRESENCE_BATCH_SECONDS"] = 0.25
    monkeypatch.setattr(
        presence_batch.socketio,
        "start_background_task",
        lambda *args: timers.append(args),
    )
    return timers


def _changes(received) -> list[list[dict]]:
    """The changes of each presence:changed event received, one list per event."""
    return [e["args"][0]["changes"] for e in received if e["name"] == EVENT]


def _marked(sock, lead, room, marker: str) -> list:
    """Everything the socket received, up to a marker the lead sends now."""
    send(lead, room, marker)
    received = sock.get_received()
    assert marker in str(received)
    return received


def _joined(changes: list[dict]) -> list[str]:
    return [ch["joined"]["pseudonym"] for ch in changes if "joined" in ch]


def test_many_joins_in_one_window_reach_each_listener_as_one_event(
    app, connect, window
):
    c = make_circle()
    lead = connect(c.lead)
    join(lead, c.room)
    lead.get_received()
    people = [
        factories.make_member(c.harbour, pseudonym=f"Joiner {n}") for n in range(8)
    ]
    socks = [connect(person) for person in people]
    for sock in socks:
        assert join(sock, c.room)["ok"]
    assert len(window) == 1  # one timer for the whole window, not one per join
    assert _changes(_marked(lead, lead, c.room, "before the flush")) == []

    presence_batch.flush()

    names = [f"Joiner {n}" for n in range(8)]
    batches = _changes(_marked(lead, lead, c.room, "after the flush"))
    assert [_joined(batch) for batch in batches] == [names]
    # Each joiner saw everyone before it in its presence list, and gets the
    # ones after it in one batch; never itself.
    for n, sock in enumerate(socks):
        batches = _changes(_marked(sock, lead, c.room, f"marker {n}"))
        expected = [names[n + 1 :]] if n + 1 < len(names) else []
        assert [_joined(batch) for batch in batches] == expected


def test_listener_kept_apart_from_a_joiner_gets_the_others_only(app, connect, window):
    c = make_circle()
    separate(c.driftwood, c.sea_glass)
    lead, driftwood = connect(c.lead), connect(c.driftwood)
    join(lead, c.room)
    join(driftwood, c.room)
    presence_batch.flush()
    lead.get_received(), driftwood.get_received()
    join(connect(c.lantern), c.room)
    join(connect(c.sea_glass), c.room)
    join(connect(c.pebble), c.room)

    presence_batch.flush()

    received = _marked(driftwood, lead, c.room, "marker for driftwood")
    assert [_joined(batch) for batch in _changes(received)] == [["Lantern", "Pebble"]]
    assert "Sea Glass" not in str(received)
    assert c.sea_glass.profile.public_id not in str(received)
    seen_by_host = _changes(_marked(lead, lead, c.room, "marker for the host"))
    assert [_joined(b) for b in seen_by_host] == [["Lantern", "Sea Glass", "Pebble"]]


def test_socket_joining_mid_window_never_gets_a_change_that_did_not_know_it(
    app, connect, window
):
    """Sea Glass's join was queued before Driftwood (kept apart) was present, so
    its skips could not name Driftwood's socket: Driftwood is fenced off it."""
    c = make_circle()
    separate(c.driftwood, c.sea_glass)
    lead = connect(c.lead)
    join(lead, c.room)
    join(connect(c.sea_glass), c.room)
    driftwood = connect(c.driftwood)
    ack = join(driftwood, c.room)
    assert "Sea Glass" not in str(ack["presence"])
    join(connect(c.lantern), c.room)  # after Driftwood: its skips know him

    presence_batch.flush()

    received = _marked(driftwood, lead, c.room, "marker for driftwood")
    assert "Sea Glass" not in str(received)
    assert c.sea_glass.profile.public_id not in str(received)
    assert [_joined(batch) for batch in _changes(received)] == [["Lantern"]]


def test_join_then_leave_in_one_window_ends_with_the_person_gone(app, connect, window):
    c = make_circle()
    lead, lantern = connect(c.lead), connect(c.lantern)
    join(lead, c.room)
    lead.get_received()
    join(lantern, c.room)
    lantern.emit("room:leave", {"room_id": c.room.public_id}, callback=True)

    presence_batch.flush()

    batches = _changes(_marked(lead, lead, c.room, "after the flush"))
    assert len(batches) == 1
    joined, left = batches[0]
    assert joined["joined"]["id"] == c.lantern.profile.public_id
    assert left == {"left": c.lantern.profile.public_id}
    # The one who left gets no batch of its own for the room it left (flush()
    # has returned: whatever it sent is already in the test client's queue).
    assert _changes(lantern.get_received()) == []


def test_the_window_closes_by_itself(app, connect):
    """The real timer (a short window): the changes arrive without a flush."""
    app.config["PRESENCE_BATCH_SECONDS"] = 0.05
    c = make_circle()
    lead = connect(c.lead)
    join(lead, c.room)
    lead.get_received()
    join(connect(c.lantern), c.room)
    join(connect(c.driftwood), c.room)
    seen: list[list[dict]] = []
    deadline = time.monotonic() + 10  # waits for the positive event, asserts no time
    while sum(len(batch) for batch in seen) < 2 and time.monotonic() < deadline:
        seen += _changes(lead.get_received())
        time.sleep(0.01)
    assert [name for batch in seen for name in _joined(batch)] == [
        "Lantern",
        "Driftwood",
    ]


def test_flush_asks_once_per_changed_person_whoever_is_present(app, connect, window):
    from tests.rooms.test_statement_budget import counted

    c = make_circle()
    separate(c.driftwood, c.sea_glass)
    for person in (c.lead, c.driftwood, c.lantern):
        join(connect(person), c.room)
    presence_batch.flush()
    for n in range(5):  # more people present: the flush's query count stays
        join(connect(factories.make_member(c.harbour)), c.room)
    presence_batch.flush()
    join(connect(c.sea_glass), c.room)
    with counted(expire=False) as statements:
        assert presence_batch.flush() == 1  # Driftwood, held back, has nothing
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1


def test_socket_that_joined_elsewhere_mid_window_is_still_skipped(
    app, connect, window, monkeypatch
):
    """Another process's socket is not fenced here: a person kept apart from a
    queued joiner, present by the flush, must still not receive them."""
    import contextlib

    c = make_circle()
    separate(c.driftwood, c.sea_glass)
    lead = connect(c.lead)
    join(lead, c.room)
    presence_batch.flush()
    lead.get_received()
    join(connect(c.sea_glass), c.room)  # queued, before Driftwood is present
    monkeypatch.setattr(  # Driftwood joins as on a process with no fence for it
        presence_batch, "entering", lambda *a, **k: contextlib.nullcontext()
    )
    driftwood = connect(c.driftwood)
    join(driftwood, c.room)
    driftwood.get_received()

    presence_batch.flush()

    received = _marked(driftwood, lead, c.room, "marker for driftwood")
    assert "Sea Glass" not in str(received)
    assert c.sea_glass.profile.public_id not in str(received)
    assert "Sea Glass" in str(_marked(lead, lead, c.room, "marker for the host"))

"""Issue 13, item 7: a crash between commit and broadcast loses nothing live.

The process that stored a message can die before its after-commit broadcast
goes out. The sender never got an ack, so it retries with the same
client_msg_id: the retry gets the first id back and broadcasts the stored
message again, with the same safety filter (people kept apart from the author
are skipped). Pages drop a message they already show by its id.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from network.extensions import db, socketio
from network.models import RoomMember, utcnow
from tests.conftest import events
from tests.rooms.test_sockets import join, send


@pytest.fixture
def lose_next_broadcast(monkeypatch):
    """The next message:created never leaves the server, as when the process is
    killed right after the commit; later ones go out. Returns what was lost."""
    real_emit = socketio.emit
    lost: list[dict] = []

    def emit(event_name, data, **kwargs):
        if event_name == "message:created" and not lost:
            lost.append(data)
            return None
        return real_emit(event_name, data, **kwargs)

    monkeypatch.setattr(socketio, "emit", emit)
    return lost


def _payload(room, body: str, client_msg_id: str) -> dict:
    return {"room_id": room.public_id, "body": body, "client_msg_id": client_msg_id}


def _listening(connect, world):
    alice, amir = connect(world.alice), connect(world.amir)
    assert join(alice, world.room)["ok"] and join(amir, world.room)["ok"]
    alice.get_received()
    amir.get_received()
    return alice, amir


def test_retry_broadcasts_a_stored_message_whose_broadcast_was_lost(
    app, world, connect, lose_next_broadcast
):
    alice, amir = _listening(connect, world)
    payload = _payload(world.room, "stored, then the process died", "crash-0001")
    first = alice.emit("message:send", payload, callback=True)
    assert first["ok"] and [m["id"] for m in lose_next_broadcast] == [first["id"]]
    assert events(amir, "message:created") == []  # the broadcast was lost

    again = alice.emit("message:send", payload, callback=True)
    assert again == first
    created = events(amir, "message:created")
    assert [m["id"] for m in created] == [first["id"]]
    assert "stored, then the process died" in created[0]["html"]
    assert created[0] == lose_next_broadcast[0]  # what the crash lost, as it was


def test_retry_in_slow_mode_still_broadcasts_the_stored_message(
    app, world, connect, lose_next_broadcast
):
    world.room.slow_mode_seconds = 60
    db.session.commit()
    alice, amir = _listening(connect, world)
    payload = _payload(world.room, "slow room, lost broadcast", "crash-0002")
    first = alice.emit("message:send", payload, callback=True)
    assert first["ok"] and lose_next_broadcast
    # A new message would be refused for slow mode; the retry is not.
    assert send(alice, world.room, "too soon")["error"] == "slow_mode"
    again = alice.emit("message:send", payload, callback=True)
    assert again == first
    assert [m["id"] for m in events(amir, "message:created")] == [first["id"]]


def test_retry_refused_by_policy_is_acknowledged_but_not_broadcast(
    app, world, connect, lose_next_broadcast
):
    """A muted author's retry still gets its id (what was stored is always
    acknowledged), but a refused event broadcasts nothing: muting would
    otherwise leave an unthrottled way to push words to the room."""
    alice, amir = _listening(connect, world)
    payload = _payload(world.room, "said before the mute", "crash-0003")
    first = alice.emit("message:send", payload, callback=True)
    assert first["ok"] and lose_next_broadcast
    row = db.session.scalar(
        select(RoomMember).where(
            RoomMember.room_id == world.room.id,
            RoomMember.account_id == world.alice.id,
        )
    )
    row.muted_until = utcnow() + timedelta(minutes=10)
    db.session.commit()
    assert send(alice, world.room, "while muted")["error"] == "muted"
    assert alice.emit("message:send", payload, callback=True) == first
    lead = connect(world.lead_a)
    join(lead, world.room)
    assert send(lead, world.room, "positive marker")["ok"]
    seen = [m["html"] for m in events(amir, "message:created")]
    assert len(seen) == 1 and "positive marker" in seen[0]


def test_an_ordinary_retry_broadcasts_again_and_listeners_dedupe_by_id(
    app, world, connect
):
    """Without a crash the retry also re-broadcasts (the server cannot tell a lost
    broadcast from a lost ack): the same id, the same payload, once more."""
    alice, amir = _listening(connect, world)
    payload = _payload(world.room, "sent twice", "retry-0004")
    first = alice.emit("message:send", payload, callback=True)
    assert alice.emit("message:send", payload, callback=True) == first
    created = events(amir, "message:created")
    assert [m["id"] for m in created] == [first["id"], first["id"]]
    assert created[0] == created[1]

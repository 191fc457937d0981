"""Malformed socket payloads: an error ack every time, before any side effect."""

from __future__ import annotations

import logging

import pytest

from tests.conftest import events

BAD = {"ok": False, "error": "bad_request"}
HUGE = [2**63, 2**70, -(2**63) - 1, 2**31]


def _send(sock, room, body="hello"):
    return sock.emit(
        "message:send",
        {"room_id": room.public_id, "body": body, "client_msg_id": "client-000001"},
        callback=True,
    )


def _not_in_room(world, connect, sock) -> None:
    """A message sent to the room does not reach this socket."""
    other = connect(world.amir)
    assert other.emit("room:join", {"room_id": world.room.public_id}, callback=True)[
        "ok"
    ]
    sock.get_received()
    assert _send(other, world.room)["ok"]
    assert events(sock, "message:created") == []


ID_FIELDS = [
    ("room:join", "after_id"),
    ("message:history", "after_id"),
    ("message:history", "before_id"),
    ("room:read", "id"),
    ("message:edit", "id"),
    ("message:delete", "id"),
    ("message:source", "id"),
    ("message:pin", "id"),
    ("message:hide", "id"),
]


@pytest.mark.parametrize("value", HUGE)
@pytest.mark.parametrize(("event", "field"), ID_FIELDS)
def test_huge_integer_ids_get_error_ack_and_no_join(
    app, world, connect, event, field, value
):
    sock = connect(world.lead_a)
    payload = {"room_id": world.room.public_id, field: value, "body": "x"}
    assert sock.emit(event, payload, callback=True) == BAD
    _not_in_room(world, connect, sock)


def test_nul_byte_in_room_id_gets_error_ack(app, world, connect):
    sock = connect(world.alice)
    room_id = world.room.public_id + "\x00"
    for event in ("room:join", "room:leave", "typing", "support:alert"):
        assert sock.emit(event, {"room_id": room_id}, callback=True) == BAD
    _not_in_room(world, connect, sock)


def test_nul_byte_in_body_gets_error_ack(app, world, connect):
    sock = connect(world.alice)
    sock.emit("room:join", {"room_id": world.room.public_id}, callback=True)
    assert _send(sock, world.room, "hi\x00there") == BAD


@pytest.mark.parametrize("reason", [5, ["spam"], {"a": 1}, True, "x\x00y"])
def test_non_string_reason_in_hide_gets_error_ack(app, world, connect, reason):
    lead = connect(world.lead_a)
    lead.emit("room:join", {"room_id": world.room.public_id}, callback=True)
    sent = _send(lead, world.room)
    payload = {"room_id": world.room.public_id, "id": sent["id"], "reason": reason}
    assert lead.emit("message:hide", payload, callback=True) == BAD


def test_valid_payloads_still_work(app, world, connect):
    sock = connect(world.alice)
    joined = sock.emit(
        "room:join", {"room_id": world.room.public_id, "after_id": None}, callback=True
    )
    assert joined["ok"]
    sent = _send(sock, world.room)
    assert sent["ok"]
    read = {"room_id": world.room.public_id, "id": sent["id"]}
    assert sock.emit("room:read", read, callback=True) == {"ok": True}


def test_error_acks_log_nothing_at_error(app, world, connect, caplog):
    sock = connect(world.alice)
    with caplog.at_level(logging.WARNING):
        sock.emit("room:join", {"room_id": "a\x00", "after_id": 2**70}, callback=True)
        sock.emit("message:hide", {"room_id": 1, "reason": 3}, callback=True)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_every_client_event_has_a_schema(app):
    from network.extensions import socketio
    from network.payloads import SCHEMAS

    handled = set(socketio.server.handlers["/"]) - {"connect", "disconnect"}
    assert handled == set(SCHEMAS)

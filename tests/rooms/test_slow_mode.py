"""Slow mode says how long to wait, and never refuses the first message after it
is switched on."""

from __future__ import annotations

from network.moderation import services as moderation
from tests.rooms.test_sockets import join, send


def test_first_message_after_switching_on_is_accepted(app, world, connect):
    alice = connect(world.alice)
    join(alice, world.room)
    assert send(alice, world.room, "before")["ok"]
    moderation.set_slow_mode(world.room, 60, actor=world.lead_a)
    assert send(alice, world.room, "first since slow mode")["ok"]


def test_refusal_carries_the_seconds_to_wait(app, world, connect):
    alice = connect(world.alice)
    join(alice, world.room)
    moderation.set_slow_mode(world.room, 60, actor=world.lead_a)
    assert send(alice, world.room, "one")["ok"]
    refused = send(alice, world.room, "two")
    assert refused["ok"] is False and refused["error"] == "slow_mode"
    assert 58 <= refused["seconds"] <= 60


def test_changing_the_interval_keeps_counting(app, world, connect):
    alice = connect(world.alice)
    join(alice, world.room)
    moderation.set_slow_mode(world.room, 60, actor=world.lead_a)
    assert send(alice, world.room, "one")["ok"]
    moderation.set_slow_mode(world.room, 120, actor=world.lead_a)
    assert send(alice, world.room, "two")["error"] == "slow_mode"

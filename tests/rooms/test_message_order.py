"""Issue 13, item 6: every message carries the room's order as a number.

Public ids are opaque, and created_at is a wall clock that two processes (or
hosts) need not agree on, so neither can order a live message that arrives out
of turn. `order_key` can: it increases with the room's id order, whatever any
clock says, and it is the same number live, in history and on the page.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from network.extensions import db
from network.models import Message
from network.rooms import messages
from tests.conftest import events
from tests.rooms.page_data import page_messages
from tests.rooms.test_sockets import join, send


def _keys_by_id(room) -> list[int]:
    return list(
        db.session.scalars(
            select(Message.order_key)
            .where(Message.room_id == room.id)
            .order_by(Message.id)
        )
    )


def test_order_key_follows_id_order_when_the_clock_goes_back(
    app, world, connect, monkeypatch
):
    alice, amir = connect(world.alice), connect(world.amir)
    join(alice, world.room)
    join(amir, world.room)
    amir.get_received()
    first = send(alice, world.room, "stamped by a clock ahead")
    # The next writer's clock is an hour behind (another host, or a clock step).
    behind = messages.utcnow() - timedelta(hours=1)
    monkeypatch.setattr(messages, "utcnow", lambda: behind)
    second = send(alice, world.room, "stamped by a clock behind")
    third = send(amir, world.room, "and one more")

    live = events(amir, "message:created")
    assert [m["id"] for m in live] == [first["id"], second["id"], third["id"]]
    keys = [m["order_key"] for m in live]
    assert all(isinstance(key, int) for key in keys)
    assert keys == sorted(keys) and len(set(keys)) == 3
    assert _keys_by_id(world.room) == keys

    # History and the page carry the same numbers.
    history = join(connect(world.lead_a), world.room)["messages"]
    assert [(m["id"], m["order_key"]) for m in history] == [
        (m["id"], m["order_key"]) for m in live
    ]
    html = amir_page(app, world)  # the list the page starts from
    rendered = [(m["id"], m["order_key"]) for m in page_messages(html)]
    assert rendered == [(m["id"], m["order_key"]) for m in live]


def amir_page(app, world) -> str:
    """The room page as Amir's browser first gets it."""
    from tests.conftest import login

    client = app.test_client()
    login(client, world.amir)
    response = client.get(f"/rooms/{world.room.public_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_order_key_is_the_send_time_in_microseconds(app, world, connect):
    """The key says nothing created_at does not: it is the send time (µs since
    the epoch), only moved past the previous message's when a clock is behind;
    never a count of messages (a gap would betray words one may not see)."""
    alice = connect(world.alice)
    join(alice, world.room)
    before = messages.utcnow()
    ack = send(alice, world.room, "timed")
    after = messages.utcnow()
    row = db.session.scalar(select(Message).where(Message.public_id == ack["id"]))
    micros = row.order_key
    as_time = messages.EPOCH + timedelta(microseconds=micros)
    assert before <= as_time <= after
    assert row.created_at == as_time

"""Socket protocol tests: join/catch-up, send, idempotency, order, limits, safety."""

from __future__ import annotations

import itertools

from sqlalchemy import func, select

from network.extensions import db
from network.models import Message, RoomPresence, TrustLevel
from network.safety import services as safety
from network.trust import services as trust
from tests import factories
from tests.conftest import events

_ids = itertools.count(1)


def send(sock, room, body="hello", **extra):
    payload = {
        "room_id": room.public_id,
        "body": body,
        "client_msg_id": f"client-{next(_ids):06d}",
        **extra,
    }
    return sock.emit("message:send", payload, callback=True)


def stored(public_id: str) -> Message:
    """The stored message behind a public id."""
    return db.session.scalar(select(Message).where(Message.public_id == public_id))


def join(sock, room, after_id=None):
    return sock.emit(
        "room:join", {"room_id": room.public_id, "after_id": after_id}, callback=True
    )


def test_send_is_stored_then_broadcast_once_to_room(app, world, connect):
    alice, amir = connect(world.alice), connect(world.amir)
    assert join(alice, world.room)["ok"] and join(amir, world.room)["ok"]
    amir.get_received()
    ack = send(alice, world.room, "**hi** there")
    assert ack["ok"] and isinstance(ack["id"], str)
    row = stored(ack["id"])
    assert row.body == "**hi** there" and "<strong>hi</strong>" in row.html
    created = events(amir, "message:created")
    assert len(created) == 1
    assert created[0]["id"] == ack["id"]
    assert created[0]["author"]["pseudonym"] == "Alice A"
    assert "login" not in str(created[0]) and world.alice.login_name not in str(
        created[0]
    )


def test_same_client_msg_id_twice_gives_one_row(app, world, connect):
    alice = connect(world.alice)
    join(alice, world.room)
    payload = {
        "room_id": world.room.public_id,
        "body": "once",
        "client_msg_id": "retry-me-0001",
    }
    first = alice.emit("message:send", payload, callback=True)
    second = alice.emit("message:send", payload, callback=True)
    assert first == second == {"ok": True, "id": first["id"]}
    assert db.session.scalar(select(func.count(Message.id))) == 1


def test_interleaved_senders_see_one_order(app, world, connect):
    senders = [connect(a) for a in (world.alice, world.amir, world.lead_a)]
    reader = connect(factories.make_member(world.org_a))
    for sock in senders + [reader]:
        join(sock, world.room)
        sock.get_received()
    app.config["SOCKET_RATELIMIT_ENABLED"] = False
    ids = []
    for round_ in range(20):
        for n, sock in enumerate(senders):
            ids.append(send(sock, world.room, f"{round_}-{n}")["id"])
    by_id = db.session.scalars(select(Message).order_by(Message.id))
    expected = [m.public_id for m in by_id]
    assert sorted(expected) == sorted(ids)
    for sock in senders + [reader]:
        seen = [m["id"] for m in events(sock, "message:created")]
        assert seen == expected  # every client, the senders too, in id order


def test_catch_up_after_disconnect_replays_missed_in_order(
    app, world, connect, login_as, socket_client
):
    client = login_as(world.alice)
    alice = socket_client(client)
    amir = connect(world.amir)
    first = join(alice, world.room)
    join(amir, world.room)
    last_seen = send(amir, world.room, "before")["id"]
    alice.disconnect()
    assert (
        db.session.scalar(
            select(func.count(RoomPresence.sid)).where(
                RoomPresence.account_id == world.alice.id
            )
        )
        == 0
    )
    missed = [send(amir, world.room, f"missed {n}")["id"] for n in range(3)]
    again = socket_client(client)
    ack = join(again, world.room, after_id=last_seen)
    assert [m["id"] for m in ack["messages"]] == missed
    assert first["ok"] and ack["more"] is False


def test_history_keyset_pages(app, world, connect):
    app.config["SOCKET_RATELIMIT_ENABLED"] = False
    alice = connect(world.alice)
    join(alice, world.room)
    ids = [send(alice, world.room, f"m{n}")["id"] for n in range(120)]
    latest = join(alice, world.room)["messages"]
    assert [m["id"] for m in latest] == ids[-50:]
    page = alice.emit(
        "message:history",
        {"room_id": world.room.public_id, "before_id": ids[-50]},
        callback=True,
    )
    assert [m["id"] for m in page["messages"]] == ids[-100:-50] and page["more"]


def test_partner_member_joins_stranger_cannot_and_hears_nothing(app, world, connect):
    bea, cole = connect(world.bea), connect(world.cole)
    alice = connect(world.alice)
    join(alice, world.partner_room)
    assert join(bea, world.partner_room)["ok"]
    assert join(bea, world.room) == {"ok": False, "error": "not_found"}
    for room in (world.partner_room, world.room):
        assert join(cole, room) == {"ok": False, "error": "not_found"}
    cole.get_received()
    send(alice, world.partner_room, "partners only")
    send(alice, world.room, "host only")
    assert events(cole, "message:created") == []
    assert [m["html"] for m in events(bea, "message:created")] == [
        "<p>partners only</p>\n"
    ]
    assert send(cole, world.partner_room)["error"] == "not_found"
    missing = {"room_id": "no-such-room"}
    assert cole.emit("room:join", missing, callback=True) == join(cole, world.room)


def test_lowered_trust_disconnects_and_join_then_fails(app, world, connect):
    bea = connect(world.bea)
    join(bea, world.partner_room)
    lead_b = factories.make_member(world.org_b, role="lead")
    trust.set_trust(world.org_b, world.org_a, TrustLevel.SEE, actor=lead_b)
    assert not bea.is_connected()
    again = connect(world.bea)
    assert join(again, world.partner_room) == {"ok": False, "error": "not_found"}


def test_size_and_rate_limits_store_nothing(app, world, connect, frozen_clock):
    alice = connect(world.alice)
    join(alice, world.room)
    assert send(alice, world.room, "x" * 4001) == {"ok": False, "error": "too_long"}
    assert send(alice, world.room, "   ") == {"ok": False, "error": "empty"}
    assert send(alice, world.room, "x" * 4000)["ok"]
    results = [send(alice, world.room, f"burst {n}") for n in range(12)]
    limited = [r for r in results if not r["ok"]]
    assert limited and all(r["error"] == "rate_limited" for r in limited)
    stored = db.session.scalar(select(func.count(Message.id)))
    assert stored == 1 + sum(1 for r in results if r["ok"])
    bad = alice.emit(
        "message:send",
        {"room_id": world.room.public_id, "body": "x", "client_msg_id": "short"},
        callback=True,
    )
    assert bad == {"ok": False, "error": "bad_request"}
    assert alice.emit("message:send", "not a dict", callback=True)["error"] == (
        "bad_request"
    )


def test_edit_and_delete_only_own_messages(app, world, connect):
    alice, amir = connect(world.alice), connect(world.amir)
    join(alice, world.room)
    join(amir, world.room)
    message_id = send(alice, world.room, "original")["id"]
    amir.get_received()
    edit = {"room_id": world.room.public_id, "id": message_id, "body": "changed"}
    assert amir.emit("message:edit", edit, callback=True)["error"] == "not_found"
    assert amir.emit("message:delete", edit, callback=True)["error"] == "not_found"
    assert alice.emit("message:edit", edit, callback=True)["ok"]
    assert events(amir, "message:updated")[0]["html"] == "<p>changed</p>\n"
    assert alice.emit("message:delete", edit, callback=True)["ok"]
    assert events(amir, "message:deleted") == [
        {"room_id": world.room.public_id, "id": message_id}
    ]
    row = stored(message_id)
    assert row.deleted_at is not None and row.body == ""


def test_message_source_is_for_the_author_only(app, world, connect):
    """The editor starts from the stored Markdown and content warning; another's
    message answers exactly like a missing one."""
    alice, amir = connect(world.alice), connect(world.amir)
    join(alice, world.room)
    join(amir, world.room)
    rid = world.room.public_id
    sent = alice.emit(
        "message:send",
        {
            "room_id": rid,
            "body": "**Glad** to be here",
            "content_warning": "loss",
            "client_msg_id": "source-test-1",
        },
        callback=True,
    )
    ask = {"room_id": rid, "id": sent["id"]}
    assert alice.emit("message:source", ask, callback=True) == {
        "ok": True,
        "id": sent["id"],
        "body": "**Glad** to be here",
        "content_warning": "loss",
    }
    other = amir.emit("message:source", ask, callback=True)
    missing = amir.emit(
        "message:source", {"room_id": rid, "id": "no-such-message"}, callback=True
    )
    assert other == missing == {"ok": False, "error": "not_found"}


def test_typing_is_throttled_and_never_stored(app, world, connect, frozen_clock):
    alice, amir = connect(world.alice), connect(world.amir)
    join(alice, world.room)
    join(amir, world.room)
    amir.get_received()
    acks = [
        alice.emit("typing", {"room_id": world.room.public_id}, callback=True)
        for _ in range(5)
    ]
    assert [a["ok"] for a in acks].count(True) == 3
    assert acks[-1] == {"ok": False, "error": "rate_limited"}
    assert len(events(amir, "typing")) == 3
    assert events(alice, "typing") == []
    assert db.session.scalar(select(func.count(Message.id))) == 0


def test_separation_hides_messages_presence_typing_both_ways(app, world, connect):
    safety.file_separation(world.alice, world.amir, actor=world.alice)
    alice, amir = connect(world.alice), connect(world.amir)
    bystander = connect(world.lead_a)
    join(alice, world.room)
    amir_ack = join(amir, world.room)
    join(bystander, world.room)
    # Amir's access never changes, and Alice is absent from what he sees.
    assert amir_ack["ok"] and amir_ack["notice"] is False
    assert "Alice A" not in [p["pseudonym"] for p in amir_ack["presence"]]
    assert join(alice, world.room)["notice"] is True
    for sock in (alice, amir, bystander):
        sock.get_received()
    send(alice, world.room, "from alice")
    send(amir, world.room, "from amir")
    alice.emit("typing", {"room_id": world.room.public_id}, callback=True)
    assert [m["html"] for m in events(amir, "message:created")] == [
        "<p>from amir</p>\n"
    ]
    assert events(amir, "typing") == []
    assert len(events(bystander, "message:created")) == 2
    history = join(amir, world.room)["messages"]
    assert [m["html"] for m in history] == ["<p>from amir</p>\n"]
    history = join(alice, world.room)["messages"]
    assert [m["html"] for m in history] == ["<p>from alice</p>\n"]


def test_block_hides_messages_both_ways(app, world, connect):
    safety.block(world.amir.id, actor=world.alice)
    alice, amir = connect(world.alice), connect(world.amir)
    join(alice, world.room)
    join(amir, world.room)
    alice.get_received()
    send(amir, world.room, "from amir")
    assert events(alice, "message:created") == []
    assert join(alice, world.room)["messages"] == []


def test_appear_offline_hides_presence_and_typing(app, world, connect):
    world.amir.profile.appear_offline = True
    db.session.commit()
    alice, amir = connect(world.alice), connect(world.amir)
    join(alice, world.room)
    alice.get_received()
    ack = join(amir, world.room)
    assert "Amir A" in [p["pseudonym"] for p in ack["presence"]]  # sees himself
    assert events(alice, "presence:changed") == []
    amir.emit("typing", {"room_id": world.room.public_id}, callback=True)
    assert events(alice, "typing") == []
    assert "Amir A" not in [p["pseudonym"] for p in join(alice, world.room)["presence"]]


def test_presence_join_and_leave(app, world, connect):
    alice, amir = connect(world.alice), connect(world.amir)
    join(alice, world.room)
    alice.get_received()
    ack = join(amir, world.room)
    assert sorted(p["pseudonym"] for p in ack["presence"]) == ["Alice A", "Amir A"]
    joined = events(alice, "presence:changed")
    assert [ch["joined"]["pseudonym"] for ch in joined[0]["changes"]] == ["Amir A"]
    amir.disconnect()
    left = events(alice, "presence:changed")
    assert left == [
        {
            "room_id": world.room.public_id,
            "changes": [{"left": world.amir.profile.public_id}],
        }
    ]


def test_unread_counts_and_read_position(app, world, connect, login_as):
    alice, amir = connect(world.alice), connect(world.amir)
    join(amir, world.room)
    ids = [send(amir, world.room, f"n{n}")["id"] for n in range(3)]
    page = login_as(world.alice).get("/rooms").get_data(as_text=True)
    assert '<span class="visually-hidden">3 unread messages</span>' in page
    join(alice, world.room)
    alice.emit(
        "room:read", {"room_id": world.room.public_id, "id": ids[1]}, callback=True
    )
    page = login_as(world.alice).get("/rooms").get_data(as_text=True)
    assert '<span class="visually-hidden">1 unread message</span>' in page


def test_events_after_logout_are_refused(app, world, login_as, socket_client):
    from sqlalchemy import delete

    from network.models import AuthSession

    alice = socket_client(login_as(world.alice))
    join(alice, world.room)
    db.session.execute(delete(AuthSession))
    db.session.commit()
    assert send(alice, world.room) == {"ok": False, "error": "unauthorized"}
    assert db.session.scalar(select(func.count(Message.id))) == 0


def test_heartbeat_clears_sockets_of_a_dead_process(app, world):
    from datetime import timedelta

    from network import realtime
    from network.models import LiveSocket, ServerProcess, utcnow

    db.session.add(
        ServerProcess(host_id="dead-host", seen_at=utcnow() - timedelta(minutes=5))
    )
    db.session.add(
        LiveSocket(sid="ghost-sid", account_id=world.alice.id, host_id="dead-host")
    )
    db.session.add(
        RoomPresence(sid="ghost-sid", room_id=world.room.id, account_id=world.alice.id)
    )
    db.session.commit()
    assert realtime.heartbeat() == 1
    assert db.session.get(LiveSocket, "ghost-sid") is None
    assert db.session.scalar(select(func.count(RoomPresence.sid))) == 0
    assert db.session.get(ServerProcess, realtime.HOST_ID) is not None
    assert db.session.get(ServerProcess, "dead-host") is None


def test_retry_of_stored_message_is_acknowledged_even_when_rate_limited(
    app, world, connect, frozen_clock
):
    alice = connect(world.alice)
    join(alice, world.room)
    payload = {
        "room_id": world.room.public_id,
        "body": "first",
        "client_msg_id": "retry-after-burst",
    }
    first = alice.emit("message:send", payload, callback=True)
    for n in range(15):
        send(alice, world.room, f"burst {n}")
    assert send(alice, world.room)["error"] == "rate_limited"
    again = alice.emit("message:send", payload, callback=True)
    assert again == first
    assert (
        db.session.scalar(
            select(func.count(Message.id)).where(
                Message.client_msg_id == "retry-after-burst"
            )
        )
        == 1
    )

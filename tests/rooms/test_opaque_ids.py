"""Ids a member sees reveal no activity they could not see (issue 9, item 6)."""

from __future__ import annotations

import re

from sqlalchemy import select

from network.extensions import db
from network.models import Block, Message
from network.safety import services as safety
from tests.conftest import post_form
from tests.conftest import events
from tests.rooms.page_data import page_messages
from tests.rooms.test_sockets import join, send

MISSING = "no-such-message-id-000"


def _opaque(value) -> bool:
    return isinstance(value, str) and len(value) >= 16 and not value.isdigit()


def test_member_consecutive_message_ids_reveal_nothing(app, world, connect):
    """Alice's two message ids, with a message she never saw between them, are
    opaque strings: no order, no gap can be read from them."""
    safety.block(world.amir.id, actor=world.alice)
    alice, amir = connect(world.alice), connect(world.amir)
    join(alice, world.room)
    join(amir, world.room)
    first = send(alice, world.room, "one")["id"]
    send(amir, world.room, "unseen by alice")
    second = send(alice, world.room, "two")["id"]
    assert _opaque(first) and _opaque(second)
    shown = [m["id"] for m in join(alice, world.room)["messages"]]
    assert shown == [first, second]  # still database order, ids say nothing
    for m in events(alice, "message:created"):
        assert _opaque(m["id"])
    stored = db.session.scalars(select(Message).order_by(Message.id)).all()
    assert [m.public_id for m in stored if m.author_id == world.alice.id] == shown


def test_message_hidden_never_carries_an_id_the_listener_did_not_receive(
    app, world, connect
):
    safety.block(world.amir.id, actor=world.alice)
    alice, amir, lead = connect(world.alice), connect(world.amir), connect(world.lead_a)
    for sock in (alice, amir, lead):
        join(sock, world.room)
    alice.get_received()
    unseen = send(amir, world.room, "alice never sees this")["id"]
    ack = lead.emit(
        "message:hide",
        {"room_id": world.room.public_id, "id": unseen, "reason": "off topic"},
        callback=True,
    )
    assert ack["ok"]
    received = alice.get_received()
    got = {e["args"][0]["id"] for e in received if e["name"] == "message:created"}
    hidden = [e["args"][0] for e in received if e["name"] == "message:hidden"]
    assert all(h["id"] in got for h in hidden)
    assert hidden == []


def _answers(sock, room, message_id):
    rid = room.public_id
    calls = [
        ("message:history", {"room_id": rid, "after_id": message_id}),
        ("message:history", {"room_id": rid, "before_id": message_id}),
        ("room:read", {"room_id": rid, "id": message_id}),
        ("message:edit", {"room_id": rid, "id": message_id, "body": "x"}),
        ("message:delete", {"room_id": rid, "id": message_id}),
        ("message:source", {"room_id": rid, "id": message_id}),
        ("message:hide", {"room_id": rid, "id": message_id, "reason": "r"}),
        ("message:pin", {"room_id": rid, "id": message_id}),
    ]
    return [sock.emit(name, data, callback=True) for name, data in calls]


def test_guessed_or_foreign_public_id_answers_like_a_missing_one(app, world, connect):
    lead = connect(world.lead_a)
    join(lead, world.room)
    join(lead, world.partner_room)
    foreign = send(lead, world.partner_room, "elsewhere")["id"]
    internal = db.session.scalar(select(Message.id))
    missing = _answers(lead, world.room, MISSING)
    assert all(not a["ok"] for a in missing)
    assert _answers(lead, world.room, foreign) == missing
    assert _answers(lead, world.room, str(internal)) == missing
    # room:join with an unknown after_id answers as with a missing one.
    a = join(lead, world.room, after_id=foreign)
    b = join(lead, world.room, after_id=MISSING)
    assert a["messages"] == b["messages"] and a["more"] == b["more"]


def test_room_page_and_report_link_use_public_ids(app, world, connect, login_as):
    alice, amir = connect(world.alice), connect(world.amir)
    join(alice, world.room)
    app.config["SOCKET_RATELIMIT_ENABLED"] = False
    ids = [send(alice, world.room, f"m{n}")["id"] for n in range(51)]
    client = login_as(world.amir)
    page = client.get(f"/rooms/{world.room.public_id}").get_data(as_text=True)
    assert [m["id"] for m in page_messages(page)] == ids[-50:]
    assert f"before={ids[1]}" in page
    # The renderer links a report as data-report-url?message=<the public id>.
    assert 'data-report-url="/reports/new"' in page
    older = client.get(f"/rooms/{world.room.public_id}?before={ids[1]}")
    assert page_messages(older.get_data(as_text=True))[-1]["id"] == ids[0]
    assert client.get(f"/reports/new?message={ids[-1]}").status_code == 200
    internal = db.session.scalar(select(Message.id).order_by(Message.id.desc()))
    assert client.get(f"/reports/new?message={internal}").status_code == 404
    assert client.get(f"/reports/new?message={MISSING}").status_code == 404
    assert amir.is_connected()


def test_unblock_uses_the_blocks_public_id(app, world, login_as):
    row = safety.block(world.amir.id, actor=world.alice)
    client = login_as(world.alice)
    page = client.get("/account/blocks").get_data(as_text=True)
    assert _opaque(row.public_id)
    assert f"/account/blocks/{row.public_id}/remove" in page
    assert f"/account/blocks/{row.id}/remove" not in page
    url = f"/account/blocks/{row.public_id}/remove"
    post_form(client, url, {}, token_from="/account/blocks")
    assert db.session.scalar(select(Block.id)) is None


def test_audit_log_pages_by_public_id(app, world, login_as):
    """A lead's "older entries" cursor does not count other organizations' events."""
    from network import audit
    from network.models import AuditEvent

    for n in range(51):
        audit.record("test.event", actor=world.lead_a, organization=world.org_a, n=n)
    db.session.commit()
    client = login_as(world.lead_a)
    page = client.get(f"/orgs/{world.org_a.public_id}/audit").get_data(as_text=True)
    cursor = re.search(r"before=([^&\"]+)", page).group(1)
    assert _opaque(cursor)
    assert db.session.scalar(
        select(AuditEvent.id).where(AuditEvent.public_id == cursor)
    )
    older = client.get(f"/orgs/{world.org_a.public_id}/audit?before={cursor}")
    assert older.status_code == 200 and "n: 0" in older.get_data(as_text=True)

"""Presence over sockets: someone away shows as away; that it is a break only
reaches those allowed (never a peer, never another organization)."""

from __future__ import annotations

import json

from network.availability import services
from network.moderation import services as moderation
from network.rooms import services as rooms
from network.supervision import services as supervision
from tests.availability.conftest import hours_excluding_now
from tests.conftest import events


def join(sock, room):
    ack = sock.emit("room:join", {"room_id": room.public_id}, callback=True)
    assert ack["ok"] is True, ack
    return ack


def _presence_of(ack, account):
    return next(p for p in ack["presence"] if p["id"] == account.profile.public_id)


def test_someone_outside_their_hours_shows_away(app, world, connect):
    hours_excluding_now(world.alice)
    alice, amir = connect(world.alice), connect(world.amir)
    join(alice, world.room)
    ack = join(amir, world.room)
    person = _presence_of(ack, world.alice)
    assert person["away"] is True and "break" not in person
    assert "away" not in _presence_of(ack, world.amir)


def test_a_peer_sees_away_never_break_live_or_listed(app, world, connect):
    services.start_break(None, actor=world.alice)
    amir = connect(world.amir)
    join(amir, world.room)
    amir.get_received()
    alice = connect(world.alice)
    own = join(alice, world.room)
    assert _presence_of(own, world.alice)["break"] is True  # she sees her own
    changes = events(amir, "presence:changed")
    joined = [
        c["joined"] for batch in changes for c in batch["changes"] if "joined" in c
    ]
    assert joined and joined[0]["away"] is True and "break" not in joined[0]
    listed = _presence_of(join(connect(world.amir), world.room), world.alice)
    assert listed["away"] is True and "break" not in listed


def test_lead_sees_break_only_when_shared(app, world, connect):
    services.start_break(None, actor=world.alice)
    join(connect(world.alice), world.room)
    lead = connect(world.lead_a)
    assert "break" not in _presence_of(join(lead, world.room), world.alice)
    services.set_share(True, actor=world.alice)
    assert _presence_of(join(connect(world.lead_a), world.room), world.alice)["break"]


def test_facilitator_of_her_supervision_room_sees_break(app, world, connect):
    circle = rooms.create_room(
        world.org_a, actor=world.lead_a, name="Circle", kind="supervision"
    )
    supervision.invite(circle, world.alice, actor=world.lead_a)
    supervision.respond_to_invitation(circle, True, actor=world.alice)
    moderation.set_facilitator(circle, world.amir, True, actor=world.lead_a)
    services.start_break(None, actor=world.alice)
    join(connect(world.alice), world.room)
    seen = _presence_of(join(connect(world.amir), world.room), world.alice)
    assert seen["away"] is True and seen["break"] is True


def test_another_organization_never_gets_the_break_state(app, world, connect):
    # Bea (partner org B) shares the partner room with Alice, who is on a break
    # and shares it with her leads: Bea's payloads carry "away" and nothing more.
    services.set_share(True, actor=world.alice)
    services.start_break(None, actor=world.alice)
    bea = connect(world.bea)
    ack = join(bea, world.partner_room)
    bea.get_received()
    alice = connect(world.alice)
    join(alice, world.partner_room)
    # The marker: a message Alice sends after joining; once Bea has it, every
    # earlier payload (the presence batch) has reached her too.
    sent = alice.emit(
        "message:send",
        {
            "room_id": world.partner_room.public_id,
            "body": "marker",
            "client_msg_id": "mk-0000001",
        },
        callback=True,
    )
    assert sent["ok"] is True
    received = bea.get_received()
    assert any(e["name"] == "message:created" for e in received)
    joined = [
        c["joined"]
        for e in received
        if e["name"] == "presence:changed"
        for c in e["args"][0]["changes"]
        if "joined" in c
    ]
    assert joined and joined[0]["away"] is True
    assert '"break"' not in json.dumps([e["args"] for e in received])
    listed = _presence_of(join(connect(world.bea), world.partner_room), world.alice)
    assert "break" not in listed and ack["ok"]


def test_a_held_notification_pushes_its_count_only_when_released(app, world, connect):
    from datetime import timedelta

    from network.extensions import db
    from network.models import Notification
    from network.notifications.services import mark_all_read, notify
    from sqlalchemy import select

    hours_excluding_now(world.alice)
    alice = connect(world.alice)
    alice.get_received()
    notify(world.alice.id, "approved", link="/")
    db.session.commit()
    # The marker: marking all read pushes the count; the held one is not in it
    # and pushed nothing before it.
    mark_all_read(actor=world.alice)
    assert events(alice, "notification:count") == [{"count": 0}]
    row = db.session.scalar(select(Notification))
    assert row.read_at is None  # held: not marked read either
    services.release_held(row.visible_from + timedelta(seconds=1))
    assert events(alice, "notification:count") == [{"count": 1}]


def test_starting_and_ending_a_break_tells_the_room_away_never_why(app, world, connect):
    alice, amir = connect(world.alice), connect(world.amir)
    join(alice, world.room)
    join(amir, world.room)
    amir.get_received()
    services.start_break(None, actor=world.alice)
    services.end_break(actor=world.alice)
    changes = [
        c
        for batch in events(amir, "presence:changed")
        for c in batch["changes"]
        if "away" in c
    ]
    who = world.alice.profile.public_id
    assert changes == [
        {"away": {"id": who, "away": True}},
        {"away": {"id": who, "away": False}},
    ]

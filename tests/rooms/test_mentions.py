"""Mentions: suggested and resolved only among people the writer may see in the
room (and who can read it); a mention of anyone else is plain text and notifies
nobody (proved with a marker notification sent after it)."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select

from network.extensions import db
from network.models import Message, Notification, RoomMember, TrustLevel
from network.notifications.services import notify
from network.rooms import mentions
from network.rooms import services as rooms
from network.safety import services as safety
from tests import factories
from tests.rooms.apart import join, send
from tests.conftest import events
from tests.rooms.test_statement_budget import counted

_ids = itertools.count(1)


def _in(room, *people):
    for person in people:
        rooms.ensure_member(room, person)
    db.session.commit()


def _kinds(account) -> list[tuple[str, int | None]]:
    db.session.expire_all()
    return [
        (n.kind, n.room_id)
        for n in db.session.scalars(
            select(Notification)
            .where(Notification.account_id == account.id)
            .order_by(Notification.id)
        )
    ]


def _suggest(sock, room, prefix: str) -> list[str]:
    ack = sock.emit(
        "mention:suggest",
        {"room_id": room.public_id, "prefix": prefix},
        callback=True,
    )
    assert ack["ok"], ack
    return [p["name"] for p in ack["people"]]


def _marker(account) -> None:
    """A positive control sent after the thing that must not have happened."""
    notify(account.id, "approved", link="/")
    db.session.commit()


@pytest.fixture
def crowd(world):
    """Alice writes in the partner room; Amir (same org), Bea (partner) are there;
    Cole's org does not collaborate; Blocked and Apart are in the room but kept
    away from Alice."""
    room = world.partner_room
    blocked = factories.make_member(world.org_a, pseudonym="Bramble")
    apart = factories.make_member(world.org_a, pseudonym="Brook")
    _in(room, world.alice, world.amir, world.bea, world.cole, blocked, apart)
    safety.block(blocked.id, actor=world.alice)
    factories.separate(apart, world.alice)  # Brook asked to be kept apart
    db.session.commit()
    return world, room, blocked, apart


def test_suggestions_list_only_people_the_writer_may_see_there(crowd, connect):
    world, room, blocked, apart = crowd
    sock = connect(world.alice)
    assert join(sock, room)["ok"]
    assert _suggest(sock, room, "") == ["Amir A", "Bea B"]
    assert _suggest(sock, room, "b") == ["Bea B"]  # not Bramble, not Brook
    assert _suggest(sock, room, "c") == []  # Cole: trust below collaborate
    assert _suggest(sock, room, "al") == []  # never oneself


def test_suggest_in_a_room_one_may_not_see_answers_like_a_missing_one(crowd, connect):
    world, room, *_ = crowd
    sock = connect(world.cole)
    hidden = sock.emit(
        "mention:suggest",
        {"room_id": world.room.public_id, "prefix": ""},
        callback=True,
    )
    missing = sock.emit(
        "mention:suggest", {"room_id": "x" * 22, "prefix": ""}, callback=True
    )
    assert hidden == missing == {"ok": False, "error": "not_found"}


def test_a_mention_notifies_the_person_live_and_renders_highlighted(crowd, connect):
    world, room, *_ = crowd
    alice, bea = connect(world.alice), connect(world.bea)
    assert join(alice, room)["ok"]
    bea.get_received()
    ack = send(alice, room, "Thanks @**Bea B** for the notes")
    assert ack["ok"]
    assert _kinds(world.bea) == [("mention", room.id)]
    assert events(bea, "notification:count") == [{"count": 1}]
    message = db.session.scalar(select(Message).where(Message.public_id == ack["id"]))
    assert '<span class="mention">@Bea B</span>' in message.html
    link = db.session.scalar(select(Notification.link))
    assert link == f"/rooms/{room.public_id}#message-{message.public_id}"


@pytest.mark.parametrize(
    "written", ["@**Bramble**", "@Bramble", "@**Brook**", "@**Cole C**"]
)
def test_a_mention_of_someone_hidden_from_the_writer_notifies_nobody(
    crowd, connect, written
):
    world, room, blocked, apart = crowd
    sock = connect(world.alice)
    assert join(sock, room)["ok"]
    ack = send(sock, room, f"hello {written} there")
    assert ack["ok"]
    for person in (blocked, apart, world.cole):
        _marker(person)
        assert _kinds(person) == [("approved", None)]  # the marker, nothing before
    html = db.session.scalar(select(Message.html).where(Message.public_id == ack["id"]))
    # Drawn as any @**Name** is, resolved or not: readers learn nothing from it.
    assert html == mentions.render(f"hello {written} there")
    assert "<strong>" not in html


def test_plain_at_name_resolves_and_the_writer_is_never_notified(crowd, connect):
    world, room, *_ = crowd
    juniper = factories.make_member(world.org_a, pseudonym="Juniper")
    _in(room, juniper)
    sock = connect(world.amir)
    assert join(sock, room)["ok"]
    ack = send(sock, room, "@juniper, @Alice and @**Amir A** myself")
    assert ack["ok"]
    _marker(world.amir)
    assert _kinds(world.amir) == [("approved", None)]
    assert _kinds(juniper) == [("mention", room.id)]
    _marker(world.alice)  # "Alice A" has a space: @Alice is plain text
    assert _kinds(world.alice) == [("approved", None)]
    html = db.session.scalar(select(Message.html).where(Message.public_id == ack["id"]))
    assert "<p>@juniper, @Alice and" in html  # a plain @name stays plain text


def test_a_muted_room_does_not_notify_and_edits_never_notify(crowd, connect):
    world, room, *_ = crowd
    row = db.session.scalar(
        select(RoomMember).where(
            RoomMember.room_id == room.id, RoomMember.account_id == world.bea.id
        )
    )
    row.notifications_muted = True
    db.session.commit()
    sock = connect(world.alice)
    assert join(sock, room)["ok"]
    assert send(sock, room, "@**Bea B** muted")["ok"]
    ack = send(sock, room, "plain first")
    edited = sock.emit(
        "message:edit",
        {"room_id": room.public_id, "id": ack["id"], "body": "now @**Amir A**"},
        callback=True,
    )
    assert edited["ok"], edited
    for person in (world.bea, world.amir):
        _marker(person)
        assert _kinds(person) == [("approved", None)]
    html = db.session.scalar(select(Message.html).where(Message.public_id == ack["id"]))
    assert '<span class="mention">@Amir A</span>' in html  # still highlighted


def test_a_shared_name_needs_its_tag(world, connect):
    room = world.room
    twin_one = factories.make_member(world.org_a, pseudonym="Willow Tree")
    twin_two = factories.make_member(world.org_a, pseudonym="Willow Tree")
    _in(room, world.alice, twin_one, twin_two)
    sock = connect(world.alice)
    assert join(sock, room)["ok"]
    ack = sock.emit(
        "mention:suggest", {"room_id": room.public_id, "prefix": "wil"}, callback=True
    )
    inserts = sorted(p["insert"] for p in ack["people"])
    assert inserts == sorted(f"@**Willow Tree|{p.tag}**" for p in (twin_one, twin_two))
    assert send(sock, room, "@**Willow Tree** ambiguous")["ok"]
    assert send(sock, room, f"@**Willow Tree|{twin_two.tag}** you")["ok"]
    _marker(twin_one)
    assert _kinds(twin_one) == [("approved", None)]
    assert _kinds(twin_two) == [("mention", room.id)]


def test_someone_who_can_no_longer_read_the_room_is_not_mentionable(world, connect):
    room = world.partner_room
    _in(room, world.alice, world.bea)
    factories.set_trust(world.org_a, world.org_b, TrustLevel.SEE)  # below collaborate
    sock = connect(world.alice)
    assert _suggest(sock, room, "") == []
    assert send(sock, room, "@**Bea B** hi")["ok"]
    _marker(world.bea)
    assert _kinds(world.bea) == [("approved", None)]


def test_message_send_with_mentions_runs_a_fixed_number_of_statements(world, connect):
    room = world.room
    extra = [
        factories.make_member(world.org_a, pseudonym=f"Reader {n}") for n in range(4)
    ]
    _in(room, world.alice, world.amir, *extra)
    sock = connect(world.alice)
    assert join(sock, room)["ok"]
    assert send(sock, room, "warm up")["ok"]
    with counted() as plain:
        assert send(sock, room, "no mentions here")["ok"]
    with counted() as one:
        assert send(sock, room, "@**Amir A** one")["ok"]
    with counted() as many:
        names = " ".join(f"@**Reader {n}**" for n in range(4))
        assert send(sock, room, f"{names} all of you")["ok"]
    # Resolving the names is one statement; notifying is a fixed few (mute,
    # collapse, insert, counts, email stamp), whoever and however many.
    assert len(many) == len(one), (len(plain), len(one), len(many))
    assert len(one) - len(plain) <= 6, one


def test_suggestions_are_rate_limited(world, connect, app):
    app.config["SOCKET_LIMITS"] = {**app.config["SOCKET_LIMITS"], "mention": "2/minute"}
    _in(world.room, world.alice)
    sock = connect(world.alice)
    payload = {"room_id": world.room.public_id, "prefix": "a"}
    answers = [sock.emit("mention:suggest", payload, callback=True) for _ in range(3)]
    assert [a["ok"] for a in answers] == [True, True, False]
    assert answers[2]["error"] == "rate_limited"


def test_the_rendering_never_says_who_resolved():
    """One HTML for every reader: a kept-apart reader cannot tell from it that
    the person named is in the room."""
    assert mentions.render("hi @**Willow Tree|K7QX** and @**Nobody**") == (
        '<p>hi <span class="mention">@Willow Tree · K7QX</span> and '
        '<span class="mention">@Nobody</span></p>\n'
    )
    assert mentions.render("`@**code**` **bold**") == (
        "<p><code>@**code**</code> <strong>bold</strong></p>\n"
    )

"""Socket matrix for rooms: every event x role x trust relation, 0 leaks."""

from __future__ import annotations

import pytest

from network.models import Role, Status, TrustLevel
from network.rooms import services
from tests import factories

ACTORS = [
    "admin",
    "lead_a",
    "moderator_a",
    "member_a",
    "pending_a",
    "suspended_a",
    "collab_b",
    "see_c",
    "none_d",
    "anonymous",
]
CONNECTED = {
    "admin",
    "lead_a",
    "moderator_a",
    "member_a",
    "collab_b",
    "see_c",
    "none_d",
}
HOST = {"lead_a", "moderator_a", "member_a"}
MODERATORS = {"lead_a", "moderator_a"}  # host lead and moderator; never partners


@pytest.fixture
def net(app):
    org_a, org_b, org_c = factories.three_orgs(("A", "B", "C"))
    org_d = factories.make_org("D")  # no trust with anyone
    actors = {
        "admin": factories.make_admin(),
        "lead_a": factories.make_member(org_a, role=Role.LEAD),
        "moderator_a": factories.make_member(org_a, role=Role.MODERATOR),
        "member_a": factories.make_member(org_a),
        "pending_a": factories.make_member(org_a, status=Status.PENDING),
        "suspended_a": factories.make_member(org_a, status=Status.SUSPENDED),
        "collab_b": factories.make_member(org_b),
        "see_c": factories.make_member(org_c),
        "none_d": factories.make_member(org_d),
        "anonymous": None,
    }
    author = factories.make_member(org_a, pseudonym="Room Author")
    rooms = {
        "org": factories.make_room(org_a, name="Org room"),
        "partners": factories.make_room(
            org_a, visibility="partners", name="Partner room"
        ),
    }
    # A direct conversation of the author and member_a (same organization): its
    # two members only; no lead, moderator, partner or admin reaches it.
    rooms["direct"] = factories.make_conversation(author, actors["member_a"])
    own = {}
    for kind, room in rooms.items():
        services.ensure_member(room, author)
        own[kind] = services.send_message(
            room, actor=author, body="existing secret", client_msg_id=f"existing-{kind}"
        )
    return actors, author, rooms, own


def _allowed(actor: str, kind: str) -> bool:
    if kind == "direct":
        return actor == "member_a"
    return actor in HOST or (kind == "partners" and actor == "collab_b")


def _events(room, message):
    rid = room.public_id
    return [
        ("room:join", {"room_id": rid, "after_id": None}),
        ("message:history", {"room_id": rid, "before_id": None}),
        (
            "message:send",
            {"room_id": rid, "body": "probe", "client_msg_id": "probe-0001"},
        ),
        ("typing", {"room_id": rid}),
        ("room:read", {"room_id": rid, "id": message.public_id}),
        ("message:edit", {"room_id": rid, "id": message.public_id, "body": "hijack"}),
        ("message:delete", {"room_id": rid, "id": message.public_id}),
        ("message:source", {"room_id": rid, "id": message.public_id}),
        ("support:alert", {"room_id": rid}),
        ("message:pin", {"room_id": rid, "id": message.public_id}),
        ("message:hide", {"room_id": rid, "id": message.public_id, "reason": "matrix"}),
        ("room:leave", {"room_id": rid}),
    ]


@pytest.mark.parametrize("kind", ["org", "partners", "direct"])
@pytest.mark.parametrize("actor", ACTORS)
def test_room_socket_matrix(app, net, login_as, socket_client, connect, actor, kind):
    actors, author, rooms, own = net
    room = rooms[kind]
    sock = socket_client(login_as(actors[actor]))
    if actor not in CONNECTED:
        assert not sock.is_connected()
        return
    allowed = _allowed(actor, kind)
    for event, payload in _events(room, own[kind]):
        ack = sock.emit(event, payload, callback=True)
        if event == "support:alert" and kind == "direct" and allowed:
            # Nobody watches over a direct conversation: nobody to alert.
            assert ack == {"ok": False, "error": "unreachable"}, (event, ack)
        elif event in ("message:pin", "message:hide"):
            if actor in MODERATORS and kind != "direct":
                assert ack["ok"] is True, (event, ack)
            else:
                assert ack == {"ok": False, "error": "not_found"}, (event, ack)
                absent = sock.emit(
                    event, {**payload, "room_id": "no-such-room"}, callback=True
                )
                assert absent == ack
        elif event in ("message:edit", "message:delete", "message:source"):
            # Never allowed on someone else's message; same answer as a missing id.
            missing = sock.emit(
                event, {**payload, "id": "no-such-message-id"}, callback=True
            )
            assert ack == missing == {"ok": False, "error": "not_found"}
        elif allowed:
            assert ack["ok"] is True, (event, ack)
        else:
            assert ack == {"ok": False, "error": "not_found"}, (event, ack)
            absent = sock.emit(
                event, {**payload, "room_id": "no-such-room"}, callback=True
            )
            assert absent == ack
    # After all that, a new message reaches the actor only if allowed (0 leaks).
    received = sock.get_received()
    assert "existing secret" not in str(received) or allowed
    sock.emit("room:join", {"room_id": room.public_id}, callback=True)
    sock.get_received()
    author_sock = connect(author)
    author_sock.emit("room:join", {"room_id": room.public_id}, callback=True)
    author_sock.emit(
        "message:send",
        {
            "room_id": room.public_id,
            "body": "fresh news",
            "client_msg_id": "fresh-0001",
        },
        callback=True,
    )
    leaked = [e for e in sock.get_received() if "fresh news" in str(e)]
    assert bool(leaked) is allowed


# --- a third organization's partner room at every pair of trust levels -------------

LEVELS = [TrustLevel.NONE, TrustLevel.SEE, TrustLevel.COLLABORATE, TrustLevel.MESSAGE]


def _third_org_room(a_gives, b_gives):
    host, org_a, org_b = (factories.make_org(n) for n in ("Host", "Org A", "Org B"))
    factories.set_trust(host, org_a, TrustLevel.COLLABORATE)
    factories.set_trust(host, org_b, TrustLevel.COLLABORATE)
    factories.set_trust(org_a, org_b, a_gives, b_gives)
    room = factories.make_room(host, visibility="partners", partners=[org_a, org_b])
    lead = factories.make_member(host, role=Role.LEAD, pseudonym="Host Lead")
    member_a = factories.make_member(org_a, pseudonym="Aster Alpha")
    member_b = factories.make_member(org_b, pseudonym="Basil Beta")
    return room, lead, member_a, member_b


def _what_b_sees_of_a(connect, room, lead, member_a, member_b) -> dict:
    """Every room surface, from B's side, for what A does; proved live by a marker."""
    rid = room.public_id
    old = services.send_message(
        room, actor=member_a, body="aster history", client_msg_id="old-000001"
    )
    host, sock_a, sock_b = connect(lead), connect(member_a), connect(member_b)
    host.emit("room:join", {"room_id": rid}, callback=True)
    sock_b.emit("room:join", {"room_id": rid}, callback=True)
    sock_b.get_received()
    joined_a = sock_a.emit("room:join", {"room_id": rid}, callback=True)
    sock_a.emit("typing", {"room_id": rid}, callback=True)
    sock_a.emit(
        "message:send",
        {"room_id": rid, "body": "aster live", "client_msg_id": "live-000001"},
        callback=True,
    )
    host.emit("message:pin", {"room_id": rid, "id": old.public_id}, callback=True)
    host.emit(
        "message:send",
        {"room_id": rid, "body": "marker", "client_msg_id": "mark-000001"},
        callback=True,
    )
    live = sock_b.get_received()
    assert "marker" in str(live)  # the stream reached B after everything A did
    names = {e["name"]: e["args"][0] for e in live}
    history = sock_b.emit("message:history", {"room_id": rid}, callback=True)
    rejoin = sock_b.emit("room:join", {"room_id": rid}, callback=True)
    return {
        "presence_live": "Aster Alpha" in str(names.get("presence:changed", "")),
        "presence_list": "Aster Alpha" in str(rejoin["presence"]),
        "typing": "typing" in names,
        "message_live": "aster live" in str(live),
        "history": "aster history" in str(history),
        "pinned": bool(
            [e for e in live if e["name"] == "room:pinned" and e["args"][0]["message"]]
        ),
        "a_sees_b": "Basil Beta" in str(joined_a["presence"]),
    }


@pytest.mark.parametrize("b_gives", LEVELS, ids=lambda level: f"b{level.label}")
@pytest.mark.parametrize("a_gives", LEVELS, ids=lambda level: f"a{level.label}")
def test_third_org_partner_room_at_every_trust_pair(app, connect, a_gives, b_gives):
    room, lead, member_a, member_b = _third_org_room(a_gives, b_gives)
    seen = _what_b_sees_of_a(connect, room, lead, member_a, member_b)
    expected = min(a_gives, b_gives) >= TrustLevel.COLLABORATE
    assert seen == dict.fromkeys(seen, expected)

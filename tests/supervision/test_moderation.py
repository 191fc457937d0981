"""Moderation tools: server-enforced, audited, live on every socket, host-only power."""

from __future__ import annotations

from sqlalchemy import func, select

from network.extensions import db
from network.models import AuditEvent, Message, Role, RoomMember
from network.moderation import services as moderation
from tests import factories
from tests.conftest import post_form
from tests.supervision.conftest import events, join, send


def _audit(action: str) -> AuditEvent:
    return db.session.scalar(select(AuditEvent).where(AuditEvent.action == action))


def test_hide_message_tells_author_why_not_who(app, world, connect):
    moderator = factories.make_member(
        world.org_a, role=Role.MODERATOR, pseudonym="Mod Moss"
    )
    mod, alice, amir = connect(moderator), connect(world.alice), connect(world.amir)
    for sock in (mod, alice, amir):
        join(sock, world.room)
    message_id = send(alice, world.room, "something unsafe")["id"]
    for sock in (alice, amir):
        sock.get_received()
    no_reason = mod.emit(
        "message:hide",
        {"room_id": world.room.public_id, "id": message_id},
        callback=True,
    )
    assert no_reason == {"ok": False, "error": "reason_required"}
    ack = mod.emit(
        "message:hide",
        {
            "room_id": world.room.public_id,
            "id": message_id,
            "reason": "identifying details",
        },
        callback=True,
    )
    assert ack["ok"]
    assert events(amir, "message:hidden") == [
        {"room_id": world.room.public_id, "id": message_id}
    ]
    assert events(amir, "message:hidden_notice") == []
    notice = events(alice, "message:hidden_notice")
    assert notice == [
        {
            "room_id": world.room.public_id,
            "id": message_id,
            "reason": "identifying details",
        }
    ]
    assert "Mod Moss" not in str(notice)
    history = join(amir, world.room)["messages"]
    assert history[-1]["hidden"] and history[-1]["html"] == ""
    assert "hidden_reason" not in history[-1]
    mine = join(alice, world.room)["messages"][-1]
    assert mine["hidden_reason"] == "identifying details"
    event = _audit("message.hidden")
    assert (event.actor_id, event.target_account_id, event.room_id) == (
        moderator.id,
        world.alice.id,
        world.room.id,
    )
    assert event.detail["reason"] == "identifying details" and event.created_at


def test_moderator_of_another_org_has_no_power(app, world, connect, login_as):
    partner_mod = factories.make_member(world.org_b, role=Role.MODERATOR)
    alice, sock = connect(world.alice), connect(partner_mod)
    join(alice, world.partner_room)
    assert join(sock, world.partner_room)["ok"]  # a member of the partner room...
    message_id = send(alice, world.partner_room, "hi")["id"]
    for event_name, payload in [
        ("message:hide", {"id": message_id, "reason": "x"}),
        ("message:pin", {"id": message_id}),
    ]:
        ack = sock.emit(
            event_name,
            {"room_id": world.partner_room.public_id, **payload},
            callback=True,
        )
        assert ack == {"ok": False, "error": "not_found"}  # ...with no power in it
    manage = f"/rooms/{world.partner_room.public_id}/manage"
    assert login_as(partner_mod).get(manage).status_code == 404
    assert (
        db.session.scalar(
            select(Message).where(Message.public_id == message_id)
        ).hidden_at
        is None
    )


def test_mute_lock_slow_mode_are_enforced_on_the_server(app, world, login_as, connect):
    lead = world.lead_a
    alice = connect(world.alice)
    join(alice, world.room)
    row = db.session.scalar(
        select(RoomMember).where(
            RoomMember.room_id == world.room.id, RoomMember.account_id == world.alice.id
        )
    )
    moderation.mute(world.room, row, 10, "cool off", actor=lead)
    assert events(alice, "room:muted")[0]["reason"] == "cool off"
    assert send(alice, world.room) == {"ok": False, "error": "muted"}
    assert (
        alice.emit("typing", {"room_id": world.room.public_id}, callback=True)["error"]
        == "muted"
    )
    moderation.unmute(world.room, row, actor=lead)
    assert send(alice, world.room)["ok"]
    moderation.set_lock(world.room, True, actor=lead)
    assert send(alice, world.room) == {"ok": False, "error": "locked"}
    lead_sock = connect(lead)
    join(lead_sock, world.room)
    assert send(lead_sock, world.room)["ok"]  # moderators can still post
    moderation.set_lock(world.room, False, actor=lead)
    moderation.set_slow_mode(world.room, 60, actor=lead)
    assert send(alice, world.room)["ok"]  # the first since it was switched on
    assert send(alice, world.room) == {"ok": False, "error": "slow_mode", "seconds": 60}
    assert send(lead_sock, world.room)["ok"]
    moderation.set_slow_mode(world.room, 0, actor=lead)
    assert send(alice, world.room)["ok"]
    actions = set(
        db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.room_id == world.room.id)
        )
    )
    assert {
        "member.muted",
        "member.unmuted",
        "room.locked",
        "room.unlocked",
        "room.slow_mode",
    } <= actions


def test_remove_and_ban_end_presence_at_once(app, world, login_as, connect):
    # Issue 15: the sockets stay (the page is told why) but leave the room's
    # broadcast for good: tests/rooms/test_shut_out.py proves nothing more arrives.
    alice = connect(world.alice)
    join(alice, world.room)
    manage = f"/rooms/{world.room.public_id}/manage"
    lead = login_as(world.lead_a)
    no_reason = post_form(
        lead,
        f"{manage}/ban",
        {"m-member": world.alice.profile.public_id},
        token_from=manage,
    )
    assert no_reason.status_code == 400 and alice.is_connected()
    post_form(
        lead,
        f"{manage}/ban",
        {
            "m-member": world.alice.profile.public_id,
            "m-reason": "threats",
        },
        token_from=manage,
    )
    told = {"room_id": world.room.public_id, "reason": "threats"}
    assert events(alice, "room:removed") == [told]
    again = connect(world.alice)
    refused = {"ok": False, "error": "removed", "reason": "threats"}
    assert join(again, world.room) == refused
    assert "Host only" not in login_as(world.alice).get("/rooms").get_data(as_text=True)
    amir = connect(world.amir)
    join(amir, world.room)
    post_form(
        lead,
        f"{manage}/remove",
        {
            "m-member": world.amir.profile.public_id,
            "m-reason": "off-topic",
        },
        token_from=manage,
    )
    told = {"room_id": world.room.public_id, "reason": "off-topic"}
    assert events(amir, "room:removed") == [told]
    for action in ("member.banned", "member.removed"):
        event = _audit(action)
        assert event.actor_id == world.lead_a.id and event.detail["reason"]


def test_pin_message(app, world, connect, login_as):
    lead, alice = connect(world.lead_a), connect(world.alice)
    join(lead, world.room)
    join(alice, world.room)
    message_id = send(lead, world.room, "Ground rules: be kind")["id"]
    alice.get_received()
    assert lead.emit(
        "message:pin",
        {"room_id": world.room.public_id, "id": message_id},
        callback=True,
    )["ok"]
    pinned = events(alice, "room:pinned")[0]["message"]
    assert pinned["id"] == message_id
    page = (
        login_as(world.amir)
        .get(f"/rooms/{world.room.public_id}")
        .get_data(as_text=True)
    )
    assert '<div id="pinned" class="pinned" >' in page  # not hidden
    assert "Ground rules: be kind" in page.split('id="pinned-body">')[1][:200]
    assert _audit("message.pinned").actor_id == world.lead_a.id


def test_moderating_a_room_one_does_not_moderate_changes_nothing(app, world, login_as):
    manage = f"/rooms/{world.room.public_id}/manage"
    for account in (world.alice, world.bea, world.cole):
        client = login_as(account)
        assert client.get(manage).status_code == 404
        response = post_form(client, f"{manage}/lock", {}, token_from="/logout")
        assert response.status_code == 404
        missing = post_form(
            client,
            "/rooms/no-such-room/manage/lock",
            {},
            token_from="/logout",
        )
        assert missing.get_data() == response.get_data()
    db.session.refresh(world.room)
    assert world.room.locked is False


def test_audit_log_filters_by_actor_action_and_room(app, world, login_as):
    moderation.set_lock(world.room, True, actor=world.lead_a)
    moderation.set_lock(world.partner_room, True, actor=world.lead_a)
    moderation.set_slow_mode(world.room, 5, actor=world.lead_a)
    base = f"/orgs/{world.org_a.public_id}/audit"
    client = login_as(world.lead_a)

    def rows(query: str) -> str:
        html = client.get(base + query).get_data(as_text=True)
        return html.split('id="audit-rows"')[1].split("</tbody>")[0]

    # Rows read as sentences (network/orgs/audit_text.py), not action codes.
    locked, slowed = " locked ", " changed slow mode in "
    only_room = rows(f"?room={world.room.public_id}")
    assert locked in only_room and slowed in only_room
    assert only_room.count(locked) == 1
    only_action = rows("?action=room.slow_mode")
    assert locked not in only_action and slowed in only_action
    by_actor = rows(f"?actor={world.lead_a.profile.public_id}")
    assert by_actor.count("<tr>") == 3
    by_other = rows(f"?actor={world.alice.profile.public_id}")
    assert by_other.count("<tr>") == 1 and "Nothing yet." in by_other
    assert client.get(base).status_code == 200
    moderator = factories.make_member(world.org_a, role=Role.MODERATOR)
    assert login_as(moderator).get(base).status_code == 404


def test_unmoderated_count(app, world):
    assert db.session.scalar(select(func.count(AuditEvent.id))) == 0

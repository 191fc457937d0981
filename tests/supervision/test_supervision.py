"""Supervision rooms: membership, ground rules, open only when supervised, sessions,
check-ins, step out, and "I need support"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from network import policy
from network.extensions import db
from network.models import (
    AuditEvent,
    CheckIn,
    Message,
    Room,
    RoomMember,
    SupervisionSession,
    SupportRequest,
    utcnow,
)
from network.supervision import services as supervision
from tests import factories
from tests.conftest import post_form
from tests.supervision.conftest import events, join, send, start_session


def test_open_only_when_supervised(app, world, sup, connect):
    room, fern, _ = sup
    alice = connect(world.alice)
    assert join(alice, room)["ok"]
    assert send(alice, room) == {"ok": False, "error": "closed"}
    assert (
        alice.emit("typing", {"room_id": room.public_id}, callback=True)["error"]
        == "closed"
    )
    fern_sock = connect(fern)
    alice.get_received()
    join(fern_sock, room)
    assert events(alice, "room:state") == [{"room_id": room.public_id, "open": True}]
    assert send(alice, room)["ok"]
    fern_sock.emit("room:leave", {"room_id": room.public_id}, callback=True)
    assert events(alice, "room:state")[-1]["open"] is False
    assert send(alice, room) == {"ok": False, "error": "closed"}
    start_session(room, fern)
    assert send(alice, room)["ok"]
    assert db.session.scalar(select(func.count(Message.id))) == 2


def test_rules_must_be_accepted_before_first_message(
    app, world, sup, connect, login_as
):
    room, fern, _ = sup
    newcomer = factories.make_member(world.org_a, pseudonym="New Nettle")
    supervision.invite(room, newcomer, actor=fern)
    supervision.respond_to_invitation(room, True, actor=newcomer)
    start_session(room, fern)
    sock = connect(newcomer)
    join(sock, room)
    assert send(sock, room) == {"ok": False, "error": "rules"}
    page = login_as(newcomer).get(f"/rooms/{room.public_id}").get_data(as_text=True)
    assert "Confidentiality" in page and "I accept the ground rules" in page
    post_form(
        login_as(newcomer), f"/rooms/{room.public_id}/rules", {}, token_from="/logout"
    )
    row = db.session.scalar(
        select(RoomMember).where(
            RoomMember.room_id == room.id, RoomMember.account_id == newcomer.id
        )
    )
    assert row.rules_accepted_at is not None
    assert db.session.scalar(
        select(AuditEvent.id).where(
            AuditEvent.action == "rules.accepted", AuditEvent.actor_id == newcomer.id
        )
    )
    assert send(sock, room)["ok"]


def test_invitation_and_join_request(app, world, sup, login_as, connect):
    room, fern, _ = sup
    outsider = factories.make_member(world.org_a, pseudonym="Out Olive")
    sock = connect(outsider)
    assert join(sock, room) == {"ok": False, "error": "not_found"}
    client = login_as(outsider)
    assert (
        "Circle" in client.get("/rooms").get_data(as_text=True).split("ask to join")[1]
    )
    post_form(client, f"/rooms/{room.public_id}/join-request", {}, token_from="/logout")
    assert join(sock, room)["error"] == "not_found"
    manage = f"/rooms/{room.public_id}/manage"
    response = post_form(
        login_as(fern),
        f"{manage}/approve",
        {"m-member": outsider.profile.public_id},
        token_from=manage,
    )
    assert response.status_code == 302
    assert join(sock, room)["ok"]
    # A partner member cannot even see a host-only supervision room.
    assert "Circle" not in login_as(world.bea).get("/rooms").get_data(as_text=True)


def test_schedule_sessions_in_own_time_zone_and_bad_times(app, world, sup, login_as):
    room, fern, _ = sup
    fern.profile.timezone = "America/Vancouver"
    world.alice.profile.timezone = "America/Halifax"
    db.session.commit()
    manage = f"/rooms/{room.public_id}/manage"
    client = login_as(fern)
    start = (
        (utcnow() + timedelta(days=2))
        .astimezone(__import__("zoneinfo").ZoneInfo("America/Vancouver"))
        .replace(hour=10, minute=0, second=0, microsecond=0)
    )
    data = {
        "session-facilitator": fern.profile.public_id,
        "session-topic": "Boundaries",
    }
    bad = post_form(
        client,
        f"{manage}/schedule",
        {
            **data,
            "session-starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "session-ends_at": (start - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        },
        token_from=manage,
    )
    assert bad.status_code == 400
    assert "The end must be after the start." in bad.get_data(as_text=True)
    assert db.session.scalar(select(func.count(SupervisionSession.id))) == 0
    not_facilitator = post_form(
        client,
        f"{manage}/schedule",
        {
            **data,
            "session-facilitator": world.alice.profile.public_id,
            "session-starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "session-ends_at": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        },
        token_from=manage,
    )
    assert "Choose one of the room&#39;s facilitators." in not_facilitator.get_data(
        as_text=True
    )
    ok = post_form(
        client,
        f"{manage}/schedule",
        {
            **data,
            "session-starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "session-ends_at": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        },
        token_from=manage,
    )
    assert ok.status_code == 302
    session = db.session.scalar(select(SupervisionSession))
    assert session.starts_at == start  # 10:00 Pacific, stored as UTC
    halifax = start.astimezone(__import__("zoneinfo").ZoneInfo("America/Halifax"))
    shown = halifax.strftime("%H:%M %Z")  # 14:00 AST (13:00 ADT in summer)
    alice_page = (
        login_as(world.alice).get(f"/rooms/{room.public_id}").get_data(as_text=True)
    )
    assert shown in alice_page
    home = login_as(world.alice).get("/").get_data(as_text=True)
    assert "Circle" in home and shown in home
    assert "Opens at" in alice_page


def test_check_in_is_private_unless_shared(app, world, sup, login_as):
    room, fern, _ = sup
    url = f"/rooms/{room.public_id}/check-in"
    early = post_form(
        login_as(world.alice),
        url,
        {"feeling": "3", "share": "private"},
        token_from="/logout",
    )
    assert early.status_code == 400  # no session yet
    session = start_session(room, fern)
    post_form(
        login_as(world.alice),
        url,
        {"feeling": "2", "word": "tired", "share": "private"},
        token_from="/logout",
    )
    post_form(
        login_as(world.amir),
        url,
        {"feeling": "4", "word": "steady", "share": "share"},
        token_from="/logout",
    )
    bad = post_form(login_as(world.amir), url, {"feeling": "9"}, token_from="/logout")
    assert bad.status_code == 400
    assert db.session.scalar(select(func.count(CheckIn.id))) == 2
    manage = (
        login_as(fern).get(f"/rooms/{room.public_id}/manage").get_data(as_text=True)
    )
    assert "steady" in manage and "tired" not in manage
    shared = supervision.shared_check_ins(session, fern)
    assert [(c.feeling, name) for c, name in shared] == [(4, world.amir.display_name)]
    alice_view = (
        login_as(world.alice).get(f"/rooms/{room.public_id}").get_data(as_text=True)
    )
    assert "tired" in alice_view and "steady" not in alice_view
    amir_view = (
        login_as(world.amir).get(f"/rooms/{room.public_id}").get_data(as_text=True)
    )
    assert "tired" not in amir_view


def test_step_out_is_quiet(app, world, sup, connect):
    room, fern, _ = sup
    alice, amir = connect(world.alice), connect(world.amir)
    join(alice, room)
    join(amir, room)
    alice.get_received()
    amir.emit("room:leave", {"room_id": room.public_id}, callback=True)
    received = alice.get_received()
    assert [e["name"] for e in received] == ["presence:changed"]
    assert received[0]["args"][0]["changes"] == [{"left": world.amir.profile.public_id}]
    assert db.session.scalar(select(func.count(Message.id))) == 0


def _connect_everyone(world, sup, connect):
    room, fern, moderator = sup
    others = {
        "alice": world.alice,
        "amir": world.amir,
        "lead_a": world.lead_a,
        "moderator": moderator,
        "bea": world.bea,
        "cole": world.cole,
        "fern": fern,
    }
    return {name: connect(account) for name, account in others.items()}


def test_support_alert_reaches_only_present_facilitators(app, world, sup, connect):
    room, fern, _ = sup
    socks = _connect_everyone(world, sup, connect)
    join(socks["fern"], room)
    join(socks["alice"], room)
    join(socks["amir"], room)
    for sock in socks.values():
        sock.get_received()
    ack = socks["alice"].emit(
        "support:alert", {"room_id": room.public_id}, callback=True
    )
    assert ack == {"ok": True, "online": True}
    for name, sock in socks.items():
        alerts = events(sock, "support:alert")
        if name == "fern":
            assert [a["from"] for a in alerts] == ["Alice A"]
        else:
            assert alerts == [], name


def test_support_alert_goes_to_leads_and_moderators_when_no_facilitator(
    app, world, sup, connect
):
    room, fern, _ = sup
    socks = _connect_everyone(world, sup, connect)
    join(socks["alice"], room)
    for sock in socks.values():
        sock.get_received()
    socks["alice"].emit("support:alert", {"room_id": room.public_id}, callback=True)
    got = {name for name, sock in socks.items() if events(sock, "support:alert")}
    assert got == {"lead_a", "moderator"}


def test_facilitator_opens_private_one_to_one_room(app, world, sup, connect, login_as):
    room, fern, _ = sup
    fern_sock, alice = connect(fern), connect(world.alice)
    join(fern_sock, room)
    fern_sock.get_received()
    alice.emit("support:alert", {"room_id": room.public_id}, callback=True)
    request_id = events(fern_sock, "support:alert")[0]["request_id"]
    denied = post_form(
        login_as(world.amir),
        f"/support/{request_id}/one-to-one",
        {},
        token_from="/logout",
    )
    assert denied.status_code == 404
    response = post_form(
        login_as(fern), f"/support/{request_id}/one-to-one", {}, token_from="/logout"
    )
    assert response.status_code == 302
    private = db.session.scalar(select(Room).where(Room.private.is_(True)))
    assert events(alice, "support:private_room")[0]["room_id"] == private.public_id
    assert policy.can_join_room(world.alice, private)
    assert policy.can_join_room(fern, private)
    assert not policy.can_join_room(world.amir, private)
    assert not policy.can_join_room(world.lead_a, private)
    assert "One-to-one" not in login_as(world.amir).get("/rooms").get_data(as_text=True)
    # Same rules: Alice accepts the ground rules, and it is open while Fern is there.
    supervision.accept_rules(private, actor=world.alice)
    join(alice, private)
    assert send(alice, private)["error"] == "closed"
    join(fern_sock, private)
    assert send(alice, private)["ok"]
    request = db.session.scalar(
        select(SupportRequest).where(SupportRequest.public_id == request_id)
    )
    assert request.handled_at is not None


@pytest.mark.parametrize("minutes", ["-5", "0", "99999999", "abc"])
def test_absurd_mute_lengths_change_nothing(app, world, sup, login_as, minutes):
    room, fern, _ = sup
    manage = f"/rooms/{room.public_id}/manage"
    response = post_form(
        login_as(fern),
        f"{manage}/mute",
        {
            "m-member": world.alice.profile.public_id,
            "m-minutes": minutes,
            "m-reason": "calm down",
        },
        token_from=manage,
    )
    assert response.status_code == 400
    row = db.session.scalar(
        select(RoomMember).where(
            RoomMember.room_id == room.id, RoomMember.account_id == world.alice.id
        )
    )
    assert row.muted_until is None


def _home_section(html: str, section_id: str) -> str:
    """The text of one <ul id=...> list on the home page ("" when absent)."""
    import re

    match = re.search(rf'<ul[^>]*id="{section_id}"[^>]*>(.*?)</ul>', html, re.S)
    return match.group(1) if match else ""


def test_home_lists_a_running_session_under_running_now(app, world, sup, login_as):
    room, fern, _ = sup
    start_session(room, fern)  # started 5 minutes ago
    later = utcnow() + timedelta(days=3)
    supervision.schedule(
        room,
        starts_at=later,
        ends_at=later + timedelta(hours=1),
        facilitator=fern,
        topic="Next week",
        actor=fern,
    )
    home = login_as(world.alice).get("/").get_data(as_text=True)
    assert "Running now" in home
    running = _home_section(home, "running-sessions")
    upcoming = _home_section(home, "upcoming-sessions")
    assert "Circle" in running and "Debrief" in running
    assert "Debrief" not in upcoming and "Next week" in upcoming

"""Removal, ban and suspension hold: the person's sockets leave the room for good,
a later join is refused with the reason, and they alone are told."""

from __future__ import annotations

from sqlalchemy import select

from network.extensions import db
from network.models import RoomMember
from network.moderation import services as moderation
from network.orgs import services as orgs
from tests import factories
from tests.conftest import events
from tests.rooms.test_sockets import join, send

REASON = "Repeated insults after a warning"


def _row(room, account) -> RoomMember:
    return db.session.scalar(
        select(RoomMember).where(
            RoomMember.room_id == room.id, RoomMember.account_id == account.id
        )
    )


def _in_room(world, connect):
    alice, amir = connect(world.alice), connect(world.amir)
    assert join(alice, world.room)["ok"] and join(amir, world.room)["ok"]
    alice.get_received(), amir.get_received()
    return alice, amir


def _holds(world, connect, alice, amir):
    """Alice hears nothing more of the room, and neither her open socket nor a
    new one (the automatic reconnect) can join or post again."""
    assert send(amir, world.room, "after")["ok"]
    assert events(alice, "message:created") == []
    assert events(amir, "room:removed") == []  # only she is told
    refused = {"ok": False, "error": "removed", "reason": REASON}
    assert join(alice, world.room) == refused
    again = connect(world.alice)
    assert join(again, world.room) == refused
    assert send(again, world.room)["error"] == "not_found"


def test_removed_member_is_told_why_and_cannot_rejoin_or_post(app, world, connect):
    alice, amir = _in_room(world, connect)
    moderation.remove(
        world.room, _row(world.room, world.alice), REASON, actor=world.lead_a
    )
    assert alice.is_connected()  # the page stays, it is told what happened
    removed = {"room_id": world.room.public_id, "reason": REASON}
    assert events(alice, "room:removed") == [removed]
    _holds(world, connect, alice, amir)


def test_banned_member_is_told_why_and_cannot_rejoin_or_post(app, world, connect):
    alice, amir = _in_room(world, connect)
    moderation.ban(
        world.room, _row(world.room, world.alice), REASON, actor=world.lead_a
    )
    removed = {"room_id": world.room.public_id, "reason": REASON}
    assert events(alice, "room:removed") == [removed]
    _holds(world, connect, alice, amir)


def test_removal_is_lifted_by_letting_back_in(app, world, connect):
    alice, _ = _in_room(world, connect)
    row = _row(world.room, world.alice)
    moderation.remove(world.room, row, REASON, actor=world.lead_a)
    moderation.unban(world.room, row, actor=world.lead_a)
    assert join(alice, world.room)["ok"]


def test_someone_never_removed_learns_nothing(app, world, connect):
    cole = connect(world.cole)
    assert join(cole, world.room) == {"ok": False, "error": "not_found"}


def test_suspended_member_is_told_access_is_paused(app, world, connect):
    alice, _ = _in_room(world, connect)
    orgs.suspend_membership(world.alice.membership, "review", actor=world.lead_a)
    told = [p["args"][0] for p in alice.queue if p["name"] == "account:paused"]
    assert told == [{}]  # received before the socket closed


def test_suspended_organization_members_are_told(app, world, connect):
    alice, _ = _in_room(world, connect)
    orgs.suspend_organization(world.org_a, actor=factories.make_admin())
    told = [p["args"][0] for p in alice.queue if p["name"] == "account:paused"]
    assert told == [{}]


def test_removed_member_reloading_the_room_is_told_why_others_see_not_found(
    app, world, connect, login_as
):
    """A reload after removal says so calmly, with the reason, to that person
    only; anyone else asking for the room (or a missing one) gets the ordinary
    not-found page."""
    _in_room(world, connect)
    moderation.remove(
        world.room, _row(world.room, world.alice), REASON, actor=world.lead_a
    )
    url = f"/rooms/{world.room.public_id}"
    page = login_as(world.alice).get(url)
    assert page.status_code == 404
    text = page.get_data(as_text=True)
    assert "You were removed from this room" in text and REASON in text
    missing = login_as(world.alice).get("/rooms/no-such-room-0000")
    assert missing.status_code == 404
    assert "You were removed" not in missing.get_data(as_text=True)
    outsider = factories.make_member(world.org_c, pseudonym="Outsider")
    theirs = login_as(outsider).get(url)
    assert theirs.status_code == 404
    assert "You were removed" not in theirs.get_data(as_text=True)
    assert REASON not in theirs.get_data(as_text=True)

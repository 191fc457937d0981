"""Message requests and direct conversations: services and pages."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from network import policy
from network.conversations import services
from network.errors import InputError, NotFound
from network.extensions import db
from network.models import (
    Block,
    Message,
    MessageRequest,
    Notification,
    Report,
    RoomMember,
    TrustLevel,
    utcnow,
)
from network.moderation import reports
from network.orgs import services as org_services
from network.safety import services as safety
from network.trust import services as trust
from tests import factories
from tests.conftest import csrf_token, mask_csrf


def _kinds(account) -> list[str]:
    return list(
        db.session.scalars(
            select(Notification.kind).where(Notification.account_id == account.id)
        )
    )


def test_accept_opens_a_room_of_exactly_the_two(app, pair):
    members = set(
        db.session.scalars(
            select(RoomMember.account_id).where(RoomMember.room_id == pair.room.id)
        )
    )
    assert members == {pair.alex.id, pair.bo.id}
    assert pair.room.kind == "direct" and pair.room.retention_days == 90
    first = db.session.scalar(select(Message).where(Message.room_id == pair.room.id))
    assert first.body == "Hello from Alex" and first.author_id == pair.alex.id
    assert _kinds(pair.bo) == ["message_request"]
    assert _kinds(pair.alex) == ["request_accepted"]


def test_request_text_is_plain_and_short(app, pair):
    other = factories.make_member(pair.org_y)
    with pytest.raises(InputError):
        services.send_request(other, actor=pair.alex, body="x" * 501)
    with pytest.raises(InputError):
        services.send_request(other, actor=pair.alex, body="   ")
    row = services.send_request(
        other, actor=pair.alex, body="**hi**", content_warning="grief"
    )
    assert row.body == "**hi**" and row.content_warning == "grief"


def test_cannot_ask_someone_one_is_already_talking_with(app, pair):
    with pytest.raises(InputError, match="already have a conversation"):
        services.send_request(pair.bo, actor=pair.alex, body="Again")


def test_direct_room_is_listed_only_on_the_conversations_page(app, pair, login_as):
    client = login_as(pair.alex)
    assert pair.room.public_id not in client.get("/rooms").get_data(as_text=True)
    page = client.get("/conversations").get_data(as_text=True)
    assert pair.room.public_id in page and "Bo Answer" in page
    home = client.get("/").get_data(as_text=True)
    assert pair.room.public_id not in home


@pytest.mark.parametrize("who", ["lead_x", "lead_y", "moderator_x", "admin"])
def test_no_lead_moderator_or_admin_reaches_a_direct_room(app, pair, login_as, who):
    actor = factories.make_admin() if who == "admin" else getattr(pair, who)
    client = login_as(actor)
    for suffix in ("", "/edit", "/manage"):
        shown = client.get(f"/rooms/{pair.room.public_id}{suffix}")
        absent = client.get(f"/rooms/missingMissing1{suffix}")
        assert shown.status_code == absent.status_code == 404
        assert mask_csrf(shown.get_data()) == mask_csrf(absent.get_data())
    assert not policy.can_moderate(actor, pair.room)
    assert not policy.can_manage_room(actor, pair.room)


def test_the_page_is_titled_with_the_other_person(app, pair, login_as):
    page = login_as(pair.bo).get(f"/rooms/{pair.room.public_id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Alex Ask" in text and "Leave conversation" in text
    assert "Messages are kept 90 days" in text
    for absent in (
        "Manage room",
        "Room settings",
        "Ask a facilitator",
        "I need support",
    ):
        assert absent not in text


def test_decline_is_silent_and_decline_and_block_blocks(app, pair, login_as):
    carol = factories.make_member(pair.org_x, pseudonym="Carol Ask")
    row = services.send_request(pair.bo, actor=carol, body="Talk?")
    client = login_as(pair.bo)
    assert "Talk?" in client.get("/conversations").get_data(as_text=True)
    token = csrf_token(client, "/conversations")
    response = client.post(
        f"/conversations/requests/{row.public_id}",
        data={"csrf_token": token, "action": "block"},
    )
    assert response.status_code == 302
    assert "Talk?" not in client.get("/conversations").get_data(as_text=True)
    assert db.session.get(MessageRequest, row.id).status == "declined"
    assert db.session.scalar(select(Block).where(Block.blocked_id == carol.id))
    assert _kinds(carol) == []  # the sender is told nothing
    # Answering again (or someone else's request) is the missing answer.
    again = client.post(
        f"/conversations/requests/{row.public_id}",
        data={"csrf_token": token, "action": "accept"},
    )
    assert again.status_code == 404


def test_accept_by_http_opens_the_conversation(app, pair, login_as):
    carol = factories.make_member(pair.org_x, pseudonym="Carol Ask")
    row = services.send_request(pair.bo, actor=carol, body="Talk?")
    client = login_as(pair.bo)
    token = csrf_token(client, "/conversations")
    response = client.post(
        f"/conversations/requests/{row.public_id}",
        data={"csrf_token": token, "action": "accept"},
    )
    assert response.status_code == 302 and "/rooms/" in response.location
    assert client.get(response.location).status_code == 200


def test_settings_choose_who_may_ask(app, pair, login_as):
    client = login_as(pair.bo)
    page = client.get("/account").get_data(as_text=True)
    assert "Who may ask to talk with you" in page
    token = csrf_token(client, "/account")
    form = {
        "csrf_token": token,
        "pseudonym": pair.bo.profile.pseudonym,
        "region": "",
        "timezone": "America/Toronto",
        "accept_requests": "nobody",
    }
    assert client.post("/account", data=form).status_code == 302
    assert pair.bo.profile.accept_requests == "nobody"
    assert not policy.can_request_message(factories.make_member(pair.org_x), pair.bo)


def _closed_for_both(client_a, client_b, room) -> None:
    for client in (client_a, client_b):
        page = client.get(f"/rooms/{room.public_id}")
        assert page.status_code == 404
        assert "This conversation is closed" in page.get_data(as_text=True)


CLOSERS = {
    "trust": lambda p: trust.set_trust(
        p.org_x, p.org_y, TrustLevel.COLLABORATE, actor=p.lead_x
    ),
    "block": lambda p: safety.block(p.alex.id, actor=p.bo),
    "separation": lambda p: safety.file_separation(p.bo, p.alex, actor=p.bo),
    "suspension": lambda p: org_services.suspend_membership(
        p.alex.membership, "safety", actor=p.lead_x
    ),
    "org_suspension": lambda p: org_services.suspend_organization(
        p.org_y, actor=factories.make_admin()
    ),
}


@pytest.mark.parametrize("closer", CLOSERS)
def test_changes_that_end_consent_close_the_conversation(app, pair, login_as, closer):
    client_a, client_b = login_as(pair.alex), login_as(pair.bo)
    CLOSERS[closer](pair)
    assert pair.room.closed_at is not None
    if closer not in ("suspension", "org_suspension"):
        _closed_for_both(client_a, client_b, pair.room)
    outsider = login_as(pair.lead_x).get(f"/rooms/{pair.room.public_id}")
    assert "This conversation is closed" not in outsider.get_data(as_text=True)


def test_the_policy_refuses_a_pair_no_longer_allowed_even_if_open(app, pair, login_as):
    """Belt and braces: trust rows changed behind the services' back."""
    factories.set_trust(pair.org_x, pair.org_y, TrustLevel.SEE)
    assert pair.room.closed_at is None
    with pytest.raises(NotFound):
        policy.access_room_context(pair.alex, pair.room.public_id)
    _closed_for_both(login_as(pair.alex), login_as(pair.bo), pair.room)


def test_raising_trust_again_does_not_reopen(app, pair):
    trust.set_trust(pair.org_x, pair.org_y, TrustLevel.SEE, actor=pair.lead_x)
    trust.set_trust(pair.org_x, pair.org_y, TrustLevel.MESSAGE, actor=pair.lead_x)
    assert policy.closed_conversation(pair.alex, pair.room.public_id)


def test_unrelated_trust_change_leaves_conversations_open(app, pair):
    org_z = factories.make_org("Org Z")
    factories.set_trust(pair.org_x, org_z, TrustLevel.MESSAGE)
    trust.set_trust(pair.org_x, org_z, TrustLevel.NONE, actor=pair.lead_x)
    assert pair.room.closed_at is None


def test_leaving_closes_it_for_both(app, pair, login_as):
    client_a = login_as(pair.alex)
    token = csrf_token(client_a, f"/rooms/{pair.room.public_id}")
    response = client_a.post(
        f"/conversations/{pair.room.public_id}/leave", data={"csrf_token": token}
    )
    assert response.status_code == 302
    _closed_for_both(client_a, login_as(pair.bo), pair.room)
    listing = client_a.get("/conversations").get_data(as_text=True)
    assert "closed" in listing


def test_a_reported_direct_message_carries_only_that_message(app, pair):
    message = db.session.scalar(select(Message).where(Message.room_id == pair.room.id))
    found = policy.access_reportable_message(pair.bo, message.public_id)
    report = reports.report_message(found, "harassment", "", actor=pair.bo)
    assert report.room_id is None and report.snapshot == "Hello from Alex"
    assert reports.report_room(report) is None
    # One row, for the reporter's own organization: no "host" copy.
    assert db.session.scalar(select(func.count(Report.id))) == 1
    assert report.routed_org_id == pair.org_y.id


def test_retention_purges_direct_messages_too(app, pair):
    from datetime import timedelta

    from network.rooms.history import purge_expired

    message = db.session.scalar(select(Message).where(Message.room_id == pair.room.id))
    message.created_at = utcnow() - timedelta(days=91)
    db.session.commit()
    assert purge_expired() == 1


def test_two_people_who_asked_each_other_get_one_conversation(app, pair):
    carol = factories.make_member(pair.org_x, pseudonym="Carol Ask")
    mine = services.send_request(carol, actor=pair.bo, body="Talk?")
    theirs = services.send_request(pair.bo, actor=carol, body="Talk too?")
    room = services.accept(mine, actor=carol)
    assert services.accept(theirs, actor=pair.bo).id == room.id


def test_a_member_reports_a_direct_message_and_the_reviewer_sees_only_it(
    app, pair, login_as
):
    message = db.session.scalar(select(Message).where(Message.room_id == pair.room.id))
    url = f"/reports/new?message={message.public_id}"
    assert login_as(pair.lead_x).get(url).status_code == 404  # not theirs to see
    client = login_as(pair.bo)
    assert client.get(url).status_code == 200
    token = csrf_token(client, url)
    sent = client.post(url, data={"csrf_token": token, "category": "harassment"})
    assert sent.status_code == 302
    report = db.session.scalar(select(Report))
    review = login_as(pair.lead_y).get(f"/moderation/reports/{report.public_id}")
    text = review.get_data(as_text=True)
    assert review.status_code == 200 and "Hello from Alex" in text
    assert pair.room.public_id not in text and "Direct conversation" not in text


def test_visible_rooms_agrees_with_can_join_room_for_direct_rooms(app, pair):
    from network.models import Room

    carol = factories.make_member(pair.org_x, pseudonym="Carol Ask")
    dana = factories.make_member(pair.org_y, pseudonym="Dana Answer")
    same_org = factories.make_conversation(carol, pair.alex)
    behind = factories.make_conversation(carol, dana)
    left = factories.make_conversation(dana, pair.bo)
    services.leave(left, actor=dana)
    # Trust rows lowered behind the services' back: the policy still refuses.
    factories.set_trust(pair.org_x, pair.org_y, TrustLevel.COLLABORATE)
    people = [pair.alex, pair.bo, carol, dana, pair.lead_x, pair.lead_y]
    people += [pair.moderator_x, factories.make_admin()]
    rooms = list(db.session.scalars(select(Room)))
    for person in people:
        listed = set(db.session.scalars(policy.visible_rooms(select(Room.id), person)))
        for room in rooms:
            assert (room.id in listed) == policy.can_join_room(person, room), (
                person.profile.pseudonym,
                room.id,
            )
    assert policy.can_join_room(carol, same_org) and policy.can_join_room(
        pair.alex, same_org
    )
    assert not policy.can_join_room(carol, behind)
    assert not policy.can_join_room(pair.alex, pair.room)
    assert not policy.can_join_room(pair.bo, left)


def test_sending_requests_is_rate_limited(app, frozen_clock, pair):
    others = [factories.make_member(pair.org_y) for _ in range(5)]
    for other in others[:4]:  # with the fixture's request: 5 in this minute
        row = services.send_request(other, actor=pair.alex, body="Hi")
        row.expires_at = utcnow()  # expired: the waiting limit is not what stops
    db.session.commit()
    with pytest.raises(InputError, match="Too many requests"):
        services.send_request(others[4], actor=pair.alex, body="Hi")
    frozen_clock.now += 61
    assert services.send_request(others[4], actor=pair.alex, body="Hi").delivered

"""Deleting an account: by its holder (password, second factor, CSRF), by a lead
for someone whose membership ended; what others see afterwards."""

from __future__ import annotations

import pyotp
from sqlalchemy import func, select

from network.accounts import deletion
from network.extensions import db
from network.models import Account, AuditEvent, AuthSession, Role, Status
from network.orgs import services as org_services
from network.rooms.messages import send_message
from tests import factories
from tests.conftest import post_form

URL = "/account/delete"


def _sessions(account_id: int) -> int:
    return db.session.scalar(
        select(func.count()).where(AuthSession.account_id == account_id)
    )


def test_deleting_asks_for_the_password_and_refuses_a_wrong_one(app, login_as):
    member = factories.make_member(factories.make_org())
    client = login_as(member)
    page = client.get(URL)
    assert page.status_code == 200 and "Delete my account" in page.get_data(True)
    wrong = post_form(client, URL, {"password": "not it at all"}, token_from=URL)
    assert wrong.status_code == 400
    assert "That is not your password." in wrong.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Account, member.id).deleted_at is None
    assert client.get("/account").status_code == 200  # still signed in


def test_deleting_without_a_csrf_token_changes_nothing(app, login_as):
    member = factories.make_member(factories.make_org())
    client = login_as(member)
    client.get(URL)
    for token in (None, "forged"):
        data = {"password": factories.PASSWORD}
        if token:
            data["csrf_token"] = token
        assert client.post(URL, data=data).status_code == 400
    db.session.expire_all()
    assert db.session.get(Account, member.id).deleted_at is None


def test_an_account_with_two_factor_needs_the_current_code(app, login_as):
    member = factories.make_member(factories.make_org())
    client = login_as(member)  # signed in first: two-factor login comes after
    secret = pyotp.random_base32()
    member.totp_secret = secret
    db.session.commit()
    assert "authenticator app" in client.get(URL).get_data(as_text=True)
    for code in ("", "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"):
        refused = post_form(
            client, URL, {"password": factories.PASSWORD, "code": code}, token_from=URL
        )
        assert refused.status_code == 400
        assert "That code is not right" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Account, member.id).deleted_at is None
    done = post_form(
        client,
        URL,
        {"password": factories.PASSWORD, "code": pyotp.TOTP(secret).now()},
        token_from=URL,
    )
    assert done.status_code == 302


def test_deletion_takes_the_shared_second_factor_check(app, login_as):
    """A code already used (replay) is refused; a recovery code works once."""
    from network.accounts import twofactor
    from tests.accounts.two_factor_helpers import code_at, enrol

    member = factories.make_member(factories.make_org())
    client = login_as(member)  # signed in first: two-factor login comes after
    secret, recovery = enrol(member)
    used = code_at(secret)
    assert twofactor.verify_second_factor(member, used)
    replayed = post_form(
        client, URL, {"password": factories.PASSWORD, "code": used}, token_from=URL
    )
    assert replayed.status_code == 400
    done = post_form(
        client,
        URL,
        {"password": factories.PASSWORD, "code": recovery[0]},
        token_from=URL,
    )
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Account, member.id).deleted_at is not None


def test_deleting_signs_out_everywhere_and_leaves_a_former_member(app, login_as):
    org = factories.make_org()
    member = factories.make_member(org, pseudonym="Gone Soon")
    other = factories.make_member(org)
    room = factories.make_room(org)
    send_message(room, actor=member, body="my old words", client_msg_id="x")
    elsewhere = login_as(member)  # a second browser of the same person
    client = login_as(member)
    assert _sessions(member.id) == 2
    done = post_form(client, URL, {"password": factories.PASSWORD}, token_from=URL)
    assert done.status_code == 302 and done.headers["Location"].endswith("/login")
    assert _sessions(member.id) == 0
    assert elsewhere.get("/account").status_code == 302  # to the sign-in page
    account = db.session.get(Account, member.id)
    assert account.login_name == "" and account.email is None
    assert account.profile is None and account.membership is None
    page = login_as(other).get(f"/rooms/{room.public_id}").get_data(as_text=True)
    assert "former member" in page
    assert "Gone Soon" not in page and "my old words" not in page
    assert "the text of their messages here is removed" in page


def test_a_lead_deletes_the_account_of_a_member_who_left(app, login_as):
    org = factories.make_org()
    lead = factories.make_member(org, role=Role.LEAD)
    member = factories.make_member(org, pseudonym="Left Already")
    org_services.suspend_membership(member.membership, "left", actor=lead)
    public_id = member.profile.public_id
    client = login_as(lead)
    url = f"/org/members/{public_id}/delete"
    detail = client.get(f"/org/members/{public_id}").get_data(as_text=True)
    assert "Delete this account" in detail
    asked = post_form(client, url, {}, token_from=f"/org/members/{public_id}")
    assert asked.status_code == 200  # the confirm step, nothing changed
    assert db.session.get(Account, member.id).deleted_at is None
    done = post_form(
        client, url, {"confirm": "1"}, token_from=f"/org/members/{public_id}"
    )
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Account, member.id).deleted_at is not None
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "account.erased")
    )
    assert event.target_account_id == member.id
    log = client.get(f"/orgs/{org.public_id}/audit").get_data(as_text=True)
    assert "a former member" in log and "Left Already" not in log


def test_a_lead_cannot_delete_an_active_member_or_another_orgs(app, login_as):
    org, other_org = factories.make_org(), factories.make_org()
    lead = factories.make_member(org, role=Role.LEAD)
    active = factories.make_member(org)
    foreign = factories.make_member(other_org, status=Status.SUSPENDED)
    client = login_as(lead)
    token_page = f"/org/members/{active.profile.public_id}"
    answers = set()
    for person in (active, foreign):
        url = f"/org/members/{person.profile.public_id}/delete"
        response = post_form(client, url, {"confirm": "1"}, token_from=token_page)
        answers.add((response.status_code, response.get_data(as_text=True)))
    missing = post_form(
        client, "/org/members/nobody/delete", {"confirm": "1"}, token_from=token_page
    )
    answers.add((missing.status_code, missing.get_data(as_text=True)))
    assert len(answers) == 1 and next(iter(answers))[0] == 404
    db.session.expire_all()
    assert db.session.get(Account, active.id).deleted_at is None
    assert db.session.get(Account, foreign.id).deleted_at is None


def test_audit_events_about_a_deleted_person_name_no_one(app, login_as):
    org = factories.make_org()
    lead = factories.make_member(org, role=Role.LEAD)
    member = factories.make_member(org, pseudonym="Named Before")
    org_services.suspend_membership(member.membership, "left", actor=lead)
    before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    deletion.delete_departed_member(member.membership, actor=lead)
    # Append-only: one new event, and no earlier one was changed (ids only).
    after = db.session.scalar(select(func.count()).select_from(AuditEvent))
    assert after == before + 1
    log = login_as(lead).get(f"/orgs/{org.public_id}/audit").get_data(as_text=True)
    assert "Named Before" not in log
    assert "suspended a former member" in log


def test_the_platform_admin_cannot_delete_itself_here(app, login_as):
    client = login_as(factories.make_admin())
    assert client.get(URL).status_code == 404


def test_the_other_person_of_a_direct_conversation_sees_it_closed(app, login_as):
    org = factories.make_org()
    member = factories.make_member(org, pseudonym="Talked Once")
    friend = factories.make_member(org)
    room = factories.make_conversation(friend, member, body="can we talk")
    send_message(room, actor=member, body="direct words", client_msg_id="d")
    deletion.delete_own_account(member, password=factories.PASSWORD)
    client = login_as(friend)
    listing = client.get("/conversations")
    assert listing.status_code == 200
    assert "Talked Once" not in listing.get_data(as_text=True)
    page = client.get(f"/rooms/{room.public_id}")
    body = page.get_data(as_text=True)
    assert page.status_code in (200, 404)
    assert "Talked Once" not in body and "direct words" not in body


def test_a_deleted_account_cannot_sign_in_and_its_socket_is_closed(
    app, login_as, socket_client
):
    member = factories.make_member(factories.make_org())
    login_name = member.login_name
    client = login_as(member)
    sock = socket_client(client)
    assert sock.is_connected()
    post_form(client, URL, {"password": factories.PASSWORD}, token_from=URL)
    assert not sock.is_connected()
    again = post_form(
        app.test_client(),
        "/login",
        {"login_name": login_name, "password": factories.PASSWORD},
    )
    assert again.status_code != 302


def test_a_member_still_waiting_may_delete_their_account(app, login_as):
    pending = factories.make_member(factories.make_org(), status=Status.PENDING)
    client = login_as(pending)
    done = post_form(client, URL, {"password": factories.PASSWORD}, token_from=URL)
    assert done.status_code == 302
    assert db.session.get(Account, pending.id).deleted_at is not None


def test_an_open_room_hears_the_removed_message(app, login_as, socket_client):
    org = factories.make_org()
    member = factories.make_member(org)
    friend = factories.make_member(org)
    room = factories.make_room(org)
    message = send_message(room, actor=member, body="soon gone", client_msg_id="s")
    public_id = message.public_id
    sock = socket_client(login_as(friend))
    ack = sock.emit("room:join", {"room_id": room.public_id}, callback=True)
    assert ack["ok"]
    sock.get_received()
    deletion.delete_own_account(member, password=factories.PASSWORD)
    events = [e for e in sock.get_received() if e["name"] == "message:deleted"]
    assert [e["args"][0] for e in events] == [
        {"room_id": room.public_id, "id": public_id}
    ]


def test_an_open_room_hears_the_deleted_person_left(app, login_as, socket_client):
    org = factories.make_org()
    member = factories.make_member(org)
    friend = factories.make_member(org)
    room = factories.make_room(org)
    profile_id = member.profile.public_id
    theirs = socket_client(login_as(member))
    assert theirs.emit("room:join", {"room_id": room.public_id}, callback=True)["ok"]
    mine = socket_client(login_as(friend))
    assert mine.emit("room:join", {"room_id": room.public_id}, callback=True)["ok"]
    mine.get_received()
    deletion.delete_own_account(member, password=factories.PASSWORD)
    changes = [
        change
        for event in mine.get_received()
        if event["name"] == "presence:changed"
        for change in event["args"][0]["changes"]
    ]
    assert {"left": profile_id} in changes
    assert not theirs.is_connected()


def test_reports_about_and_by_a_deleted_person_still_open_for_reviewers(app, login_as):
    from network.moderation import reports

    org = factories.make_org()
    lead = factories.make_member(org, role=Role.LEAD)
    member = factories.make_member(org, pseudonym="Reported Name")
    friend = factories.make_member(org, pseudonym="Reporting Friend")
    about = reports.report_profile(member.profile, "other", "worried", actor=friend)
    by = reports.report_profile(friend.profile, "other", "a note", actor=member)
    about_id, by_id = about.public_id, by.public_id
    deletion.delete_own_account(member, password=factories.PASSWORD)
    client = login_as(lead)
    queue = client.get("/moderation/reports")
    assert queue.status_code == 200
    for report_id in (about_id, by_id):
        page = client.get(f"/moderation/reports/{report_id}")
        assert page.status_code == 200
        assert "Reported Name" not in page.get_data(as_text=True)

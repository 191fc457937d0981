"""A lead requires two-factor login, and resets a member's with a code."""

from __future__ import annotations

import re

from sqlalchemy import select

from network.accounts import twofactor
from network.extensions import db
from network.models import AuditEvent, Role
from tests import factories
from tests.accounts.two_factor_helpers import code_at, code_step, enrol, password_step
from tests.conftest import login, post_form


def _require(client) -> None:
    response = post_form(
        client, "/org/settings", {"action": "two_factor"}, token_from="/org/settings"
    )
    assert response.status_code == 302


def _actions(name: str) -> list[AuditEvent]:
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == name)).all()


def test_lead_requires_two_factor_audited_and_members_must_enrol(app, login_as):
    org = factories.make_org()
    lead = factories.make_member(org, role=Role.LEAD)
    member = factories.make_member(org)
    lead_client = login_as(lead)
    _require(lead_client)
    db.session.refresh(org)
    assert org.require_two_factor
    (event,) = _actions("organization.two_factor_required")
    assert event.actor_id == lead.id and event.organization_id == org.id
    assert event.detail == {"required": True}

    client = app.test_client()
    signed_in = login(client, member)
    assert signed_in.location.endswith("/account/two-factor/enrol")
    for url in ("/", "/rooms", "/account", "/directory"):
        answer = client.get(url)
        assert answer.status_code == 302, url
        assert answer.location.endswith("/account/two-factor/enrol"), url
    page = client.get("/account/two-factor/enrol")
    assert page.status_code == 200 and "Your organization asks" in page.text
    assert "Not now" not in page.text
    secret = re.search(r'id="totp-key">([A-Z2-7 ]+)<', page.text).group(1)
    done = post_form(
        client,
        "/account/two-factor/enrol",
        {"code": code_at(secret.replace(" ", ""))},
        token_from="/account/two-factor/enrol",
    )
    assert done.status_code == 200
    assert client.get("/account").status_code == 200


def test_required_enrolment_blocks_the_socket_gate(app, login_as, socket_client):
    org = factories.make_org()
    member = factories.make_member(org)
    client = login_as(member)
    live = socket_client(client)
    assert live.is_connected()
    lead = factories.make_member(org, role=Role.LEAD)
    twofactor.set_required(org, True, actor=lead)
    assert not live.is_connected()  # closed at once, to pass the gate again
    assert not socket_client(client).is_connected()
    ack = socket_client(login_as(lead))
    assert not ack.is_connected()  # the lead too, until they enrol
    enrol(member)
    assert socket_client(client).is_connected()


def test_members_with_two_factor_keep_their_sockets(app, login_as, socket_client):
    org = factories.make_org()
    member = factories.make_member(org)
    secret, _ = enrol(member)
    client = app.test_client()
    password_step(client, member)
    code_step(client, "code", code_at(secret))
    live = socket_client(client)
    lead = factories.make_member(org, role=Role.LEAD)
    twofactor.set_required(org, True, actor=lead)
    ack = live.emit("session:check", {}, callback=True)
    assert ack["ok"] is True


def test_required_org_members_cannot_turn_two_factor_off(app):
    org = factories.make_org()
    member = factories.make_member(org)
    secret, _ = enrol(member)
    org.require_two_factor = True
    db.session.commit()
    client = app.test_client()
    password_step(client, member)
    code_step(client, "code", code_at(secret))
    url = "/account/two-factor"
    off = post_form(
        client, url, {"action": "off", "code": code_at(secret, +1)}, token_from=url
    )
    assert off.status_code == 400
    db.session.refresh(member)
    assert twofactor.has_two_factor(member)


def _issue(lead_client, member) -> str:
    url = f"/org/members/{member.profile.public_id}"
    page = post_form(lead_client, url, {"action": "two_factor_reset"}, token_from=url)
    assert page.status_code == 200
    return re.search(r'id="two-factor-code">([A-Z0-9-]+)<', page.text).group(1)


def test_lead_reset_code_removes_two_factor_after_the_password(app, login_as):
    org = factories.make_org()
    lead = factories.make_member(org, role=Role.LEAD)
    member = factories.make_member(org)
    enrol(member)
    code = _issue(login_as(lead), member)
    org.require_two_factor = True
    db.session.commit()
    (issued,) = _actions("two_factor_reset.issued")
    assert (issued.actor_id, issued.target_account_id) == (lead.id, member.id)
    assert code not in str(issued.detail)

    client = app.test_client()
    password_step(client, member)
    assert code_step(client, "reset", "AAAA-BBBB-CCCC-DDDD").status_code == 400
    used = code_step(client, "reset", code.lower())
    assert used.status_code == 302
    assert used.location.endswith("/account/two-factor/enrol")  # org requires it
    db.session.refresh(member)
    assert not twofactor.has_two_factor(member)
    assert twofactor.remaining_recovery_codes(member) == 0
    (reset,) = _actions("two_factor.reset")
    assert reset.organization_id == org.id

    # Once only.
    enrol(member)
    again = app.test_client()
    password_step(again, member)
    assert code_step(again, "reset", code).status_code == 400


def test_reset_code_is_only_for_its_own_account_and_needs_the_password(app, login_as):
    org = factories.make_org()
    lead = factories.make_member(org, role=Role.LEAD)
    member, other = factories.make_member(org), factories.make_member(org)
    enrol(member)
    enrol(other)
    code = _issue(login_as(lead), member)
    client = app.test_client()
    password_step(client, other)
    assert code_step(client, "reset", code).status_code == 400
    anonymous = app.test_client()
    sent = post_form(anonymous, "/login/code", {"action": "reset", "reset_code": code})
    assert sent.status_code == 302 and sent.location.endswith("/login")
    db.session.refresh(member)
    assert twofactor.has_two_factor(member)


def test_lead_cannot_issue_a_two_factor_reset_for_themselves(app, login_as):
    org = factories.make_org()
    lead = factories.make_member(org, role=Role.LEAD)
    enrol(lead)
    client = app.test_client()
    password_step(client, lead)
    secret = lead.totp_secret
    code_step(client, "code", code_at(secret))
    url = f"/org/members/{lead.profile.public_id}"
    answer = post_form(
        client, url, {"action": "two_factor_reset"}, token_from="/org/settings"
    )
    assert answer.status_code == 404
    assert not _actions("two_factor_reset.issued")

"""Socket tests for the connect gate and revocation."""

from __future__ import annotations

from sqlalchemy import delete, func, select

from network.extensions import db
from network.models import AuthSession, LiveSocket, Role, Status
from network.orgs import services as org_services
from tests import factories
from tests.conftest import post_form


def test_connect_gate_refuses_anonymous_and_pending(app, login_as, socket_client):
    org = factories.make_org()
    pending = factories.make_member(org, status=Status.PENDING)
    assert not socket_client(login_as(None)).is_connected()
    assert not socket_client(login_as(pending)).is_connected()
    assert db.session.scalar(select(func.count(LiveSocket.sid))) == 0


def test_connect_gate_refuses_other_origins(app, login_as, socket_client):
    org = factories.make_org()
    member = factories.make_member(org)
    client = login_as(member)
    evil = socket_client(client, headers={"Origin": "https://evil.example"})
    assert not evil.is_connected()
    same = socket_client(client, headers={"Origin": "http://localhost"})
    assert same.is_connected()


def test_suspended_org_members_are_refused(app, login_as, socket_client):
    from network.models import utcnow

    org = factories.make_org()
    member = factories.make_member(org)
    client = login_as(member)
    org.suspended_at = utcnow()
    db.session.commit()
    assert not socket_client(client).is_connected()


def test_logout_disconnects_that_browsers_sockets_only(app, login_as, socket_client):
    org = factories.make_org()
    member = factories.make_member(org)
    phone, laptop = login_as(member), login_as(member)
    phone_sock, laptop_sock = socket_client(phone), socket_client(laptop)
    assert phone_sock.is_connected() and laptop_sock.is_connected()
    assert db.session.scalar(select(func.count(LiveSocket.sid))) == 2

    post_form(phone, "/logout", {}, token_from="/logout")

    assert not phone_sock.is_connected()
    assert laptop_sock.is_connected()
    assert laptop_sock.emit("session:check", {}, callback=True)["ok"] is True


def test_suspension_disconnects_live_sockets(app, login_as, socket_client):
    org = factories.make_org()
    lead = factories.make_member(org, role=Role.LEAD)
    member = factories.make_member(org)
    sock = socket_client(login_as(member))
    assert sock.is_connected()
    post_form(
        login_as(lead),
        f"/org/members/{member.profile.public_id}",
        {"action": "suspend", "suspend-reason": "safety"},
        token_from="/logout",
    )
    assert not sock.is_connected()


def test_every_event_rechecks_the_server_side_session(app, login_as, socket_client):
    org = factories.make_org()
    member = factories.make_member(org)
    sock = socket_client(login_as(member))
    # The session row vanishes without the socket being told (another process,
    # an admin action): the next event must notice.
    db.session.execute(delete(AuthSession))
    db.session.commit()
    ack = sock.emit("session:check", {}, callback=True)
    assert ack == {"ok": False, "error": "unauthorized"}
    assert not sock.is_connected()


def test_membership_change_is_seen_by_next_event(app, login_as, socket_client):
    org = factories.make_org()
    lead = factories.make_member(org, role=Role.LEAD)
    member = factories.make_member(org)
    sock = socket_client(login_as(member))
    member.membership.status = Status.SUSPENDED  # bypassing the service on purpose
    db.session.commit()
    assert sock.emit("session:check", {}, callback=True)["ok"] is False
    org_services.reinstate_membership(member.membership, actor=lead)

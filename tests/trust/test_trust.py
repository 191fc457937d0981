"""Trust between organizations: the effective-minimum rule, its effects, its audit."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select

from network import policy
from network.directory import services as directory
from network.extensions import db
from network.models import AuditEvent, OrgTrust, Role, TrustLevel
from network.trust import services
from tests import factories
from tests.conftest import post_form

LEVELS = list(TrustLevel)


@pytest.fixture
def pair(app):
    org_a, org_b = factories.make_org("Org A"), factories.make_org("Org B")
    a = factories.make_member(org_a, pseudonym="Alder")
    b = factories.make_member(org_b, pseudonym="Bramble")
    return org_a, org_b, a, b


@pytest.mark.parametrize(
    ("a_gives", "b_gives"), list(itertools.product(LEVELS, LEVELS))
)
def test_trust_matrix_effective_minimum(app, pair, login_as, a_gives, b_gives):
    org_a, org_b, a, b = pair
    factories.set_trust(org_a, org_b, a_gives, b_gives)
    effective = min(a_gives, b_gives)
    assert policy.effective_trust(org_a.id, org_b.id) == effective
    assert policy.effective_trust(org_b.id, org_a.id) == effective
    sees = effective >= TrustLevel.SEE
    for viewer, other in ((a, b), (b, a)):
        listed = [p.account_id for p in directory.search(actor=viewer).profiles]
        assert (other.id in listed) is sees
        assert policy.can_see_profile(viewer, other.profile) is sees
        assert policy.can_see_org_name(viewer, other.membership) is sees
        label = policy.org_label(viewer, other.membership)
        assert (label == other.membership.organization.name) is sees
        assert policy.can_collaborate(org_a.id, org_b.id) is (
            effective >= TrustLevel.COLLABORATE
        )
        assert policy.can_request_message(viewer, other) is (
            effective == TrustLevel.MESSAGE
        )
    client = login_as(a)
    response = client.get(f"/profiles/{b.profile.public_id}")
    assert response.status_code == (200 if sees else 404)
    page = client.get("/directory").get_data(as_text=True)
    assert ("Bramble" in page) is sees
    assert ("Org B" in page) is sees


def test_set_trust_audits_old_and_new_level(app, pair):
    org_a, org_b, _, _ = pair
    lead = factories.make_member(org_a, role=Role.LEAD, pseudonym="Lead Aspen")
    services.set_trust(org_a, org_b, TrustLevel.COLLABORATE, actor=lead)
    services.set_trust(org_a, org_b, TrustLevel.SEE, actor=lead)
    events = list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "trust.changed")
            .order_by(AuditEvent.id)
        )
    )
    assert [(e.detail["old_level"], e.detail["new_level"]) for e in events] == [
        ("none", "collaborate"),
        ("collaborate", "see"),
    ]
    assert events[0].detail["from_org"] == "Org A"
    assert events[0].detail["to_org"] == "Org B"
    assert events[0].actor_id == lead.id and events[0].organization_id == org_a.id


def test_lowering_trust_disconnects_sockets_at_once(app, pair, login_as, socket_client):
    org_a, org_b, a, b = pair
    lead_b = factories.make_member(org_b, role=Role.LEAD)
    factories.set_trust(org_a, org_b, TrustLevel.SEE)
    sock_a, sock_b = socket_client(login_as(a)), socket_client(login_as(b))
    outsider = socket_client(login_as(factories.make_member(factories.make_org())))
    services.set_trust(org_b, org_a, TrustLevel.COLLABORATE, actor=lead_b)  # raise
    assert sock_a.is_connected() and sock_b.is_connected()
    services.set_trust(org_b, org_a, TrustLevel.NONE, actor=lead_b)  # lower
    assert not sock_a.is_connected() and not sock_b.is_connected()
    assert outsider.is_connected()
    # Reconnecting works (the gate applies the current policy), and the profile
    # is gone at the next request.
    client = login_as(a)
    assert socket_client(client).is_connected()
    assert client.get(f"/profiles/{b.profile.public_id}").status_code == 404


def test_trust_page_shows_both_directions_and_meaning(app, pair, login_as):
    org_a, org_b, _, _ = pair
    lead = factories.make_member(org_a, role=Role.LEAD)
    factories.set_trust(org_a, org_b, TrustLevel.MESSAGE, TrustLevel.SEE)
    page = login_as(lead).get("/org/trust").get_data(as_text=True)
    assert "Org B" in page and "They give you</dt><dd>see" in page
    assert "<strong>see</strong>" in page
    assert "appear to each other in the directory" in page
    assert 'value="message" selected' in page


def test_trust_bad_input_changes_nothing(app, pair, login_as):
    org_a, org_b, _, _ = pair
    lead = factories.make_member(org_a, role=Role.LEAD)
    client = login_as(lead)
    cases = [
        ({"org": org_a.public_id, "level": "see"}, "your own organization"),
        ({"org": "no-such-org", "level": "see"}, "not on the list"),
        ({"org": org_b.public_id, "level": "everything"}, "Choose an organization"),
        ({"level": "see"}, "Choose an organization"),
    ]
    for data, message in cases:
        response = post_form(client, "/org/trust", data, token_from="/org/trust")
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(OrgTrust.id)) is None
    assert (
        db.session.scalar(
            select(AuditEvent.id).where(AuditEvent.action == "trust.changed")
        )
        is None
    )


def test_suspended_organization_vanishes_and_loses_access(
    app, pair, login_as, socket_client
):
    org_a, org_b, a, b = pair
    from network.orgs import services as org_services

    factories.set_trust(org_a, org_b, TrustLevel.MESSAGE)
    admin = factories.make_admin()
    client_a, client_b = login_as(a), login_as(b)
    sock_b = socket_client(client_b)
    assert client_a.get(f"/profiles/{b.profile.public_id}").status_code == 200
    org_services.suspend_organization(org_b, actor=admin)
    assert not sock_b.is_connected()
    assert client_a.get(f"/profiles/{b.profile.public_id}").status_code == 404
    assert "Bramble" not in client_a.get("/directory").get_data(as_text=True)
    assert "Access paused" in client_b.get("/", follow_redirects=True).get_data(
        as_text=True
    )
    assert not socket_client(client_b).is_connected()
    assert "Org B" not in login_as(factories.make_member(org_a, role=Role.LEAD)).get(
        "/org/trust"
    ).get_data(as_text=True)
    org_services.reinstate_organization(org_b, actor=admin)
    assert client_a.get(f"/profiles/{b.profile.public_id}").status_code == 200


def test_admin_suspends_over_http(app, pair, login_as):
    org_a, org_b, a, b = pair
    admin_client = login_as(factories.make_admin())
    url = f"/admin/organizations/{org_b.public_id}"
    post_form(admin_client, url, {"action": "status", "confirm": "1"}, token_from=url)
    db.session.refresh(org_b)
    assert not org_b.is_active
    assert db.session.scalar(
        select(AuditEvent.action).where(AuditEvent.action == "organization.suspended")
    )

"""Confidential separation requests: a lead files a name, another org's lead attaches."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from network import policy
from network.extensions import db
from network.models import (
    AuditEvent,
    RequestStatus,
    Role,
    Separation,
    SeparationRequest,
    TrustLevel,
    utcnow,
)
from tests import factories
from tests.conftest import post_form


@pytest.fixture
def net(app):
    home, far, third = (factories.make_org(n) for n in ("Home", "Far", "Third"))
    factories.set_trust(home, far, TrustLevel.SEE)  # third: trust none with both
    return {
        "home": home,
        "far": far,
        "third": third,
        "pebble": factories.make_member(home, pseudonym="Pebble"),
        "home_lead": factories.make_member(home, role=Role.LEAD, pseudonym="Aurora"),
        "home_lead2": factories.make_member(home, role=Role.LEAD, pseudonym="Boreal"),
        "far_lead": factories.make_member(far, role=Role.LEAD, pseudonym="Farlead"),
        "fox": factories.make_member(far, pseudonym="Shadow Fox"),
        "far_member": factories.make_member(far, pseudonym="Quiet Reed"),
        "third_lead": factories.make_member(third, role=Role.LEAD, pseudonym="Tlead"),
    }


def _file(client, pebble, details: str = "met in 2019, tall") -> SeparationRequest:
    response = post_form(
        client,
        "/org/safety",
        {
            "member": pebble.profile.public_id,
            "pseudonym": "Shadow Fox",
            "details": details,
        },
        token_from="/org/safety",
    )
    assert response.status_code == 302
    return db.session.scalar(select(SeparationRequest))


def _attach(client, row, member):
    return post_form(
        client,
        f"/org/safety/requests/{row.public_id}/attach",
        {"member": member.profile.public_id},
        token_from="/logout",
    )


def test_other_leads_see_the_name_but_not_who_asked(app, net, login_as):
    row = _file(login_as(net["home_lead"]), net["pebble"])
    assert row.status == RequestStatus.OPEN and row.filed_by_id == net["home_lead"].id
    for lead in ("far_lead", "third_lead"):
        page = login_as(net[lead]).get("/org/safety/requests").get_data(as_text=True)
        listed = page.split('id="open-requests"')[1]
        assert "Shadow Fox" in listed and "met in 2019" in listed
        assert "Pebble" not in page and "Home" not in listed and "Aurora" not in page
    far_page = login_as(net["far_lead"]).get("/org/safety/requests")
    assert "Your members with a pseudonym like this: Shadow Fox" in far_page.get_data(
        as_text=True
    )
    third_page = login_as(net["third_lead"]).get("/org/safety/requests")
    assert "pseudonym like this" not in third_page.get_data(as_text=True)
    own = login_as(net["home_lead2"]).get("/org/safety/requests").get_data(as_text=True)
    assert "Shadow Fox" not in own.split('id="open-requests"')[1]


def test_nothing_changes_until_a_lead_attaches(app, net, login_as):
    pebble, fox = net["pebble"], net["fox"]
    pebble_client, fox_client = login_as(pebble), login_as(fox)
    before = (pebble_client.get("/directory").data, fox_client.get("/directory").data)
    row = _file(login_as(net["home_lead"]), pebble)
    assert (
        pebble_client.get("/directory").data,
        fox_client.get("/directory").data,
    ) == (before)
    assert _attach(login_as(net["far_lead"]), row, fox).status_code == 302
    db.session.refresh(row)
    assert row.status == RequestStatus.ATTACHED
    separation = db.session.scalar(select(Separation))
    assert (separation.protected_id, separation.other_id, separation.request_id) == (
        pebble.id,
        fox.id,
        row.id,
    )
    assert separation.filed_by_id == net["home_lead"].id
    assert "Shadow Fox" not in pebble_client.get("/directory").get_data(as_text=True)
    assert "Pebble" not in fox_client.get("/directory").get_data(as_text=True)
    # The requesting side sees "attached", never the organization or member.
    for client in (pebble_client, login_as(net["home_lead"])):
        page = client.get(
            "/account/safety" if client is pebble_client else "/org/safety"
        ).get_data(as_text=True)
        listed = page.split('id="requests"')[1]
        assert 'data-status="attached"' in listed and "Far" not in listed
    far_page = login_as(net["far_lead"]).get("/org/safety/requests")
    assert (
        "Shadow Fox"
        not in far_page.get_data(as_text=True).split('id="open-requests"')[1]
    )


def test_member_ask_is_filed_or_declined_by_own_lead(app, net, login_as):
    pebble_client = login_as(net["pebble"])
    for name in ("Shadow Fox", "Someone Else"):
        post_form(
            pebble_client,
            "/account/safety",
            {"pseudonym": name, "note": "private note"},
            token_from="/account/safety",
        )
    fox_ask, other_ask = db.session.scalars(
        select(SeparationRequest).order_by(SeparationRequest.id)
    )
    far = login_as(net["far_lead"])
    assert "Shadow Fox" not in far.get("/org/safety/requests").get_data(as_text=True)
    lead = login_as(net["home_lead"])
    asks = lead.get("/org/safety").get_data(as_text=True).split('id="asks"')[1]
    assert "Pebble" in asks and "private note" in asks
    # Another org's lead cannot file or decline it; it answers like a missing one.
    for url in (f"/org/safety/requests/{fox_ask.public_id}/share",):
        assert post_form(far, url, {}, token_from="/org/safety").status_code == 404
    post_form(
        lead,
        f"/org/safety/requests/{fox_ask.public_id}/share",
        {"details": "tall"},
        token_from="/org/safety",
    )
    post_form(
        lead,
        f"/org/safety/requests/{other_ask.public_id}/decline",
        {},
        token_from="/org/safety",
    )
    db.session.refresh(fox_ask)
    db.session.refresh(other_ask)
    assert (fox_ask.status, other_ask.status) == ("open", "declined")
    page = far.get("/org/safety/requests").get_data(as_text=True)
    assert "Shadow Fox" in page and "private note" not in page
    mine = pebble_client.get("/account/safety").get_data(as_text=True)
    assert 'data-status="declined"' in mine and 'data-status="open"' in mine


def test_withdrawal_by_protected_or_filing_lead_only(app, net, login_as):
    row = _file(login_as(net["home_lead"]), net["pebble"])
    _attach(login_as(net["far_lead"]), row, net["fox"])
    url = f"/safety/requests/{row.public_id}/withdraw"
    for name in ("far_lead", "fox", "home_lead2", "third_lead"):
        response = post_form(login_as(net[name]), url, {}, token_from="/logout")
        assert response.status_code == 404, name
    assert policy.separated(net["pebble"], net["fox"])
    post_form(login_as(net["pebble"]), url, {}, token_from="/logout")
    db.session.refresh(row)
    assert row.status == RequestStatus.WITHDRAWN
    assert not policy.separated(net["pebble"], net["fox"])
    second = _file(login_as(net["home_lead"]), net["pebble"], details="")
    post_form(
        login_as(net["home_lead"]),
        f"/safety/requests/{second.public_id}/withdraw",
        {},
        token_from="/logout",
    )
    db.session.refresh(second)
    assert second.status == RequestStatus.WITHDRAWN


def test_attach_needs_an_open_request_and_own_member(app, net, login_as):
    row = _file(login_as(net["home_lead"]), net["pebble"])
    # A lead of the requesting org, or a member, cannot attach; like missing.
    for name in ("home_lead2", "fox"):
        assert _attach(login_as(net[name]), row, net["fox"]).status_code == 404
    refused = _attach(login_as(net["third_lead"]), row, net["fox"])
    assert refused.status_code == 400
    assert db.session.scalar(select(Separation)) is None
    net["home"].suspended_at = utcnow()
    db.session.commit()
    assert _attach(login_as(net["far_lead"]), row, net["fox"]).status_code == 404


def test_request_audit_has_no_name_and_no_organization(app, net, login_as):
    row = _file(login_as(net["home_lead"]), net["pebble"])
    _attach(login_as(net["far_lead"]), row, net["fox"])
    post_form(
        login_as(net["pebble"]),
        f"/safety/requests/{row.public_id}/withdraw",
        {},
        token_from="/logout",
    )
    events = list(
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.action.like("separation_request.%"))
        )
    )
    assert [e.action.split(".")[1] for e in events] == [
        "filed",
        "attached",
        "withdrawn",
    ]
    for event in events:
        assert event.organization_id is None
        assert event.target_account_id == net["pebble"].id
        assert "Fox" not in str(event.detail) and "2019" not in str(event.detail)
    for lead, org in (("far_lead", "far"), ("home_lead", "home")):
        log = login_as(net[lead]).get(f"/orgs/{net[org].public_id}/audit")
        assert "separation" not in log.get_data(as_text=True)


def test_request_filters_agree_with_checks(app, net):
    lead = net["home_lead"]
    rows = [
        factories_request(net["pebble"], status)
        for status in ("asked", "open", "attached", "withdrawn", "declined")
    ]
    rows.append(factories_request(net["far_member"], "open"))
    viewers = list(net.values())[3:] + [factories.make_admin(), lead]
    for viewer in viewers:
        own = set(
            db.session.scalars(
                policy.visible_own_separation_requests(
                    select(SeparationRequest.id), viewer
                )
            )
        )
        attachable = set(
            db.session.scalars(
                policy.visible_separation_requests(select(SeparationRequest.id), viewer)
            )
        )
        for row in rows:
            assert (row.id in own) == policy.can_see_separation_request(viewer, row)
            assert (row.id in attachable) == policy.can_attach_separation_request(
                viewer, row
            )


def factories_request(protected, status: str) -> SeparationRequest:
    """A request row in a given state."""
    row = SeparationRequest(
        organization_id=protected.membership.organization_id,
        protected_id=protected.id,
        name="Some Name",
        name_key="somename",
        status=status,
    )
    db.session.add(row)
    db.session.commit()
    return row

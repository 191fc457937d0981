"""HTTP tests for leads and the platform admin."""

from __future__ import annotations

import logging

from sqlalchemy import func, select

from network.extensions import db
from network.models import AuditEvent, Invitation, Organization, Role, Status
from tests import factories
from tests.conftest import post_form


def test_lead_approves_request_with_checklist_over_http(app, login_as):
    org = factories.make_org(items=2)
    lead = factories.make_member(org, role=Role.LEAD)
    person = factories.make_member(org, status=Status.PENDING, pseudonym="Blue Heron")
    client = login_as(lead)
    listing = client.get("/org/requests").get_data(as_text=True)
    assert "Blue Heron" in listing
    url = f"/org/requests/{person.profile.public_id}"
    page = client.get(url).get_data(as_text=True)
    assert "Check 1" in page and "Check 2" in page

    item_ids = [str(item.id) for item in org_items(org)]
    partial = post_form(
        client,
        url,
        {"action": "approve", "approve-items": item_ids[:1]},
        token_from=url,
    )
    assert partial.status_code == 400
    assert "Attest every checklist item" in partial.get_data(as_text=True)
    assert person.membership.status == Status.PENDING

    done = post_form(
        client, url, {"action": "approve", "approve-items": item_ids}, token_from=url
    )
    assert done.status_code == 302
    db.session.refresh(person.membership)
    assert person.membership.status == Status.APPROVED
    assert len(person.membership.attestations) == 2
    assert "Hello, Blue Heron" in login_as(person).get("/").get_data(as_text=True)


def org_items(org):
    from network.orgs.services import checklist

    return checklist(org)


def test_reject_needs_a_reason_and_keeps_it_private(app, login_as):
    org = factories.make_org()
    lead = factories.make_member(org, role=Role.LEAD)
    person = factories.make_member(org, status=Status.PENDING)
    client = login_as(lead)
    url = f"/org/requests/{person.profile.public_id}"
    empty = post_form(
        client, url, {"action": "reject", "reject-reason": ""}, token_from=url
    )
    assert empty.status_code == 400 and "Enter a reason." in empty.get_data(
        as_text=True
    )
    post_form(
        client,
        url,
        {"action": "reject", "reject-reason": "Private note XYZ"},
        token_from=url,
    )
    db.session.refresh(person.membership)
    assert person.membership.status == Status.REJECTED
    waiting = login_as(person).get("/waiting").get_data(as_text=True)
    assert "was not approved" in waiting and "Private note XYZ" not in waiting


def test_lead_manages_roles_and_suspension(app, login_as):
    org = factories.make_org()
    lead = factories.make_member(org, role=Role.LEAD)
    member = factories.make_member(org)
    client = login_as(lead)
    url = f"/org/members/{member.profile.public_id}"
    post_form(client, url, {"action": "role", "role-role": "moderator"}, token_from=url)
    db.session.refresh(member.membership)
    assert member.membership.role == Role.MODERATOR
    bad = post_form(
        client, url, {"action": "suspend", "suspend-reason": ""}, token_from=url
    )
    assert bad.status_code == 400 and "Enter a reason." in bad.get_data(as_text=True)
    post_form(
        client, url, {"action": "suspend", "suspend-reason": "safety"}, token_from=url
    )
    db.session.refresh(member.membership)
    assert member.membership.status == Status.SUSPENDED
    post_form(client, url, {"action": "reinstate"}, token_from=url)
    db.session.refresh(member.membership)
    assert member.membership.status == Status.APPROVED


def test_lead_cannot_change_own_role_or_suspend_self(app, login_as):
    org = factories.make_org()
    lead = factories.make_member(org, role=Role.LEAD)
    client = login_as(lead)
    url = f"/org/members/{lead.profile.public_id}"
    response = post_form(
        client, url, {"action": "suspend", "suspend-reason": "x"}, token_from="/logout"
    )
    assert response.status_code == 404
    db.session.refresh(lead.membership)
    assert lead.membership.status == Status.APPROVED


def test_invitation_code_shown_once_and_bad_numbers_refused(app, login_as):
    org = factories.make_org()
    lead = factories.make_member(org, role=Role.LEAD)
    client = login_as(lead)
    bad = post_form(
        client,
        "/org/invitations",
        {"max_uses": "0", "days": "90"},
        token_from="/org/invitations",
    )
    body = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert "Enter a number from 1 to 50." in body and "from 1 to 30" in body
    assert db.session.scalar(select(func.count(Invitation.id))) == 0
    ok = post_form(
        client,
        "/org/invitations",
        {"max_uses": "3", "days": "5"},
        token_from="/org/invitations",
    )
    code = ok.get_data(as_text=True).split('id="new-code">')[1].split("<")[0]
    assert code not in client.get("/org/invitations").get_data(as_text=True)


def test_audit_log_page_lists_actions_by_pseudonym(app, login_as):
    org = factories.make_org()
    lead = factories.make_member(org, role=Role.LEAD, pseudonym="Lead Larch")
    member = factories.make_member(org, pseudonym="Member Maple")
    client = login_as(lead)
    url = f"/org/members/{member.profile.public_id}"
    post_form(
        client, url, {"action": "suspend", "suspend-reason": "safety"}, token_from=url
    )
    page = client.get(f"/orgs/{org.public_id}/audit").get_data(as_text=True)
    assert "membership.suspended" in page
    assert "Lead Larch" in page and "Member Maple" in page
    assert member.login_name not in page


def test_admin_creates_org_and_appoints_lead(app, login_as, client):
    admin = factories.make_admin()
    admin_client = login_as(admin)
    bad = post_form(
        admin_client,
        "/admin/organizations",
        {"name": "", "region": "ON"},
        token_from="/admin/organizations",
    )
    assert bad.status_code == 400
    assert "Enter the organization" in bad.get_data(as_text=True)
    created = post_form(
        admin_client,
        "/admin/organizations",
        {"name": "Lakeshore Peers", "region": "ON", "description": "Toronto"},
        token_from="/admin/organizations",
    )
    assert created.status_code == 302
    org = db.session.scalar(select(Organization))
    page = post_form(
        admin_client,
        f"/admin/organizations/{org.public_id}",
        {"days": "7"},
        token_from="/admin/organizations",
    )
    code = page.get_data(as_text=True).split('id="new-code">')[1].split("<")[0]
    response = post_form(
        client,
        "/join/invitation",
        {
            "code": code,
            "login_name": "firstlead",
            "pseudonym": "Lake Lead",
            "password": "a long password",
            "confirm": "a long password",
        },
        token_from="/join/invitation",
    )
    assert response.status_code == 302
    home = client.get("/").get_data(as_text=True)
    assert "Hello, Lake Lead" in home and "Join requests" in home


def test_admin_cannot_read_member_profiles(app, login_as):
    org = factories.make_org()
    member = factories.make_member(org)
    admin_client = login_as(factories.make_admin())
    assert admin_client.get(f"/profiles/{member.profile.public_id}").status_code == 404


def test_logs_hold_no_email_password_or_code(app, login_as, client, caplog):
    caplog.set_level(logging.DEBUG)
    org = factories.make_org()
    lead = factories.make_member(org, role=Role.LEAD)
    _, code = factories.make_invitation(org, lead)
    post_form(
        client,
        "/join/invitation",
        {
            "code": code,
            "login_name": "logcheck",
            "pseudonym": "Log Check",
            "password": "secret password 1",
            "confirm": "secret password 1",
            "email": "private@example.org",
        },
        token_from="/join/invitation",
    )
    post_form(app.test_client(), "/reset", {"login_or_email": "private@example.org"})
    text = caplog.text + " ".join(
        str(e.detail) for e in db.session.scalars(select(AuditEvent))
    )
    for secret in ("private@example.org", "secret password 1", code, "127.0.0.1"):
        assert secret not in text


def test_member_list_is_paginated(app, login_as):
    from network.orgs import listings

    org = factories.make_org()
    lead = factories.make_member(org, role=Role.LEAD)
    for _ in range(4):
        factories.make_member(org)
    listings.MEMBERS_PAGE = 2
    try:
        client = login_as(lead)
        first = client.get("/org/members").get_data(as_text=True)
        third = client.get("/org/members?page=3").get_data(as_text=True)
        assert "5 members" in first and "Page 1 of 3" in first
        assert first.count("/org/members/") == 2 and third.count("/org/members/") == 1
    finally:
        listings.MEMBERS_PAGE = 100


def test_audit_log_entries_read_as_sentences(app, login_as):
    org = factories.make_org()
    lead = factories.make_member(org, role=Role.LEAD, pseudonym="Willow")
    member = factories.make_member(org, pseudonym="Robin")
    client = login_as(lead)
    url = f"/org/members/{member.profile.public_id}"
    post_form(
        client, url, {"action": "suspend", "suspend-reason": "safety"}, token_from=url
    )
    page = client.get(f"/orgs/{org.public_id}/audit").get_data(as_text=True)
    rows = page.split('id="audit-rows">')[1].split("</tbody>")[0]
    # Names carry their tag ("Willow · K3P9"), as everywhere names can repeat.
    import re

    assert re.search(r"Willow[^<]* suspended Robin[^<]*&#39;s membership", rows)
    assert "membership.suspended" not in rows  # the code stays only a filter value
    assert ">Membership suspended</option>" in page


def test_every_audited_action_has_a_sentence():
    import pathlib
    import re

    from network.orgs.audit_text import ACTIONS

    source = "\n".join(
        path.read_text() for path in pathlib.Path("network").rglob("*.py")
    )
    recorded = set(re.findall(r'audit\.record\(\s*"([a-z_]+\.[a-z_]+)"', source))
    recorded |= set(re.findall(r'_log\(\s*"([a-z_]+\.[a-z_]+)"', source))
    recorded |= set(re.findall(r'_audit\(\s*"([a-z_]+\.[a-z_]+)"', source))
    recorded |= set(re.findall(r'"([a-z_]+\.[a-z_]+)" if \w+ else "', source))
    assert recorded and recorded <= set(ACTIONS), sorted(recorded - set(ACTIONS))

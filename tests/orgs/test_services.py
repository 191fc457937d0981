"""Service tests for organizations, vetting, roles, invitations and the audit log."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from network.accounts import services as accounts
from network.extensions import db
from network.models import AppendOnlyError, AuditEvent, Role, Status
from network.orgs import services
from tests import factories


def _actions(org) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.organization_id == org.id)
            .order_by(AuditEvent.id)
        )
    )


def test_create_organization_gets_starter_checklist_and_audit(app):
    admin = factories.make_admin()
    org = services.create_organization("Safe Harbour", "NS", "desc", actor=admin)
    assert [i.label for i in services.checklist(org)] == list(
        services.DEFAULT_CHECKLIST
    )
    assert _actions(org) == ["organization.created"]
    with pytest.raises(services.OrgInputError):
        services.create_organization("safe  harbour", "NS", "", actor=admin)


def test_approval_requires_every_item_and_records_attestations(app):
    org = factories.make_org(items=3)
    lead = factories.make_member(org, role=Role.LEAD)
    person = factories.make_member(org, status=Status.PENDING)
    items = [item.id for item in services.checklist(org)]
    with pytest.raises(services.OrgInputError):
        services.approve_membership(person.membership, items[:2], actor=lead)
    assert person.membership.status == Status.PENDING
    services.approve_membership(person.membership, items, actor=lead)
    membership = person.membership
    assert membership.status == Status.APPROVED
    assert membership.approved_by_id == lead.id
    assert [a.label for a in membership.attestations] == [
        "Check 1",
        "Check 2",
        "Check 3",
    ]
    assert {a.attested_by_id for a in membership.attestations} == {lead.id}
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "membership.approved")
    )
    assert event.target_account_id == person.id and event.actor_id == lead.id


def test_reject_suspend_reinstate_role_are_audited(app):
    org = factories.make_org()
    lead = factories.make_member(org, role=Role.LEAD)
    applicant = factories.make_member(org, status=Status.PENDING)
    member = factories.make_member(org)
    services.reject_membership(applicant.membership, "not ready yet", actor=lead)
    assert applicant.membership.rejection_reason == "not ready yet"
    services.suspend_membership(member.membership, "safety concern", actor=lead)
    services.reinstate_membership(member.membership, actor=lead)
    services.set_role(member.membership, Role.MODERATOR, actor=lead)
    _, code = services.issue_invitation(org, actor=lead, max_uses=3)
    assert _actions(org) == [
        "membership.rejected",
        "membership.suspended",
        "membership.reinstated",
        "membership.role_changed",
        "invitation.issued",
    ]
    change = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "membership.role_changed")
    )
    assert change.detail == {"old_role": "member", "new_role": "moderator"}
    issued = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "invitation.issued")
    )
    assert code not in str(issued.detail)


def test_audit_events_are_append_only(app):
    org = factories.make_org()
    lead = factories.make_member(org, role=Role.LEAD)
    services.issue_invitation(org, actor=lead)
    event = db.session.scalar(select(AuditEvent))
    event.action = "tampered"
    with pytest.raises(AppendOnlyError):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.scalar(select(AuditEvent)))
    with pytest.raises(AppendOnlyError):
        db.session.commit()
    db.session.rollback()


def test_audit_refuses_private_details(app):
    from network import audit

    with pytest.raises(ValueError):
        audit.record("x", actor=None, email="a@b.c")


def test_invitation_codes_are_stored_hashed_and_use_is_limited(app):
    org = factories.make_org()
    lead = factories.make_member(org, role=Role.LEAD)
    invitation, code = services.issue_invitation(org, actor=lead, max_uses=1)
    assert code not in invitation.code_hash
    data = accounts.NewAccount("first", "password 12345", "First One")
    accounts.sign_up_with_invitation(data, code)
    with pytest.raises(accounts.InputError) as error:
        accounts.sign_up_with_invitation(
            accounts.NewAccount("second", "password 12345", "Second One"), code
        )
    assert error.value.field == "code"
    services.revoke_invitation(invitation, actor=lead)
    assert accounts.find_usable_invitation(code) is None


def test_lead_invitation_from_admin_appoints_an_approved_lead(app):
    admin = factories.make_admin()
    org = services.create_organization("New Agency", "AB", "", actor=admin)
    _, code = services.issue_invitation(org, actor=admin, role=Role.LEAD)
    lead = accounts.sign_up_with_invitation(
        accounts.NewAccount("firstlead", "password 12345", "First Lead"), code
    )
    assert (lead.membership.role, lead.membership.status) == (
        Role.LEAD,
        Status.APPROVED,
    )
    assert lead.membership.approved_by_id == admin.id
    assert "lead.appointed" in _actions(org)


def test_suspended_organization_invitations_do_not_work(app):
    org = factories.make_org()
    _, code = factories.make_invitation(org)
    from network.models import utcnow

    org.suspended_at = utcnow()
    db.session.commit()
    assert accounts.find_usable_invitation(code) is None


def test_pseudonym_lookalikes_collide():
    from network.accounts.pseudonyms import clean, problem, skeleton

    assert (
        skeleton("Alex") == skeleton(" ALEX ") == skeleton("A1ex") == skeleton("Alèx")
    )
    assert skeleton("Morning Star") == skeleton("M0rning-Star")
    assert skeleton("Ian") == skeleton("lan")
    assert skeleton("Alex") != skeleton("Alix")
    assert problem(clean("\u0410lex")) is not None  # Cyrillic A mixed with Latin
    assert problem(clean("Élodie")) is None
    assert problem(clean("x")) is not None
    assert problem(clean("<script>")) is not None

"""Organization verbs. Callers check permission first; these never read the request."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from network import audit, realtime
from network.errors import InputError
from network.extensions import db
from network.models import (
    Account,
    Invitation,
    Membership,
    Organization,
    Role,
    Status,
    VettingAttestation,
    VettingItem,
    utcnow,
)
from network.notifications.services import notify
from network.conversations import closing
from network.orgs import roles
from network.security import hash_secret, new_code

# Stored in the language of the admin who creates the organization; the leads
# reword them as they like (they are the organization's own text from then on).
DEFAULT_CHECKLIST = (
    _l("Completed peer support training"),
    _l("Readiness conversation held"),
    _l("Code of conduct signed"),
)


OrgInputError = InputError  # one shape of field error for every feature


def create_organization(
    name: str, region: str, description: str, *, actor: Account
) -> Organization:
    """Create an organization with a starter vetting checklist it can change."""
    name = " ".join(name.split())
    taken = db.session.scalar(
        select(Organization.id).where(func.lower(Organization.name) == name.lower())
    )
    if taken:
        raise OrgInputError("name", _("An organization with that name exists already."))
    org = Organization(name=name, region=region, description=description.strip())
    db.session.add(org)
    db.session.flush()
    for position, label in enumerate(DEFAULT_CHECKLIST):
        db.session.add(
            VettingItem(organization_id=org.id, label=str(label), position=position)
        )
    audit.record("organization.created", actor=actor, organization=org, name=name)
    db.session.commit()
    return org


def issue_invitation(
    org: Organization,
    *,
    actor: Account,
    role: str = Role.MEMBER,
    max_uses: int = 1,
    days: int = 7,
    note: str = "",
) -> tuple[Invitation, str]:
    """Create an invitation code; the code itself is returned once, stored hashed."""
    code = new_code(3)
    invitation = Invitation(
        organization_id=org.id,
        code_hash=hash_secret(code),
        code_hint=code[-4:],
        role=role,
        note=note.strip(),
        max_uses=max_uses,
        expires_at=utcnow() + timedelta(days=days),
        created_by_id=actor.id,
    )
    db.session.add(invitation)
    db.session.flush()
    audit.record(
        "invitation.issued",
        actor=actor,
        organization=org,
        invitation=invitation.public_id,
        role=role,
        max_uses=max_uses,
        days=days,
    )
    db.session.commit()
    return invitation, code


def revoke_invitation(invitation: Invitation, *, actor: Account) -> None:
    """Stop an invitation code from working."""
    if invitation.revoked_at is None:
        invitation.revoked_at = utcnow()
        audit.record(
            "invitation.revoked",
            actor=actor,
            organization=invitation.organization,
            invitation=invitation.public_id,
        )
        db.session.commit()


def pending_count(org: Organization) -> int:
    """How many join requests wait for this organization's leads."""
    return db.session.scalar(
        select(func.count(Membership.id)).where(
            Membership.organization_id == org.id, Membership.status == Status.PENDING
        )
    )


def checklist(org: Organization) -> list[VettingItem]:
    """The organization's active vetting items, in order."""
    return list(
        db.session.scalars(
            select(VettingItem)
            .where(VettingItem.organization_id == org.id, VettingItem.active.is_(True))
            .order_by(VettingItem.position, VettingItem.id)
        )
    )


def approve_membership(
    membership: Membership, item_ids: list[int], *, actor: Account
) -> None:
    """Approve a request, recording which checklist items were attested."""
    items = {item.id: item for item in checklist(membership.organization)}
    missing = [item for item_id, item in items.items() if item_id not in item_ids]
    if missing:
        raise OrgInputError(
            "items", _("Attest every checklist item before approving this member.")
        )
    now = utcnow()
    for item in items.values():
        db.session.add(
            VettingAttestation(
                membership_id=membership.id,
                item_id=item.id,
                label=item.label,
                attested_by_id=actor.id,
                attested_at=now,
            )
        )
    membership.status = Status.APPROVED
    membership.approved_by_id = actor.id
    membership.approved_at = membership.decided_at = now
    audit.record(
        "membership.approved",
        actor=actor,
        organization=membership.organization,
        target=membership.account,
        attested=[item.label for item in items.values()],
    )
    notify(membership.account_id, "approved", link="/")
    db.session.commit()


def reject_membership(membership: Membership, reason: str, *, actor: Account) -> None:
    """Decline a request; the reason stays private to the organization's leads."""
    membership.status = Status.REJECTED
    membership.rejection_reason = reason.strip()
    membership.decided_at = utcnow()
    audit.record(
        "membership.rejected",
        actor=actor,
        organization=membership.organization,
        target=membership.account,
    )
    db.session.commit()


def suspend_membership(membership: Membership, reason: str, *, actor: Account) -> None:
    """Suspend a member: access ends at their next request and their sockets close."""
    membership.status = Status.SUSPENDED
    membership.decided_at = utcnow()
    audit.record(
        "membership.suspended",
        actor=actor,
        organization=membership.organization,
        target=membership.account,
        reason=reason.strip(),
    )
    db.session.flush()
    roles.end_role_memberships(membership, actor=actor)
    closing.recheck(account_ids=[membership.account_id])
    # Told before the sockets close, so the page stops reconnecting and says why.
    realtime.emit_after_commit(
        "account:paused", {}, to=realtime.user_key(membership.account_id)
    )
    db.session.commit()
    realtime.end_access(accounts=[membership.account_id])


def reinstate_membership(membership: Membership, *, actor: Account) -> None:
    """Lift a suspension."""
    membership.status = Status.APPROVED
    membership.decided_at = utcnow()
    audit.record(
        "membership.reinstated",
        actor=actor,
        organization=membership.organization,
        target=membership.account,
    )
    db.session.commit()


def set_role(membership: Membership, role: str, *, actor: Account) -> None:
    """Make a member a moderator or lead, or return them to member."""
    old = membership.role
    if old == role:
        return
    membership.role = role
    audit.record(
        "membership.role_changed",
        actor=actor,
        organization=membership.organization,
        target=membership.account,
        old_role=old,
        new_role=role,
    )
    db.session.flush()
    roles.end_role_memberships(membership, actor=actor)
    closing.recheck(account_ids=[membership.account_id])
    db.session.commit()
    # Live sockets re-pass the gate and rejoin only rooms the new role allows.
    realtime.end_access(accounts=[membership.account_id])


def add_vetting_item(org: Organization, label: str, *, actor: Account) -> VettingItem:
    """Add an item to the organization's checklist."""
    position = 1 + (
        db.session.scalar(
            select(func.max(VettingItem.position)).where(
                VettingItem.organization_id == org.id
            )
        )
        or 0
    )
    item = VettingItem(organization_id=org.id, label=label.strip(), position=position)
    db.session.add(item)
    audit.record(
        "checklist.item_added", actor=actor, organization=org, label=item.label
    )
    db.session.commit()
    return item


def remove_vetting_item(item: VettingItem, *, actor: Account) -> None:
    """Retire a checklist item; past attestations keep their wording."""
    item.active = False
    org = db.session.get(Organization, item.organization_id)
    audit.record(
        "checklist.item_removed", actor=actor, organization=org, label=item.label
    )
    db.session.commit()


def set_accepts_requests(org: Organization, accepts: bool, *, actor: Account) -> None:
    """Whether newcomers may pick this organization from the list."""
    org.accepts_requests = accepts
    audit.record(
        "organization.requests_toggled", actor=actor, organization=org, accepts=accepts
    )
    db.session.commit()


def suspend_organization(org: Organization, *, actor: Account) -> None:
    """Suspend an organization: its members lose all access at once, and its
    profiles (later its rooms and resources) vanish for everyone else."""
    if org.suspended_at is None:
        org.suspended_at = utcnow()
        audit.record("organization.suspended", actor=actor, organization=org)
        realtime.emit_after_commit("account:paused", {}, to=realtime.org_key(org.id))
        closing.recheck(org_ids=[org.id])
        db.session.commit()
        realtime.reverify(org_ids=[org.id])


def reinstate_organization(org: Organization, *, actor: Account) -> None:
    """Lift an organization's suspension."""
    if org.suspended_at is not None:
        org.suspended_at = None
        audit.record("organization.reinstated", actor=actor, organization=org)
        db.session.commit()

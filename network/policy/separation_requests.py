"""Confidential separation requests (a name, not a profile).

The requester side (the protected member, their organization's leads) sees its
own requests; leads of every other active organization see open ones, without
the protected person or the requesting organization. Nothing matches by name."""

from __future__ import annotations

from sqlalchemy import Select, select

from network.errors import NotFound
from network.extensions import db
from network.models import Organization, RequestStatus, SeparationRequest
from network.policy.actors import _account, can_use_network, lead_org

REQUEST_LIVE = (RequestStatus.ASKED, RequestStatus.OPEN, RequestStatus.ATTACHED)


def can_see_separation_request(actor, row: SeparationRequest) -> bool:
    """The protected member, or a lead of the organization that asked."""
    account = _account(actor)
    if account is None or not can_use_network(account):
        return False
    if row.protected_id == account.id:
        return True
    org = lead_org(account)
    return org is not None and org.id == row.organization_id


def visible_own_separation_requests(stmt: Select, actor) -> Select:
    """Requests the actor may follow on the requesting side (twin of the can_)."""
    account = _account(actor)
    if account is None or not can_use_network(account):
        return stmt.where(SeparationRequest.id.is_(None))
    org = lead_org(account)
    mine = SeparationRequest.protected_id == account.id
    if org is None:
        return stmt.where(mine)
    return stmt.where(mine | (SeparationRequest.organization_id == org.id))


def access_separation_request(actor, public_id: str) -> SeparationRequest:
    """A request on the actor's own side, or the NotFound a missing one gives."""
    row = db.session.scalar(
        select(SeparationRequest).where(SeparationRequest.public_id == public_id)
    )
    if row is None or not can_see_separation_request(actor, row):
        raise NotFound()
    return row


def can_withdraw_separation_request(actor, row: SeparationRequest) -> bool:
    """The protected member, or the lead who filed it while still its lead."""
    if row.status not in REQUEST_LIVE or not can_see_separation_request(actor, row):
        return False
    account = _account(actor)
    return row.protected_id == account.id or (
        row.filed_by_id == account.id and lead_org(account) is not None
    )


def can_file_asked_request(actor, row: SeparationRequest) -> bool:
    """A lead of the member's organization shares (or declines) a member's ask."""
    org = lead_org(actor)
    return (
        org is not None
        and row.organization_id == org.id
        and row.status == RequestStatus.ASKED
        and row.protected_id != _account(actor).id
    )


def can_attach_separation_request(actor, row: SeparationRequest) -> bool:
    """Leads of every other active organization may attach an open request."""
    org = lead_org(actor)
    if org is None or row.status != RequestStatus.OPEN:
        return False
    if row.organization_id is None or row.organization_id == org.id:
        return False
    return db.session.get(Organization, row.organization_id).is_active


def visible_separation_requests(stmt: Select, actor) -> Select:
    """Open requests of other active organizations (twin of can_attach_...)."""
    org = lead_org(actor)
    if org is None:
        return stmt.where(SeparationRequest.id.is_(None))
    active = select(Organization.id).where(
        Organization.suspended_at.is_(None), Organization.id != org.id
    )
    return stmt.where(
        SeparationRequest.status == RequestStatus.OPEN,
        SeparationRequest.organization_id.in_(active),
    )


def access_open_request_for_attach(actor, public_id: str) -> SeparationRequest:
    """An open request another organization's lead may attach, or NotFound."""
    row = db.session.scalar(
        select(SeparationRequest).where(SeparationRequest.public_id == public_id)
    )
    if row is None or not can_attach_separation_request(actor, row):
        raise NotFound()
    return row

"""Confidential separation requests: a name the member could not find.

A request never matches a name by itself. A member asks their own leads; a lead
files it for the leads of the other organizations; one of them may attach it to
a member of their own, and only then does a Separation exist. Callers check
permission first. Audit entries name the protected person and the request, never
the name, and sit in no organization's log.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete

from network import audit
from network.accounts import pseudonyms
from network.accounts.services import InputError
from network.extensions import db
from network.safety.services import bind_separation
from network.models import (
    Account,
    RequestStatus,
    Separation,
    SeparationRequest,
    utcnow,
)


def _checked_name(protected: Account, name: str) -> tuple[str, str]:
    clean = pseudonyms.clean(name or "")
    key = pseudonyms.skeleton(clean)
    if not key:
        raise InputError("pseudonym", _("Enter the name of the person."))
    if len(clean) > 32:
        raise InputError("pseudonym", _("Names are at most 32 characters."))
    if key == protected.profile.pseudonym_key:
        raise InputError(
            "pseudonym", _("That is the pseudonym of the person protected.")
        )
    return clean, key


def _log(action: str, row: SeparationRequest, *, actor: Account) -> None:
    protected = db.session.get(Account, row.protected_id)
    audit.record(action, actor=actor, target=protected, request=row.public_id)


def _new(protected: Account, name: str, **fields: object) -> SeparationRequest:
    clean, key = _checked_name(protected, name)
    org_id = protected.membership.organization_id if protected.membership else None
    row = SeparationRequest(
        organization_id=org_id,
        protected_id=protected.id,
        name=clean,
        name_key=key,
        **fields,
    )
    db.session.add(row)
    db.session.flush()
    return row


def ask_lead(name: str, note: str, *, actor: Account) -> SeparationRequest:
    """A member asks their own organization's leads to file a request."""
    row = _new(actor, name, note=(note or "").strip()[:500])
    _log("separation_request.asked", row, actor=actor)
    db.session.commit()
    return row


def file_request(
    protected: Account, name: str, details: str, *, actor: Account
) -> SeparationRequest:
    """A lead files a request for one of their members, open to other leads."""
    row = _new(protected, name, status=RequestStatus.OPEN)
    _open(row, details, actor=actor)
    db.session.commit()
    return row


def share_request(row: SeparationRequest, details: str, *, actor: Account) -> None:
    """A lead files a member's ask for the leads of the other organizations."""
    _open(row, details, actor=actor)
    db.session.commit()


def _open(row: SeparationRequest, details: str, *, actor: Account) -> None:
    row.status, row.filed_by_id, row.filed_at = RequestStatus.OPEN, actor.id, utcnow()
    row.details = (details or "").strip()[:500]
    _log("separation_request.filed", row, actor=actor)


def decline_request(row: SeparationRequest, *, actor: Account) -> None:
    """A lead does not file a member's ask; the member sees it was not filed."""
    row.status, row.closed_at = RequestStatus.DECLINED, utcnow()
    _log("separation_request.declined", row, actor=actor)
    db.session.commit()


def attach_request(row: SeparationRequest, member: Account, *, actor: Account) -> None:
    """Another organization's lead attaches the request to one of their members."""
    protected = db.session.get(Account, row.protected_id)
    # The separation carries the name given, and stays in the requesting
    # organization's care (filed by its lead).
    separation, _ = bind_separation(
        protected.id,
        member.id,
        other_name=row.name,
        filed_by_id=row.filed_by_id,
        request_id=row.id,
    )
    row.status, row.attached_by_id = RequestStatus.ATTACHED, actor.id
    row.closed_at = utcnow()
    audit.record(
        "separation_request.attached",
        actor=actor,
        target=protected,
        request=row.public_id,
        separation=separation.public_id,
    )
    db.session.commit()


def withdraw_request(row: SeparationRequest, *, actor: Account) -> None:
    """Withdraw a request, and the separation it created if it was attached."""
    db.session.execute(delete(Separation).where(Separation.request_id == row.id))
    row.status, row.closed_at = RequestStatus.WITHDRAWN, utcnow()
    _log("separation_request.withdrawn", row, actor=actor)
    db.session.commit()

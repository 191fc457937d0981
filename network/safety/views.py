"""Read helpers for the safety pages. Every row comes through a policy filter."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from network import policy
from network.accounts import pseudonyms
from network.extensions import db
from network.models import Account, Membership, Profile, Separation, SeparationRequest
from network.models import RequestStatus, Status, display_name

MATCH_LIMIT = 10


def matching_profiles(actor: Account, query: str) -> list[Profile]:
    """Profiles the actor can already see whose pseudonym looks like the query.

    Only policy.visible_profiles is searched, so the answer is the directory's
    own: it says nothing about anyone the actor may not see.
    """
    key = pseudonyms.skeleton(query) if query.strip() else ""
    if not key:
        return []
    stmt = select(Profile).where(
        Profile.account_id != actor.id,
        Profile.pseudonym_key.contains(key, autoescape=True),
    )
    stmt = policy.visible_profiles(stmt, actor)
    return list(
        db.session.scalars(stmt.order_by(Profile.pseudonym_key).limit(MATCH_LIMIT))
    )


def _separations(actor: Account, *, own: bool) -> list[Separation]:
    # An attached request's separation is shown as the request, not twice.
    stmt = policy.visible_separations(select(Separation), actor).where(
        Separation.request_id.is_(None)
    )
    if own:
        stmt = stmt.where(Separation.protected_id == actor.id)
    else:
        stmt = stmt.where(Separation.protected_id != actor.id)
    return list(db.session.scalars(stmt.order_by(Separation.id.desc())))


def own_separations(actor: Account) -> list[Separation]:
    """Separations protecting the actor."""
    return _separations(actor, own=True)


def filed_separations(actor: Account) -> list[Separation]:
    """Separations a lead filed for their members."""
    return _separations(actor, own=False)


def own_requests(actor: Account) -> list[SeparationRequest]:
    """Confidential requests protecting the actor."""
    stmt = policy.visible_own_separation_requests(select(SeparationRequest), actor)
    stmt = stmt.where(SeparationRequest.protected_id == actor.id)
    return list(db.session.scalars(stmt.order_by(SeparationRequest.id.desc())))


def org_requests(actor: Account) -> list[SeparationRequest]:
    """A lead's view of their organization's requests (not their own)."""
    stmt = policy.visible_own_separation_requests(select(SeparationRequest), actor)
    stmt = stmt.where(SeparationRequest.protected_id != actor.id)
    return list(db.session.scalars(stmt.order_by(SeparationRequest.id.desc())))


def open_requests(actor: Account) -> list[SeparationRequest]:
    """Open requests of other organizations, for a lead to check privately."""
    stmt = policy.visible_separation_requests(select(SeparationRequest), actor)
    return list(db.session.scalars(stmt.order_by(SeparationRequest.id.desc())))


def names_of(account_ids) -> dict[int, str]:
    """Pseudonyms by account id (only for people the caller may name)."""
    return dict(
        db.session.execute(
            select(Profile.account_id, Profile.pseudonym).where(
                Profile.account_id.in_(list(account_ids))
            )
        ).all()
    )


def own_members(
    org_id: int, *, except_id: int | None = None, name_key: str | None = None
) -> list[tuple[str, str]]:
    """(profile public id, pseudonym) of the approved members of one organization;
    with name_key, only those whose pseudonym looks like it (a lead's convenience:
    their own organization, whom they see anyway)."""
    stmt = (
        select(Profile.public_id, Profile.pseudonym, Profile.tag)
        .join(Membership, Membership.account_id == Profile.account_id)
        .where(
            Membership.organization_id == org_id,
            Membership.status == Status.APPROVED,
        )
        .order_by(Profile.pseudonym_key)
    )
    if except_id is not None:
        stmt = stmt.where(Membership.account_id != except_id)
    if name_key is not None:
        stmt = stmt.where(Profile.pseudonym_key == name_key)
    rows = db.session.execute(stmt)
    return [(public_id, display_name(name, tag)) for public_id, name, tag in rows]


STATUS_TEXT = {
    RequestStatus.ASKED: _l("waiting for your lead"),
    RequestStatus.OPEN: _l("open: other organizations' leads are checking"),
    RequestStatus.ATTACHED: _l("attached: the separation applies"),
    RequestStatus.WITHDRAWN: _l("withdrawn"),
    RequestStatus.DECLINED: _l("not filed by your lead"),
}

"""Directory queries. All visibility comes from policy.visible_profiles."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, literal, select
from sqlalchemy.orm import joinedload

from network import policy
from network.accounts import pseudonyms
from network.extensions import db
from network.models import (
    EXPERIENCE_TAGS,
    LANGUAGES,
    PROVINCES,
    Account,
    Membership,
    Profile,
)

PAGE_SIZE = 20


@dataclass
class DirectoryPage:
    """One page of results and the totals a viewer may know."""

    profiles: list[Profile]
    total: int
    page: int
    pages: int


def _contains(column, code: str):
    # Comma-separated codes: match ",code," inside ",a,b,c," on any backend.
    return (literal(",") + column + literal(",")).like(f"%,{code},%")


def search(
    actor,
    *,
    region: str = "",
    language: str = "",
    tag: str = "",
    query: str = "",
    page: int = 1,
) -> DirectoryPage:
    """Members the actor may see (not themselves), filtered and paginated."""
    stmt = select(Profile).where(Profile.account_id != actor.id)
    stmt = policy.visible_profiles(stmt, actor)
    if region in PROVINCES:
        stmt = stmt.where(Profile.region == region)
    if language in LANGUAGES:
        stmt = stmt.where(_contains(Profile.languages, language))
    if tag in EXPERIENCE_TAGS:
        stmt = stmt.where(_contains(Profile.experience, tag))
    key = pseudonyms.skeleton(query) if query.strip() else ""
    if key:
        stmt = stmt.where(Profile.pseudonym_key.contains(key, autoescape=True))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    rows = db.session.scalars(
        stmt.options(
            joinedload(Profile.account)
            .joinedload(Account.membership)
            .joinedload(Membership.organization)
        )
        .order_by(Profile.pseudonym_key, Profile.id)
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    )
    return DirectoryPage(list(rows), total, page, pages)

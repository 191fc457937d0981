"""Directory queries. All visibility comes from policy.visible_profiles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import literal, select
from sqlalchemy.orm import Bundle

from network import policy
from network.accounts import pseudonyms
from network.extensions import paginate
from network.models import (
    EXPERIENCE_TAGS,
    LANGUAGES,
    PROVINCES,
    Membership,
    Organization,
    Profile,
)

PAGE_SIZE = 20


class Entry(NamedTuple):
    """What the directory shows of one person (read as columns, not entities)."""

    account_id: int
    public_id: str
    pseudonym: str
    tag: str
    pronouns: str
    organization: str
    region_name: str
    language_names: list[str]
    experience_names: list[str]


def _names(codes: str, labels: dict[str, str]) -> list[str]:
    return [str(labels.get(code, code)) for code in codes.split(",") if code]


@dataclass
class DirectoryPage:
    """One page of results and the totals a viewer may know."""

    profiles: list[Entry]
    total: int
    page: int
    pages: int


def _contains(column, code: str):
    # Comma-separated codes: match ",code," inside ",a,b,c," on any backend.
    return (literal(",") + column + literal(",")).like(f"%,{code},%")


def search(
    *,
    actor,
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
    # The shown columns as one bundle: db.paginate yields one value per row.
    # The joins add no rows: one membership per account.
    shown = Bundle(
        "entry",
        Profile.account_id,
        Profile.public_id,
        Profile.pseudonym,
        Profile.tag,
        Profile.pronouns,
        Organization.name,
        Profile.region,
        Profile.languages,
        Profile.experience,
    )
    listing = paginate(
        stmt.with_only_columns(shown)
        .join(Membership, Membership.account_id == Profile.account_id)
        .join(Organization, Organization.id == Membership.organization_id)
        .order_by(Profile.pseudonym_key, Profile.id),
        page=page,
        per_page=PAGE_SIZE,
    )
    entries = [
        Entry(
            account_id,
            public_id,
            pseudonym,
            tag,
            pronouns,
            organization,
            str(PROVINCES.get(region, "")),
            _names(languages, LANGUAGES),
            _names(experience, EXPERIENCE_TAGS),
        )
        for (
            account_id,
            public_id,
            pseudonym,
            tag,
            pronouns,
            organization,
            region,
            languages,
            experience,
        ) in listing.items
    ]
    return DirectoryPage(entries, listing.total, listing.page, max(1, listing.pages))

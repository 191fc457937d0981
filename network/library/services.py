"""Library verbs and queries. Visibility always comes from policy.visible_resources,
inside the query, so results, counts and pages agree with can_see_resource."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from flask_babel import gettext as _
from flask import current_app
from sqlalchemy import literal, select, text
from sqlalchemy.orm import Bundle
from sqlalchemy.sql import column

from network import audit, markup, offload, policy
from network.errors import InputError
from network.extensions import db, paginate
from network.library import uploads
from network.text import fts5_match, search_terms, tsquery_text
from network.models.library import forget_removed_resources
from network.models import (
    RESOURCE_LANGUAGES,
    Account,
    Organization,
    Profile,
    Resource,
    TrustLevel,
    utcnow,
)

PAGE_SIZE = 20
URL_RE = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)


LibraryInputError = InputError  # one shape of field error for every feature


@dataclass
class Fields:
    """What a member writes about a resource."""

    title: str
    description: str = ""
    tags: str = ""
    language: str = "en"
    visibility: str = "org"


def upload_dir() -> Path:
    """Where files live: outside static/, never served directly."""
    return Path(current_app.config["UPLOAD_DIR"])


def parse_tags(raw: str) -> list[str]:
    """Lower-case tags, comma-separated, at most 8 of 1 to 30 characters."""
    tags = []
    for part in (raw or "").split(","):
        tag = " ".join(part.split()).lower()
        if not tag:
            continue
        if len(tag) > 30:
            raise LibraryInputError("tags", _("Keep each tag under 30 characters."))
        if tag not in tags:
            tags.append(tag)
    if len(tags) > 8:
        raise LibraryInputError("tags", _("Use at most 8 tags."))
    return tags


def _apply(resource: Resource, fields: Fields) -> None:
    if fields.language not in RESOURCE_LANGUAGES:
        raise LibraryInputError("language", _("Choose English or French."))
    if fields.visibility not in {"org", "partners"}:
        raise LibraryInputError("visibility", _("Choose who may see it."))
    resource.title = " ".join(fields.title.split())
    resource.description = fields.description.strip()
    resource.description_html = markup.render(resource.description)
    tags = parse_tags(fields.tags)
    resource.tags = f",{','.join(tags)}," if tags else ""
    resource.language = fields.language
    resource.visibility = fields.visibility
    resource.updated_at = utcnow()


def create_link(
    org: Organization, fields: Fields, url: str, *, actor: Account
) -> Resource:
    """Share a link."""
    url = (url or "").strip()
    if not URL_RE.match(url) or len(url) > 2000:
        raise LibraryInputError("url", _("Enter a web address starting with https://"))
    resource = Resource(owner_org_id=org.id, author_id=actor.id, kind="link", url=url)
    _apply(resource, fields)
    return _save_new(resource, actor, org)


def create_file(
    org: Organization,
    fields: Fields,
    stream,
    original_name: str,
    *,
    actor: Account,
    keep_name: bool = False,
) -> Resource:
    """Share a file: checked, cleaned and stored before the row is written. The
    original file name is kept only when the uploader asks (names can identify)."""
    resource = Resource(
        owner_org_id=org.id, author_id=actor.id, kind="file", keep_file_name=keep_name
    )
    _apply(resource, fields)  # validate the fields before touching the disk
    try:
        stored = uploads.store(
            stream,
            original_name,
            upload_dir(),
            current_app.config["UPLOAD_MAX_BYTES"],
            max_pixels=current_app.config["UPLOAD_MAX_PIXELS"],
            run=offload.run_blocking,
        )
    except uploads.UploadError as error:
        raise LibraryInputError("file", str(error)) from None
    resource.stored_name = stored.stored_name
    extension = os.path.splitext(stored.file_name)[1]
    resource.file_name = stored.file_name if keep_name else f"file{extension}"
    resource.mime_type = stored.mime_type
    resource.size = stored.size
    try:
        return _save_new(resource, actor, org)
    except Exception:
        uploads.remove(upload_dir(), stored.stored_name)
        raise


def _save_new(resource: Resource, author: Account, org: Organization) -> Resource:
    db.session.add(resource)
    db.session.flush()
    audit.record(
        "resource.created",
        actor=author,
        organization=org,
        resource=resource.public_id,
        visibility=resource.visibility,
    )
    db.session.commit()
    return resource


def update(resource: Resource, fields: Fields, *, actor: Account) -> None:
    """Edit a resource's details (the old words leave the search index)."""
    _apply(resource, fields)
    forget_removed_resources()
    audit.record(
        "resource.updated",
        actor=actor,
        organization=db.session.get(Organization, resource.owner_org_id),
        resource=resource.public_id,
        visibility=resource.visibility,
    )
    db.session.commit()


def delete(resource: Resource, *, actor: Account) -> None:
    """Delete a resource and its file; its words leave the search index."""
    stored = resource.stored_name
    audit.record(
        "resource.deleted",
        actor=actor,
        organization=db.session.get(Organization, resource.owner_org_id),
        resource=resource.public_id,
    )
    db.session.delete(resource)
    forget_removed_resources()
    db.session.commit()
    if stored:
        uploads.remove(upload_dir(), stored)


def _search_clause(query: str):
    """Every word of the query as a prefix ("hous" finds housing), ANDed; the
    words are plain letters and digits, so nothing the person types is syntax."""
    terms = search_terms(query)
    if not terms:
        return None
    dialect = db.session.get_bind().dialect.name
    if dialect == "sqlite":
        ids = text("SELECT rowid FROM resources_fts WHERE resources_fts MATCH :fts")
        match = fts5_match(terms)
        return Resource.id.in_(ids.bindparams(fts=match).columns(column("rowid")))
    from network.models.library import PG_SEARCH_EXPRESSION

    return text(f"{PG_SEARCH_EXPRESSION} @@ to_tsquery('simple', :q)").bindparams(
        q=tsquery_text(terms)
    )


class Listed(NamedTuple):
    """What the library's list shows of one resource (columns, not an entity)."""

    public_id: str
    title: str
    kind: str
    language: str
    owner_org_id: int
    tags: str

    @property
    def tag_list(self) -> list[str]:
        """Tags as a list."""
        return [tag for tag in self.tags.split(",") if tag]


@dataclass
class SearchPage:
    """One page of resources and the totals the viewer may know."""

    resources: list[Listed]
    total: int
    page: int
    pages: int


def search(
    actor: Account,
    *,
    query: str = "",
    tag: str = "",
    language: str = "",
    owner: str = "",
    page: int = 1,
) -> SearchPage:
    """Browse and search the resources the actor may see."""
    stmt = policy.visible_resources(select(Resource), actor)
    if query.strip():
        clause = _search_clause(query.strip()[:200])
        stmt = (
            stmt.where(clause)
            if clause is not None
            else stmt.where(Resource.id.is_(None))
        )
    if tag:
        stmt = stmt.where(Resource.tags.contains(f",{tag.lower()},", autoescape=True))
    if language in RESOURCE_LANGUAGES:
        stmt = stmt.where(Resource.language == language)
    if owner:
        stmt = stmt.where(
            Resource.owner_org_id.in_(
                select(Organization.id).where(Organization.public_id == owner)
            )
        )
    # The listed columns as one bundle: db.paginate yields one value per row.
    listed = Bundle("listed", *(getattr(Resource, name) for name in Listed._fields))
    listing = paginate(
        stmt.with_only_columns(listed).order_by(Resource.id.desc()),
        page=page,
        per_page=PAGE_SIZE,
    )
    return SearchPage(
        [Listed(*row) for row in listing.items],
        listing.total,
        listing.page,
        max(1, listing.pages),
    )


def owner_choices(actor: Account) -> list[Organization]:
    """Organizations whose resources the actor can see some of (own, collaborate+)."""
    mine = policy.active_membership(actor)
    if mine is None:
        return []
    ids = select(literal(mine.organization_id)).union(
        policy.trusted_org_ids(mine.organization_id, TrustLevel.COLLABORATE)
    )
    return list(
        db.session.scalars(
            select(Organization)
            .where(Organization.id.in_(ids))
            .order_by(Organization.name)
        )
    )


def credits(resource: Resource) -> tuple[Organization, Profile | None]:
    """The owner organization and, if still known, the author's profile."""
    owner = db.session.get(Organization, resource.owner_org_id)
    if resource.author_id is None:
        return owner, None
    author = db.session.scalar(
        select(Profile).where(Profile.account_id == resource.author_id)
    )
    return owner, author

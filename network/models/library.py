"""The resource library: links and files shared within and across organizations."""

from __future__ import annotations

from datetime import datetime

import os
import re
import unicodedata

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from network.extensions import db
from network.models.types import UTCDateTime, build_with_table, new_public_id, utcnow

RESOURCE_LANGUAGES = {"en": _l("English"), "fr": _l("French")}
# Full-text search objects that live outside the ORM metadata (the migration and
# create_all both make them); the schema comparison skips these names.
SEARCH_OBJECTS = {"resources_fts", "ix_resources_search"}


class Resource(db.Model):
    """A link or an uploaded file, owned by one organization."""

    __tablename__ = "resources"
    # Covers the library's visibility filter (owner, visibility, author), so the
    # count never reads the table (docs: README, Library).
    __table_args__ = (
        Index("ix_resources_visible", "owner_org_id", "visibility", "author_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(
        String(24), unique=True, default=new_public_id
    )
    owner_org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[str] = mapped_column(String(300), default="")  # ",a,b," for LIKE
    language: Mapped[str] = mapped_column(String(2), default="en")
    visibility: Mapped[str] = mapped_column(String(16), default="org")
    kind: Mapped[str] = mapped_column(String(8))  # link | file
    url: Mapped[str] = mapped_column(String(2000), default="")
    stored_name: Mapped[str] = mapped_column(String(64), default="")
    # The uploader's (cleaned) file name only when they chose to keep it; else
    # "file" and the type's extension: a file name can identify a person.
    file_name: Mapped[str] = mapped_column(String(200), default="")
    keep_file_name: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    mime_type: Mapped[str] = mapped_column(String(100), default="")
    size: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def tag_list(self) -> list[str]:
        """Tags as a list."""
        return [tag for tag in self.tags.split(",") if tag]

    @property
    def download_name(self) -> str:
        """The name a download gets: the kept file name, else the title as a slug
        with the file's extension ("court-day-what-to-bring.pdf")."""
        if self.keep_file_name and self.file_name:
            return self.file_name
        return slug(self.title) + os.path.splitext(self.file_name)[1].lower()


def slug(text: str, limit: int = 80) -> str:
    """Lowercase ASCII words joined by hyphens ("Guide: logement" -> "guide-logement")."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore")
    words = re.findall(r"[a-z0-9]+", ascii_text.decode().lower())
    return "-".join(words)[:limit].strip("-") or "resource"


FTS_SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS resources_fts USING fts5("
    "title, description, tags, content='resources', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS resources_fts_ai AFTER INSERT ON resources BEGIN "
    "INSERT INTO resources_fts(rowid, title, description, tags) "
    "VALUES (new.id, new.title, new.description, new.tags); END",
    "CREATE TRIGGER IF NOT EXISTS resources_fts_ad AFTER DELETE ON resources BEGIN "
    "INSERT INTO resources_fts(resources_fts, rowid, title, description, tags) "
    "VALUES ('delete', old.id, old.title, old.description, old.tags); END",
    "CREATE TRIGGER IF NOT EXISTS resources_fts_au AFTER UPDATE ON resources BEGIN "
    "INSERT INTO resources_fts(resources_fts, rowid, title, description, tags) "
    "VALUES ('delete', old.id, old.title, old.description, old.tags); "
    "INSERT INTO resources_fts(rowid, title, description, tags) "
    "VALUES (new.id, new.title, new.description, new.tags); END",
]
PG_SEARCH_EXPRESSION = (
    "to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(description, '')"
    " || ' ' || replace(coalesce(tags, ''), ',', ' '))"
)
FTS_POSTGRES = [
    f"CREATE INDEX IF NOT EXISTS ix_resources_search ON resources "
    f"USING gin ({PG_SEARCH_EXPRESSION})"
]

build_with_table(
    Resource.__table__,
    sqlite=FTS_SQLITE,
    postgresql=FTS_POSTGRES,
    fts_table="resources_fts",
)


def forget_removed_resources() -> None:
    """Merge the library's FTS5 index now, so deleted resources' words leave its
    segments (FTS5 keeps them until a merge), in the caller's transaction."""
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.flush()
        db.session.execute(
            text("INSERT INTO resources_fts(resources_fts) VALUES ('optimize')")
        )

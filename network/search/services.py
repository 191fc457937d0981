"""Search in messages: one statement per results page, the permission part from
policy.searchable_messages, the match from the full-text index (SQLite FTS5 or a
PostgreSQL GIN expression index), newest first, by keyset."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy import Select, bindparam, select, text
from sqlalchemy.orm import aliased
from sqlalchemy.sql import column

from network import policy, ratelimit
from network.extensions import db
from network.models import FORMER_MEMBER, Account, Message, Profile, Room
from network.models.orgs import ROOM_MANAGER_ROLES
from network.search.snippets import Segment, snippet
from network.text import SEARCH_QUERY_MAX, fts5_match, search_terms, tsquery_text

PAGE_SIZE = 20
_TITLES_KEY = "network.search.room_titles"


def N_(text: str) -> str:
    """Mark a sentence for the catalogue: the page shows it translated
    (templates/search/search.html); here it stays the English identifier."""
    return text


EMPTY = N_("Type a word to search for.")
NO_WORDS = N_("Search for words: letters or digits (punctuation is ignored).")
TOO_FAST = N_("You are searching very fast. Wait a moment, then try again.")


@dataclass(frozen=True)
class Result:
    """One message found, as the results page shows it."""

    message_id: str
    room_id: str
    room_title: str
    room_kind: str
    author: dict
    created_at: datetime
    content_warning: str
    snippet: list[Segment]


@dataclass
class ResultPage:
    """A page of results, the cursor of the next one, or why there are none."""

    query: str
    results: list[Result] = field(default_factory=list)
    next_cursor: str | None = None
    error: str = ""


def add_room_title(app, kind: str, titles) -> None:
    """Let a room kind name its rooms in results as its own page would (a direct
    conversation: the other person). `titles(viewer, room_public_ids)` gives a
    {room public id: title} for one page's rooms of that kind, in one query."""
    app.extensions.setdefault(_TITLES_KEY, {})[kind] = titles


def search(actor: Account, query: str, *, before: str | None = None) -> ResultPage:
    """The actor's messages matching every word of the query (as prefixes), in the
    rooms they are in now, newest first; `before` is the last result's message
    id from the previous page."""
    query = (query or "").strip()[:SEARCH_QUERY_MAX]
    if not query:
        return ResultPage(query, error=EMPTY)
    terms = search_terms(query)
    if not terms:
        return ResultPage(query, error=NO_WORDS)
    if not ratelimit.allow("search", actor.id):
        return ResultPage(query, error=TOO_FAST)
    membership = policy.active_membership(actor)
    if membership is None:  # the admin: in no room
        return ResultPage(query)
    cursor = before[:24] if isinstance(before, str) and before else None
    dialect = db.session.get_bind().dialect.name
    is_manager = membership.role in ROOM_MANAGER_ROLES
    stmt = _statement(dialect, is_manager, cursor is not None)
    match = fts5_match(terms) if dialect == "sqlite" else tsquery_text(terms)
    bound = {"org_id": membership.organization_id, "account_id": actor.id}
    rows = db.session.execute(stmt, {**bound, "match": match, "before": cursor}).all()
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    titles = _titles(actor, rows)
    results = [_result(row, terms, titles) for row in rows]
    return ResultPage(
        query, results, results[-1].message_id if more and results else None
    )


@functools.cache
def _statement(dialect: str, is_manager: bool, cursor: bool) -> Select:
    """One results page, built once per kind (building it cost more than running
    it); bind org_id, account_id, match and before. The page's ids are chosen
    from messages alone (policy.searchable_message_criteria: semi- and
    anti-joins), then the rooms and names are read for that page only."""
    page = select(Message.id).where(
        *policy.searchable_message_criteria(
            bindparam("org_id"), bindparam("account_id"), is_manager
        ),
        _match(dialect),
    )
    if cursor:
        earlier = aliased(Message)
        position = select(earlier.id).where(earlier.public_id == bindparam("before"))
        page = page.where(Message.id < position.scalar_subquery())
    page = page.order_by(Message.id.desc()).limit(PAGE_SIZE + 1)
    return (
        select(
            Message.public_id,
            Message.html,
            Message.content_warning,
            Message.created_at,
            Room.public_id.label("room_id"),
            Room.name.label("room_name"),
            Room.kind.label("room_kind"),
            Profile.pseudonym,
            Profile.tag,
        )
        .join(Room, Room.id == Message.room_id)
        .outerjoin(Profile, Profile.account_id == Message.author_id)
        .where(Message.id.in_(page))
        .order_by(Message.id.desc())
    )


def _match(dialect: str):
    """Messages whose indexed text holds every term (the index holds only text
    that is neither deleted nor hidden); bind `match`."""
    if dialect == "sqlite":
        ids = text("SELECT rowid FROM messages_fts WHERE messages_fts MATCH :match")
        return Message.id.in_(ids.columns(column("rowid")))
    # The partial index's own expression (PG_MESSAGE_VECTOR) and condition (in
    # searchable_message_criteria), so the planner uses it.
    return text("to_tsvector('simple', messages.body) @@ to_tsquery('simple', :match)")


def _titles(actor: Account, rows) -> dict[str, str]:
    """Titles from the room kinds that name their rooms themselves (add_room_title);
    nothing runs when the page holds none of them."""
    hooks = current_app.extensions.get(_TITLES_KEY, {})
    titles: dict[str, str] = {}
    for kind, hook in hooks.items():
        ids = sorted({row.room_id for row in rows if row.room_kind == kind})
        if ids:
            titles.update(hook(actor, ids))
    return titles


def _result(row, terms: list[str], titles: dict[str, str]) -> Result:
    has_profile = row.pseudonym is not None
    return Result(
        message_id=row.public_id,
        room_id=row.room_id,
        room_title=titles.get(row.room_id, row.room_name),
        room_kind=row.room_kind,
        author={
            "pseudonym": row.pseudonym if has_profile else FORMER_MEMBER,
            "tag": row.tag if has_profile else "",
        },
        created_at=row.created_at,
        content_warning=row.content_warning,
        snippet=snippet(row.html, terms),
    )

"""Message payloads and history pages (keyset), resource cards, retention."""

from __future__ import annotations

import functools
from datetime import timedelta

from sqlalchemy import (
    Select,
    bindparam,
    delete,
    select,
)

from network import policy
from network.extensions import db
from network.models import (
    FORMER_MEMBER,
    Account,
    Membership,
    Message,
    Profile,
    Resource,
    Room,
    utcnow,
)
from network.models.message_search import forget_removed_text
from network.rooms.people import org_alias, person_payload
from network.rooms.retention import bounds, clamp

HISTORY_PAGE = 50
CATCH_UP_PAGE = 200


def message_payload(
    room: Room, message: Message, author: Account, viewer_id: int | None = None
) -> dict:
    """The one shape of a message on the wire and in templates. A hidden message
    carries no text; only its author is told the moderator's reason."""
    hidden = message.hidden_at is not None
    resource = None if hidden else _resource_id(message)
    return _payload(room, message, person_payload(room, author), resource, viewer_id)


def _payload(room: Room, message, person: dict, resource, viewer_id) -> dict:
    """message_payload from anything with a message's attributes: a Message, or a
    row of history's columns."""
    hidden = message.hidden_at is not None
    payload = {
        "room_id": room.public_id,
        "id": message.public_id,
        "author": person,
        "html": "" if hidden else message.html,
        "content_warning": "" if hidden else message.content_warning,
        "created_at": message.created_at.isoformat(),
        "order_key": message.order_key,
        "edited": message.edited_at is not None,
        "deleted": message.deleted_at is not None,
        "hidden": hidden,
        "resource": None if hidden else resource,
    }
    if hidden and viewer_id == message.author_id:
        payload["hidden_reason"] = message.hidden_reason
    return payload


def _resource_id(message: Message) -> str | None:
    """The shared resource's public id (its title never travels in a message)."""
    if message.resource_id is None:
        return None
    resource = db.session.get(Resource, message.resource_id)
    return resource.public_id if resource is not None else None


@functools.cache
def message_rows(kind: str) -> Select:
    """The columns a message payload needs, with its author's profile and
    organization and its resource's public id, for messages of a room the viewer
    may see (people kept apart are left out, in the query: visible_messages).
    Built once per kind (building cost more than running it); bind room_id and
    viewer_id, and per kind: newest and before (before_id) take the newest
    `limit`, after (after_id) the oldest `limit`, pinned one message_id."""
    stmt = (
        select(
            Message.id,
            Message.public_id,
            Message.author_id,
            Message.html,
            Message.content_warning,
            Message.created_at,
            Message.order_key,
            Message.edited_at,
            Message.deleted_at,
            Message.hidden_at,
            Message.hidden_reason,
            Resource.public_id.label("resource"),
            Profile.public_id.label("profile"),
            Profile.pseudonym,
            Profile.tag,
            Membership.organization_id,
        )
        .join(Account, Account.id == Message.author_id)
        .outerjoin(Profile, Profile.account_id == Account.id)
        .outerjoin(Membership, Membership.account_id == Account.id)
        .outerjoin(Resource, Resource.id == Message.resource_id)
        .where(
            Message.room_id == bindparam("room_id"),
            policy.room_people_criterion(Message.author_id, bindparam("viewer_id")),
        )
    )
    newest = Message.id.desc()
    if kind == "after":
        after = Message.id > bindparam("after_id")
        return stmt.where(after).order_by(Message.id).limit(bindparam("limit"))
    if kind == "before":
        stmt = stmt.where(Message.id < bindparam("before_id"))
        return stmt.order_by(newest).limit(bindparam("limit"))
    if kind == "newest":
        return stmt.order_by(newest).limit(bindparam("limit"))
    if kind == "pinned":
        return stmt.where(
            Message.id == bindparam("message_id"),
            Message.hidden_at.is_(None),
            Message.deleted_at.is_(None),
        )
    raise ValueError(kind)


def row_payload(room: Room, row, viewer_id: int) -> dict:
    """message_payload for a row of message_rows (no further query)."""
    person = {
        "id": row.profile,
        # No profile: a deleted account (accounts/deletion.py).
        "pseudonym": row.pseudonym if row.profile is not None else FORMER_MEMBER,
        "tag": row.tag if row.profile is not None else "",
        # A former member belongs to no organization any more.
        "org": org_alias(room.id, row.organization_id or 0) if row.profile else "",
    }
    return _payload(room, row, person, row.resource, viewer_id)


def history(
    room: Room,
    viewer: Account,
    *,
    after_id: int | None = None,
    before_id: int | None = None,
    limit: int = HISTORY_PAGE,
) -> list[dict]:
    """Messages by keyset: after an id (catch-up, oldest first) or the newest
    before an id (load earlier); people kept apart from the viewer are left out.
    One select of the columns the payload needs, whatever the page holds."""
    bound = {"room_id": room.id, "viewer_id": viewer.id, "limit": limit}
    if after_id is not None:
        stmt = message_rows("after")
        rows = list(db.session.execute(stmt, {**bound, "after_id": after_id}))
    else:
        kind = "newest" if before_id is None else "before"
        stmt = message_rows(kind)
        rows = list(db.session.execute(stmt, {**bound, "before_id": before_id}))
        rows.reverse()
    return [row_payload(room, row, viewer.id) for row in rows]


def history_around(
    room: Room, viewer: Account, message_id: int, limit: int = HISTORY_PAGE
) -> tuple[list[dict], bool]:
    """The page of history around one message (a search result opened in its
    room): it and up to half a page before it, then up to half a page after;
    and whether earlier messages remain. The same filter as history."""
    half = limit // 2
    bound = {"room_id": room.id, "viewer_id": viewer.id}
    earlier = list(
        db.session.execute(
            message_rows("before"),
            {**bound, "before_id": message_id + 1, "limit": half + 2},
        )
    )
    more = len(earlier) == half + 2  # the message, half a page, and one more
    earlier = earlier[: half + 1]
    earlier.reverse()
    later = db.session.execute(
        message_rows("after"), {**bound, "after_id": message_id, "limit": half}
    )
    rows = earlier + list(later)
    return [row_payload(room, row, viewer.id) for row in rows], more


def purge_expired(now=None) -> int:
    """Delete messages older than their room's retention period (clamped into
    the admin's bounds: rooms.retention)."""
    now = now or utcnow()
    removed = 0
    limits = bounds()  # a room set before the admin's bounds changed is clamped
    for room_id, days in db.session.execute(select(Room.id, Room.retention_days)).all():
        days = clamp(days, limits)
        removed += db.session.execute(
            delete(Message).where(
                Message.room_id == room_id,
                Message.created_at < now - timedelta(days=days),
            )
        ).rowcount
    if removed:
        forget_removed_text()  # the purged text leaves the search index too
    db.session.commit()
    return removed


def cards_for(viewer: Account, messages: list[dict]) -> dict[str, dict]:
    """Shared-resource cards for a page of messages, in one query: only those the
    viewer may see; the page shows "resource unavailable" for the rest."""
    ids = {m["resource"] for m in messages if m.get("resource")}
    if not ids:
        return {}
    stmt = policy.visible_resources(select(Resource), viewer).where(
        Resource.public_id.in_(ids)
    )
    return {
        r.public_id: {"id": r.public_id, "title": r.title}
        for r in db.session.scalars(stmt)
    }

"""Notify a person: one row, a live count to their sockets after commit.

What a notification may say is its kind's title (models.NOTIFICATION_TITLES)
and nothing else: no message text, no names. Email, when a person turned it
on, says only "You have new activity" (notifications.email).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import delete, exists, func, insert, literal, select, update

from network.extensions import db, paginate
from network.models import (
    NOTIFICATION_TITLES,
    Account,
    Notification,
    Profile,
    RoomMember,
    new_public_id,
    utcnow,
)
from network.availability.services import held_until
from network.models.availability import availability_rows
from network.notifications.email import queue_activity_emails
from network.realtime import emit_after_commit, user_key

PER_PAGE = 20
# Least data: a read notification is kept a month, an unread one ninety days
# (the default room retention); housekeeping deletes older ones.
KEEP_READ = timedelta(days=30)
KEEP_UNREAD = timedelta(days=90)
# Kinds that still come from a room its person muted: a call for help is not
# the kind of noise a mute is for (docs/security.md, "Notifications").
THROUGH_MUTE = {"support_alert"}


def notify(
    account_id: int, kind: str, *, room_id: int | None = None, link: str = ""
) -> None:
    """Tell one person something happened (in the caller's transaction).

    An unread notification of the same kind for the same room is refreshed
    instead of repeated, so a busy conversation rings once until it is read.
    Nothing is added for a room the person muted (support alerts excepted).
    """
    notify_many([account_id], kind, room_id=room_id, link=link)


def notify_many(
    account_ids: Iterable[int], kind: str, *, room_id: int | None = None, link: str = ""
) -> list[int]:
    """notify() for several people in a constant number of statements (a
    mention of three people costs what a mention of one does). Returns who
    was notified."""
    if kind not in NOTIFICATION_TITLES:
        raise ValueError(f"unknown notification kind {kind!r}")
    ids = sorted(set(account_ids))
    if not ids:
        return []
    # One query for the per-person facts: a mute of the room, and whether
    # they are away (outside their hours or on a break). What is for someone
    # away is held: not counted, listed or emailed before they are available.
    muted = literal(False)
    if room_id is not None and kind not in THROUGH_MUTE:
        muted = exists().where(
            RoomMember.room_id == room_id,
            RoomMember.account_id == Profile.account_id,
            RoomMember.notifications_muted.is_(True),
        )
    rows = availability_rows(ids, muted)
    ids = sorted(row[0] for row in rows if not row[-1])
    if not ids:
        return []
    held = held_until(rows)
    _add_or_refresh(ids, kind, room_id, link, held)
    ready = [account_id for account_id in ids if account_id not in held]
    counts = unread_counts(ready) if ready else {}
    for account_id in ready:
        emit_after_commit(
            "notification:count",
            {"count": counts.get(account_id, 0)},
            to=user_key(account_id),
        )
    if ready:
        queue_activity_emails(ready)
    return ids


def _add_or_refresh(
    ids: list[int], kind: str, room_id: int | None, link: str, held: dict
):
    now = utcnow()
    existing = {}
    if room_id is not None:
        existing = {
            row.account_id: row
            for row in db.session.scalars(
                select(Notification).where(
                    Notification.account_id.in_(ids),
                    Notification.kind == kind,
                    Notification.room_id == room_id,
                    Notification.read_at.is_(None),
                )
            )
        }
    for row in existing.values():
        row.created_at = now
        row.link = link or row.link
    new = [
        {
            "public_id": new_public_id(),
            "account_id": account_id,
            "kind": kind,
            "room_id": room_id,
            "link": link,
            "created_at": now,
            "visible_from": held.get(account_id),
        }
        for account_id in ids
        if account_id not in existing
    ]
    db.session.flush()
    if new:  # one INSERT for everyone (executemany)
        db.session.execute(insert(Notification), new)


def unread_count(account_id: int) -> int:
    """How many notifications the person has not read."""
    return unread_counts([account_id]).get(account_id, 0)


def visible_now():
    """Notifications not held (or whose hold ended): the only ones counted or
    listed (a held one waits for its person's hours)."""
    return Notification.visible_from.is_(None) | (Notification.visible_from <= utcnow())


def unread_counts(account_ids: list[int]) -> dict[int, int]:
    """Unread notifications per person, in one statement."""
    rows = db.session.execute(
        select(Notification.account_id, func.count(Notification.id))
        .where(
            Notification.account_id.in_(account_ids),
            Notification.read_at.is_(None),
            visible_now(),
        )
        .group_by(Notification.account_id)
    )
    return {account_id: count for account_id, count in rows}


def page_of(account: Account, page: int):
    """One page of the person's notifications, newest first."""
    stmt = (
        select(Notification)
        .where(Notification.account_id == account.id, visible_now())
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )
    return paginate(stmt, page=page, per_page=PER_PAGE)


def open_notification(row: Notification, *, actor: Account) -> str:
    """Mark one read and return where it points (policy decides there)."""
    if row.read_at is None:
        row.read_at = utcnow()
        _push_count(actor.id)
        db.session.commit()
    return row.link


def mark_all_read(*, actor: Account) -> None:
    """Mark every one of the person's notifications read."""
    db.session.execute(
        update(Notification)
        .where(
            Notification.account_id == actor.id,
            Notification.read_at.is_(None),
            visible_now(),
        )
        .values(read_at=utcnow())
    )
    _push_count(actor.id)
    db.session.commit()


def _push_count(account_id: int) -> None:
    db.session.flush()
    emit_after_commit(
        "notification:count",
        {"count": unread_count(account_id)},
        to=user_key(account_id),
    )


def set_room_muted(row: RoomMember, muted: bool, *, actor: Account) -> None:
    """Turn one's own notifications from a room off or on."""
    if row.account_id != actor.id:
        raise ValueError("only one's own room settings")
    row.notifications_muted = bool(muted)
    db.session.commit()


def set_email(enabled: bool, *, actor: Account) -> None:
    """Turn "You have new activity" emails on or off (off by default)."""
    actor.notify_by_email = bool(enabled)
    db.session.commit()


def purge_old(now=None) -> int:
    """Delete notifications read over KEEP_READ ago or made over KEEP_UNREAD ago."""
    now = now or utcnow()
    removed = db.session.execute(
        delete(Notification).where(
            (Notification.read_at < now - KEEP_READ)
            | (Notification.created_at < now - KEEP_UNREAD)
        )
    ).rowcount
    db.session.commit()
    return removed

"""Notify a person: one row, a live count to their sockets after commit."""

from __future__ import annotations

from sqlalchemy import func, select

from network.extensions import db
from network.models import NOTIFICATION_TITLES, Notification, utcnow
from network.realtime import emit_after_commit, user_key


def notify(
    account_id: int, kind: str, *, room_id: int | None = None, link: str = ""
) -> None:
    """Tell one person something happened (in the caller's transaction).

    An unread notification of the same kind for the same room is refreshed
    instead of repeated, so a busy conversation rings once until it is read.
    """
    if kind not in NOTIFICATION_TITLES:
        raise ValueError(f"unknown notification kind {kind!r}")
    existing = None
    if room_id is not None:
        existing = db.session.scalar(
            select(Notification).where(
                Notification.account_id == account_id,
                Notification.kind == kind,
                Notification.room_id == room_id,
                Notification.read_at.is_(None),
            )
        )
    if existing is not None:
        existing.created_at = utcnow()
        existing.link = link or existing.link
    else:
        db.session.add(
            Notification(account_id=account_id, kind=kind, room_id=room_id, link=link)
        )
    db.session.flush()
    emit_after_commit(
        "notification:count",
        {"count": unread_count(account_id)},
        to=user_key(account_id),
    )


def unread_count(account_id: int) -> int:
    """How many notifications the person has not read."""
    return db.session.scalar(
        select(func.count(Notification.id)).where(
            Notification.account_id == account_id, Notification.read_at.is_(None)
        )
    )

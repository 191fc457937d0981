"""Notifications: each belongs to one person, and only they may open it."""

from __future__ import annotations

from sqlalchemy import select

from network.errors import NotFound
from network.extensions import db
from network.models import Notification
from network.policy.actors import _account


def access_own_notification(actor, public_id) -> Notification:
    """One of the actor's own notifications; anyone else's answers like a missing
    one (one query either way)."""
    account = _account(actor)
    if account is None or not isinstance(public_id, str):
        raise NotFound()
    row = db.session.scalar(
        select(Notification).where(
            Notification.public_id == public_id,
            Notification.account_id == account.id,
        )
    )
    if row is None:
        raise NotFound()
    return row


def safe_local_link(link: str) -> bool:
    """A path inside the network (never another site: not //host, not /\\host)."""
    return link.startswith("/") and not link.startswith(("//", "/\\"))

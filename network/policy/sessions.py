"""Sign-in sessions (devices): each belongs to one person, and only they see it."""

from __future__ import annotations

from sqlalchemy import select

from network.errors import NotFound
from network.extensions import db
from network.models import AuthSession, utcnow
from network.policy.actors import _account


def access_own_session(actor, public_id) -> AuthSession:
    """One of the actor's own live sessions, by its public id; anyone else's, or
    an expired one, answers like a missing one (one query either way)."""
    account = _account(actor)
    if account is None or not isinstance(public_id, str) or len(public_id) > 24:
        raise NotFound()
    row = db.session.scalar(
        select(AuthSession).where(
            AuthSession.public_id == public_id,
            AuthSession.account_id == account.id,
            AuthSession.expires_at > utcnow(),
        )
    )
    if row is None:
        raise NotFound()
    return row

"""Reads the account pages need before anyone is signed in: the account a login
name names, and the organizations one may ask to join."""

from __future__ import annotations

from sqlalchemy import select

from network import policy
from network.extensions import db
from network.models import Account, Organization


def account_by_login_key(login_key: str) -> Account | None:
    """The account with this normalized login name, if any."""
    return db.session.scalar(select(Account).where(Account.login_key == login_key))


def join_targets() -> list[Organization]:
    """Organizations that take join requests, by name."""
    stmt = policy.visible_join_targets(select(Organization)).order_by(Organization.name)
    return list(db.session.scalars(stmt))


def join_target(public_id: str) -> Organization | None:
    """One organization that takes join requests, by public id (None otherwise)."""
    return db.session.scalar(
        policy.visible_join_targets(
            select(Organization).where(Organization.public_id == public_id)
        )
    )

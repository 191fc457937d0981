"""Names without oracles: which pseudonyms count as taken, and sign-in names.

A pseudonym is refused only when it looks like someone the asker can see; a
sign-in name is the chosen stem plus random digits, so neither answer depends on
people hidden from the asker (docs/security.md, "Names and tags")."""

from __future__ import annotations

import itertools
import secrets

from sqlalchemy import select

from network import policy
from network.accounts import pseudonyms
from network.extensions import db
from network.models import Account, Profile, new_tag

LOGIN_SUFFIX_DIGITS = 4


def login_key(login_name: str) -> str:
    """Login names compare case-insensitively and trimmed."""
    return login_name.strip().casefold()


def pseudonym_taken(pseudonym: str, *, actor: Account) -> bool:
    """True if the pseudonym looks like that of someone the actor can see.

    Only profiles visible to the actor count, so the answer never reveals a person
    hidden from them (kept apart, blocked, another organization); the tag shown
    after every pseudonym tells apart two people who share a name.
    """
    stmt = select(Profile.id).where(
        Profile.pseudonym_key == pseudonyms.skeleton(pseudonym),
        Profile.account_id != actor.id,
    )
    return db.session.scalar(policy.visible_profiles(stmt, actor).limit(1)) is not None


def unused(column, make, key=lambda value: value) -> str:
    """A fresh random value from `make` whose key no row holds in `column`."""
    while True:
        value = make()
        if db.session.scalar(select(column).where(column == key(value))) is None:
            return value


def assigned_login_name(stem: str) -> str:
    """The chosen stem plus a random 4-digit suffix, unique network-wide.

    The answer never depends on who else is on the network, so sign-up is no
    directory of login names."""
    tries = itertools.count()

    def make() -> str:
        # Should one stem ever crowd its 10,000 suffixes, widen rather than loop.
        width = LOGIN_SUFFIX_DIGITS + next(tries) // 50
        digits = "".join(secrets.choice("0123456789") for _ in range(width))
        return f"{stem.strip()}-{digits}"

    return unused(Account.login_key, make, key=login_key)


def new_profile_tag() -> str:
    """A tag no profile holds yet."""
    return unused(Profile.tag, new_tag)

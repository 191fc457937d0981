"""Factories returning real rows, committed, for tests."""

from __future__ import annotations

import itertools
from datetime import timedelta

from network.accounts import names, pseudonyms
from network.extensions import db
from network.models import (
    Account,
    Invitation,
    Membership,
    Organization,
    Profile,
    Role,
    Status,
    VettingItem,
    utcnow,
)
from network.security import hash_password, hash_secret, new_code

PASSWORD = "correct horse battery"
_counter = itertools.count(1)
_NAMES = [
    "Willow",
    "Harbor",
    "Juniper",
    "Falcon",
    "Meadow",
    "Spruce",
    "Heron",
    "Quartz",
    "Sparrow",
    "Thistle",
    "Aurora",
    "Birch",
    "Cobalt",
    "Dune",
]


def _unique_pseudonym() -> str:
    n = next(_counter)
    return f"{_NAMES[n % len(_NAMES)]} {chr(ord('a') + n // len(_NAMES) % 26)}x{n}"


def make_org(
    name: str | None = None, region: str = "ON", items: int = 2
) -> Organization:
    """An active organization with a vetting checklist of `items` items."""
    org = Organization(name=name or f"Agency {next(_counter)}", region=region)
    db.session.add(org)
    db.session.flush()
    for position in range(items):
        db.session.add(
            VettingItem(
                organization_id=org.id, label=f"Check {position + 1}", position=position
            )
        )
    db.session.commit()
    return org


_HASHES: dict[str, str] = {}


def _hash(password: str) -> str:
    # Hashing is deliberately slow; tests reuse one hash per password.
    if password not in _HASHES:
        _HASHES[password] = hash_password(password)
    return _HASHES[password]


def make_account(
    pseudonym: str | None = None,
    *,
    login_name: str | None = None,
    password: str = PASSWORD,
    email: str | None = None,
    admin: bool = False,
) -> Account:
    """An account with a profile and no membership."""
    name = pseudonyms.clean(pseudonym or _unique_pseudonym())
    account = Account(
        login_name=login_name or f"user{next(_counter)}",
        password_hash=_hash(password),
        email=email,
        is_platform_admin=admin,
    )
    account.login_key = account.login_name.casefold()
    account.profile = Profile(
        pseudonym=name,
        pseudonym_key=pseudonyms.skeleton(name),
        tag=names.new_profile_tag(),  # random tags could collide across many rows
    )
    db.session.add(account)
    db.session.commit()
    return account


def make_admin() -> Account:
    """The platform admin."""
    return make_account(
        "Platform Admin", login_name=f"admin{next(_counter)}", admin=True
    )


def make_member(
    org: Organization,
    role: str = Role.MEMBER,
    status: str = Status.APPROVED,
    pseudonym: str | None = None,
    **kwargs,
) -> Account:
    """An account with a membership of `org` in the given role and status."""
    account = make_account(pseudonym, **kwargs)
    membership = Membership(
        account=account,
        organization_id=org.id,
        role=role,
        status=status,
        joined_via="invitation",
    )
    if status == Status.APPROVED:
        membership.approved_at = utcnow()
    db.session.add(membership)
    db.session.commit()
    return account


def make_invitation(
    org: Organization,
    by: Account | None = None,
    *,
    role: str = Role.MEMBER,
    max_uses: int = 1,
    days: int = 7,
    uses: int = 0,
) -> tuple[Invitation, str]:
    """An invitation and its plain code."""
    code = new_code(3)
    invitation = Invitation(
        organization_id=org.id,
        code_hash=hash_secret(code),
        code_hint=code[-4:],
        role=role,
        max_uses=max_uses,
        uses=uses,
        expires_at=utcnow() + timedelta(days=days),
        created_by_id=by.id if by else None,
    )
    db.session.add(invitation)
    db.session.commit()
    return invitation, code


def set_trust(org_a: Organization, org_b: Organization, a_gives: int, b_gives=None):
    """Set trust in both directions (b_gives defaults to a_gives), as rows."""
    from network.models import OrgTrust

    for source, target, level in (
        (org_a, org_b, a_gives),
        (org_b, org_a, a_gives if b_gives is None else b_gives),
    ):
        row = db.session.scalar(
            db.select(OrgTrust).where(
                OrgTrust.from_org_id == source.id, OrgTrust.to_org_id == target.id
            )
        )
        if row is None:
            row = OrgTrust(from_org_id=source.id, to_org_id=target.id)
            db.session.add(row)
        row.level = int(level)
    db.session.commit()


def three_orgs(names=("A", "B", "C")) -> tuple:
    """Host A, partner B (collaborate both ways), and C, whom A only sees
    (see both ways): the three-organization world of many tests."""
    from network.models import TrustLevel

    org_a, org_b, org_c = (make_org(name) for name in names)
    set_trust(org_a, org_b, TrustLevel.COLLABORATE)
    set_trust(org_a, org_c, TrustLevel.SEE)
    return org_a, org_b, org_c


def make_room(
    org: Organization,
    *,
    visibility: str = "org",
    name: str | None = None,
    partners=(),
    retention_days: int = 90,
):
    """A channel hosted by `org`."""
    from network.models import Room, RoomPartner

    room = Room(
        host_org_id=org.id,
        name=name or f"Room {next(_counter)}",
        visibility=visibility,
        retention_days=retention_days,
    )
    room.partners = [RoomPartner(org_id=p.id) for p in partners]
    db.session.add(room)
    db.session.commit()
    return room


def separate(protected: Account, other: Account):
    """Keep `protected` apart from `other`, through the real service."""
    from network.safety import services as safety

    return safety.file_separation(protected, other, actor=protected)


def make_conversation(sender: Account, recipient: Account, body: str = "Hello"):
    """An accepted message request: the direct room of the two, through the
    real services (the pair must be allowed to talk)."""
    from network.conversations import services as conversations

    row = conversations.send_request(recipient, actor=sender, body=body)
    return conversations.accept(row, actor=recipient)

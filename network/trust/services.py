"""Trust verbs. Callers check permission first."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from network import audit, policy, realtime
from network.conversations import closing
from network.extensions import db
from network.models import Account, Organization, OrgTrust, TrustLevel, utcnow

MEANING = {
    TrustLevel.NONE: _l("Your members and theirs do not see each other at all."),
    TrustLevel.SEE: _l(
        "Members appear to each other in the directory, with their organization's name."
    ),
    TrustLevel.COLLABORATE: _l(
        "Members see each other, and may join each other's partner rooms and see "
        "partner resources."
    ),
    TrustLevel.MESSAGE: _l(
        "Members see each other, collaborate, and may send each other message "
        "requests (the recipient still decides)."
    ),
}


@dataclass
class TrustRow:
    """One line of a lead's trust page."""

    org: Organization
    given: TrustLevel
    received: TrustLevel

    @property
    def effective(self) -> TrustLevel:
        """The lower of the two directions."""
        return min(self.given, self.received)

    @property
    def meaning(self) -> str:
        """What the effective level allows, in plain words."""
        return MEANING[self.effective]


def trust_rows(org: Organization) -> list[TrustRow]:
    """Every other active organization with both directions of trust."""
    others = db.session.scalars(
        select(Organization)
        .where(Organization.id != org.id, Organization.suspended_at.is_(None))
        .order_by(Organization.name)
    )
    given = dict(
        db.session.execute(
            select(OrgTrust.to_org_id, OrgTrust.level).where(
                OrgTrust.from_org_id == org.id
            )
        ).all()
    )
    received = dict(
        db.session.execute(
            select(OrgTrust.from_org_id, OrgTrust.level).where(
                OrgTrust.to_org_id == org.id
            )
        ).all()
    )
    return [
        TrustRow(
            other,
            TrustLevel(given.get(other.id, 0)),
            TrustLevel(received.get(other.id, 0)),
        )
        for other in others
    ]


def set_trust(
    org: Organization, other: Organization, level: TrustLevel, *, actor: Account
) -> None:
    """Set what `org` gives `other`. Lowering takes effect on live sockets at once."""
    row = db.session.scalar(
        select(OrgTrust).where(
            OrgTrust.from_org_id == org.id, OrgTrust.to_org_id == other.id
        )
    )
    old = TrustLevel(row.level) if row else TrustLevel.NONE
    if old == level:
        return
    old_effective = policy.effective_trust(org.id, other.id)
    if row is None:
        row = OrgTrust(from_org_id=org.id, to_org_id=other.id)
        db.session.add(row)
    row.level = int(level)
    row.updated_at = utcnow()
    row.updated_by_id = actor.id
    audit.record(
        "trust.changed",
        actor=actor,
        organization=org,
        from_org=org.name,
        to_org=other.name,
        old_level=old.label,
        new_level=level.label,
    )
    if policy.effective_trust(org.id, other.id) < old_effective:
        closing.recheck(org_ids=[org.id])  # direct conversations below `message`
    db.session.commit()
    if policy.effective_trust(org.id, other.id) < old_effective:
        realtime.reverify(org_ids=[org.id, other.id])

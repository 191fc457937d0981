"""Trust between organizations, and person-to-person safety: blocks, separations."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    ForeignKey,
    Index,
    SmallInteger,
    String,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column

from network.extensions import db
from network.models.types import UTCDateTime, new_public_id, utcnow


class TrustLevel(enum.IntEnum):
    """What one organization allows another; the effective level is the lower one."""

    NONE = 0
    SEE = 1
    COLLABORATE = 2
    MESSAGE = 3

    @property
    def label(self) -> str:
        """The level's name as leads see it."""
        return self.name.lower()

    @property
    def title(self) -> str:
        """The level's name shown to leads, in their language (lower case)."""
        return LEVEL_TITLES[self]


LEVEL_TITLES = {
    TrustLevel.NONE: _l("none"),
    TrustLevel.SEE: _l("see"),
    TrustLevel.COLLABORATE: _l("collaborate"),
    TrustLevel.MESSAGE: _l("message"),
}


class OrgTrust(db.Model):
    """One direction of trust: what `from_org` gives `to_org`. Absent means none."""

    __tablename__ = "org_trust"
    __table_args__ = (
        UniqueConstraint("from_org_id", "to_org_id", name="uq_org_trust_pair"),
        Index("ix_org_trust_to", "to_org_id", "from_org_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    from_org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    to_org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    level: Mapped[int] = mapped_column(SmallInteger, default=TrustLevel.NONE)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL")
    )


def trust_given(from_org_id: int, to_org_id: int) -> TrustLevel:
    """What one organization's leads give another (absent means none)."""
    level = db.session.scalar(
        select(OrgTrust.level).where(
            OrgTrust.from_org_id == from_org_id, OrgTrust.to_org_id == to_org_id
        )
    )
    return TrustLevel(level or 0)


class Block(db.Model):
    """One person blocks another; it works both ways and only the blocker knows."""

    __tablename__ = "blocks"
    __table_args__ = (
        UniqueConstraint("blocker_id", "blocked_id", name="uq_blocks_pair"),
        Index("ix_blocks_blocked", "blocked_id", "blocker_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(
        String(24), unique=True, default=new_public_id
    )
    blocker_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE")
    )
    blocked_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Separation(db.Model):
    """Keep `protected` apart from one existing person ("someone from my past").

    It always names an account: a separation never waits for a name to appear,
    so renaming can neither add nor remove one. `other_name` is the name as the
    protected person (or their lead) knew it, shown only to them.
    """

    __tablename__ = "separations"
    __table_args__ = (
        Index("ix_separations_protected", "protected_id", "other_id"),
        Index("ix_separations_other", "other_id", "protected_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(
        String(24), unique=True, default=new_public_id
    )
    protected_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE")
    )
    other_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    other_name: Mapped[str] = mapped_column(String(40))
    filed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL")
    )
    # Set when a lead of another organization attached a confidential request.
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("separation_requests.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RequestStatus(enum.StrEnum):
    """Where a confidential separation request stands."""

    ASKED = "asked"  # a member asked their own leads; nobody else sees it
    OPEN = "open"  # a lead shared it with the leads of the other organizations
    ATTACHED = "attached"  # a lead attached it to one of their own members
    WITHDRAWN = "withdrawn"  # by the protected member or the filing lead
    DECLINED = "declined"  # the member's own lead did not file it


class SeparationRequest(db.Model):
    """A confidential request to keep a member apart from someone not found.

    Only leads of other organizations see an open request, without the protected
    person or their organization; nothing changes until one of them attaches it
    to a member of their own, which creates a Separation.
    """

    __tablename__ = "separation_requests"
    __table_args__ = (
        Index("ix_separation_requests_status", "status", "organization_id"),
        Index("ix_separation_requests_protected", "protected_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(
        String(24), unique=True, default=new_public_id
    )
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    protected_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE")
    )
    name: Mapped[str] = mapped_column(String(40))
    name_key: Mapped[str] = mapped_column(String(160))
    note: Mapped[str] = mapped_column(String(500), default="")  # to own leads only
    details: Mapped[str] = mapped_column(String(500), default="")  # to other leads
    status: Mapped[str] = mapped_column(String(16), default=RequestStatus.ASKED)
    filed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL")
    )
    attached_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    filed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

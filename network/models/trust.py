"""Trust between organizations, and person-to-person safety: blocks, separations."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, SmallInteger, String, UniqueConstraint
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
    """Keep `protected` apart from another person ("someone from my past").

    `other_key` is the skeleton of the pseudonym that was named. When it matched
    nobody, `other_id` stays empty and is bound if that pseudonym ever appears, so
    the answer to the filer never reveals whether the pseudonym exists.
    """

    __tablename__ = "separations"
    __table_args__ = (
        Index("ix_separations_protected", "protected_id", "other_id"),
        Index("ix_separations_other", "other_id", "protected_id"),
        Index("ix_separations_key", "other_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(
        String(24), unique=True, default=new_public_id
    )
    protected_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE")
    )
    other_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE")
    )
    other_key: Mapped[str] = mapped_column(String(160))
    other_name: Mapped[str] = mapped_column(String(40))  # as the filer typed it
    filed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

"""Organizations, vetted memberships, vetting checklists and invitation codes."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from network.extensions import db
from network.models.accounts import Account
from network.models.types import UTCDateTime, new_public_id, utcnow


class Role(enum.StrEnum):
    """A member's role inside their one organization."""

    MEMBER = "member"
    MODERATOR = "moderator"
    LEAD = "lead"


# The roles that run an organization's rooms (and so facilitate its supervision).
ROOM_MANAGER_ROLES = {Role.LEAD, Role.MODERATOR}


class Status(enum.StrEnum):
    """Where a membership stands in vetting."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    SUSPENDED = "suspended"


# Role and status names as people read them (the codes stay codes).
ROLE_TITLES = {
    Role.MEMBER: _l("Peer supporter"),
    Role.MODERATOR: _l("Moderator"),
    Role.LEAD: _l("Lead"),
}
STATUS_TITLES = {
    Status.PENDING: _l("waiting for approval"),
    Status.APPROVED: _l("approved"),
    Status.REJECTED: _l("declined"),
    Status.SUSPENDED: _l("suspended"),
}


class Organization(db.Model):
    """An agency: it vets its own members and decides whom it trusts."""

    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(
        String(24), unique=True, default=new_public_id
    )
    name: Mapped[str] = mapped_column(String(120), unique=True)
    region: Mapped[str] = mapped_column(String(2))
    description: Mapped[str] = mapped_column(Text, default="")
    accepts_requests: Mapped[bool] = mapped_column(Boolean, default=True)
    # Members must sign in with a second factor (they enrol at their next sign-in).
    require_two_factor: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(back_populates="organization")

    @property
    def is_active(self) -> bool:
        """False once the platform admin suspends the organization."""
        return self.suspended_at is None


class Membership(db.Model):
    """An account's place in exactly one organization."""

    __tablename__ = "memberships"
    # An organization's members by status: the lead's lists and counts, and the
    # directory's visibility subquery, read this index without the table.
    __table_args__ = (
        Index("ix_memberships_org_status", "organization_id", "status", "account_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), unique=True
    )
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    role: Mapped[str] = mapped_column(String(16), default=Role.MEMBER)
    status: Mapped[str] = mapped_column(String(16), default=Status.PENDING)
    joined_via: Mapped[str] = mapped_column(String(16))  # "invitation" or "request"
    request_note: Mapped[str] = mapped_column(String(500), default="")
    rejection_reason: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    approved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL")
    )
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    account: Mapped[Account] = relationship(
        back_populates="membership", foreign_keys=[account_id]
    )
    organization: Mapped[Organization] = relationship(back_populates="memberships")
    attestations: Mapped[list[VettingAttestation]] = relationship(
        back_populates="membership", order_by="VettingAttestation.id"
    )


class VettingItem(db.Model):
    """One item of an organization's own vetting checklist."""

    __tablename__ = "vetting_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id"), index=True
    )
    label: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class VettingAttestation(db.Model):
    """Which checklist item was attested for an approval, by whom and when."""

    __tablename__ = "vetting_attestations"

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("vetting_items.id", ondelete="SET NULL")
    )
    label: Mapped[str] = mapped_column(String(200))  # as it read when attested
    attested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL")
    )
    attested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    membership: Mapped[Membership] = relationship(back_populates="attestations")


class Invitation(db.Model):
    """A sign-up code issued by a lead (or by the admin, for a first lead)."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(
        String(24), unique=True, default=new_public_id
    )
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    code_hint: Mapped[str] = mapped_column(String(8))
    role: Mapped[str] = mapped_column(String(16), default=Role.MEMBER)
    note: Mapped[str] = mapped_column(String(120), default="")
    max_uses: Mapped[int] = mapped_column(Integer, default=1)
    uses: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organization: Mapped[Organization] = relationship()

    def usable(self, now: datetime) -> bool:
        """True while the code is unrevoked, unexpired and has uses left."""
        return (
            self.revoked_at is None
            and self.expires_at > now
            and self.uses < self.max_uses
        )

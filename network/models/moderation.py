"""Reports and the moderators' category opt-outs."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from network.extensions import db
from network.models.types import UTCDateTime, new_public_id, utcnow

REPORT_CATEGORIES = {
    "harassment": _l("Harassment"),
    "unsafe_disclosure": _l("Unsafe disclosure"),
    "past": _l("Someone from my past"),
    "recruitment": _l("Recruitment or exploitation"),
    "spam": _l("Spam"),
    "other": _l("Other"),
}


# Who reviews a report row: the reporter's own organization (the original), the
# organization hosting the reported content, or the subject's organization after
# the reporter's lead forwarded it. Copies are separate rows with their own status.
REPORT_AUDIENCES = ("reporter", "host", "forwarded")


class Report(db.Model):
    """A member's report about a message, profile or resource, routed to one
    organization (a copy for another organization is its own row)."""

    __tablename__ = "reports"
    __table_args__ = (
        Index("ix_reports_org_status", "routed_org_id", "status"),
        # The insights page's reports per month (network/insights).
        Index("ix_reports_org_created", "routed_org_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(
        String(24), unique=True, default=new_public_id
    )
    reporter_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    target_type: Mapped[str] = mapped_column(String(16))  # message|profile|resource
    resource_id: Mapped[int | None] = mapped_column(
        ForeignKey("resources.id", ondelete="SET NULL")
    )
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="SET NULL")
    )
    target_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL")
    )
    room_id: Mapped[int | None] = mapped_column(
        ForeignKey("rooms.id", ondelete="SET NULL")
    )
    routed_org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    category: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(String(1000), default="")
    # What was reported, as it read then (a message can be edited or purged).
    snapshot: Mapped[str] = mapped_column(String(4000), default="")
    status: Mapped[str] = mapped_column(String(16), default="open")
    outcome: Mapped[str] = mapped_column(String(16), default="")
    reviewer_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    copy_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), index=True
    )
    audience: Mapped[str] = mapped_column(String(16), default="reporter")
    # Decided at filing: no eligible reviewer in the reporter's organization, or
    # "Someone from my past" (which always reaches the platform admins).
    admin_review: Mapped[bool] = mapped_column(Boolean, default=False)
    # The reporter agreed that a forwarded copy may carry their name and note.
    reporter_consents: Mapped[bool] = mapped_column(Boolean, default=False)
    forwarded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    forwarded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL")
    )


class ReviewOptOut(db.Model):
    """A moderator chose not to review one category of report."""

    __tablename__ = "review_opt_outs"
    __table_args__ = (UniqueConstraint("account_id", "category", name="uq_opt_out"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE")
    )
    category: Mapped[str] = mapped_column(String(32))

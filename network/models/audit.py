"""The append-only audit log table."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from network.extensions import db
from network.models.types import UTCDateTime, new_public_id, utcnow


class AuditEvent(db.Model):
    """Who did what to whom, when. Never updated, never deleted by the app."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_org_id", "organization_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The page cursor a lead sees; the integer id would count every organization's
    # events.
    public_id: Mapped[str] = mapped_column(
        String(24), unique=True, default=new_public_id
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    action: Mapped[str] = mapped_column(String(64))
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL")
    )
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    room_id: Mapped[int | None] = mapped_column(
        ForeignKey("rooms.id", ondelete="SET NULL"), index=True
    )
    target_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL")
    )
    detail: Mapped[dict] = mapped_column(JSON, default=dict)


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or remove an audit event."""


@event.listens_for(Session, "before_flush")
def _refuse_audit_changes(session, flush_context, instances) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent):
            raise AppendOnlyError("audit events are append-only")

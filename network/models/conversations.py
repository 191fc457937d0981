"""Message requests: how a direct conversation (a Room of kind "direct") begins."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from network.extensions import db
from network.models.types import UTCDateTime, new_public_id, utcnow

REQUEST_MAX_LENGTH = 500
REQUEST_TTL = timedelta(days=14)  # unanswered, a request expires
DECLINE_MEMORY = timedelta(days=30)  # a re-ask after a decline is never delivered
MAX_PENDING = 5  # a sender's requests waiting for an answer, at most
# Who may send a person message requests (Profile.accept_requests).
ACCEPT_CHOICES = {
    "anyone": _l("Anyone the network allows (organizations at message trust)"),
    "org": _l("Only people in my organization"),
    "nobody": _l("Nobody"),
}


class MessageRequest(db.Model):
    """A first message asking to talk. The sender only ever sees "waiting" or
    "expired" (or "accepted"): a decline, and a re-ask that was never delivered
    (`delivered` False), look exactly like a request still waiting."""

    __tablename__ = "message_requests"
    __table_args__ = (
        Index("ix_message_requests_sender", "sender_id", "status", "expires_at"),
        Index("ix_message_requests_recipient", "recipient_id", "status", "delivered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(
        String(24), unique=True, default=new_public_id
    )
    sender_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE")
    )
    recipient_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE")
    )
    body: Mapped[str] = mapped_column(String(REQUEST_MAX_LENGTH))
    content_warning: Mapped[str] = mapped_column(String(120), default="")
    # pending | accepted | declined (the sender never learns "declined")
    status: Mapped[str] = mapped_column(String(16), default="pending")
    # False: a re-ask within DECLINE_MEMORY of a decline; the recipient never sees it.
    delivered: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A request to someone away waits: shown to them from this moment on.
    visible_from: Mapped[datetime | None] = mapped_column(UTCDateTime)
    room_id: Mapped[int | None] = mapped_column(
        ForeignKey("rooms.id", ondelete="SET NULL")
    )

    def sender_status(self, now: datetime) -> str:
        """What the sender sees: "accepted", "expired" or "waiting" (never declined)."""
        if self.status == "accepted":
            return "accepted"
        return "expired" if self.expires_at <= now else "waiting"

"""In-app notifications: a kind and a link, never message text or names."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from network.extensions import db
from network.models.types import UTCDateTime, new_public_id, utcnow

# Every title a notification can have. A title never carries message text, a
# person's name or an organization's name: what the bell, an email or a lock
# screen shows is one of these sentences and nothing else.
NOTIFICATION_TITLES = {
    "mention": _l("You were mentioned in a room"),
    "direct_message": _l("New message in a conversation"),
    "message_request": _l("New message request"),
    "request_accepted": _l("Your message request was accepted"),
    "approved": _l("Your membership was approved"),
    "report_outcome": _l("A report you made was reviewed"),
    "support_alert": _l("Someone asked for support"),
}


class Notification(db.Model):
    """Something for one person to look at. `link` is a path inside the network
    that the person could open when it was made (policy still decides on open)."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_account", "account_id", "read_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(
        String(24), unique=True, default=new_public_id
    )
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(32))
    # A room the notification belongs to (per-room mute, collapsing repeats).
    room_id: Mapped[int | None] = mapped_column(
        ForeignKey("rooms.id", ondelete="CASCADE"), index=True
    )
    link: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Held while its person is away (outside their hours or on a break): not
    # counted nor listed before this moment (docs/security.md, "Availability").
    visible_from: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    @property
    def title(self) -> str:
        """The only text shown for it, anywhere, in the reader's language."""
        return str(NOTIFICATION_TITLES.get(self.kind, _l("New activity")))

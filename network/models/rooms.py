"""Rooms, their members and partner organizations, messages and presence."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from network.extensions import db
from network.models.types import UTCDateTime, new_public_id, utcnow

DEFAULT_RETENTION_DAYS = 90
AUTHOR_DELETION_CHOICES = ("remove", "keep")
MAX_MESSAGE_LENGTH = 4000


def N_(text: str) -> str:
    """Mark text for the catalogue and keep it as it is: the default ground rules
    are stored in English; a page shows its translation while a room keeps the
    default (rooms.page.shown_ground_rules, docs/i18n.md "Rooms")."""
    return text


DEFAULT_GROUND_RULES = N_(
    "- **Confidentiality:** what is shared here stays here. Never share details "
    "that could identify a survivor you support.\n"
    "- **Boundaries:** share only what you choose. You may step out at any time, "
    "without explaining.\n"
    "- **Content warnings:** put a content warning on anything that could be "
    "hard to read.\n"
    "- **Care:** if you need support, press “I need support”; only the "
    "facilitators see it."
)


class Room(db.Model):
    """A chat room hosted by one organization."""

    __tablename__ = "rooms"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(
        String(24), unique=True, default=new_public_id
    )
    host_org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="channel")
    visibility: Mapped[str] = mapped_column(String(16), default="org")
    name: Mapped[str] = mapped_column(String(80))
    topic: Mapped[str] = mapped_column(String(300), default="")
    retention_days: Mapped[int] = mapped_column(Integer, default=DEFAULT_RETENTION_DAYS)
    # What happens to a deleted account's messages here: "remove" their text
    # (the safer default) or "keep" it under "former member". Direct
    # conversations always remove (accounts/deletion.py).
    on_author_deletion: Mapped[str] = mapped_column(
        String(8), default="remove", server_default="remove"
    )
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    slow_mode_seconds: Mapped[int] = mapped_column(Integer, default=0)
    ground_rules: Mapped[str] = mapped_column(Text, default="")
    pinned_message_id: Mapped[int | None] = mapped_column(Integer)
    # A private one-to-one supervision space opened from a support alert.
    private: Mapped[bool] = mapped_column(Boolean, default=False)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A direct conversation (kind "direct") closed by a leave, a block, a
    # separation, lowered trust or a suspension: closed for both, for good.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    partners: Mapped[list[RoomPartner]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def partner_org_ids(self) -> set[int]:
        """The host's chosen subset of partner organizations (empty: all partners)."""
        return {partner.org_id for partner in self.partners}


class RoomPartner(db.Model):
    """An organization a partners room is narrowed to."""

    __tablename__ = "room_partners"
    __table_args__ = (UniqueConstraint("room_id", "org_id", name="uq_room_partner"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"))
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))


class RoomMember(db.Model):
    """Someone who has joined a room: their read position and standing."""

    __tablename__ = "room_members"
    __table_args__ = (
        UniqueConstraint("room_id", "account_id", name="uq_room_member"),
        Index("ix_room_members_account", "account_id", "room_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE")
    )
    role: Mapped[str] = mapped_column(String(16), default="member")  # or facilitator
    # active | invited | requested | removed | banned
    status: Mapped[str] = mapped_column(String(16), default="active")
    # Why a moderator removed or banned them: shown to that person only.
    removed_reason: Mapped[str] = mapped_column(
        String(300), default="", server_default=""
    )
    last_read_id: Mapped[int] = mapped_column(Integer, default=0)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    muted_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_message_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rules_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Created only because a lead or moderator opened the room: it grants nothing
    # by itself and ends with the role (policy and orgs.roles).
    via_role: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    # The person turned this room's notifications off (support alerts still come).
    notifications_muted: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )


class Message(db.Model):
    """A chat message. The room's order is the id order, the same for everyone."""

    __tablename__ = "messages"
    __table_args__ = (
        Index("ix_messages_room_id", "room_id", "id"),
        Index("ix_messages_room_created", "room_id", "created_at"),
        # The insights page's messages per room per month and their distinct
        # authors, read from the index alone (network/insights).
        Index("ix_messages_room_created_author", "room_id", "created_at", "author_id"),
        UniqueConstraint("author_id", "client_msg_id", name="uq_messages_client_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # What members see: the integer id orders and pages, but would tell a member
    # how many messages they never saw.
    public_id: Mapped[str] = mapped_column(
        String(24), unique=True, default=new_public_id
    )
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE")
    )
    client_msg_id: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    content_warning: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The room's order as a number members may see (the id would count messages
    # they never saw): the send time in microseconds, moved past the room's
    # previous message when a clock is behind. None for messages from before it.
    order_key: Mapped[int | None] = mapped_column(BigInteger)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A shared resource card; the text of the card is never in the message.
    resource_id: Mapped[int | None] = mapped_column(
        ForeignKey("resources.id", ondelete="SET NULL")
    )
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_reason: Mapped[str] = mapped_column(String(300), default="")
    hidden_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL")
    )


class RoomPresence(db.Model):
    """A socket currently inside a room (shared by every server process)."""

    __tablename__ = "room_presence"
    __table_args__ = (Index("ix_room_presence_room", "room_id", "account_id"),)

    sid: Mapped[str] = mapped_column(String(64), primary_key=True)
    room_id: Mapped[int] = mapped_column(
        ForeignKey("rooms.id", ondelete="CASCADE"), primary_key=True
    )
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE")
    )
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SupportRequest(db.Model):
    """A member asked a facilitator of the room's host organization for help.

    It carries no reason: a separation stays private unless the member says so.
    """

    __tablename__ = "support_requests"
    __table_args__ = (
        Index("ix_support_requests_org", "host_org_id", "handled_at"),
        # The insights page's alerts per month (network/insights).
        Index("ix_support_requests_org_created", "host_org_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(
        String(24), unique=True, default=new_public_id
    )
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"))
    host_org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    requester_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE")
    )
    note: Mapped[str] = mapped_column(String(300), default="")
    kind: Mapped[str] = mapped_column(String(16), default="help")  # help | support
    private_room_id: Mapped[int | None] = mapped_column(
        ForeignKey("rooms.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handled_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL")
    )


class SupportRecipient(db.Model):
    """Who a help request or support alert was sent to: only they may see it."""

    __tablename__ = "support_recipients"
    __table_args__ = (
        UniqueConstraint("request_id", "account_id", name="uq_support_recipient"),
        Index("ix_support_recipients_account", "account_id", "request_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("support_requests.id", ondelete="CASCADE")
    )
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE")
    )


class SupervisionSession(db.Model):
    """A scheduled supervision session in a supervision room."""

    __tablename__ = "supervision_sessions"
    __table_args__ = (Index("ix_sessions_room_start", "room_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(
        String(24), unique=True, default=new_public_id
    )
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    facilitator_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL")
    )
    topic: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL")
    )
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CheckIn(db.Model):
    """How a member arrives at a session: private unless they share it."""

    __tablename__ = "check_ins"
    __table_args__ = (UniqueConstraint("session_id", "account_id", name="uq_check_in"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("supervision_sessions.id", ondelete="CASCADE")
    )
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE")
    )
    feeling: Mapped[int] = mapped_column(Integer)
    word: Mapped[str] = mapped_column(String(40), default="")
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

"""Accounts, pseudonymous profiles, server-side sessions and reset tokens."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from network.extensions import db
from network.models.types import UTCDateTime, new_public_id, new_tag, utcnow

if TYPE_CHECKING:
    from network.models.orgs import Membership

PROVINCES = {
    "AB": _l("Alberta"),
    "BC": _l("British Columbia"),
    "MB": _l("Manitoba"),
    "NB": _l("New Brunswick"),
    "NL": _l("Newfoundland and Labrador"),
    "NS": _l("Nova Scotia"),
    "NT": _l("Northwest Territories"),
    "NU": _l("Nunavut"),
    "ON": _l("Ontario"),
    "PE": _l("Prince Edward Island"),
    "QC": _l("Quebec"),
    "SK": _l("Saskatchewan"),
    "YT": _l("Yukon"),
}

LANGUAGES = {
    "en": _l("English"),
    "fr": _l("French"),
    "es": _l("Spanish"),
    "pt": _l("Portuguese"),
    "tl": _l("Tagalog"),
    "zh": _l("Chinese"),
    "ar": _l("Arabic"),
    "uk": _l("Ukrainian"),
    "iu": _l("Inuktitut"),
    "cr": _l("Cree"),
    "oj": _l("Ojibwe"),
    "other": _l("Another language"),
}

EXPERIENCE_TAGS = {
    "mentoring": _l("Peer mentoring"),
    "housing": _l("Housing"),
    "health": _l("Healthcare navigation"),
    "legal": _l("Legal and immigration"),
    "court": _l("Court support"),
    "employment": _l("Employment and training"),
    "mental-health": _l("Mental health"),
    "substance-use": _l("Substance use"),
    "indigenous": _l("Indigenous-led support"),
    "2slgbtqia": _l("2SLGBTQIA+ support"),
    "youth": _l("Youth"),
    "family": _l("Family and parenting"),
}


# How a deleted account is named everywhere it still appears.
FORMER_MEMBER = "former member"


def display_name(pseudonym: str, tag: str) -> str:
    """A person named in plain text: "Willow · K7QX" (templates use person())."""
    return f"{pseudonym} · {tag}" if tag else pseudonym


class Account(UserMixin, db.Model):
    """A login. Its name and email are private to the holder, always."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    login_name: Mapped[str] = mapped_column(String(64))
    login_key: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(254))
    # Two-factor login (network/accounts/twofactor.py): the confirmed secret, one
    # waiting for its first code, and the last time step accepted (no replay).
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_pending_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    is_platform_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    # The language the person chose ("en", "fr_CA"); None follows the browser.
    locale: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Email about new activity: off unless the person turns it on; at most one
    # an hour, and it says only "You have new activity" (notifications.email).
    notify_by_email: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    notified_by_email_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when the person (or a lead, after they left) deleted the account: the
    # row stays as a tombstone with every personal field wiped, so the messages a
    # room keeps and the separations protecting others still point somewhere
    # (accounts/deletion.py, docs/security.md "Deleting an account").
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    profile: Mapped[Profile] = relationship(back_populates="account", uselist=False)
    membership: Mapped[Membership | None] = relationship(
        back_populates="account",
        uselist=False,
        foreign_keys="Membership.account_id",
    )

    def get_id(self) -> str:
        """Flask-Login's session key; the server-side session is checked beside it."""
        return str(self.id)

    @property
    def pseudonym(self) -> str:
        """The only name anyone else ever sees."""
        if self.profile:
            return self.profile.pseudonym
        return FORMER_MEMBER if self.deleted_at else "—"

    @property
    def tag(self) -> str:
        """The profile's server-assigned tag, shown after the pseudonym."""
        return self.profile.tag if self.profile else ""

    @property
    def display_name(self) -> str:
        """Pseudonym and tag, for plain text (flash messages, room names)."""
        return display_name(self.pseudonym, self.tag)


class Profile(db.Model):
    """What others may see of a person: a pseudonym and what they chose to share."""

    __tablename__ = "profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), unique=True
    )
    public_id: Mapped[str] = mapped_column(
        String(24), unique=True, default=new_public_id
    )
    pseudonym: Mapped[str] = mapped_column(String(40))
    # Not unique: names may repeat; the tag tells people apart (docs/security.md).
    pseudonym_key: Mapped[str] = mapped_column(String(160), index=True)
    tag: Mapped[str] = mapped_column(String(4), unique=True, default=new_tag)
    pronouns: Mapped[str] = mapped_column(String(40), default="")
    languages: Mapped[str] = mapped_column(String(120), default="")
    region: Mapped[str] = mapped_column(String(2), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    experience: Mapped[str] = mapped_column(String(200), default="")
    hidden_from_other_orgs: Mapped[bool] = mapped_column(Boolean, default=False)
    appear_offline: Mapped[bool] = mapped_column(Boolean, default=False)
    # Who may send message requests: anyone | org | nobody. "anyone" by default:
    # trust at `message` is already both leads' choice, and a request is only a
    # question the person may decline silently.
    accept_requests: Mapped[str] = mapped_column(
        String(8), default="anyone", server_default="anyone"
    )
    timezone: Mapped[str] = mapped_column(String(40), default="America/Toronto")
    # Taking a break (docs/security.md, "Availability and breaks"): others see
    # only "away"; break_until None with on_break means until they end it.
    on_break: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    break_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    share_break_with_leads: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )

    account: Mapped[Account] = relationship(back_populates="profile")

    @property
    def language_codes(self) -> list[str]:
        """The profile's languages as a list of codes."""
        return [code for code in self.languages.split(",") if code]

    @property
    def language_names(self) -> list[str]:
        """The profile's languages, spelled out."""
        return [str(LANGUAGES.get(code, code)) for code in self.language_codes]

    @property
    def experience_codes(self) -> list[str]:
        """The member's chosen areas of experience, as codes."""
        return [code for code in self.experience.split(",") if code]

    @property
    def experience_names(self) -> list[str]:
        """The member's areas of experience, spelled out."""
        return [str(EXPERIENCE_TAGS.get(code, code)) for code in self.experience_codes]

    @property
    def region_name(self) -> str:
        """The province or territory, spelled out."""
        return str(PROVINCES.get(self.region, ""))


class AuthSession(db.Model):
    """A server-side login session; deleting the row logs that browser out."""

    __tablename__ = "auth_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # What the devices page names it by (never the integer id).
    public_id: Mapped[str] = mapped_column(
        String(24), unique=True, index=True, default=new_public_id
    )
    remember: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # A coarse label ("Phone · Firefox"), never the user agent string or an IP.
    device: Mapped[str] = mapped_column(String(40), default="", server_default="")
    # Updated at most every few minutes (network/accounts/devices.py).
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PasswordReset(db.Model):
    """A single-use reset secret: a lead-issued code or an emailed token (hashed)."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    # "lead_code" or "email" (password), "two_factor_code" (removes two-factor)
    kind: Mapped[str] = mapped_column(String(16))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    issued_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LiveSocket(db.Model):
    """A connected socket, so revocation can find it from any server process."""

    __tablename__ = "live_sockets"

    sid: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    auth_session_id: Mapped[int | None] = mapped_column(Integer, index=True)
    host_id: Mapped[str] = mapped_column(String(32), default="", index=True)
    connected_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ServerProcess(db.Model):
    """A running server process's heartbeat; its sockets die with it."""

    __tablename__ = "server_processes"

    host_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

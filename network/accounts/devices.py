"""Devices: the sign-in sessions of one account, when each was last seen, and
signing one (or all the others) out, sockets included, on every process.

Each session row carries a coarse device label ("Phone · Firefox", from
network/useragent.py) and a last-seen time updated at most every
LAST_SEEN_EVERY; never the user agent string or an IP (docs/security.md,
"Devices").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask, Response, g
from sqlalchemy import select, update

from network import audit, realtime
from network.extensions import db
from network.models import Account, AuthSession, utcnow
from network.security import end_other_sessions

LAST_SEEN_EVERY = timedelta(minutes=5)


@dataclass(frozen=True)
class Device:
    """One row of the devices page."""

    public_id: str
    label: str
    seen: str
    current: bool


def init_app(app: Flask) -> None:
    """Refresh the signed-in session's last-seen time after each request."""
    app.after_request(_touch)


def _touch(response: Response) -> Response:
    """At most one UPDATE per session every LAST_SEEN_EVERY, after the view."""
    seen = g.get("_auth_seen")
    now = utcnow()
    if seen is None or response.status_code >= 500:
        return response  # a failed request's transaction is not ours to commit
    row_id, last_seen_at = seen
    if last_seen_at and now - last_seen_at < LAST_SEEN_EVERY:
        return response
    db.session.execute(
        update(AuthSession).where(AuthSession.id == row_id).values(last_seen_at=now)
    )
    db.session.commit()
    return response


def seen_label(when: datetime | None, now: datetime) -> str:
    """A coarse last-seen time: never a clock time, never an address."""
    if when is None:
        return "a while ago"
    age = now - when
    if age < LAST_SEEN_EVERY * 2:
        return "active now"
    if age < timedelta(hours=24) and when.date() == now.date():
        return "today"
    if age < timedelta(days=2):
        return "yesterday"
    if age < timedelta(days=7):
        return "this week"
    if age < timedelta(days=31):
        return "this month"
    return "over a month ago"


def list_devices(account: Account, current_id: int | None) -> list[Device]:
    """The account's live sessions, this one first, then the most recently seen."""
    now = utcnow()
    rows = db.session.scalars(
        select(AuthSession)
        .where(AuthSession.account_id == account.id, AuthSession.expires_at > now)
        .order_by(AuthSession.last_seen_at.desc(), AuthSession.id.desc())
    )
    devices = [
        Device(
            public_id=row.public_id,
            label=row.device or "Device · Browser",
            seen=seen_label(row.last_seen_at, now),
            current=row.id == current_id,
        )
        for row in rows
    ]
    return sorted(devices, key=lambda device: not device.current)


def sign_out_device(row: AuthSession, *, actor: Account) -> None:
    """End one session of the actor's (not this one: the caller checks): its
    row goes, then its sockets close on whichever process holds them."""
    row_id = row.id
    db.session.delete(row)
    _audit("account.device_signed_out", actor)
    db.session.commit()
    realtime.end_access(sessions=[row_id])


def sign_out_others(*, actor: Account, keep_id: int | None) -> None:
    """End every session of the actor's but this one, sockets included."""
    end_other_sessions(actor, keep_id)
    _audit("account.other_devices_signed_out", actor)
    db.session.commit()
    realtime.end_access(accounts=[actor.id], keep_session=keep_id)


def _audit(action: str, actor: Account) -> None:
    """Signing devices out is an event about the account (no label, no time of
    the session: only that it happened)."""
    membership = actor.membership
    audit.record(
        action,
        actor=actor,
        target=actor,
        organization=membership.organization if membership else None,
    )

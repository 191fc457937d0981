"""Append-only audit events. Details never carry emails, codes, IPs or bodies."""

from __future__ import annotations

from network.extensions import db
from network.models import Account, AuditEvent, Organization

FORBIDDEN_DETAIL_KEYS = {"email", "password", "code", "token", "ip", "body"}


def record(
    action: str,
    *,
    actor: Account | None,
    organization: Organization | None = None,
    target: Account | None = None,
    room=None,
    **detail: object,
) -> AuditEvent:
    """Add an audit event to the current transaction (the caller commits)."""
    leaked = FORBIDDEN_DETAIL_KEYS & set(detail)
    if leaked:
        raise ValueError(f"audit detail may not hold {sorted(leaked)}")
    event = AuditEvent(
        action=action,
        actor_id=actor.id if actor else None,
        organization_id=organization.id if organization else None,
        target_account_id=target.id if target else None,
        room_id=room.id if room is not None else None,
        detail=detail,
    )
    db.session.add(event)
    return event

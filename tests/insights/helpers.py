"""Worlds for the insights tests: activity this month, made row by row."""

from __future__ import annotations

from datetime import timedelta

from network.extensions import db
from network.models import (
    CheckIn,
    Message,
    Report,
    Role,
    SupervisionSession,
    SupportRequest,
    utcnow,
)
from tests import factories


def people(org, count: int) -> list:
    """`count` approved members of `org`."""
    return [factories.make_member(org) for _ in range(count)]


def post(room, authors, each: int = 1) -> None:
    """Every author posts `each` messages in the room now."""
    for author in authors:
        for n in range(each):
            db.session.add(
                Message(
                    room_id=room.id,
                    author_id=author.id,
                    client_msg_id=f"m{author.id}-{room.id}-{n}",
                    body="hi",
                    html="hi",
                )
            )
    db.session.commit()


def report(org, reporters, category: str, resolved_after=None) -> None:
    """One report per reporter, routed to `org`."""
    for reporter in reporters:
        row = Report(
            reporter_id=reporter.id,
            target_type="profile",
            routed_org_id=org.id,
            category=category,
        )
        if resolved_after is not None:
            row.resolved_at = utcnow() + resolved_after
            row.status = "resolved"
        db.session.add(row)
    db.session.commit()


def alert(room, requesters, answered_after=None) -> None:
    """One "I need support" alert per requester in the room."""
    for requester in requesters:
        row = SupportRequest(
            room_id=room.id,
            host_org_id=room.host_org_id,
            requester_id=requester.id,
            kind="support",
        )
        if answered_after is not None:
            row.handled_at = utcnow() + answered_after
        db.session.add(row)
    db.session.commit()


def session_with(room, participants) -> SupervisionSession:
    """A session that started an hour ago, each participant checked in."""
    start = utcnow() - timedelta(hours=1)
    session = SupervisionSession(
        room_id=room.id, starts_at=start, ends_at=start + timedelta(hours=1)
    )
    db.session.add(session)
    db.session.flush()
    for person in participants:
        db.session.add(CheckIn(session_id=session.id, account_id=person.id, feeling=3))
    db.session.commit()
    return session


def lead_of(org):
    """A lead of `org`."""
    return factories.make_member(org, role=Role.LEAD)

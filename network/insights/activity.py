"""Monthly aggregate queries: supervision, support alerts, members.

Each takes `org_id` (None: the whole network) and the month keys, and returns a
Table of raw cells; services.py suppresses them. Every query groups by month in
SQL; only the medians read (two timestamps per row) and compute in Python.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import distinct, func, select

from network.extensions import db
from network.insights.suppression import Cell
from network.insights.tables import Row, Table, median, month_start
from network.models import (
    CheckIn,
    Membership,
    Profile,
    Room,
    Status,
    SupervisionSession,
    SupportRequest,
)


def month_of(column):
    """The "YYYY-MM" UTC month of a datetime column, on either database."""
    if db.engine.dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM")
    # SQLite stores "YYYY-MM-DD HH:MM:SS" text (naive UTC): its first 7
    # characters are the month, cheaper than strftime on every row.
    return func.substr(column, 1, 7)


def _where(column, org_id):
    return [] if org_id is None else [column == org_id]


def supervision(org_id: int | None, months: list[str]) -> Table:
    """Sessions held (not cancelled, already started), distinct participants and
    check-ins, by month of the session; the people are the participants."""
    start, now = month_start(months[0]), datetime.now(UTC)
    held = [
        SupervisionSession.cancelled_at.is_(None),
        SupervisionSession.starts_at >= start,
        SupervisionSession.starts_at <= now,
        *_where(Room.host_org_id, org_id),
    ]
    month = month_of(SupervisionSession.starts_at)
    sessions = dict(
        db.session.execute(
            select(month, func.count(SupervisionSession.id))
            .join(Room, Room.id == SupervisionSession.room_id)
            .where(*held)
            .group_by(month)
        ).all()
    )
    checks = {
        key: (people, count)
        for key, people, count in db.session.execute(
            select(month, func.count(distinct(CheckIn.account_id)), func.count())
            .select_from(CheckIn)
            .join(SupervisionSession, SupervisionSession.id == CheckIn.session_id)
            .join(Room, Room.id == SupervisionSession.room_id)
            .where(*held)
            .group_by(month)
        ).all()
    }
    table = Table(
        "supervision",
        _l("Supervision"),
        [_l("Sessions held"), _l("Participants"), _l("Check-ins")],
    )
    for key in months:
        people, count = checks.get(key, (0, 0))
        table.rows.append(
            Row(
                key,
                [
                    Cell(sessions.get(key, 0), people),
                    Cell(people, people),
                    Cell(count, people),
                ],
            )
        )
    return table


def support(org_id: int | None, months: list[str]) -> Table:
    """ "I need support" alerts by month, and the median hours until one was
    answered; the people are the distinct members who raised them."""
    start = month_start(months[0])
    month = month_of(SupportRequest.created_at)
    where = [
        SupportRequest.kind == "support",
        SupportRequest.created_at >= start,
        *_where(SupportRequest.host_org_id, org_id),
    ]
    counts = {
        key: (count, people)
        for key, count, people in db.session.execute(
            select(
                month, func.count(), func.count(distinct(SupportRequest.requester_id))
            )
            .where(*where)
            .group_by(month)
        ).all()
    }
    answered: dict[str, tuple[list[float], set[int]]] = {}
    for key, created, handled, who in db.session.execute(
        select(
            month,
            SupportRequest.created_at,
            SupportRequest.handled_at,
            SupportRequest.requester_id,
        ).where(*where, SupportRequest.handled_at.is_not(None))
    ).all():
        hours, people = answered.setdefault(key, ([], set()))
        hours.append((handled - created).total_seconds() / 3600)
        people.add(who)
    table = Table(
        "support",
        _l("“I need support” alerts"),
        [_l("Alerts"), _l("Median hours until answered")],
    )
    for key in months:
        count, people = counts.get(key, (0, 0))
        hours, answerers = answered.get(key, ([], set()))
        value = median(hours)
        table.rows.append(
            Row(
                key,
                [
                    Cell(count, people),
                    Cell(None if value is None else float(value), len(answerers)),
                ],
            )
        )
    return table


def members(org_id: int | None, months: list[str]) -> Table:
    """Members approved and suspended, by month of the decision."""
    start = month_start(months[0])
    approved_month = month_of(Membership.approved_at)
    approved = dict(
        db.session.execute(
            select(approved_month, func.count())
            .where(
                Membership.approved_at >= start,
                *_where(Membership.organization_id, org_id),
            )
            .group_by(approved_month)
        ).all()
    )
    decided_month = month_of(Membership.decided_at)
    suspended = dict(
        db.session.execute(
            select(decided_month, func.count())
            .where(
                Membership.status == Status.SUSPENDED,
                Membership.decided_at >= start,
                *_where(Membership.organization_id, org_id),
            )
            .group_by(decided_month)
        ).all()
    )
    table = Table("members", _l("Members"), [_l("Approved"), _l("Suspended")])
    for key in months:
        a, s = approved.get(key, 0), suspended.get(key, 0)
        table.rows.append(Row(key, [Cell(a, a), Cell(s, s)]))
    return table


def members_now(org_id: int | None) -> Table:
    """Active members today and how many of them are on a break (a count only)."""
    active = [
        Membership.status == Status.APPROVED,
        *_where(Membership.organization_id, org_id),
    ]
    count = db.session.scalar(
        select(func.count()).select_from(Membership).where(*active)
    )
    now = datetime.now(UTC)
    on_break = db.session.scalar(
        select(func.count())
        .select_from(Membership)
        .join(Profile, Profile.account_id == Membership.account_id)
        .where(
            *active,
            Profile.on_break.is_(True),
            (Profile.break_until.is_(None)) | (Profile.break_until > now),
        )
    )
    table = Table("members_now", _l("Members today"), [_l("Members")], chart=False)
    table.rows = [
        Row(_l("Active members"), [Cell(count or 0, count or 0)]),
        Row(_l("On a break"), [Cell(on_break or 0, on_break or 0)]),
    ]
    return table


__all__ = ["members", "members_now", "month_of", "support", "supervision"]

"""Monthly aggregate queries: messages per room, direct conversations across
organizations, trust connections, the library, reports (see activity.py)."""

from __future__ import annotations

from collections import defaultdict

from flask_babel import lazy_gettext as _l
from sqlalchemy import distinct, func, or_, select
from sqlalchemy.orm import aliased

from network.extensions import db
from network.insights.activity import _where, month_of
from network.insights.suppression import Cell
from network.insights.tables import Row, Table, median, month_start
from network.models import (
    REPORT_CATEGORIES,
    Membership,
    Message,
    MessageRequest,
    OrgTrust,
    Report,
    Resource,
    ResourceDownload,
    Room,
    TrustLevel,
)

TOP_TAGS = 6
LEVEL_NAMES = {
    TrustLevel.SEE: _l("See"),
    TrustLevel.COLLABORATE: _l("Collaborate"),
    TrustLevel.MESSAGE: _l("Message"),
}


def messages(org_id: int | None, months: list[str]) -> Table:
    """Messages per room (the organization's shared rooms; never direct or
    private ones) with a total per month; network-wide, the total only."""
    month = month_of(Message.created_at)
    where = [
        Message.created_at >= month_start(months[0]),
        Room.kind != "direct",
        Room.private.is_(False),
        *_where(Room.host_org_id, org_id),
    ]
    per_room: dict[tuple[str, int], tuple[int, int]] = {}
    for key, room_id, count, people in db.session.execute(
        select(month, Room.id, func.count(), func.count(distinct(Message.author_id)))
        .select_from(Message)
        .join(Room, Room.id == Message.room_id)
        .where(*where)
        .group_by(month, Room.id)
    ).all():
        per_room[(key, room_id)] = (count, people)
    totals = _message_totals(per_room, where, month)
    if org_id is None:
        table = Table("messages", _l("Messages"), [_l("All rooms")])
        for key in months:
            count, people = totals.get(key, (0, 0))
            table.rows.append(Row(key, [Cell(count, people)]))
        return table
    room_ids = sorted({room_id for _, room_id in per_room})
    names = dict(
        db.session.execute(
            select(Room.id, Room.name).where(Room.id.in_(room_ids))
        ).all()
    )
    table = Table(
        "messages",
        _l("Messages per room"),
        [names[room_id] for room_id in room_ids],
        with_total=True,
    )
    for key in months:
        cells = [Cell(*per_room.get((key, room_id), (0, 0))) for room_id in room_ids]
        count, people = totals.get(key, (0, 0))
        table.rows.append(Row(key, cells, Cell(count, people)))
    return table


def _message_totals(per_room, where, month) -> dict[str, tuple[int, int]]:
    """Messages per month and the distinct authors behind them. The busiest
    room's authors are a lower bound: only months where it is under 5 (small,
    cheap months) ask the database for the exact distinct count."""
    totals: dict[str, list[int]] = {}
    for (key, _), (count, people) in per_room.items():
        total = totals.setdefault(key, [0, 0])
        total[0] += count
        total[1] = max(total[1], people)
    small = [key for key, (_, people) in totals.items() if people < 5]
    if small:
        for key, people in db.session.execute(
            select(month, func.count(distinct(Message.author_id)))
            .select_from(Message)
            .join(Room, Room.id == Message.room_id)
            .where(*where, month.in_(small))
            .group_by(month)
        ).all():
            totals[key][1] = people
    return {key: (count, people) for key, (count, people) in totals.items()}


def conversations(org_id: int | None, months: list[str]) -> Table:
    """Direct conversations opened (a message request accepted) between members
    of two different organizations; the people counted are the fewer of the
    distinct askers and the distinct answerers."""
    sender, recipient = aliased(Membership), aliased(Membership)
    month = month_of(MessageRequest.answered_at)
    where = [
        MessageRequest.status == "accepted",
        MessageRequest.room_id.is_not(None),
        MessageRequest.answered_at >= month_start(months[0]),
        sender.organization_id != recipient.organization_id,
    ]
    if org_id is not None:
        where.append(
            or_(sender.organization_id == org_id, recipient.organization_id == org_id)
        )
    rows = db.session.execute(
        select(
            month,
            func.count(),
            func.count(distinct(MessageRequest.sender_id)),
            func.count(distinct(MessageRequest.recipient_id)),
        )
        .select_from(MessageRequest)
        .join(sender, sender.account_id == MessageRequest.sender_id)
        .join(recipient, recipient.account_id == MessageRequest.recipient_id)
        .where(*where)
        .group_by(month)
    ).all()
    found = {key: (count, min(a, b)) for key, count, a, b in rows}
    table = Table(
        "conversations",
        _l("Direct conversations across organizations"),
        [_l("Opened")],
    )
    for key in months:
        table.rows.append(Row(key, [Cell(*found.get(key, (0, 0)))]))
    return table


def connections(org_id: int | None) -> Table:
    """Organizations this one gives each trust level to (network-wide: the
    pairs at each level). Organizations, not people: not suppressed."""
    level = OrgTrust.level
    rows = dict(
        db.session.execute(
            select(level, func.count())
            .where(level > TrustLevel.NONE, *_where(OrgTrust.from_org_id, org_id))
            .group_by(level)
        ).all()
    )
    table = Table(
        "connections",
        _l("Connections with other organizations, by trust level"),
        [_l("Organizations")],
        note=_l("Counts organizations, not people: shown as they are."),
    )
    for trust in list(TrustLevel)[1:]:
        count = rows.get(int(trust), 0)
        table.rows.append(Row(LEVEL_NAMES[trust], [Cell(count, 0)]))
    return table


def _by_tag(rows) -> tuple[dict, list[str]]:
    cells: dict[tuple[str, str], tuple[int, set]] = defaultdict(lambda: (0, set()))
    totals: dict[str, int] = defaultdict(int)
    for key, tags, count, who in rows:
        for tag in (tag for tag in tags.split(",") if tag):
            value, people = cells[(key, tag)]
            people.add(who)
            cells[(key, tag)] = (value + count, people)
            totals[tag] += count
    top = sorted(totals, key=lambda tag: (-totals[tag], tag))[:TOP_TAGS]
    return cells, top


def library(org_id: int | None, months: list[str]) -> list[Table]:
    """Library items shared, and files downloaded, by tag (the most used tags).
    An item with two tags counts under each: no total is shown."""
    start = month_start(months[0])
    month = month_of(Resource.created_at)
    shared, top = _by_tag(
        db.session.execute(
            select(month, Resource.tags, 1, Resource.author_id).where(
                Resource.created_at >= start, *_where(Resource.owner_org_id, org_id)
            )
        ).all()
    )
    shared_table = Table("library_shared", _l("Library items shared, by tag"), top)
    for key in months:
        cells = [Cell(shared[(key, t)][0], len(shared[(key, t)][1])) for t in top]
        shared_table.rows.append(Row(key, cells))
    downloaded = db.session.execute(
        select(
            ResourceDownload.month,
            Resource.tags,
            func.sum(ResourceDownload.count),
            func.min(Resource.id),
        )
        .join(Resource, Resource.id == ResourceDownload.resource_id)
        .where(
            ResourceDownload.month >= months[0], *_where(Resource.owner_org_id, org_id)
        )
        .group_by(ResourceDownload.month, Resource.tags)
    ).all()
    cells, top = _by_tag(downloaded)
    downloads = Table(
        "library_downloads",
        _l("Library files downloaded, by tag"),
        top,
        note=_l("Downloads are counted, not who downloaded: fewer than 5 shows as <5."),
    )
    for key in months:
        row = [Cell(cells[(key, t)][0], cells[(key, t)][0]) for t in top]
        downloads.rows.append(Row(key, row))
    return [shared_table, downloads]


def reports(org_id: int | None, months: list[str]) -> list[Table]:
    """Reports by category with a total per month, and the median days to
    resolve; the people are the distinct reporters."""
    month = month_of(Report.created_at)
    where = [Report.created_at >= month_start(months[0])]
    where += [Report.copy_of_id.is_(None)] if org_id is None else []
    where += _where(Report.routed_org_id, org_id)
    count = (func.count(), func.count(distinct(Report.reporter_id)))
    per = {
        (key, category): (n, people)
        for key, category, n, people in db.session.execute(
            select(month, Report.category, *count)
            .where(*where)
            .group_by(month, Report.category)
        ).all()
    }
    totals = {
        key: (n, people)
        for key, n, people in db.session.execute(
            select(month, *count).where(*where).group_by(month)
        ).all()
    }
    categories = [c for c in REPORT_CATEGORIES if any(c == k[1] for k in per)]
    by_category = Table(
        "reports",
        _l("Reports by category"),
        [REPORT_CATEGORIES[c] for c in categories],
        with_total=True,
    )
    for key in months:
        cells = [Cell(*per.get((key, c), (0, 0))) for c in categories]
        by_category.rows.append(Row(key, cells, Cell(*totals.get(key, (0, 0)))))
    resolved: dict[str, tuple[list[float], set]] = defaultdict(lambda: ([], set()))
    for key, created, done, who in db.session.execute(
        select(month, Report.created_at, Report.resolved_at, Report.reporter_id).where(
            *where, Report.resolved_at.is_not(None)
        )
    ).all():
        resolved[key][0].append((done - created).total_seconds() / 86400)
        resolved[key][1].add(who)
    speed = Table("report_speed", _l("Time to resolve a report"), [_l("Median days")])
    for key in months:
        days, people = resolved.get(key, ([], set()))
        value = median(days)
        speed.rows.append(
            Row(key, [Cell(None if value is None else float(value), len(people))])
        )
    return [by_category, speed]

"""Availability hours and breaks: setting them, whether a person is available,
holding notifications while they are away, and the gentle note a writer sees.

Services take actor=; policy decides who may see the break state
(policy.can_see_break); everyone else only ever learns "away".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update

from network import policy
from network.errors import InputError
from network.extensions import db
from network.models import (
    Account,
    AvailabilityHours,
    Membership,
    MessageRequest,
    Notification,
    Profile,
    Status,
    utcnow,
)
from network.models.availability import (
    AVAILABLE,
    Span,
    availability_rows,
    available_from,
    format_weekly,
    state_at,
)
from network.realtime import emit_after_commit, user_key
from network.timezones import parse_local, to_local

# A held notification of a break with no end: visible once the break ends.
UNTIL_ENDED = datetime(9999, 1, 1, tzinfo=UTC)
LONGEST_BREAK = timedelta(days=731)  # a dated break; longer ones: no end date
SMALL_COUNT = 5  # a lead's count of members on a break shows "fewer than 5" below


def hours_of(account_id: int) -> str:
    """The person's weekly hours text ("" when they set none)."""
    row = db.session.get(AvailabilityHours, account_id)
    return row.weekly if row else ""


def state_of(account: Account, now: datetime | None = None) -> str:
    """AVAILABLE, AWAY or BREAK for one person now."""
    profile = account.profile
    return state_at(
        hours_of(account.id),
        profile.timezone,
        profile.on_break,
        profile.break_until,
        now,
    )


def resume_at(account_ids: Iterable[int], now: datetime | None = None) -> dict:
    """For each of these people who is away now, when they are next available
    (UNTIL_ENDED for a break with no end). Available people are left out. One
    query for everyone."""
    return held_until(availability_rows(account_ids), now)


def held_until(rows, now: datetime | None = None) -> dict:
    """resume_at's rule over rows already loaded (models.availability_rows)."""
    now = now or utcnow()
    held = {}
    for account_id, zone_name, on_break, until, weekly, *_rest in rows:
        state, moment = available_from(weekly, zone_name, on_break, until, now)
        if state != AVAILABLE:
            held[account_id] = moment or UNTIL_ENDED
    return held


def away_note(subject: Account, viewer: Account, now: datetime | None = None) -> str:
    """The gentle note a writer sees before writing to someone away ("" when
    they are available): the time in the writer's zone, nothing more; never
    that it is a break nor when a break ends beyond that time."""
    now = now or utcnow()
    profile = subject.profile
    state, moment = available_from(
        hours_of(subject.id),
        profile.timezone,
        profile.on_break,
        profile.break_until,
        now,
    )
    if state == AVAILABLE:
        return ""
    name = subject.pseudonym
    if moment is None:
        return f"{name} is away; they will see this later"
    local = to_local(moment, viewer.profile.timezone)
    return f"{name} is away until {_clock(local)}; they will see this later"


def _clock(local: datetime) -> str:
    """A wall-clock time in the page's locale format ("9:00 AM", "09 h 00")."""
    from babel.dates import format_time
    from flask import has_request_context
    from flask_babel import get_locale

    locale = get_locale() if has_request_context() else None
    return format_time(local.time(), format="short", locale=locale or "en").replace(
        "\u202f", " "
    )


def parse_hours_form(form) -> tuple[list[Span], dict[int, str]]:
    """Spans from a form with day{N}_start / day{N}_end (HH:MM, both or neither)
    per weekday, and an error per day that is not right."""
    spans, errors = [], {}
    for day in range(7):
        start = (form.get(f"day{day}_start") or "").strip()
        end = (form.get(f"day{day}_end") or "").strip()
        if not start and not end:
            continue
        first, last = _minute(start), _minute(end)
        if first is None or last is None:
            errors[day] = "Give a start and an end time, like 09:00 and 17:00."
        elif first == last:
            errors[day] = "The start and end must differ."
        else:
            spans.append((day, first, last))
    return spans, errors


def _minute(text: str) -> int | None:
    try:
        moment = time.fromisoformat(text)
    except ValueError:
        return None
    return moment.hour * 60 + moment.minute if len(text) <= 8 else None


def set_hours(spans: list[Span], *, actor: Account) -> None:
    """Replace one's weekly hours (empty: no limit); held items follow."""
    row = db.session.get(AvailabilityHours, actor.id)
    if row is None:
        row = AvailabilityHours(account_id=actor.id)
        db.session.add(row)
    row.weekly = format_weekly(spans)
    row.updated_at = utcnow()
    _rehold(actor)
    db.session.commit()


def parse_break_end(text: str, zone_name: str, now: datetime) -> datetime | None:
    """A break's last day (YYYY-MM-DD, in the person's zone) as the UTC moment
    it ends (the next midnight); None for no end. Raises InputError."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        following = date.fromisoformat(text) + timedelta(days=1)
    except (ValueError, OverflowError):
        raise InputError("until", _("Give a date like 2026-12-31, or leave it empty."))
    moment = parse_local(f"{following.isoformat()}T00:00", zone_name)
    if moment is None or moment <= now:
        raise InputError("until", _("The last day of a break cannot be in the past."))
    if moment > now + LONGEST_BREAK:
        raise InputError(
            "until", _("Choose a last day within two years, or leave it empty.")
        )
    return moment


def start_break(until: datetime | None, *, actor: Account) -> None:
    """Take a break until a moment (None: until one ends it)."""
    actor.profile.on_break = True
    actor.profile.break_until = until
    _rehold(actor)
    db.session.commit()


def end_break(*, actor: Account) -> None:
    """End one's break now; what was held follows one's hours."""
    actor.profile.on_break = False
    actor.profile.break_until = None
    _rehold(actor)
    db.session.commit()


def set_share(share: bool, *, actor: Account) -> None:
    """Let one's leads see that one is on a break (off by default)."""
    actor.profile.share_break_with_leads = bool(share)
    db.session.commit()


def _rehold(actor: Account) -> None:
    """After a change of hours or break, move what is held to the new moment
    (released now when they are available) and tell the rooms they have open
    whether they are away (never why)."""
    from network.rooms.membership import announce_away

    db.session.flush()
    announce_away(actor, state_of(actor) != AVAILABLE)
    now = utcnow()
    moment = resume_at([actor.id], now).get(actor.id, now)
    for model in (Notification, MessageRequest):
        column = model.visible_from
        db.session.execute(
            update(model)
            .where(model.__table__.c[_owner(model)] == actor.id, column > now)
            .values(visible_from=moment)
        )
    if moment == now:
        release_held(now)


def _owner(model) -> str:
    return "account_id" if model is Notification else "recipient_id"


def release_held(now: datetime | None = None) -> int:
    """Deliver held notifications whose moment came: clear the hold and push
    each person's live count (housekeeping runs this every pass)."""
    from network.notifications.services import unread_counts

    now = now or utcnow()
    ids = sorted(
        set(
            db.session.scalars(
                select(Notification.account_id).where(Notification.visible_from <= now)
            )
        )
    )
    if not ids:
        return 0
    released = db.session.execute(
        update(Notification)
        .where(Notification.visible_from <= now)
        .values(visible_from=None)
    ).rowcount
    counts = unread_counts(ids)
    for account_id in ids:
        emit_after_commit(
            "notification:count",
            {"count": counts.get(account_id, 0)},
            to=user_key(account_id),
        )
    db.session.commit()
    return released


def break_count(*, actor: Account, now: datetime | None = None) -> dict | None:
    """For a lead: how many of the organization's members are on a break
    ("fewer than 5" below SMALL_COUNT) and those who chose to share it."""
    if not policy.can_see_break_count(actor):
        return None
    now = now or utcnow()
    rows = db.session.execute(
        select(Profile)
        .join(Membership, Membership.account_id == Profile.account_id)
        .where(
            Membership.organization_id == actor.membership.organization_id,
            Membership.status == Status.APPROVED,
            Profile.on_break.is_(True),
            (Profile.break_until.is_(None)) | (Profile.break_until > now),
        )
    ).scalars()
    profiles = list(rows)
    count = len(profiles)
    shown = "fewer than 5" if 0 < count < SMALL_COUNT else str(count)
    shared = sorted(
        (p for p in profiles if p.share_break_with_leads),
        key=lambda p: p.pseudonym.casefold(),
    )
    return {"count": count, "shown": shown, "shared": shared}

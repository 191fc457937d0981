"""People as a room shows them: presence, pseudonyms, organization aliases, and
broadcasts that skip everyone kept apart from the person they carry."""

from __future__ import annotations

import functools
import hashlib
import hmac

from flask import current_app
from sqlalchemy import (
    Select,
    bindparam,
    func,
    select,
)

from network import policy, realtime
from network.extensions import db
from network.models import (
    Account,
    AvailabilityHours,
    Membership,
    Organization,
    Profile,
    Room,
    RoomPresence,
    TrustLevel,
    utcnow,
)
from network.models.availability import AVAILABLE, BREAK, state_at


def kept_apart_sids(room: Room, account_id: int) -> list[str]:
    """Sockets in the room of people kept apart from this account (for skip_sid):
    one query per broadcast, whoever listens."""
    return list(
        db.session.scalars(
            apart_sids_statement(), {"room_id": room.id, "account_id": account_id}
        )
    )


@functools.cache
def apart_sids_statement() -> Select:
    """kept_apart_sids' query, built once (building it cost more than running
    it); the room and the person are bound per broadcast."""
    return select(RoomPresence.sid).where(
        RoomPresence.room_id == bindparam("room_id"),
        RoomPresence.account_id.in_(policy.room_apart_ids(bindparam("account_id"))),
    )


def emit_about(
    room: Room,
    event_name: str,
    data: dict,
    *,
    person_id: int,
    instead: dict | None = None,
    also_skip=(),
) -> None:
    """Queue a room broadcast that carries a person or their words: it skips
    everyone kept apart from that person (one query), who get `instead` if given."""
    apart = kept_apart_sids(room, person_id)
    realtime.emit_after_commit(
        event_name,
        data,
        to=realtime.room_key(room.id),
        skip_sid=apart + list(also_skip),
    )
    if instead is not None:
        for sid in apart:
            realtime.emit_after_commit(event_name, instead, to=sid)


PRESENCE_LIMIT = 50  # people listed by name; beyond it a room says "and K more"


def presence(room: Room, viewer: Account) -> tuple[list[dict], int]:
    """Who is in the room now, as this viewer may see it: the first PRESENCE_LIMIT
    people by pseudonym and how many more there are, in one query whatever the
    number present. The safety filter is inside the query, so the count never
    includes someone kept apart from the viewer."""
    rows = db.session.execute(
        _presence_statement(), {"room_id": room.id, "viewer_id": viewer.id}
    )
    people, total, now = [], 0, utcnow()
    for public_id, pseudonym, tag, org_id, total, *hours, sees_break in rows:
        person = {
            "id": public_id,
            "pseudonym": pseudonym,
            "tag": tag,
            "org": org_alias(room.id, org_id or 0),
        }
        # Away outside their hours or on a break; that it is a break only for
        # those policy.break_visible_criterion names (never a peer).
        state = state_at(*hours, now)
        if state != AVAILABLE:
            person["away"] = True
        if state == BREAK and sees_break:
            person["break"] = True
        people.append(person)
    people.sort(key=lambda person: person["pseudonym"].casefold())
    return people, max(total - len(people), 0)


@functools.cache
def _presence_statement() -> Select:
    """presence's query, built once (building it cost more than running it); the
    room and the viewer are bound per call."""
    viewer_id = bindparam("viewer_id")
    present = select(RoomPresence.account_id).where(
        RoomPresence.room_id == bindparam("room_id")
    )
    return (
        select(
            Profile.public_id,
            Profile.pseudonym,
            Profile.tag,
            Membership.organization_id,
            func.count().over(),
            AvailabilityHours.weekly,
            Profile.timezone,
            Profile.on_break,
            Profile.break_until,
            policy.break_visible_criterion(Account.id, viewer_id),
        )
        .select_from(Account)
        .join(Profile, Profile.account_id == Account.id)
        .outerjoin(Membership, Membership.account_id == Account.id)
        .outerjoin(AvailabilityHours, AvailabilityHours.account_id == Account.id)
        .where(
            Account.id.in_(present),
            Profile.appear_offline.is_(False) | (Account.id == viewer_id),
            policy.room_people_criterion(Account.id, viewer_id),
        )
        .order_by(func.lower(Profile.pseudonym), Account.id)
        .limit(PRESENCE_LIMIT)
    )


def person_payload(room: Room, account: Account) -> dict:
    """What a room shows of a person: pseudonym and tag, profile id, org alias."""
    org_id = account.membership.organization_id if account.membership else 0
    return {
        "id": account.profile.public_id,
        "pseudonym": account.pseudonym,
        "tag": account.tag,
        "org": org_alias(room.id, org_id),
    }


def org_alias(room_id: int, org_id: int) -> str:
    """A per-room token for an organization; the viewer's page maps it to a name
    only where the viewer may see that organization's name."""
    return _alias(current_app.config["SECRET_KEY"], room_id, org_id)


@functools.lru_cache(maxsize=4096)
def _alias(secret: str, room_id: int, org_id: int) -> str:
    # Pages and payloads name the same few organizations over and over: one HMAC
    # per room and organization (and key), not one per message or person shown.
    digest = hmac.new(
        secret.encode(), f"org:{room_id}:{org_id}".encode(), hashlib.sha256
    )
    return digest.hexdigest()[:12]


def org_labels(room: Room, viewer: Account) -> dict[str, str]:
    """alias -> organization name, for organizations this viewer may name (one
    query: the viewer's own and those at effective `see` or above)."""
    mine = policy.active_membership(viewer)
    if mine is None:
        return {}
    rows = db.session.execute(_labels_statement(), {"org_id": mine.organization_id})
    return {org_alias(room.id, org_id): name for org_id, name in rows}


@functools.cache
def _labels_statement() -> Select:
    """org_labels' query, built once; the viewer's organization is bound per call."""
    own = bindparam("org_id")
    return select(Organization.id, Organization.name).where(
        (Organization.id == own)
        | Organization.id.in_(policy.trusted_org_ids(own, TrustLevel.SEE))
    )

"""Room and message verbs. Callers check permission first (policy.access_*)."""

from __future__ import annotations

import functools
import hashlib
import hmac
from datetime import UTC, datetime, timedelta
from functools import partial

from flask import current_app
from sqlalchemy import (
    BigInteger,
    Select,
    bindparam,
    case,
    delete,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from network import audit, markup, policy, presence_batch, realtime
from network.errors import InputError
from network.extensions import commit_keeping_loaded, db
from network.models import (
    DEFAULT_GROUND_RULES,
    MAX_MESSAGE_LENGTH,
    Account,
    Membership,
    Message,
    Organization,
    Profile,
    Resource,
    Room,
    RoomMember,
    RoomPartner,
    RoomPresence,
    SupportRecipient,
    SupportRequest,
    TrustLevel,
    utcnow,
    display_name,
)
from network.models.supervision import facilitator_ids, room_open

HISTORY_PAGE = 50
CATCH_UP_PAGE = 200


RoomInputError = InputError  # one shape of field error for every feature


# --- rooms -------------------------------------------------------------------------


def create_room(
    org: Organization,
    *,
    actor: Account,
    name: str,
    topic: str = "",
    visibility: str = "org",
    partner_org_ids=(),
    retention_days: int = 90,
    kind: str = "channel",
) -> Room:
    """Create a room hosted by `org`: a channel, or a supervision room whose
    ground rules start from a default the facilitators can edit."""
    kind = kind if kind in {"channel", "supervision"} else "channel"
    room = Room(
        host_org_id=org.id,
        name=" ".join(name.split()),
        topic=topic.strip(),
        visibility=visibility,
        retention_days=retention_days,
        kind=kind,
        ground_rules=DEFAULT_GROUND_RULES if kind == "supervision" else "",
        created_by_id=actor.id,
    )
    room.partners = [RoomPartner(org_id=org_id) for org_id in partner_org_ids]
    db.session.add(room)
    db.session.flush()
    audit.record(
        "room.created",
        actor=actor,
        organization=org,
        room=room,
        visibility=visibility,
    )
    db.session.commit()
    return room


def update_room(
    room: Room,
    *,
    actor: Account,
    name: str,
    topic: str,
    visibility: str,
    partner_org_ids=(),
    retention_days: int,
) -> None:
    """Edit a room; narrowing who may join closes the sockets of those who lose it."""
    room.name = " ".join(name.split())
    room.topic = topic.strip()
    room.visibility = visibility
    room.retention_days = retention_days
    room.partners = [RoomPartner(org_id=org_id) for org_id in partner_org_ids]
    org = db.session.get(Organization, room.host_org_id)
    audit.record(
        "room.updated",
        actor=actor,
        organization=org,
        room=room,
        visibility=visibility,
    )
    db.session.commit()
    _reverify_present(room)


def archive_room(room: Room, *, actor: Account) -> None:
    """Archive a room: it leaves every room list and accepts nothing more."""
    room.archived_at = utcnow()
    org = db.session.get(Organization, room.host_org_id)
    audit.record("room.archived", actor=actor, organization=org, room=room)
    db.session.commit()
    _reverify_present(room)


def _reverify_present(room: Room) -> None:
    """Re-check everyone inside the room now (they rejoin if still allowed)."""
    accounts = set(
        db.session.scalars(
            select(RoomPresence.account_id).where(RoomPresence.room_id == room.id)
        )
    )
    if accounts:
        realtime.reverify(account_ids=accounts)


def partner_choices(org: Organization) -> list[Organization]:
    """Organizations at effective `collaborate` or above with the host."""
    ids = policy.trusted_org_ids(org.id, TrustLevel.COLLABORATE)
    return list(
        db.session.scalars(
            select(Organization)
            .where(Organization.id.in_(ids))
            .order_by(Organization.name)
        )
    )


def room_list(actor: Account) -> list[tuple[Room, int]]:
    """Rooms the actor may join, with their unread counts (two queries in all)."""
    rooms = list(
        db.session.scalars(
            policy.visible_rooms(select(Room), actor).order_by(Room.name)
        )
    )
    if not rooms:
        return []
    ids = [room.id for room in rooms]
    read = (
        select(RoomMember.room_id, RoomMember.last_read_id)
        .where(RoomMember.account_id == actor.id)
        .subquery()
    )
    counts = dict(
        db.session.execute(
            select(Message.room_id, func.count(Message.id))
            .outerjoin(read, read.c.room_id == Message.room_id)
            .where(
                Message.room_id.in_(ids),
                Message.deleted_at.is_(None),
                Message.author_id != actor.id,
                Message.id > func.coalesce(read.c.last_read_id, 0),
                Message.author_id.not_in(policy.room_apart_ids(actor.id)),
            )
            .group_by(Message.room_id)
        ).all()
    )
    return [(room, counts.get(room.id, 0)) for room in rooms]


# --- membership, presence ----------------------------------------------------------


def ensure_member(room: Room, account: Account) -> RoomMember:
    """The account's membership row in the room, created on first join."""
    row = db.session.scalar(
        select(RoomMember).where(
            RoomMember.room_id == room.id, RoomMember.account_id == account.id
        )
    )
    if row is None:
        # A lead or moderator opening a supervision room has no row of their own:
        # mark it, so it ends with the role (orgs.roles) and grants nothing alone.
        via_role = room.kind == "supervision" and policy.is_host_manager(account, room)
        row = RoomMember(room_id=room.id, account_id=account.id, via_role=via_role)
        db.session.add(row)
        try:
            db.session.commit()
        except IntegrityError:  # joined from two tabs at once
            db.session.rollback()
            row = db.session.scalar(
                select(RoomMember).where(
                    RoomMember.room_id == room.id, RoomMember.account_id == account.id
                )
            )
    return row


def mark_read(room: Room, account: Account, message_id: int) -> None:
    """Move the read position forward (never back)."""
    db.session.execute(
        update(RoomMember)
        .where(
            RoomMember.room_id == room.id,
            RoomMember.account_id == account.id,
            RoomMember.last_read_id < message_id,
        )
        .values(last_read_id=message_id)
    )
    db.session.commit()


def kept_apart_sids(room: Room, account_id: int) -> list[str]:
    """Sockets in the room of people kept apart from this account (for skip_sid):
    one query per broadcast, whoever listens."""
    return list(
        db.session.scalars(
            _apart_sids_statement(), {"room_id": room.id, "account_id": account_id}
        )
    )


@functools.cache
def _apart_sids_statement() -> Select:
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


def enter(room: Room, account: Account, sid: str) -> None:
    """Record a socket inside the room and tell the others (not those kept apart)."""
    sids = set(
        db.session.scalars(
            select(RoomPresence.sid).where(
                RoomPresence.room_id == room.id, RoomPresence.account_id == account.id
            )
        )
    )
    already = bool(sids)
    if sid not in sids:
        db.session.add(RoomPresence(sid=sid, room_id=room.id, account_id=account.id))
    _queue_state(room, account.id)
    if not already and not account.profile.appear_offline:
        _queue_presence(
            room, {"joined": person_payload(room, account)}, account.id, sid
        )
    commit_keeping_loaded()


def leave(room: Room, account_id: int, sid: str) -> None:
    """Forget a socket in a room; announce when the person's last socket left."""
    db.session.execute(
        delete(RoomPresence).where(
            RoomPresence.sid == sid, RoomPresence.room_id == room.id
        )
    )
    remaining = db.session.scalar(
        select(func.count())
        .select_from(RoomPresence)
        .where(RoomPresence.room_id == room.id, RoomPresence.account_id == account_id)
    )
    account = db.session.get(Account, account_id)
    if not remaining:
        _queue_state(room, account_id)
    if not remaining and account is not None and not account.profile.appear_offline:
        _queue_presence(room, {"left": account.profile.public_id}, account_id, sid)
    presence_batch.left(realtime.room_key(room.id), sid)
    db.session.commit()


def _queue_presence(room: Room, change: dict, person_id: int, sid: str) -> None:
    """Queue a presence change for the room's next batch (presence_batch) once
    this transaction commits. Like emit_about, it skips everyone kept apart from
    the person (one query, now) and the person's own socket."""
    skip = kept_apart_sids(room, person_id) + [sid]
    key = realtime.room_key(room.id)
    realtime.call_after_commit(
        partial(
            presence_batch.queue,
            key,
            room.public_id,
            change,
            skip,
            person=(room.id, person_id),
        )
    )


def _queue_state(room: Room, account_id: int) -> None:
    """When a facilitator arrives or leaves, a supervision room may open or close."""
    if room.kind != "supervision":
        return
    if account_id in set(db.session.scalars(facilitator_ids(room))):
        realtime.emit_after_commit(
            "room:state", room_state(room), to=realtime.room_key(room.id)
        )


def socket_closed(sid: str) -> None:
    """A socket went away: leave every room it was in."""
    rows = list(
        db.session.execute(
            select(RoomPresence.room_id, RoomPresence.account_id).where(
                RoomPresence.sid == sid
            )
        ).all()
    )
    for room_id, account_id in rows:
        room = db.session.get(Room, room_id)
        if room is not None:
            leave(room, account_id, sid)


PRESENCE_LIMIT = 50  # people listed by name; beyond it a room says "and K more"


def presence(room: Room, viewer: Account) -> tuple[list[dict], int]:
    """Who is in the room now, as this viewer may see it: the first PRESENCE_LIMIT
    people by pseudonym and how many more there are, in one query whatever the
    number present. The safety filter is inside the query, so the count never
    includes someone kept apart from the viewer."""
    rows = db.session.execute(
        _presence_statement(), {"room_id": room.id, "viewer_id": viewer.id}
    )
    people, total = [], 0
    for public_id, pseudonym, tag, org_id, total in rows:
        people.append(
            {
                "id": public_id,
                "pseudonym": pseudonym,
                "tag": tag,
                "org": org_alias(room.id, org_id or 0),
            }
        )
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
        )
        .select_from(Account)
        .join(Profile, Profile.account_id == Account.id)
        .outerjoin(Membership, Membership.account_id == Account.id)
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


# --- messages ------------------------------------------------------------------------


def validate_text(body, content_warning) -> tuple[str, str]:
    """Trimmed body and warning, or RoomInputError."""
    if not isinstance(body, str) or not body.strip():
        raise RoomInputError("body", "empty")
    if len(body) > MAX_MESSAGE_LENGTH:
        raise RoomInputError("body", "too_long")
    warning = content_warning if isinstance(content_warning, str) else ""
    if len(warning) > 120:
        raise RoomInputError("content_warning", "too_long")
    return body.strip(), warning.strip()


def send_message(
    room: Room,
    author: Account,
    body: str,
    content_warning: str,
    client_msg_id: str,
    *,
    slow_mode_applies: bool = True,
    resource=None,
    member: RoomMember | None = None,
    assume_new: bool = False,
) -> tuple[Message, bool]:
    """Store a message, then broadcast it after commit. A retry with the same
    client_msg_id returns the first message, stores nothing and broadcasts it
    again. Slow mode is checked here, after the retry check, so a retry is never
    refused.

    `member` is the author's row when the caller has it; with `assume_new` the
    retry is found by the unique constraint instead of a look-up first (the
    caller then looks up a retry itself before refusing anything)."""
    if not assume_new:
        existing = _by_client_id(author, client_msg_id)
        if existing is not None:
            return _again(room, existing), False
    row = member if member is not None else ensure_member(room, author)
    # One writer per room at a time (PostgreSQL; SQLite writers are serial anyway):
    # ids are then committed, and broadcast, in id order, so a client's catch-up
    # after the last id it saw (room:join after_id) cannot skip a message.
    db.session.execute(
        select(Room.id).where(Room.id == room.id).with_for_update(key_share=True)
    )
    now = utcnow()  # after the lock: a writer that waited does not stamp the past
    if slow_mode_applies and room.slow_mode_seconds and row.last_message_at:
        if row.last_message_at + timedelta(seconds=room.slow_mode_seconds) > now:
            existing = _by_client_id(author, client_msg_id) if assume_new else None
            if existing is not None:  # a retry is never refused
                db.session.rollback()
                return _again(room, existing), False
            raise RoomInputError("body", "slow_mode")
    row.last_message_at = now
    # One INSERT ... RETURNING the whole row: order_key is computed in the
    # statement, and comes back without a second query.
    stored = (
        insert(Message)
        .values(
            room_id=room.id,
            author_id=author.id,
            client_msg_id=client_msg_id,
            body=body,
            html=markup.render(body),
            content_warning=content_warning,
            resource_id=resource.id if resource is not None else None,
            created_at=now,
            order_key=_next_order_key(room.id, now),
        )
        .returning(Message)
    )
    try:
        message = db.session.scalar(stored)
    except IntegrityError:  # a retry: the unique client id, or the same retry
        db.session.rollback()  # racing us from another socket
        return _again(room, _by_client_id(author, client_msg_id)), False
    emit_about(
        room,
        "message:created",
        message_payload(room, message, author),
        person_id=author.id,
    )
    commit_keeping_loaded()
    return message, True


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def micros(moment: datetime) -> int:
    """Microseconds since the epoch (what an order_key counts)."""
    return (moment - EPOCH) // timedelta(microseconds=1)


def _next_order_key(room_id: int, now: datetime):
    """The new message's order_key, computed inside its INSERT (under the room's
    lock, so after the previous message's commit): the send time, or one past
    the room's previous key when this clock is behind it (another host's, or a
    clock step back). Keys then grow with the id."""
    previous = (
        select(Message.order_key)
        .where(Message.room_id == room_id)
        .order_by(Message.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    after = func.coalesce(previous, 0) + 1
    now_us = literal(micros(now), BigInteger)
    return case((after > now_us, after), else_=now_us)


def _again(room: Room, message: Message | None) -> Message | None:
    """A retry found its message stored: broadcast it again, as the first time
    (the process that stored it may have died before its broadcast went out;
    pages drop a message they already show by its id). Nothing goes out for a
    message of another room (a reused client id, not a retry)."""
    if message is None or message.room_id != room.id:
        return message
    author = db.session.get(Account, message.author_id)
    emit_about(
        room,
        "message:created",
        message_payload(room, message, author),
        person_id=message.author_id,
    )
    commit_keeping_loaded()
    return message


def sent_message(author: Account, client_msg_id: str) -> Message | None:
    """The message this author already sent with this client id, if any."""
    return _by_client_id(author, client_msg_id)


def _by_client_id(author: Account, client_msg_id: str) -> Message | None:
    return db.session.scalar(
        select(Message).where(
            Message.author_id == author.id, Message.client_msg_id == client_msg_id
        )
    )


def edit_message(room: Room, message: Message, body: str, content_warning: str) -> None:
    """Edit one's own message and broadcast the new text."""
    message.body = body
    message.html = markup.render(body)
    message.content_warning = content_warning
    message.edited_at = utcnow()
    author = db.session.get(Account, message.author_id)
    emit_about(
        room,
        "message:updated",
        message_payload(room, message, author),
        person_id=author.id,
    )
    commit_keeping_loaded()  # the ack reads the message's public id


def delete_message(room: Room, message: Message) -> None:
    """Soft-delete one's own message; the text is gone, the place in order stays."""
    message.deleted_at = utcnow()
    message.body = ""
    message.html = ""
    emit_about(
        room,
        "message:deleted",
        {"room_id": room.public_id, "id": message.public_id},
        person_id=message.author_id,
    )
    commit_keeping_loaded()  # the ack reads the message's public id


def message_payload(
    room: Room, message: Message, author: Account, viewer_id: int | None = None
) -> dict:
    """The one shape of a message on the wire and in templates. A hidden message
    carries no text; only its author is told the moderator's reason."""
    hidden = message.hidden_at is not None
    resource = None if hidden else _resource_id(message)
    return _payload(room, message, person_payload(room, author), resource, viewer_id)


def _payload(room: Room, message, person: dict, resource, viewer_id) -> dict:
    """message_payload from anything with a message's attributes: a Message, or a
    row of history's columns."""
    hidden = message.hidden_at is not None
    payload = {
        "room_id": room.public_id,
        "id": message.public_id,
        "author": person,
        "html": "" if hidden else message.html,
        "content_warning": "" if hidden else message.content_warning,
        "created_at": message.created_at.isoformat(),
        "order_key": message.order_key,
        "edited": message.edited_at is not None,
        "deleted": message.deleted_at is not None,
        "hidden": hidden,
        "resource": None if hidden else resource,
    }
    if hidden and viewer_id == message.author_id:
        payload["hidden_reason"] = message.hidden_reason
    return payload


def _resource_id(message: Message) -> str | None:
    """The shared resource's public id (its title never travels in a message)."""
    if message.resource_id is None:
        return None
    resource = db.session.get(Resource, message.resource_id)
    return resource.public_id if resource is not None else None


@functools.cache
def message_rows(kind: str) -> Select:
    """The columns a message payload needs, with its author's profile and
    organization and its resource's public id, for messages of a room the viewer
    may see (people kept apart are left out, in the query: visible_messages).
    Built once per kind (building cost more than running it); bind room_id and
    viewer_id, and per kind: newest and before (before_id) take the newest
    `limit`, after (after_id) the oldest `limit`, pinned one message_id."""
    stmt = (
        select(
            Message.id,
            Message.public_id,
            Message.author_id,
            Message.html,
            Message.content_warning,
            Message.created_at,
            Message.order_key,
            Message.edited_at,
            Message.deleted_at,
            Message.hidden_at,
            Message.hidden_reason,
            Resource.public_id.label("resource"),
            Profile.public_id.label("profile"),
            Profile.pseudonym,
            Profile.tag,
            Membership.organization_id,
        )
        .join(Account, Account.id == Message.author_id)
        .outerjoin(Profile, Profile.account_id == Account.id)
        .outerjoin(Membership, Membership.account_id == Account.id)
        .outerjoin(Resource, Resource.id == Message.resource_id)
        .where(
            Message.room_id == bindparam("room_id"),
            policy.room_people_criterion(Message.author_id, bindparam("viewer_id")),
        )
    )
    newest = Message.id.desc()
    if kind == "after":
        after = Message.id > bindparam("after_id")
        return stmt.where(after).order_by(Message.id).limit(bindparam("limit"))
    if kind == "before":
        stmt = stmt.where(Message.id < bindparam("before_id"))
        return stmt.order_by(newest).limit(bindparam("limit"))
    if kind == "newest":
        return stmt.order_by(newest).limit(bindparam("limit"))
    if kind == "pinned":
        return stmt.where(
            Message.id == bindparam("message_id"),
            Message.hidden_at.is_(None),
            Message.deleted_at.is_(None),
        )
    raise ValueError(kind)


def row_payload(room: Room, row, viewer_id: int) -> dict:
    """message_payload for a row of message_rows (no further query)."""
    person = {
        "id": row.profile,
        "pseudonym": row.pseudonym if row.profile is not None else "—",
        "tag": row.tag if row.profile is not None else "",
        "org": org_alias(room.id, row.organization_id or 0),
    }
    return _payload(room, row, person, row.resource, viewer_id)


def history(
    room: Room,
    viewer: Account,
    *,
    after_id: int | None = None,
    before_id: int | None = None,
    limit: int = HISTORY_PAGE,
) -> list[dict]:
    """Messages by keyset: after an id (catch-up, oldest first) or the newest
    before an id (load earlier); people kept apart from the viewer are left out.
    One select of the columns the payload needs, whatever the page holds."""
    bound = {"room_id": room.id, "viewer_id": viewer.id, "limit": limit}
    if after_id is not None:
        stmt = message_rows("after")
        rows = list(db.session.execute(stmt, {**bound, "after_id": after_id}))
    else:
        kind = "newest" if before_id is None else "before"
        stmt = message_rows(kind)
        rows = list(db.session.execute(stmt, {**bound, "before_id": before_id}))
        rows.reverse()
    return [row_payload(room, row, viewer.id) for row in rows]


def purge_expired(now=None) -> int:
    """Delete messages older than their room's retention period."""
    now = now or utcnow()
    removed = 0
    for room_id, days in db.session.execute(select(Room.id, Room.retention_days)).all():
        removed += db.session.execute(
            delete(Message).where(
                Message.room_id == room_id,
                Message.created_at < now - timedelta(days=days),
            )
        ).rowcount
    db.session.commit()
    return removed


# --- asking a facilitator for help -------------------------------------------------


UNREACHABLE = (
    "Nobody can be reached from here right now. You can leave this room at any "
    "time, try again a little later, or contact your organization outside the "
    "network. If you are in danger, call your local emergency number."
)


def file_support_request(
    room: Room, account: Account, *, kind: str = "help", note: str = ""
) -> tuple[SupportRequest | None, list[int]]:
    """Store a request for the people policy.support_recipient_ids names, and only
    them. Nothing is stored or sent when nobody can be reached (None, [])."""
    recipients = policy.support_recipient_ids(room, account)
    if not recipients:
        return None, []
    row = SupportRequest(
        room_id=room.id,
        host_org_id=room.host_org_id,
        requester_id=account.id,
        kind=kind,
        note=note.strip(),
    )
    db.session.add(row)
    db.session.flush()
    db.session.add_all(
        SupportRecipient(request_id=row.id, account_id=account_id)
        for account_id in recipients
    )
    return row, recipients


def ask_for_help(room: Room, account: Account, note: str = "") -> SupportRequest | None:
    """Ask a facilitator for help (policy.support_recipient_ids says who). The
    request names the room and the person, never a reason they did not write.
    None when nobody can be reached."""
    row, recipients = file_support_request(room, account, note=note)
    if row is None:
        return None
    for account_id in recipients:
        realtime.emit_after_commit(
            "support:requested",
            {"room": room.name, "from": account.pseudonym, "from_tag": account.tag},
            to=realtime.user_key(account_id),
        )
    db.session.commit()
    return row


def open_requests(stmt) -> list[tuple[SupportRequest, str, str]]:
    """Open requests with the requester's name and tag, and the room's name."""
    rows = db.session.execute(
        stmt.add_columns(Profile.pseudonym, Profile.tag, Room.name)
        .join(Profile, Profile.account_id == SupportRequest.requester_id)
        .join(Room, Room.id == SupportRequest.room_id)
        .where(SupportRequest.handled_at.is_(None))
        .order_by(SupportRequest.id)
    )
    return [(row, display_name(name, tag), room) for row, name, tag, room in rows]


def mark_handled(row: SupportRequest, *, actor: Account) -> None:
    """Close a help request."""
    row.handled_at = utcnow()
    row.handled_by_id = actor.id
    db.session.commit()


# --- supervision rooms -------------------------------------------------------------


def invitations(account: Account) -> list[Room]:
    """Supervision rooms the account is invited to."""
    return list(
        db.session.scalars(
            select(Room)
            .join(RoomMember, RoomMember.room_id == Room.id)
            .where(
                RoomMember.account_id == account.id,
                RoomMember.status == "invited",
                Room.archived_at.is_(None),
            )
        )
    )


def requestable(account: Account) -> list[tuple[Room, bool]]:
    """Supervision rooms one may ask to join, and whether one already asked."""
    rooms = list(
        db.session.scalars(
            policy.requestable_rooms(select(Room), account).order_by(Room.name)
        )
    )
    asked = set(
        db.session.scalars(
            select(RoomMember.room_id).where(
                RoomMember.account_id == account.id, RoomMember.status == "requested"
            )
        )
    )
    pending = list(db.session.scalars(select(Room).where(Room.id.in_(asked))))
    return [(room, False) for room in rooms] + [(room, True) for room in pending]


def room_state(room: Room) -> dict:
    """The open/closed state broadcast when facilitators come and go."""
    return {"room_id": room.public_id, "open": room_open(room)}


def cards_for(viewer: Account, messages: list[dict]) -> dict[str, dict]:
    """Shared-resource cards for a page of messages, in one query: only those the
    viewer may see; the page shows "resource unavailable" for the rest."""
    ids = {m["resource"] for m in messages if m.get("resource")}
    if not ids:
        return {}
    stmt = policy.visible_resources(select(Resource), viewer).where(
        Resource.public_id.in_(ids)
    )
    return {
        r.public_id: {"id": r.public_id, "title": r.title}
        for r in db.session.scalars(stmt)
    }

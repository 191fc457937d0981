"""Supervision verbs. Callers check permission first (policy)."""

from __future__ import annotations

from flask_babel import gettext as _
from datetime import datetime, timedelta

from sqlalchemy import select

from network import audit, policy, realtime
from network.errors import InputError
from network.extensions import db
from network.models import (
    DEFAULT_GROUND_RULES,
    Account,
    CheckIn,
    Organization,
    Room,
    RoomMember,
    SupervisionSession,
    SupportRequest,
    utcnow,
)
from network.models.supervision import facilitator_ids
from network.rooms import services as rooms

CHECK_IN_EARLY = timedelta(minutes=15)


SupervisionInputError = InputError  # one shape of field error for every feature


def _org(room: Room) -> Organization:
    return db.session.get(Organization, room.host_org_id)


def _row(room: Room, account_id: int) -> RoomMember | None:
    return db.session.scalar(
        select(RoomMember).where(
            RoomMember.room_id == room.id, RoomMember.account_id == account_id
        )
    )


# --- membership ----------------------------------------------------------------------


def invite(room: Room, account: Account, *, actor: Account) -> None:
    """Invite a member; they join when they accept."""
    row = _row(room, account.id)
    if row is not None and row.status in {"active", "banned"} and not row.via_role:
        raise SupervisionInputError("member", _("That person is already in the room."))
    if row is None:
        row = RoomMember(room_id=room.id, account_id=account.id)
        db.session.add(row)
    row.status, row.via_role = "invited", False
    audit.record(
        "room.invited", actor=actor, organization=_org(room), target=account, room=room
    )
    db.session.commit()


def respond_to_invitation(room: Room, accept: bool, *, actor: Account) -> None:
    """Accept (join) or decline an invitation."""
    row = _row(room, actor.id)
    if row is None or row.status != "invited":
        raise SupervisionInputError(
            "invitation", _("There is no invitation to answer.")
        )
    if accept:
        row.status = "active"
    else:
        db.session.delete(row)
    db.session.commit()


def request_to_join(room: Room, *, actor: Account) -> None:
    """Ask the facilitators to let one in."""
    db.session.add(RoomMember(room_id=room.id, account_id=actor.id, status="requested"))
    audit.record(
        "room.join_requested",
        actor=actor,
        organization=_org(room),
        target=actor,
        room=room,
    )
    db.session.commit()


def decide_request(
    room: Room, row: RoomMember, approve: bool, *, actor: Account
) -> None:
    """A facilitator approves or declines a join request."""
    if row.status != "requested":
        raise SupervisionInputError("member", _("There is no request to decide."))
    target = db.session.get(Account, row.account_id)
    if approve:
        row.status = "active"
    else:
        db.session.delete(row)
    audit.record(
        "room.join_approved" if approve else "room.join_declined",
        actor=actor,
        organization=_org(room),
        target=target,
        room=room,
    )
    db.session.commit()


def accept_rules(room: Room, *, actor: Account) -> None:
    """Record that the member accepted the room's ground rules."""
    row = rooms.ensure_member(room, actor)
    if row.rules_accepted_at is None:
        row.rules_accepted_at = utcnow()
        audit.record(
            "rules.accepted",
            actor=actor,
            organization=_org(room),
            target=actor,
            room=room,
        )
        db.session.commit()


def set_ground_rules(room: Room, text: str, *, actor: Account) -> None:
    """Change the agreement. Members accept it again before their next message."""
    text = (text or "").strip()
    if not text:
        raise SupervisionInputError("ground_rules", _("Write the room's agreement."))
    if len(text) > 4000:
        raise SupervisionInputError(
            "ground_rules", _("Keep it under 4,000 characters.")
        )
    room.ground_rules = text
    for row in db.session.scalars(
        select(RoomMember).where(RoomMember.room_id == room.id)
    ):
        row.rules_accepted_at = None
    audit.record("rules.changed", actor=actor, organization=_org(room), room=room)
    db.session.commit()


# --- sessions ------------------------------------------------------------------------


def schedule(
    room: Room,
    *,
    starts_at: datetime,
    ends_at: datetime,
    facilitator: Account,
    topic: str,
    actor: Account,
) -> SupervisionSession:
    """Schedule a session. The end must come after the start."""
    if ends_at <= starts_at:
        raise SupervisionInputError("ends_at", _("The end must be after the start."))
    if ends_at - starts_at > timedelta(hours=8):
        raise SupervisionInputError("ends_at", _("A session lasts at most 8 hours."))
    if ends_at <= utcnow():
        raise SupervisionInputError("ends_at", _("That time has already passed."))
    if facilitator.id not in set(db.session.scalars(facilitator_ids(room))):
        raise SupervisionInputError(
            "facilitator", _("Choose one of the room's facilitators.")
        )
    session = SupervisionSession(
        room_id=room.id,
        starts_at=starts_at,
        ends_at=ends_at,
        facilitator_id=facilitator.id,
        topic=topic.strip(),
        created_by_id=actor.id,
    )
    db.session.add(session)
    db.session.flush()
    audit.record(
        "session.scheduled",
        actor=actor,
        organization=_org(room),
        target=facilitator,
        room=room,
        session=session.public_id,
    )
    db.session.commit()
    return session


def cancel(room: Room, session: SupervisionSession, *, actor: Account) -> None:
    """Cancel a session."""
    session.cancelled_at = utcnow()
    audit.record(
        "session.cancelled",
        actor=actor,
        organization=_org(room),
        room=room,
        session=session.public_id,
    )
    db.session.commit()


def upcoming(room: Room, limit: int = 5) -> list[SupervisionSession]:
    """The room's next sessions (and the one running)."""
    return list(
        db.session.scalars(
            select(SupervisionSession)
            .where(
                SupervisionSession.room_id == room.id,
                SupervisionSession.cancelled_at.is_(None),
                SupervisionSession.ends_at > utcnow(),
            )
            .order_by(SupervisionSession.starts_at)
            .limit(limit)
        )
    )


def upcoming_for(account: Account, limit: int = 5) -> list:
    """The next sessions in every supervision room the account may join, as rows
    of (starts_at, ends_at, topic, room_public_id, room_name): one select of
    columns. A session that has started and not ended is among them (running)."""
    visible = policy.visible_rooms(select(Room.id), account)
    return list(
        db.session.execute(
            select(
                SupervisionSession.starts_at,
                SupervisionSession.ends_at,
                SupervisionSession.topic,
                Room.public_id.label("room_public_id"),
                Room.name.label("room_name"),
            )
            .join(Room, Room.id == SupervisionSession.room_id)
            .where(
                Room.id.in_(visible),
                Room.kind == "supervision",
                SupervisionSession.cancelled_at.is_(None),
                SupervisionSession.ends_at > utcnow(),
            )
            .order_by(SupervisionSession.starts_at)
            .limit(limit)
        )
    )


def check_in_session(room: Room) -> SupervisionSession | None:
    """The session one may check in to now: running, or starting within 15 minutes."""
    now = utcnow()
    return db.session.scalar(
        select(SupervisionSession)
        .where(
            SupervisionSession.room_id == room.id,
            SupervisionSession.cancelled_at.is_(None),
            SupervisionSession.starts_at <= now + CHECK_IN_EARLY,
            SupervisionSession.ends_at > now,
        )
        .order_by(SupervisionSession.starts_at)
        .limit(1)
    )


def check_in(
    session: SupervisionSession, feeling, word: str, shared: bool, *, actor: Account
) -> CheckIn:
    """Record (or update) a member's check-in: private unless shared."""
    if (
        isinstance(feeling, bool)
        or not isinstance(feeling, int)
        or not 1 <= feeling <= 5
    ):
        raise SupervisionInputError("feeling", _("Choose a number from 1 to 5."))
    word = (word or "").strip()
    if len(word) > 40:
        raise SupervisionInputError(
            "word", _("One word or a few: under 40 characters.")
        )
    row = db.session.scalar(
        select(CheckIn).where(
            CheckIn.session_id == session.id, CheckIn.account_id == actor.id
        )
    )
    if row is None:
        row = CheckIn(session_id=session.id, account_id=actor.id, feeling=feeling)
        db.session.add(row)
    row.feeling, row.word, row.shared = feeling, word, bool(shared)
    db.session.commit()
    return row


def my_check_in(session: SupervisionSession, account: Account) -> CheckIn | None:
    """The member's own check-in for a session."""
    return db.session.scalar(
        select(CheckIn).where(
            CheckIn.session_id == session.id, CheckIn.account_id == account.id
        )
    )


def shared_check_ins(
    session: SupervisionSession, viewer: Account
) -> list[tuple[CheckIn, str]]:
    """Check-ins members chose to share with the facilitators, leaving out anyone
    kept apart from the viewer."""
    from network.models import Profile, display_name

    stmt = (
        select(CheckIn, Profile.pseudonym, Profile.tag)
        .join(Profile, Profile.account_id == CheckIn.account_id)
        .where(CheckIn.session_id == session.id, CheckIn.shared.is_(True))
        .order_by(CheckIn.id)
    )
    rows = db.session.execute(
        policy.visible_room_people(stmt, viewer, CheckIn.account_id)
    )
    return [(row, display_name(name, tag)) for row, name, tag in rows]


# --- "I need support" ----------------------------------------------------------------


def open_support_requests(viewer: Account) -> list:
    """Open help requests the viewer may handle, with names and room names."""
    return rooms.open_requests(
        policy.visible_support_requests(select(SupportRequest), viewer)
    )


def support_alert(
    room: Room, *, actor: Account
) -> tuple[SupportRequest | None, list[int]]:
    """Alert the people policy.support_recipient_ids names (those online now
    first), privately. Returns the request and its recipients, or
    (None, []) when nobody can be reached."""
    row, recipients = rooms.file_support_request(
        room, actor, kind="support", online_first=True
    )
    if row is None:
        return None, []
    payload = {
        "request_id": row.public_id,
        "room": room.name,
        "room_id": room.public_id,
        "from": actor.pseudonym,
        "from_tag": actor.tag,
    }
    for account_id in recipients:
        realtime.emit_after_commit(
            "support:alert", payload, to=realtime.user_key(account_id)
        )
    db.session.commit()
    return row, recipients


def open_private_room(request: SupportRequest, *, actor: Account) -> Room:
    """A one-to-one supervision space for the member and the facilitator (actor)."""
    if request.private_room_id is not None:
        return db.session.get(Room, request.private_room_id)
    parent = db.session.get(Room, request.room_id)
    requester = db.session.get(Account, request.requester_id)
    # Hosted by the facilitator's own organization (the asker's, when her own
    # lead answers from a partner room); only its two members may open it.
    room = Room(
        host_org_id=actor.membership.organization_id,
        kind="supervision",
        visibility="org",
        private=True,
        name=f"One-to-one: {requester.display_name}",
        topic="A private space with a facilitator.",
        ground_rules=parent.ground_rules if parent else DEFAULT_GROUND_RULES,
        retention_days=parent.retention_days if parent else 30,
        created_by_id=actor.id,
    )
    db.session.add(room)
    db.session.flush()
    db.session.add_all(
        [
            RoomMember(room_id=room.id, account_id=requester.id, status="active"),
            RoomMember(
                room_id=room.id,
                account_id=actor.id,
                status="active",
                role="facilitator",
                # Answered as a lead or moderator: the space ends with the role.
                via_role=policy.is_host_manager(actor, room),
            ),
        ]
    )
    request.private_room_id = room.id
    request.handled_at = utcnow()
    request.handled_by_id = actor.id
    audit.record(
        "support.private_room",
        actor=actor,
        organization=_org(room),
        target=requester,
        room=room,
    )
    realtime.emit_after_commit(
        "support:private_room",
        {"room_id": room.public_id, "name": room.name},
        to=realtime.user_key(requester.id),
    )
    db.session.commit()
    return room

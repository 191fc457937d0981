"""What the room page shows, read in a fixed number of statements: everything
starts from the access context the route fetched (policy.access_room_context),
so no check fetches the room, the member row or the membership again."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import and_, select

from network import policy
from network.availability.services import away_note
from network.extensions import db
from network.models import Account, CheckIn, Profile, SupervisionSession, utcnow
from network.models.supervision import facilitator_present
from network.rooms import services
from network.timezones import zone

CHECK_IN_EARLY = timedelta(minutes=15)  # as supervision.services.CHECK_IN_EARLY


def room_page(
    access: policy.RoomAccess, viewer: Account, before_id=None, at_id=None
) -> dict:
    """The room template's context: history (the newest page, the page before
    `before_id`, or the page around `at_id`: a message opened from search),
    presence, labels, the private notice, what the viewer may do, the pin,
    resource cards, supervision."""
    room = access.room
    if at_id is not None:
        messages, more = services.history_around(room, viewer, at_id)
    else:
        messages = services.history(room, viewer, before_id=before_id)
        more = len(messages) == services.HISTORY_PAGE
    present, present_more = services.presence(room, viewer)
    supervision = supervision_context(access, viewer)
    other = direct_other(room, viewer)
    return {
        "room": room,
        "messages": messages,
        "older": messages[0]["id"] if more and messages else None,
        "presence": present,
        "presence_more": present_more,
        "labels": services.org_labels(room, viewer),
        "notice": policy.protected_in_room(viewer, room),
        "refusal": policy.refusal(access, is_open=supervision.get("room_is_open")),
        "can_manage": policy.can_manage_room(viewer, room),
        "can_moderate": access.moderates,
        "pinned": pinned(access, viewer),
        "cards": services.cards_for(viewer, messages),
        "zone": zone(viewer.profile.timezone).key,
        # Per-room mute of notifications (notifications/_room_mute.html).
        "can_mute_room": access.row is not None and access.row.status == "active",
        "room_muted": access.row is not None and access.row.notifications_muted,
        "direct_other": other,
        # Before writing to someone outside their hours: a gentle note, the
        # time in the writer's zone, never that it is a break.
        "away_note": away_note(other.account, viewer) if other else "",
        **supervision,
    }


def direct_other(room, viewer: Account) -> Profile | None:
    """The other person of a direct conversation (its title), else None."""
    if room.kind != "direct":
        return None
    other_id = policy.direct_other_id(room, viewer.id)
    return db.session.scalar(select(Profile).where(Profile.account_id == other_id))


def pinned(access: policy.RoomAccess, viewer: Account) -> dict | None:
    """The pinned message if the viewer may see it: not hidden or deleted, and not
    by someone kept apart from the viewer (one query, the history's filter)."""
    room = access.room
    if room.pinned_message_id is None:
        return None
    row = db.session.execute(
        services.message_rows("pinned"),
        {
            "room_id": room.id,
            "viewer_id": viewer.id,
            "message_id": room.pinned_message_id,
        },
    ).first()
    return services.row_payload(room, row, viewer.id) if row is not None else None


def supervision_context(access: policy.RoomAccess, viewer: Account) -> dict:
    """Ground rules, open state, sessions and check-in for a supervision room: the
    coming sessions with the viewer's check-ins in one query, and whether a
    facilitator is present only when no session runs."""
    room = access.room
    if room.kind != "supervision":
        return {"supervision": False}
    now = utcnow()
    rows = db.session.execute(
        select(SupervisionSession, CheckIn)
        .outerjoin(
            CheckIn,
            and_(
                CheckIn.session_id == SupervisionSession.id,
                CheckIn.account_id == viewer.id,
            ),
        )
        .where(
            SupervisionSession.room_id == room.id,
            SupervisionSession.cancelled_at.is_(None),
            SupervisionSession.ends_at > now,
        )
        .order_by(SupervisionSession.starts_at)
        .limit(5)
    ).all()
    sessions = [session for session, _ in rows]
    # Ordered by start, a running session (started, not ended) comes first.
    running = next((s for s in sessions if s.starts_at <= now), None)
    check_in = next(
        ((s, mine) for s, mine in rows if s.starts_at <= now + CHECK_IN_EARLY),
        (None, None),
    )
    return {
        "supervision": True,
        "rules_accepted": access.row is not None
        and access.row.rules_accepted_at is not None,
        "room_is_open": running is not None or facilitator_present(room),
        "running": running,
        "next_session": next((s for s in sessions if s.starts_at > now), None),
        "sessions": sessions,
        "check_in_session": check_in[0],
        "my_check_in": check_in[1],
    }

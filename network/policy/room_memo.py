"""The access context of a room, memoized for one request or socket event."""

from __future__ import annotations

from dataclasses import dataclass

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession

from network.models import Membership, Room, RoomMember
from network.policy.actors import _account


@dataclass(frozen=True)
class RoomAccess:
    """What access_room_context fetched: the room, the actor's member row (None
    before the first join), their membership, and whether they moderate it."""

    room: Room
    row: RoomMember | None
    membership: Membership
    moderates: bool


def _access_memo() -> dict:
    """Access contexts of this request or socket event (each event gets its own
    request object; the app context, and so flask.g, may be shared)."""
    if not has_request_context():
        return {}
    memo = getattr(request, "_network_room_access", None)
    if memo is None:
        memo = {}
        request._network_room_access = memo
    return memo


def _forget_access(_session) -> None:
    """A commit or rollback may change rows and roles: later checks in the same
    event fetch again (no SQL here: this runs inside SQLAlchemy's hooks)."""
    if has_request_context():
        request.__dict__.pop("_network_room_access", None)


event.listen(OrmSession, "after_commit", _forget_access)
event.listen(
    OrmSession, "after_soft_rollback", lambda session, _tx: _forget_access(session)
)


def _memoized(actor, room: Room) -> RoomAccess | None:
    account = _account(actor)
    if account is None:
        return None
    return _access_memo().get((account.id, room.id))

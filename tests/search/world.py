"""Rooms and messages for search tests, written as rows (the triggers index them)."""

from __future__ import annotations

from datetime import timedelta
from itertools import count

from network import markup
from network.extensions import db
from network.models import Message, Room, RoomMember, utcnow

_ids = count(1)


def member(room: Room, account, **fields) -> RoomMember:
    """An active member row (unless fields say otherwise)."""
    row = RoomMember(room_id=room.id, account_id=account.id, **fields)
    db.session.add(row)
    db.session.commit()
    return row


def say(room: Room, author, body: str, *, days_ago: float = 0, **fields) -> Message:
    """A message as the room service stores it: body and its sanitized HTML."""
    message = Message(
        room_id=room.id,
        author_id=author.id,
        client_msg_id=f"search-{next(_ids)}",
        body=body,
        html=markup.render(body),
        created_at=utcnow() - timedelta(days=days_ago),
        **fields,
    )
    db.session.add(message)
    db.session.commit()
    return message


def supervision_room(org, name: str, *, private: bool = False) -> Room:
    """A supervision room (private: a one-to-one space)."""
    room = Room(host_org_id=org.id, name=name, kind="supervision", private=private)
    db.session.add(room)
    db.session.commit()
    return room

"""Moderation events from the room page: hide and pin a message."""

from __future__ import annotations

from flask_login import current_user

from network import policy
from network.errors import SocketError
from network.guards import socket_event
from network.moderation import services


@socket_event("message:hide")
def on_hide(data: dict):
    """Hide a message, with a reason its author is told."""
    room = policy.access_moderated_room(current_user, data.get("room_id"))
    message = policy.access_room_message(current_user, room, data.get("id"))
    try:
        services.hide_message(
            room, message, data.get("reason") or "", actor=current_user
        )
    except services.ModerationInputError as error:
        raise SocketError("reason_required") from error
    return {"id": message.public_id}


@socket_event("message:pin")
def on_pin(data: dict):
    """Pin a message (or unpin with id null)."""
    room = policy.access_moderated_room(current_user, data.get("room_id"))
    message = None
    if data.get("id") is not None:
        message = policy.access_room_message(current_user, room, data.get("id"))
        if message.hidden_at is not None or message.deleted_at is not None:
            raise SocketError("not_found")
    services.pin_message(room, message, actor=current_user)
    return {}

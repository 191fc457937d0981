"""The "I need support" event."""

from __future__ import annotations

from flask_login import current_user

from network import policy, ratelimit, realtime
from network.errors import SocketError
from network.guards import socket_event
from network.supervision import services


@socket_event("support:alert")
def on_support(data: dict):
    """Send a private alert to those policy.support_recipient_ids names; nobody
    kept apart from the member, and no other member, ever sees it."""
    room = policy.access_room(current_user, data.get("room_id"))
    if not ratelimit.allow("history", current_user.id):
        raise SocketError("rate_limited")
    row, recipients = services.support_alert(room, actor=current_user)
    if row is None:  # the same answer whatever the reason
        raise SocketError("unreachable")
    # Honest: whether someone who can help is connected now, or it waits for them.
    return {"online": realtime.any_live(recipients)}

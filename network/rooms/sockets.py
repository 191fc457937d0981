"""Room events. Each handler: access (policy) -> service -> ack. Thin on purpose."""

from __future__ import annotations

from contextlib import contextmanager

from flask import request
from flask_login import current_user
from flask_socketio import emit, join_room, leave_room

from network import policy, presence_batch, queue, ratelimit, realtime
from network.errors import NotFound, SocketError
from network.guards import socket_event
from network.rooms import mentions, services


def _position(room, value) -> int | None:
    """The room-order place of a message the client names by its public id (None
    when it names none). Another room's id or a guess: the missing answer."""
    if value is None:
        return None
    return policy.access_message_position(current_user, room, value)


@contextmanager
def _refusals():
    """A service's refusal (bad text, muted, rate-limited, slow mode) as its ack."""
    try:
        yield
    except services.RoomInputError as error:
        raise SocketError(error.message, **error.extra) from None


def _usable(room_id):
    """The room's access context; one of the two people of a closed direct
    conversation is told "conversation_closed" (never why), anyone else gets the
    missing room's answer. ("closed" alone means a supervision room waiting for
    its facilitator: the page keeps the composer for that one.)"""
    try:
        return policy.access_room_context(current_user, room_id)
    except NotFound:
        if policy.closed_conversation(current_user, room_id):
            raise SocketError("conversation_closed") from None
        raise


def _joinable(room_id):
    """_usable; and a person a moderator took out of the room is told so (and
    why)."""
    try:
        return _usable(room_id)
    except NotFound:
        reason = policy.shut_out_reason(current_user, room_id)
        if reason is None:
            raise
        raise SocketError("removed", reason=reason) from None


@socket_event("room:join")
def on_join(data: dict):
    """Join a room: replay what was missed after `after_id`, then live messages."""
    access = _joinable(data.get("room_id"))
    room = access.room
    try:
        after_id = _position(room, data.get("after_id"))
    except NotFound:
        after_id = None  # unknown to this room: the newest page, as for a purged one
    key = realtime.room_key(room.id)
    with presence_batch.entering(key, request.sid):  # before the presence list
        join_room(key)
        services.join(room, actor=current_user, sid=request.sid, row=access.row)
    if after_id is None:
        messages = services.history(room, current_user)
    else:
        messages = services.history(
            room, current_user, after_id=after_id, limit=services.CATCH_UP_PAGE
        )
    present, present_more = services.presence(room, current_user)
    return {
        "room_id": room.public_id,
        "messages": messages,
        "more": after_id is not None and len(messages) == services.CATCH_UP_PAGE,
        "presence": present,
        "presence_more": present_more,
        "notice": policy.protected_in_room(current_user, room),
    }


@socket_event("room:leave")
def on_leave(data: dict):
    """Leave a room's live stream."""
    room = policy.access_room(current_user, data.get("room_id"))
    leave_room(realtime.room_key(room.id))
    services.leave(room, actor=current_user, sid=request.sid)
    return {}


@socket_event("message:send")
def on_send(data: dict):
    """Store, then broadcast; a retried client_msg_id returns the first id.

    While the message queue cannot take it, the answer is "unavailable": at once
    and with nothing stored when the queue is known to be down; after the commit
    when the broadcast failed (the client's retry, with the same client_msg_id,
    then gets the stored id)."""
    access = _usable(data.get("room_id"))
    if not queue.available():
        raise SocketError("unavailable")
    with queue.watch() as delivery, _refusals():
        message = services.send_message(
            access.room,
            actor=current_user,
            body=data.get("body"),
            content_warning=data.get("content_warning"),
            client_msg_id=data["client_msg_id"],  # shape checked by network.payloads
            access=access,
        )
    if delivery.failed:
        raise SocketError("unavailable")
    return {"id": message.public_id}


@socket_event("message:edit")
def on_edit(data: dict):
    """Edit one's own message."""
    room = policy.access_room(current_user, data.get("room_id"))
    message = policy.access_own_message(current_user, room, data.get("id"))
    with _refusals():
        services.edit_message(
            room,
            message,
            actor=current_user,
            body=data.get("body"),
            content_warning=data.get("content_warning"),
        )
    return {"id": message.public_id}


@socket_event("message:source")
def on_source(data: dict):
    """The stored source and content warning of one's own message, for the editor."""
    room = policy.access_room(current_user, data.get("room_id"))
    message = policy.access_own_message(current_user, room, data.get("id"))
    return {
        "id": message.public_id,
        "body": message.body,
        "content_warning": message.content_warning or "",
    }


@socket_event("message:delete")
def on_delete(data: dict):
    """Delete one's own message (soft delete)."""
    room = policy.access_room(current_user, data.get("room_id"))
    message = policy.access_own_message(current_user, room, data.get("id"))
    services.delete_message(room, message, actor=current_user)
    return {"id": message.public_id}


@socket_event("message:history")
def on_history(data: dict):
    """Older messages before `before_id`, or missed ones after `after_id`."""
    room = policy.access_room(current_user, data.get("room_id"))
    if not ratelimit.allow("history", current_user.id):
        raise SocketError("rate_limited")
    after_id = _position(room, data.get("after_id"))
    before_id = _position(room, data.get("before_id"))
    if after_id is not None:
        messages = services.history(
            room, current_user, after_id=after_id, limit=services.CATCH_UP_PAGE
        )
        return {"messages": messages, "more": len(messages) == services.CATCH_UP_PAGE}
    messages = services.history(room, current_user, before_id=before_id)
    return {"messages": messages, "more": len(messages) == services.HISTORY_PAGE}


@socket_event("room:read")
def on_read(data: dict):
    """Move one's read position forward."""
    room = policy.access_room(current_user, data.get("room_id"))
    message_id = _position(room, data.get("id"))
    if message_id is None:
        raise SocketError("not_found")
    services.mark_read(room, message_id, actor=current_user)
    return {}


@socket_event("typing")
def on_typing(data: dict):
    """Tell the room someone is typing: throttled, never stored."""
    access = policy.access_room_context(current_user, data.get("room_id"))
    room = access.room
    refusal = policy.refusal(access)
    if refusal is not None:
        raise SocketError(refusal)
    if not ratelimit.allow("typing", current_user.id):
        raise SocketError("rate_limited")
    if current_user.profile.appear_offline:
        return {}
    skip = services.kept_apart_sids(room, current_user.id) + [request.sid]
    emit(
        "typing",
        {
            "room_id": room.public_id,
            "member": services.person_payload(room, current_user),
        },
        to=realtime.room_key(room.id),
        skip_sid=skip,
    )
    return {}


@socket_event("mention:suggest")
def on_mention_suggest(data: dict):
    """People the writer may mention in the room whose name starts with prefix."""
    room = policy.access_room(current_user, data.get("room_id"))
    if not ratelimit.allow("mention", current_user.id):
        raise SocketError("rate_limited")
    return {"people": mentions.suggestions(room, current_user, data["prefix"] or "")}


def _on_socket_closed(sid: str) -> None:
    services.socket_closed(sid)


realtime.on_socket_closed(_on_socket_closed)

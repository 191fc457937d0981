"""The socket connect gate: logged in, approved, not suspended, same origin."""

from __future__ import annotations

from flask import current_app, request
from flask_login import current_user
from flask_socketio import disconnect, join_room

from network import policy, realtime
from network.extensions import socketio
from network.security import current_auth_session, same_origin


@socketio.on("connect")
def on_connect(auth=None):
    """Refuse anyone the policy does not allow; no other handler then runs."""
    # Engine.IO already refuses foreign origins; checked again here so that the
    # rule holds whatever transport or server sits in front.
    if not same_origin() or not policy.can_connect_socket(current_user):
        # A signed-in person whose access is paused is told so (only them).
        paused = same_origin() and policy.is_waiting(current_user)
        raise ConnectionRefusedError("paused" if paused else "unauthorized")
    row = current_auth_session()
    join_room(realtime.user_key(current_user.id))
    membership = policy.active_membership(current_user)
    if membership is not None:
        join_room(realtime.org_key(membership.organization_id))
    realtime.track_socket(request.sid, current_user.id, row.id if row else None)


@socketio.on("disconnect")
def on_disconnect(reason=None):
    """Forget the socket, in an app context and session of its own."""
    realtime.socket_gone(current_app._get_current_object(), request.sid)


@socketio.on("session:check")
def on_session_check(data=None):
    """Re-check the session and policy now (sessions are frozen at connect)."""
    if current_auth_session() is None or not policy.can_connect_socket(current_user):
        disconnect()
        return {"ok": False, "error": "unauthorized"}
    return {"ok": True, "pseudonym": current_user.pseudonym, "tag": current_user.tag}

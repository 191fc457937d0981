"""The bare baseline for bench/rooms_load.py: python-socketio on gevent, no auth,
no policy, no database. It joins rooms and broadcasts, with the same event names
and ack shapes as the real server, and is served by the same production command:

    gunicorn -k gevent -w 1 -b 127.0.0.1:PORT rooms_load_bare:app   (cwd = bench/)
"""

from __future__ import annotations

import itertools

import socketio

sio = socketio.Server(async_mode="gevent", cors_allowed_origins="*")
app = socketio.WSGIApp(sio)
_ids = itertools.count(1)


@sio.on("room:join")
def on_join(sid: str, data: dict) -> dict:
    """Enter the room; the ack mirrors the real one's shape (no history here)."""
    sio.enter_room(sid, data["room_id"])
    return {"ok": True, "room_id": data["room_id"], "messages": [], "presence": []}


@sio.on("message:send")
def on_send(sid: str, data: dict) -> dict:
    """Broadcast the body to the room (sender included, as the real server does)."""
    message_id = f"m{next(_ids)}"
    payload = {"room_id": data["room_id"], "id": message_id, "html": data["body"]}
    sio.emit("message:created", payload, room=data["room_id"])
    return {"ok": True, "id": message_id}

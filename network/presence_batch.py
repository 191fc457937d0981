"""Presence changes, coalesced: one `presence:changed` batch per room per window.

One broadcast per join used to reach everyone present, so a room filling up with
N people cost N² frames. Now each change is queued (after its commit, with the
sockets that must not see it, computed in the change's own transaction) and every
PRESENCE_BATCH_SECONDS each room with changes gets one broadcast of all of them,
skipping every socket some change excludes; each skipped socket then gets a batch
of its own with only the changes it may see.

A socket joining the room mid-window was not known when earlier changes computed
their skips, so it is fenced: it never receives a change queued before its own
presence committed (its presence list, read after that, already shows them).

Each process batches its own changes and sends through socketio, so with a message
queue the batches reach every process's sockets as single emits did. The flush
asks the database again who in the room is kept apart from each changed person
(one query per person, in the flush's own app context): a socket that joined on
another process mid-window is skipped as it would have been by a single emit.
"""

from __future__ import annotations

import logging
import math
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask import Flask, current_app

from network.extensions import socketio
from network.health import log_failure

EVENT = "presence:changed"

log = logging.getLogger(__name__)


@dataclass
class _Change:
    seq: int
    change: dict
    skip: frozenset[str]
    person_id: int | None = None
    room_id: int | None = None


@dataclass
class _Room:
    public_id: str
    changes: list[_Change] = field(default_factory=list)


_lock = threading.Lock()
_pending: dict[str, _Room] = {}  # room key -> changes not sent yet
# room key -> sid -> the first change seq the socket may receive (inf: entering)
_fences: dict[str, dict[str, float]] = {}
_gone: dict[str, set[str]] = {}  # room key -> sockets that left: no batch of their own
_next_seq = 0
_timer_armed = False


def queue(
    room_key: str,
    room_public_id: str,
    change: dict,
    skip,
    person: tuple[int, int] | None = None,
) -> None:
    """Queue one change (`{"joined": member}` or `{"left": profile id}`) for the
    room's next batch; `skip` are the sockets that must not receive it. `person`
    is (room id, account id): the flush asks again who in the room is kept apart
    from that person. Call it after the change's commit."""
    global _next_seq, _timer_armed
    interval = current_app.config["PRESENCE_BATCH_SECONDS"]
    with _lock:
        room = _pending.setdefault(room_key, _Room(room_public_id))
        room_id, person_id = person or (None, None)
        room.changes.append(
            _Change(_next_seq, change, frozenset(skip), person_id, room_id)
        )
        _next_seq += 1
        arm = interval > 0 and not _timer_armed
        _timer_armed = _timer_armed or arm
    if interval <= 0:
        flush(room_key)
    elif arm:
        app = current_app._get_current_object()
        socketio.start_background_task(_flush_later, app, interval)


@contextmanager
def entering(room_key: str, sid: str):
    """Wrap a socket's joining of the room (socket room and presence commit): it
    gets no change queued before the block ends. End the block before reading the
    presence list the socket is shown."""
    with _lock:
        _fences.setdefault(room_key, {})[sid] = math.inf
        _gone.get(room_key, set()).discard(sid)
    try:
        yield
    finally:
        with _lock:
            fences = _fences.setdefault(room_key, {})
            if room_key in _pending:
                fences[sid] = _next_seq
            else:  # nothing queued before it: later changes all know the socket
                fences.pop(sid, None)
                if not fences:
                    _fences.pop(room_key, None)


def left(room_key: str, sid: str) -> None:
    """A socket left the room: it gets no batch of its own for that room."""
    with _lock:
        if room_key in _pending:
            _gone.setdefault(room_key, set()).add(sid)


def flush(room_key: str | None = None) -> int:
    """Send the pending batches now (of one room, or all); how many emits."""
    with _lock:
        keys = [room_key] if room_key is not None else list(_pending)
        work = [_take(key) for key in keys if key in _pending]
    sent = 0
    for key, room, fences, gone in work:
        try:
            _recheck(room)
            sent += _send(key, room, fences, gone)
        except Exception:  # one room's failed emit must not stop the others
            log_failure(log, "presence batch failed")
    return sent


def _take(room_key: str):
    """Remove a room's pending batch and the fences it needs (under the lock)."""
    room = _pending.pop(room_key)
    fences = dict(_fences.get(room_key, {}))
    # Fences of sockets done entering matter only for changes queued before them:
    # those are all in this batch. Sockets still entering stay fenced.
    entering_now = {sid: f for sid, f in fences.items() if f == math.inf}
    if entering_now:
        _fences[room_key] = entering_now
    else:
        _fences.pop(room_key, None)
    return room_key, room, fences, _gone.pop(room_key, set())


def _recheck(room: _Room) -> None:
    """Add to each change's skips whoever is kept apart from its person and
    present now: a socket that joined on another process after the change was
    queued (the fence sees only this process's sockets). One query per person
    in the batch, the query a single emit ran; with it, a batch leaks no more
    than a single emit did."""
    from network.extensions import db
    from network.rooms.people import apart_sids_statement

    found: dict[tuple[int, int], frozenset[str]] = {}
    for item in room.changes:
        if item.person_id is None:
            continue
        key = (item.room_id, item.person_id)
        if key not in found:
            found[key] = frozenset(
                db.session.scalars(
                    apart_sids_statement(),
                    {"room_id": item.room_id, "account_id": item.person_id},
                )
            )
        item.skip = item.skip | found[key]
    if found:
        db.session.rollback()  # end the read; nothing was written


def _send(room_key: str, room: _Room, fences: dict, gone: set) -> int:
    """One broadcast of every change, then a batch for each socket held back."""
    held = set(fences) | gone
    for item in room.changes:
        held |= item.skip
    socketio.emit(
        EVENT,
        {"room_id": room.public_id, "changes": [c.change for c in room.changes]},
        to=room_key,
        skip_sid=sorted(held) or None,
    )
    sent = 1
    for sid in sorted(held - gone):
        fence = fences.get(sid, -1)
        mine = [c.change for c in room.changes if c.seq >= fence and sid not in c.skip]
        if mine:
            socketio.emit(EVENT, {"room_id": room.public_id, "changes": mine}, to=sid)
            sent += 1
    return sent


def _flush_later(app: Flask, interval: float) -> None:
    """The timer: wait one window, then send every room's batch."""
    global _timer_armed
    socketio.sleep(interval)
    with _lock:
        _timer_armed = False
    with app.app_context():
        flush()


def reset() -> None:
    """Forget everything pending (tests start each app from nothing)."""
    global _timer_armed
    with _lock:
        _pending.clear()
        _fences.clear()
        _gone.clear()
        _timer_armed = False

"""The hot path: message:send. SQL statements and broadcasts per message, and time,
as the room grows. Both counts must stay flat: no per-recipient work.

    .venv/bin/python bench/bench_messages.py [--members 2 20 200] [--messages 200]
"""

from __future__ import annotations

import argparse
import contextvars
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event  # noqa: E402

from network import create_app  # noqa: E402
from network.extensions import db, socketio  # noqa: E402
from network.models import RoomPresence  # noqa: E402
from tests import factories  # noqa: E402
from tests.conftest import IsolatedClient, login  # noqa: E402


def run(members: int, messages: int) -> None:
    """One room with `members` present; one member sends `messages` messages."""
    app = create_app("test", SOCKET_RATELIMIT_ENABLED=False)
    app.test_client_class = IsolatedClient
    with app.app_context():
        db.create_all()
        org = factories.make_org()
        room = factories.make_room(org)
        sender = factories.make_member(org)
        # Presence rows stand in for connected listeners (what the send path reads).
        for n in range(members):
            listener = factories.make_member(org)
            db.session.add(
                RoomPresence(
                    sid=f"listener-{n}", room_id=room.id, account_id=listener.id
                )
            )
        db.session.commit()
        client = app.test_client()
        login(client, sender)
        sock = contextvars.Context().run(
            socketio.test_client, app, flask_test_client=client
        )
        sock.emit("room:join", {"room_id": room.public_id}, callback=True)
        statements: list[int] = []
        emits: list[int] = []
        original = socketio.emit

        def counting_emit(*args, **kwargs):
            emits.append(1)
            return original(*args, **kwargs)

        socketio.emit = counting_emit
        event.listen(
            db.engine, "before_cursor_execute", lambda *args: statements.append(1)
        )
        timings, per_statements, per_emits = [], [], []
        for n in range(messages):
            statements.clear()
            emits.clear()
            start = time.perf_counter()
            ack = contextvars.Context().run(
                sock.emit,
                "message:send",
                {
                    "room_id": room.public_id,
                    "body": f"message {n} **bold**",
                    "client_msg_id": f"bench-{members}-{n:06d}",
                },
                callback=True,
            )
            timings.append((time.perf_counter() - start) * 1000)
            assert ack["ok"], ack
            per_statements.append(len(statements))
            per_emits.append(len(emits))
        socketio.emit = original
        timings.sort()
        print(
            f"members={members:<5} messages={messages:<5} "
            f"median={statistics.median(timings):6.2f} ms  "
            f"p95={timings[int(len(timings) * 0.95) - 1]:6.2f} ms  "
            f"sql/msg={statistics.median(per_statements):.0f}  "
            f"broadcasts/msg={statistics.median(per_emits):.0f}"
        )
        db.session.remove()
        db.drop_all()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, nargs="+", default=[2, 20, 200])
    parser.add_argument("--messages", type=int, default=200)
    args = parser.parse_args()
    for size in args.members:
        run(size, args.messages)

"""Shutdown on SIGTERM (issue 13, part 8), under `python wsgi.py` and under the
production command (gunicorn with gunicorn.conf.py): the process stops accepting,
closes its sockets so that clients reconnect at once (the transport closes, never
a Socket.IO "server disconnect", after which a browser would stay away), forgets
them (no live-socket rows left for presence to show), and exits within seconds,
not after gunicorn's graceful timeout.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest

from tests.e2e.conftest import (
    start_server,
    DEMO_PASSWORD,
    FLASK,
    LiveServer,
    _run,
    _server_env,
    _stop,
    _wait_healthy,
    close_sockets,
    connect_socket,
    cookie_header,
    http_login,
    room_ids,
)
from tests.e2e.faults import wait_until

pytestmark = pytest.mark.e2e

COMMONS = "Harbour commons"
EXIT = 10.0  # "within a few seconds"; gunicorn's default graceful timeout is 30


def _start(tmp_path: Path, neutral_site: str, how: str) -> LiveServer:
    database = tmp_path / "shutdown.sqlite3"
    env = _server_env(database, neutral_site, "gevent")
    _run([*FLASK, "--app", "network", "db", "upgrade"], env)
    assert DEMO_PASSWORD in _run([*FLASK, "--app", "network", "seed-demo"], env)
    return start_server(env, tmp_path, how, command=how, database=str(database))


@pytest.fixture(params=["wsgi", "gunicorn"])
def server(request, tmp_path, neutral_site):
    started = _start(tmp_path, neutral_site, request.param)
    try:
        _wait_healthy(started)
        yield started
    finally:
        _stop(started.process)


def _live_sockets(database: str) -> int:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5) as db:
        return db.execute("SELECT count(*) FROM live_sockets").fetchone()[0]


def test_sigterm_closes_sockets_for_a_reconnect_and_exits_promptly(server):
    base = server.base_url
    session = http_login(base, "harbour.ana")
    room_id = room_ids(session, base)[COMMONS]
    clients, reasons = [], []
    closed = threading.Event()
    for _ in range(3):
        client = connect_socket(base, cookie=cookie_header(session), origin=base)
        clients.append(client)

        @client.on("disconnect")
        def gone(reason=None):
            reasons.append(reason)
            if len(reasons) == len(clients):
                closed.set()

        assert client.call("room:join", {"room_id": room_id}, timeout=10)["ok"]
    ack = clients[0].call(
        "message:send",
        {"room_id": room_id, "body": "last words", "client_msg_id": uuid.uuid4().hex},
        timeout=10,
    )
    assert ack["ok"] is True, ack
    assert _live_sockets(server.database) == 3
    try:
        started = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        assert closed.wait(EXIT), f"sockets still open after {EXIT}s: {reasons}"
        # The transport closed under them: python-socketio and the browser
        # client reconnect by themselves after that (after a Socket.IO "server
        # disconnect" neither would).
        assert set(reasons) <= {"transport close", "transport error"}, reasons
        remaining = EXIT - (time.monotonic() - started)
        try:
            server.process.wait(timeout=max(remaining, 0.1))
        except subprocess.TimeoutExpired:
            pytest.fail(f"still running {EXIT}s after SIGTERM\n{server.logs()}")
        assert server.process.returncode == 0, server.logs()
        wait_until(lambda: _live_sockets(server.database) == 0, 1, "no ghosts")
        assert "Traceback" not in server.logs()
    finally:
        close_sockets(clients)

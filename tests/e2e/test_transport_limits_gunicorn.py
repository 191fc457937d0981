"""Anonymous clients cannot wedge the production server (issue 13, part 1).

The README's production command, `gunicorn -k gevent -w 1 wsgi:app`, runs with an
open-files limit of 256. Anyone may open an Engine.IO polling session without
signing in; a POST to it larger than the socket payload limit used to get no
answer and keep its descriptor and greenlet for ever, so 246 of them exhausted
the limit and /healthz stopped answering. Every wait here ends on an answer or a
closed connection, with a deadline.
"""

from __future__ import annotations

import json
import resource
import socket
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.e2e.conftest import (
    start_server,
    FLASK,
    _run,
    _server_env,
    _stop,
    _wait_healthy,
)

pytestmark = pytest.mark.e2e

OPEN_FILES = 256
OVERSIZED = 20 * 1024  # over realtime.MAX_SOCKET_PAYLOAD (16 KB)
ABANDON_AFTER = 0.3  # the client gives up on its POST after this long
DEADLINE = 10.0  # for an answer the server must give


def _limit_open_files() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (OPEN_FILES, OPEN_FILES))


@pytest.fixture(scope="module")
def gunicorn_server(tmp_path_factory, neutral_site):
    """The production command with 256 open files at most, SQLite, no rate limits
    (each flooded request must reach the socket layer, not a limiter)."""
    tmp = tmp_path_factory.mktemp("transport-limits")
    database = tmp / "prod.sqlite3"
    env = _server_env(database, neutral_site, "gevent")
    env["SOCKET_BODY_TIMEOUT_SECONDS"] = "1"
    _run([*FLASK, "--app", "network", "db", "upgrade"], env)
    server = start_server(
        env,
        tmp,
        "gunicorn",
        command="gunicorn",
        database=str(database),
        preexec_fn=_limit_open_files,
    )
    try:
        _wait_healthy(server)
        yield server
    finally:
        _stop(server.process)


def _exchange(port: int, raw: bytes, *, timeout: float) -> bytes:
    """Send a raw request; return what comes back before the server closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(raw)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
        return b"".join(chunks)


def _handshake(port: int) -> str:
    """An anonymous Engine.IO polling session; its sid."""
    answer = requests.get(
        f"http://127.0.0.1:{port}/socket.io/?EIO=4&transport=polling",
        timeout=DEADLINE,
    )
    assert answer.status_code == 200, answer.text[:300]
    assert answer.text.startswith("0"), answer.text[:300]
    return json.loads(answer.text[1:])["sid"]


def _post_head(sid: str, length: int) -> bytes:
    return (
        f"POST /socket.io/?EIO=4&transport=polling&sid={sid} HTTP/1.1\r\n"
        f"Host: 127.0.0.1\r\nContent-Type: text/plain;charset=UTF-8\r\n"
        f"Content-Length: {length}\r\n\r\n"
    ).encode()


def _status(answer: bytes) -> int:
    assert answer.startswith(b"HTTP/1.1 "), answer[:300]
    return int(answer[9:12])


def _abandoned_oversized_post(port: int) -> None:
    """The repro: handshake, POST 20 KB, give up after 0.3 s, hang up."""
    sid = _handshake(port)
    with socket.create_connection(("127.0.0.1", port), timeout=DEADLINE) as sock:
        sock.sendall(_post_head(sid, OVERSIZED) + b"4" + b"x" * (OVERSIZED - 1))
        sock.settimeout(ABANDON_AFTER)
        try:
            sock.recv(64)
        except (TimeoutError, ConnectionError):
            pass  # answered or not, the client has gone


def test_oversized_polling_post_is_answered_and_its_session_closed(gunicorn_server):
    port = gunicorn_server.port
    sid = _handshake(port)
    answer = _exchange(
        port, _post_head(sid, OVERSIZED) + b"x" * OVERSIZED, timeout=DEADLINE
    )
    assert 400 <= _status(answer) < 500, answer[:300]
    # The session was closed, not left waiting for a poll that never comes.
    again = requests.get(
        f"{gunicorn_server.base_url}/socket.io/?EIO=4&transport=polling&sid={sid}",
        timeout=DEADLINE,
    )
    assert again.status_code == 400


def test_invalid_packet_in_polling_post_is_answered(gunicorn_server):
    # A one-byte "2" (a ping, which only the server may send) ends the session
    # the same way an oversized body does, and used to wedge the same way.
    port = gunicorn_server.port
    sid = _handshake(port)
    answer = _exchange(port, _post_head(sid, 1) + b"2", timeout=DEADLINE)
    assert _status(answer) == 400, answer[:300]


def test_polling_post_whose_body_stalls_is_answered_and_closed(gunicorn_server):
    # Content-Length promises 100 bytes; 10 come, then nothing. The server gives
    # up after SOCKET_BODY_TIMEOUT_SECONDS (1 here), answers and hangs up.
    port = gunicorn_server.port
    sid = _handshake(port)
    with socket.create_connection(("127.0.0.1", port), timeout=DEADLINE) as sock:
        sock.sendall(_post_head(sid, 100) + b"4" * 10)
        answer = b""
        while chunk := sock.recv(65536):  # ends when the server closes
            answer += chunk
    assert 400 <= _status(answer) < 500, answer[:300]


def test_twice_the_open_files_limit_of_abandoned_posts_leave_healthz_answering(
    gunicorn_server,
):
    port = gunicorn_server.port
    failures: list[BaseException] = []
    stop = threading.Event()

    def one(_: int) -> None:
        if stop.is_set():
            return
        try:
            _abandoned_oversized_post(port)
        except Exception as error:  # the server stopped accepting or answering
            failures.append(error)
            stop.set()

    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(one, range(2 * OPEN_FILES)))

    health = requests.get(f"{gunicorn_server.base_url}/healthz", timeout=DEADLINE)
    assert health.status_code == 200
    assert not failures, f"{failures[0]!r}\n{gunicorn_server.logs()}"
    logs = gunicorn_server.logs()
    assert "Too many open files" not in logs, logs
    assert "Traceback" not in logs, logs

"""A PostgreSQL outage (issue 13, part 5): the server reaches the database through
a TCP proxy of this test's own, which refuses connections and resets the open
ones, as a restart of PostgreSQL does (the shared cluster is never touched).

What must hold: a send gets an error ack within 2 s; pages answer 503 with a calm
"temporarily unavailable" page, and a form posted during the outage comes back
with what was typed in it; /healthz says what the database is; and everything
works again once the database is back.
"""

from __future__ import annotations

import html
import secrets
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests

from tests.e2e.conftest import (
    DEMO_PASSWORD,
    FLASK,
    _run,
    _server_env,
    _stop,
    _wait_healthy,
    connect_socket,
    cookie_header,
    csrf_from,
    http_login,
    room_ids,
    start_server,
)
from tests.e2e.faults import TcpProxy, wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.services]

COMMONS = "Harbour commons"
ACK = 2.0  # the required bound on any answer to a send


def _through(url: str, port: int) -> str:
    parts = urlsplit(url)
    auth = parts.netloc.rsplit("@", 1)[0] + "@" if "@" in parts.netloc else ""
    return urlunsplit(parts._replace(netloc=f"{auth}127.0.0.1:{port}"))


@pytest.fixture
def proxied_server(pg_url, tmp_path, neutral_site):
    """One `python wsgi.py` whose database connections go through a TcpProxy."""
    env = _server_env(tmp_path / "unused.sqlite3", neutral_site, "gevent")
    env.update(DATABASE_URL=pg_url, SECRET_KEY=secrets.token_urlsafe(32))
    _run([*FLASK, "--app", "network", "db", "upgrade"], env)
    assert DEMO_PASSWORD in _run([*FLASK, "--app", "network", "seed-demo"], env)
    target = urlsplit(pg_url)
    proxy = TcpProxy(target.hostname, target.port or 5432)
    proxy.up()
    server = start_server(
        {**env, "DATABASE_URL": _through(pg_url, proxy.port)}, tmp_path, "pg"
    )
    try:
        _wait_healthy(server)
        yield server, proxy
    finally:
        _stop(server.process)
        proxy.down()


def _health(base: str) -> tuple[int, dict]:
    response = requests.get(base + "/healthz", timeout=5)
    return response.status_code, response.json()


def _send(client, room_id: str, body: str) -> dict:
    return client.call(
        "message:send",
        {"room_id": room_id, "body": body, "client_msg_id": uuid.uuid4().hex},
        timeout=ACK,
    )


def test_database_outage_answers_calmly_and_keeps_what_was_typed(
    proxied_server, sockets
):
    server, proxy = proxied_server
    base = server.base_url
    session = http_login(base, "harbour.ana")
    room_id = room_ids(session, base)[COMMONS]
    client = connect_socket(base, cookie=cookie_header(session), origin=base)
    sockets.append(client)
    assert client.call("room:join", {"room_id": room_id}, timeout=10)["ok"] is True
    assert _send(client, room_id, "before")["ok"] is True
    token = csrf_from(session, base + "/account")
    assert _health(base) == (200, {"ok": True, "database": "ok", "queue": "none"})

    proxy.down()

    # A send: an error ack, at once.
    for attempt in range(3):
        ack = _send(client, room_id, f"during {attempt}")
        assert ack == {"ok": False, "error": "unavailable"}, ack

    # A page: 503, calm, and it says nothing written is lost.
    page = session.get(base + "/rooms", timeout=ACK + 3)
    assert page.status_code == 503, page.status_code
    assert "temporarily unavailable" in page.text
    assert "Nothing you wrote is lost" in page.text
    assert "Traceback" not in page.text

    # A form posted during the outage comes back holding what was typed.
    bio = "Typed while the database was away — keep me <please>."
    posted = session.post(
        base + "/account",
        data={
            "csrf_token": token,
            "pseudonym": "Ana Outage",
            "bio": bio,
            "timezone": "America/Halifax",
        },
        timeout=ACK + 3,
        allow_redirects=False,
    )
    assert posted.status_code == 503, posted.status_code
    assert "temporarily unavailable" in posted.text
    assert html.escape(bio, quote=False) in posted.text
    assert 'value="Ana Outage"' in posted.text
    assert 'action="/account"' in posted.text
    assert 'method="post"' in posted.text

    status, health = _health(base)
    assert (status, health["database"]) == (503, "unavailable"), health

    proxy.up()
    wait_until(lambda: _health(base)[0] == 200, 10, "/healthz to recover")
    assert _send(client, room_id, "after")["ok"] is True
    assert session.get(base + "/rooms", timeout=10).status_code == 200
    assert "Traceback" not in server.logs()

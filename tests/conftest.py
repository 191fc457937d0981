"""Shared fixtures: an app on in-memory SQLite (threading mode), clients, logins."""

from __future__ import annotations

import contextvars
import os
import re

import pytest
from flask import has_app_context
from flask.testing import FlaskClient

from network import create_app, presence_batch
from network.extensions import db, socketio
from tests import factories

CSRF_RE = re.compile(r'name="(?:\w+-)?csrf_token"[^>]*?value="([^"]+)"')
CSRF_MASK = re.compile(r'(name="(?:\w+-)?csrf_token"[^>]*?value="|data-csrf=")[^"]+')


def require_or_skip(env_var: str, reason: str) -> None:
    """Skip locally, but fail when CI sets env_var=1 (a skip must not hide a gap)."""
    if os.environ.get(env_var) == "1":
        pytest.fail(f"{reason} (required because {env_var}=1)")
    pytest.skip(reason)


def _isolated(func, *args, **kwargs):
    """Run in a blank context: a fresh app context, `g` and db session, as in a
    real server, not the test's own (which would cache current_user and csrf)."""
    try:
        return contextvars.Context().run(func, *args, **kwargs)
    finally:
        if has_app_context():
            db.session.expire_all()


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in its own app context."""

    def open(self, *args, **kwargs):
        # Buffered: a streamed body (the data export) is read inside the
        # request's own context, not after it, outside.
        kwargs.setdefault("buffered", True)
        return _isolated(super().open, *args, **kwargs)


@pytest.fixture
def app():
    """A fresh app and empty schema for each test."""
    app = create_app("test")
    app.test_client_class = IsolatedClient
    presence_batch.reset()  # nothing a previous test queued reaches this one
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()


@pytest.fixture
def client(app):
    """A Flask test client (cookies kept between requests)."""
    return app.test_client()


def csrf_token(client, url: str = "/login") -> str:
    """A valid CSRF token for this client's session, read from a real form."""
    html = client.get(url).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, f"no csrf token on {url}"
    return match.group(1)


def post_form(client, url: str, data: dict, *, token_from: str = "/login", **kwargs):
    """POST a form with a valid CSRF token."""
    payload = {"csrf_token": csrf_token(client, token_from), **data}
    return client.post(url, data=payload, **kwargs)


def login(client, account, password: str = factories.PASSWORD):
    """Sign in through the real login form."""
    response = post_form(
        client, "/login", {"login_name": account.login_name, "password": password}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


@pytest.fixture
def login_as(app):
    """login_as(account) -> a new test client signed in as that account."""

    def _login(account):
        client = app.test_client()
        if account is not None:
            login(client, account)
        return client

    return _login


@pytest.fixture
def socket_client(app):
    """socket_client(flask_client, **kw) -> a Socket.IO test client sharing the login."""
    made = []

    def _connect(flask_client, **kwargs):
        sock = _isolated(
            socketio.test_client, app, flask_test_client=flask_client, **kwargs
        )
        for name in ("emit", "connect", "disconnect", "get_received"):
            original = getattr(sock, name)
            setattr(sock, name, lambda *a, _f=original, **kw: _isolated(_f, *a, **kw))
        made.append(sock)
        return sock

    yield _connect
    for sock in made:
        if sock.is_connected():
            sock.disconnect()


@pytest.fixture
def outbox(app):
    """Emails sent during the test (TESTING keeps them instead of sending)."""
    return app.extensions.setdefault("network.outbox", [])


def wait_for_background(app, timeout: float = 10) -> None:
    """Wait for the background tasks the app started (resets send mail there)."""
    for task in app.extensions.get("network.tasks", []):
        task.join(timeout)


PG_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def pg_url():
    """A brand-new PostgreSQL database for one test, dropped afterwards."""
    try:
        import psycopg

        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
    except Exception as error:  # noqa: BLE001 - any failure means "not available"
        require_or_skip("REQUIRE_SERVICES", f"PostgreSQL not reachable: {error}")
    name = f"network_test_{os.getpid()}_{next(_db_counter)}"
    admin.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def pg_app(pg_url):
    """An app on a brand-new PostgreSQL database (the test runs upgrade())."""
    app = create_app(
        "test",
        SQLALCHEMY_DATABASE_URI=pg_url.replace(
            "postgresql://", "postgresql+psycopg://"
        ),
    )
    app.test_client_class = IsolatedClient
    return app


@pytest.fixture
def redis_url():
    """The Redis test database (number 15), emptied before use."""
    try:
        import redis

        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
        client.ping()
    except Exception as error:  # noqa: BLE001
        require_or_skip("REQUIRE_SERVICES", f"Redis not reachable: {error}")
    client.flushdb()
    yield REDIS_URL
    client.flushdb()


_db_counter = iter(range(1, 10_000))


class _Clock:
    """A settable clock for the rate limits: `limits` times its entries, in
    memory and in Redis, with time.time(), and so does network.ratelimit."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def time(self) -> float:
        return self.now


@pytest.fixture
def frozen_clock(monkeypatch):
    """Freeze the rate limits' clock, so rate-limit tests never depend on speed."""
    import limits.storage.memory
    import limits.storage.redis

    import network.ratelimit

    clock = _Clock()
    for module in (network.ratelimit, limits.storage.memory, limits.storage.redis):
        monkeypatch.setattr(module, "time", clock)
    return clock


def mask_csrf(body):
    """Blank CSRF token values, in forms and in data-csrf attributes (they carry a
    timestamp, and nothing else)."""
    if isinstance(body, bytes):
        return re.sub(CSRF_MASK.pattern.encode(), rb"\1", body)
    return CSRF_MASK.sub(r"\1", body)


@pytest.fixture
def connect(login_as, socket_client):
    """connect(account) -> a connected socket test client for that account."""

    def _connect(account):
        sock = socket_client(login_as(account))
        assert sock.is_connected()
        return sock

    return _connect


def events(sock, name: str) -> list:
    """The args of every received event with this name."""
    return [e["args"][0] for e in sock.get_received() if e["name"] == name]

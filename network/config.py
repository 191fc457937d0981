"""Configuration, read from environment variables (see the README's table)."""

from __future__ import annotations

import atexit
import math
import os
import secrets
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key(instance_path: Path) -> str:
    """Use SECRET_KEY, or a random key kept in the instance folder (0600)."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    instance_path.mkdir(parents=True, exist_ok=True)
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return key_file.read_text().strip()


def _outage_bounds(url: str) -> dict:
    """Engine options that make a PostgreSQL outage an error within about two
    seconds instead of a wait: connecting (psycopg's shortest connect_timeout is
    2 s), waiting for a pooled connection, and any one statement (a lock held by
    someone else; DATABASE_STATEMENT_TIMEOUT_MS, 0 for none; migrations lift it)."""
    if not url.startswith("postgresql"):
        return {}
    statement_ms = int(os.environ.get("DATABASE_STATEMENT_TIMEOUT_MS", "5000"))
    return {
        "pool_timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "1")),
        "connect_args": {
            "connect_timeout": int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "2")),
            "options": f"-c statement_timeout={statement_ms}",
        },
    }


def _burst_limit(burst: float, rate: float) -> str:
    """A burst and a rate a second over time, as moving windows at three scales:
    the burst within a second, and what a token bucket of that burst and rate
    allows within 10 seconds and within a minute."""
    burst = max(1, int(burst))
    return (
        f"{burst} per second; {math.floor(burst + 10 * rate)} per 10 seconds; "
        f"{math.floor(burst + 60 * rate)} per minute"
    )


class Config:
    """Production and demo settings; every value can come from the environment."""

    def __init__(self, instance_path: Path) -> None:
        self.SECRET_KEY = _secret_key(instance_path)
        default_db = f"sqlite:///{instance_path / 'network.sqlite3'}"
        url = os.environ.get("DATABASE_URL", default_db)
        if url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url[len("postgres://") :]
        elif url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        self.SQLALCHEMY_DATABASE_URI = url
        self.SOCKETIO_MESSAGE_QUEUE = os.environ.get("SOCKETIO_MESSAGE_QUEUE") or None
        self.RATELIMIT_STORAGE_URI = os.environ.get(
            "RATELIMIT_STORAGE_URI", self.SOCKETIO_MESSAGE_QUEUE or "memory://"
        )
        self.NETWORK_ASYNC = os.environ.get("NETWORK_ASYNC", "gevent")
        self.QUICK_EXIT_URL = os.environ.get(
            "QUICK_EXIT_URL", "https://www.theweathernetwork.com/ca"
        )
        # After a quick exit, this browser sees only QUICK_EXIT_URL for so long
        # (network/accounts/exit.py), so Back shows nothing of the network.
        self.QUICK_EXIT_HOLD_MINUTES = int(
            os.environ.get("QUICK_EXIT_HOLD_MINUTES", "10")
        )
        self.SITE_TITLE = os.environ.get("SITE_TITLE", "Notes")
        # The canonical address (scheme and host) that links in emails use;
        # required to serve outside the demo, never taken from a request.
        self.PUBLIC_URL = os.environ.get("PUBLIC_URL", "").strip().rstrip("/") or None
        # Host headers the app answers; empty means PUBLIC_URL's host and localhost.
        self.TRUSTED_HOSTS = os.environ.get("TRUSTED_HOSTS", "").split() or None
        self.NETWORK_DEMO = _env_bool("NETWORK_DEMO")
        origins = os.environ.get("SOCKETIO_ALLOWED_ORIGINS", "").split()
        self.SOCKETIO_ALLOWED_ORIGINS = origins or None
        self.SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE")
        self.TRUST_PROXY = int(os.environ.get("TRUST_PROXY", "0"))
        self.MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
        self.MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
        self.MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
        self.MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
        self.MAIL_FROM = os.environ.get("MAIL_FROM", "no-reply@localhost")
        self.MAIL_STARTTLS = _env_bool("MAIL_STARTTLS", True)
        self.BABEL_DEFAULT_LOCALE = "en"
        # flask-babel looks beside the package (network/translations) by default;
        # the catalogues live at the repository's root.
        self.BABEL_TRANSLATION_DIRECTORIES = str(
            Path(__file__).resolve().parent.parent / "translations"
        )
        self.ARGON2_TIME_COST = int(os.environ.get("ARGON2_TIME_COST", "3"))
        self.ARGON2_MEMORY_COST = int(os.environ.get("ARGON2_MEMORY_COST", "65536"))
        self.ARGON2_PARALLELISM = 4
        self.SESSION_HOURS = int(os.environ.get("SESSION_HOURS", "12"))
        self.REMEMBER_DAYS = int(os.environ.get("REMEMBER_DAYS", "30"))
        # The name an authenticator app shows beside the code: a deployment may
        # choose a neutral one (someone may look through a member's phone).
        self.TWO_FACTOR_ISSUER = os.environ.get("TWO_FACTOR_ISSUER", "Peer Network")
        # Minutes between a matching password and its second factor.
        self.TWO_FACTOR_PENDING_MINUTES = int(
            os.environ.get("TWO_FACTOR_PENDING_MINUTES", "10")
        )
        self.LOGIN_LIMIT_CLIENT = os.environ.get(
            "LOGIN_LIMIT_CLIENT", "20 per minute; 200 per day"
        )
        # Past LOGIN_DELAY_FREE failures on an account, a sign-in from a browser
        # without the device mark waits a window that doubles per failure.
        self.LOGIN_DELAY_FREE = int(os.environ.get("LOGIN_DELAY_FREE", "10"))
        self.LOGIN_DELAY_BASE = int(os.environ.get("LOGIN_DELAY_BASE_SECONDS", "15"))
        self.LOGIN_DELAY_CAP = int(os.environ.get("LOGIN_DELAY_CAP_SECONDS", "900"))
        self.RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", True)
        self.SOCKET_RATELIMIT_ENABLED = _env_bool("SOCKET_RATELIMIT_ENABLED", True)
        # Per member, in `limits` notation (network/ratelimit.py, moving
        # windows): bursts of 10 messages, one a second over time ("10 per
        # second; 20 per 10 seconds; 70 per minute"); typing is throttled harder
        # and never stored.
        self.SOCKET_LIMITS = {
            "message": _burst_limit(
                float(os.environ.get("MESSAGE_BURST", "10")),
                float(os.environ.get("MESSAGE_RATE", "1")),
            ),
            "typing": _burst_limit(3, 0.5),
            "history": _burst_limit(20, 5),
            # Message search (network/search): a page of results per query.
            "search": _burst_limit(10, 0.5),
            "mention": _burst_limit(20, 4),
            # Message requests (conversations.services.send_request).
            "request": "5 per minute;30 per day",
        }
        # Every socket's packet budget, checked before a packet is decoded
        # (network/socket_gate.py): bursts of SOCKET_EVENT_BURST, then
        # SOCKET_EVENT_RATE a second; SOCKET_FLOOD_STRIKES packets over it
        # without a pause close the socket.
        self.SOCKET_EVENT_BURST = float(os.environ.get("SOCKET_EVENT_BURST", "20"))
        self.SOCKET_EVENT_RATE = float(os.environ.get("SOCKET_EVENT_RATE", "5"))
        self.SOCKET_FLOOD_STRIKES = int(os.environ.get("SOCKET_FLOOD_STRIKES", "50"))
        self.PURGE_INTERVAL_SECONDS = int(
            os.environ.get("PURGE_INTERVAL_SECONDS", "3600")
        )
        # Held notifications (a person away) are delivered, with a live count,
        # within this many seconds of their hours starting.
        self.RELEASE_HELD_SECONDS = int(os.environ.get("RELEASE_HELD_SECONDS", "60"))
        # Engine.IO's liveness check (python-engineio's defaults): a socket that
        # does not answer a ping within the timeout is closed and leaves its rooms.
        self.SOCKETIO_PING_INTERVAL = int(
            os.environ.get("SOCKETIO_PING_INTERVAL", "25")
        )
        self.SOCKETIO_PING_TIMEOUT = int(os.environ.get("SOCKETIO_PING_TIMEOUT", "20"))
        # A serving process checkpoints SQLite's log this often, off the event loop.
        self.SQLITE_CHECKPOINT_SECONDS = float(
            os.environ.get("SQLITE_CHECKPOINT_SECONDS", "1")
        )
        # permessage-deflate on sockets: off, since frames are small and it cost
        # about 15% of CPU during fan-out, compressed once per socket (issue 11).
        self.SOCKET_COMPRESSION = os.environ.get("SOCKET_COMPRESSION", "0") == "1"
        # Well under HOST_TIMEOUT_SECONDS, or live processes look dead.
        self.HEARTBEAT_INTERVAL_SECONDS = int(
            os.environ.get("HEARTBEAT_INTERVAL_SECONDS", "15")
        )
        # A process whose heartbeat is this old is dead (a crash or SIGKILL): the
        # others clear its sockets, presence included (issue 13 item 9).
        self.HOST_TIMEOUT_SECONDS = float(os.environ.get("HOST_TIMEOUT_SECONDS", "60"))
        # Presence changes go out in one batch per room per window (0: at once).
        self.PRESENCE_BATCH_SECONDS = float(
            os.environ.get("PRESENCE_BATCH_SECONDS", "0.25")
        )
        # An expired sign-in loses its live sockets within this many seconds.
        self.SESSION_EXPIRY_CHECK_SECONDS = float(
            os.environ.get("SESSION_EXPIRY_CHECK_SECONDS", "1")
        )
        # A polling POST's body must arrive within this many seconds (408 after).
        self.SOCKET_BODY_TIMEOUT_SECONDS = float(
            os.environ.get("SOCKET_BODY_TIMEOUT_SECONDS", "10")
        )
        # Socket handshakes without a valid sign-in, per client address (our
        # pages open sockets only for signed-in members).
        self.SOCKET_HANDSHAKE_LIMIT = os.environ.get(
            "SOCKET_HANDSHAKE_LIMIT", "20 per minute"
        )
        self.RATELIMIT_HEADERS_ENABLED = False
        # A failed statement's message never carries its parameters (message
        # bodies, bios, notes, emails): they would reach the error log.
        self.SQLALCHEMY_ENGINE_OPTIONS = {
            "pool_pre_ping": True,
            "hide_parameters": True,
            **_outage_bounds(url),
        }
        # Redis away: Flask-Limiter counts in memory meanwhile, never hangs.
        self.RATELIMIT_STORAGE_OPTIONS = {
            "socket_timeout": 0.5,
            "socket_connect_timeout": 0.5,
        }
        self.RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
        self.RATELIMIT_SWALLOW_ERRORS = True
        self.UPLOAD_DIR = os.environ.get("UPLOAD_DIR", str(instance_path / "uploads"))
        self.UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_MB", "10")) * 1024 * 1024
        # 40 MP covers any phone photo; a larger image is refused before decoding.
        self.UPLOAD_MAX_PIXELS = int(os.environ.get("UPLOAD_MAX_PIXELS", "40000000"))
        # Room for the form fields around the largest allowed file.
        self.MAX_CONTENT_LENGTH = self.UPLOAD_MAX_BYTES + 256 * 1024
        self.WTF_CSRF_TIME_LIMIT = None  # tied to the server-side session instead
        # Pages send no Referer (Referrer-Policy: no-referrer), so Flask-WTF's
        # HTTPS Referer check would refuse every form; security.check_origin
        # compares the Origin header instead.
        self.WTF_CSRF_SSL_STRICT = False
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_NAME = "pn_session"
        self.PERMANENT_SESSION_LIFETIME = timedelta(days=self.REMEMBER_DAYS)
        self.TESTING = False


class TestConfig(Config):
    """In-memory SQLite, threading mode, cheap hashing, no rate limits."""

    def __init__(self, instance_path: Path) -> None:
        super().__init__(instance_path)
        self.TESTING = True
        self.SECRET_KEY = "test-secret-key"
        self.SQLALCHEMY_DATABASE_URI = "sqlite://"
        self.SQLALCHEMY_ENGINE_OPTIONS = {"hide_parameters": True}
        self.SOCKETIO_MESSAGE_QUEUE = None
        self.RATELIMIT_STORAGE_URI = "memory://"
        self.RATELIMIT_ENABLED = False
        self.SOCKET_RATELIMIT_ENABLED = True
        self.NETWORK_ASYNC = "threading"
        self.ARGON2_TIME_COST = 1
        self.ARGON2_MEMORY_COST = 8192
        self.ARGON2_PARALLELISM = 1
        self.MAIL_SERVER = None
        self.SERVER_NAME = "localhost"
        self.PUBLIC_URL = "http://localhost"
        self.TRUSTED_HOSTS = None
        self.UPLOAD_DIR = tempfile.mkdtemp(
            prefix="uploads-", dir=upload_root_for_tests()
        )
        # Tests send events in tight loops; tests/test_socket_gate.py sets a budget.
        self.SOCKET_EVENT_BURST = 1_000_000.0
        # Each presence change is sent at its commit; batching tests set a window.
        self.PRESENCE_BATCH_SECONDS = 0


_test_root: list[str] = []


def upload_root_for_tests() -> str:
    """One temporary folder per process for every test app's uploads, removed
    when the process exits (each app used to leave a folder of its own behind)."""
    if not _test_root:
        _test_root.append(tempfile.mkdtemp(prefix="pn-test-uploads-"))
        atexit.register(shutil.rmtree, _test_root[0], ignore_errors=True)
    return _test_root[0]


LOCAL_HOSTS = ("localhost", "127.0.0.1")


def trusted_hosts(public_url: str | None) -> list[str]:
    """The Host headers answered by default: PUBLIC_URL's host, and localhost."""
    from urllib.parse import urlsplit

    hosts = list(LOCAL_HOSTS)
    if public_url:
        host = urlsplit(public_url).hostname
        if host and host not in hosts:
            hosts.insert(0, host)
    return hosts


def development(config) -> bool:
    """True for the demo, tests and debug runs, where console mail and a missing
    PUBLIC_URL are allowed."""
    return bool(
        config.get("DEBUG") or config.get("TESTING") or config.get("NETWORK_DEMO")
    )


def check_startup(app) -> None:
    """Before serving: PUBLIC_URL is required, console mail is shouted about."""
    from network.mail import warn_if_console

    require_public_url(app.config)
    warn_if_console(app)


def require_public_url(config) -> None:
    """Refuse to serve outside development without a canonical PUBLIC_URL."""
    if not config.get("PUBLIC_URL") and not development(config):
        raise SystemExit(
            "PUBLIC_URL is not set. Set it to the address people use "
            "(for example https://peer.example.org): emailed links are built "
            "from it. The demo (scripts/demo) sets NETWORK_DEMO=1 instead."
        )

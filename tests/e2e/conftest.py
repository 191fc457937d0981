"""End-to-end fixtures: the real server (wsgi.py) in a subprocess, a neutral
"quick exit" site, Chromium through Playwright, and small HTTP/socket helpers.

The server gets its own SQLite file, migrated with `flask db upgrade` and filled
with `flask seed-demo`, exactly as scripts/demo does. Parametrize `live_server`
indirectly with "eventlet" to run it under eventlet instead of gevent. A test
module can override the `live_server_env` fixture (module scope) to add settings,
e.g. higher socket rate limits. `live_servers` runs two processes on one
PostgreSQL database and one Redis queue (override `live_servers_env` likewise).
"""

from __future__ import annotations

import http.server
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.conftest import require_or_skip

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
FLASK = (
    [str(VENV_BIN / "flask")]
    if (VENV_BIN / "flask").exists()
    else [PYTHON, "-m", "flask"]
)
DEMO_PASSWORD = "peer-demo-2026"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",  # without these Chromium hangs offline
    "--disable-component-update",
    "--disable-sync",
]
NEUTRAL_PAGE = (
    b"<!doctype html><html><head><meta charset='utf-8'><title>Weather</title></head>"
    b"<body><h1>Weather</h1><p>Sunny with a few clouds.</p></body></html>"
)
CSRF_RE = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')
INVITE_RE = re.compile(
    r"code ([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}) joins Harbour Light"
)
# Settings from the caller's environment that would change what we test.
SCRUBBED_ENV = (
    "SOCKETIO_MESSAGE_QUEUE",
    "SOCKETIO_ALLOWED_ORIGINS",
    "RATELIMIT_STORAGE_URI",
    "SESSION_COOKIE_SECURE",
    "TRUST_PROXY",
    "SITE_TITLE",
    "MAIL_SERVER",
    "FLASK_APP",
    "MESSAGE_BURST",
    "MESSAGE_RATE",
    "SOCKET_RATELIMIT_ENABLED",
    "SOCKET_EVENT_BURST",
    "SOCKET_EVENT_RATE",
    "SOCKET_FLOOD_STRIKES",
    "PUBLIC_URL",
    "TRUSTED_HOSTS",
    "NETWORK_DEMO",
)


TAG_PATTERN = r"\s*·\s*[0-9A-Z]{4}"


def tagged(pseudonym: str, before: str = "", after: str = "") -> re.Pattern:
    """A person as pages name them: the pseudonym, then " · " and the tag."""
    return re.compile(
        rf"^\s*{re.escape(before)}{re.escape(pseudonym)}{TAG_PATTERN}"
        rf"{re.escape(after)}\s*$"
    )


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the neutral site the quick exit goes to ---------------------------------------


class _NeutralHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(NEUTRAL_PAGE)))
        self.end_headers()
        self.wfile.write(NEUTRAL_PAGE)

    def log_message(self, format, *args) -> None:  # keep the test output clean
        pass


@pytest.fixture(scope="session")
def neutral_site():
    """URL of a tiny local page titled "Weather" (QUICK_EXIT_URL points here)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _NeutralHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


# --- the real server ------------------------------------------------------------------


@dataclass
class LiveServer:
    base_url: str
    async_mode: str
    invitation_code: str
    logins: list[str]
    stdout_path: Path
    stderr_path: Path
    process: subprocess.Popen | None = None
    database: str = ""  # the SQLite file, or the PostgreSQL URL (live_servers)

    def logs(self) -> str:
        out = (
            self.stdout_path.read_text(errors="replace")
            if self.stdout_path.exists()
            else ""
        )
        err = (
            self.stderr_path.read_text(errors="replace")
            if self.stderr_path.exists()
            else ""
        )
        return f"--- server stdout ---\n{out}\n--- server stderr ---\n{err}"


def _server_env(db_file: Path, neutral_url: str, async_mode: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED_ENV}
    env.update(
        DATABASE_URL=f"sqlite:///{db_file}",
        SECRET_KEY=secrets.token_urlsafe(32),
        QUICK_EXIT_URL=neutral_url,
        RATELIMIT_ENABLED="0",
        ARGON2_TIME_COST="1",
        ARGON2_MEMORY_COST="8192",
        NETWORK_ASYNC=async_mode,
        PYTHONUNBUFFERED="1",
    )
    return env


def _run(cmd: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(
        cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    if result.returncode != 0:
        pytest.fail(
            f"{' '.join(cmd)} failed ({result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}"
        )
    return result.stdout


def _wait_healthy(server: LiveServer, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    last_error = "no answer"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(
                f"the server exited with {server.process.returncode} before it "
                f"answered /healthz\n{server.logs()}"
            )
        try:
            response = requests.get(server.base_url + "/healthz", timeout=2)
            if response.status_code == 200:
                return
            last_error = f"status {response.status_code}"
        except requests.RequestException as error:
            last_error = repr(error)
        time.sleep(0.1)
    pytest.fail(
        f"/healthz did not answer 200 in {timeout}s ({last_error})\n{server.logs()}"
    )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


@pytest.fixture(scope="module")
def live_server_env() -> dict[str, str]:
    """Extra environment for this module's live_server (override in a module)."""
    return {}


@pytest.fixture(scope="module")
def live_server(request, tmp_path_factory, neutral_site, live_server_env):
    """The real server (python wsgi.py) on a free port, with the demo data.

    Yields a LiveServer; its base_url has no trailing slash.
    """
    async_mode = getattr(request, "param", "gevent")
    tmp = tmp_path_factory.mktemp(f"e2e-{async_mode}")
    env = _server_env(tmp / "e2e.sqlite3", neutral_site, async_mode)
    env.update(live_server_env)
    if async_mode == "eventlet":
        check = subprocess.run(
            [PYTHON, "-c", "import eventlet"], env=env, capture_output=True, text=True
        )
        if check.returncode != 0:
            pytest.fail(f"eventlet does not import in {PYTHON}:\n{check.stderr}")

    _run([*FLASK, "--app", "network", "db", "upgrade"], env)
    seeded = _run([*FLASK, "--app", "network", "seed-demo"], env)
    assert DEMO_PASSWORD in seeded, seeded
    match = INVITE_RE.search(seeded)
    assert match, f"no invitation code in the seed-demo output:\n{seeded}"
    logins = re.findall(r"^\s{2}([a-z]+(?:\.[a-z]+)?)\s", seeded, flags=re.M)
    assert "harbour.lead" in logins and "harbour.new" in logins, seeded

    port = free_port()
    server = LiveServer(
        base_url=f"http://127.0.0.1:{port}",
        async_mode=async_mode,
        invitation_code=match.group(1),
        logins=logins,
        stdout_path=tmp / "server.stdout",
        stderr_path=tmp / "server.stderr",
        database=str(tmp / "e2e.sqlite3"),
    )
    # Production settings: the canonical address is required to serve.
    env = {**env, "PUBLIC_URL": server.base_url}
    with open(server.stdout_path, "wb") as out, open(server.stderr_path, "wb") as err:
        server.process = subprocess.Popen(
            [PYTHON, "wsgi.py", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=err,
        )
    try:
        _wait_healthy(server)
        yield server
    finally:
        _stop(server.process)


# --- several processes on PostgreSQL and Redis ---------------------------------------


GUNICORN = VENV_BIN / "gunicorn"


def start_server(
    env: dict[str, str],
    tmp: Path,
    name: str,
    *,
    command: str = "wsgi",
    database: str | None = None,
    preexec_fn=None,
) -> LiveServer:
    """Start one more server on a free port (not yet waited for): `python
    wsgi.py`, or with command="gunicorn" the README's production command (from
    the project root, so gunicorn.conf.py applies). `database` is what tests read
    (the SQLite file); it defaults to DATABASE_URL."""
    port = free_port()
    server = LiveServer(
        base_url=f"http://127.0.0.1:{port}",
        async_mode="gevent",
        invitation_code="",
        logins=[],
        stdout_path=tmp / f"{name}.stdout",
        stderr_path=tmp / f"{name}.stderr",
        database=database if database is not None else env.get("DATABASE_URL", ""),
    )
    server.port = port
    # Production settings: the canonical address is required to serve.
    env = {**env, "PUBLIC_URL": server.base_url}
    if command == "gunicorn":
        if not GUNICORN.exists():
            pytest.fail(f"gunicorn is not installed in {VENV_BIN}")
        argv = [str(GUNICORN), "-k", "gevent", "-w", "1"]
        argv += ["-b", f"127.0.0.1:{port}", "wsgi:app"]
    else:
        argv = [PYTHON, "wsgi.py", "--host", "127.0.0.1", "--port", str(port)]
    with open(server.stdout_path, "wb") as out, open(server.stderr_path, "wb") as err:
        server.process = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdout=out, stderr=err, preexec_fn=preexec_fn
        )
    return server


@pytest.fixture
def live_servers_env() -> dict[str, str]:
    """Extra environment for live_servers (override in a module)."""
    return {}


@pytest.fixture
def live_servers(pg_url, redis_url, tmp_path, neutral_site, live_servers_env):
    """Two server processes (P1, P2) on one PostgreSQL database and one queue."""
    env = _server_env(tmp_path / "unused.sqlite3", neutral_site, "gevent")
    env.update(
        DATABASE_URL=pg_url,
        SOCKETIO_MESSAGE_QUEUE=redis_url,
        RATELIMIT_STORAGE_URI=redis_url,
        SECRET_KEY=secrets.token_urlsafe(32),  # one key for both processes
        RATELIMIT_ENABLED="0",
        ARGON2_TIME_COST="1",
        ARGON2_MEMORY_COST="8192",
    )
    env.update(live_servers_env)
    _run([*FLASK, "--app", "network", "db", "upgrade"], env)
    seeded = _run([*FLASK, "--app", "network", "seed-demo"], env)
    assert DEMO_PASSWORD in seeded, seeded

    servers = [start_server(env, tmp_path, "p1"), start_server(env, tmp_path, "p2")]
    try:
        for server in servers:
            _wait_healthy(server)
        yield servers
    finally:
        for server in servers:
            if server.process is not None:
                _stop(server.process)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Print the server's output under a failing test (in pytest's report)."""
    outcome = yield
    report = outcome.get_result()
    if not report.failed:
        return
    funcargs = getattr(item, "funcargs", {})
    server = funcargs.get("live_server")
    if isinstance(server, LiveServer):
        report.sections.append(
            (f"live server ({server.async_mode}) output", server.logs())
        )
    # Several processes at once (test_revocation_multiprocess.py).
    for number, other in enumerate(funcargs.get("live_servers") or (), start=1):
        if isinstance(other, LiveServer):
            report.sections.append((f"live server P{number} output", other.logs()))


# --- HTTP and socket helpers ----------------------------------------------------------


def csrf_from(session: requests.Session, url: str) -> str:
    """The hidden csrf_token of the first form on url."""
    response = session.get(url, timeout=10)
    assert response.status_code == 200, (url, response.status_code)
    match = CSRF_RE.search(response.text)
    assert match, f"no csrf_token on {url}"
    return match.group(1)


def http_login(base_url: str, login_name: str, password: str = DEMO_PASSWORD):
    """A requests.Session signed in through the real login form."""
    session = requests.Session()
    token = csrf_from(session, base_url + "/login")
    response = session.post(
        base_url + "/login",
        data={"login_name": login_name, "password": password, "csrf_token": token},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, (login_name, response.status_code)
    return session


ROOM_LINK_RE = re.compile(r'<a href="/rooms/([A-Za-z0-9_-]+)">([^<]+)</a>')


def room_ids(session: requests.Session, base_url: str) -> dict[str, str]:
    """Room name -> public id, as the signed-in member's /rooms page lists them."""
    import html

    response = session.get(base_url + "/rooms", timeout=10)
    assert response.status_code == 200, response.status_code
    return {
        html.unescape(name): public_id
        for public_id, name in ROOM_LINK_RE.findall(response.text)
    }


def cookie_header(session: requests.Session) -> str:
    """The session's cookies as one Cookie header value."""
    return "; ".join(f"{c.name}={c.value}" for c in session.cookies)


def socket_client():
    """A python-socketio client that sends exactly the Origin header we give it.

    websocket-client adds its own Origin header unless told not to; with ours as
    well the server would see two, joined ("a,b"), and refuse every connection.
    """
    import socketio

    return socketio.Client(
        reconnection=False,
        websocket_extra_options={"suppress_origin": True},
    )


def connect_socket(base_url: str, *, cookie: str | None, origin: str | None):
    """Connect over the websocket transport; raises socketio ConnectionError."""
    headers = {}
    if cookie:
        headers["Cookie"] = cookie
    if origin:
        headers["Origin"] = origin
    client = socket_client()
    client.connect(base_url, headers=headers, transports=["websocket"], wait_timeout=5)
    return client


@pytest.fixture
def sockets():
    """A list for the test's python-socketio clients; those still connected at
    the end are closed without waiting for the close handshake (close_sockets)."""
    made: list = []
    yield made
    close_sockets(made)


def close_sockets(clients) -> None:
    """Disconnect python-socketio clients without waiting for the close handshake.

    websocket-client waits up to 3 s for the server's closing frame, which the
    gevent server never sends: once Engine.IO is done with the socket, pywsgi
    reads the client's close frame as a new request ("Invalid HTTP method" in
    its log). Closing in daemon threads keeps that wait out of the test run.
    """
    for client in clients:
        if client.connected:
            threading.Thread(target=client.disconnect, daemon=True).start()


# --- the browser ----------------------------------------------------------------------


def _chromium_path() -> str | None:
    for candidate in (
        os.environ.get("CHROMIUM_PATH"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium (the system one; Playwright's download is never used)."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        require_or_skip("REQUIRE_BROWSER", "Playwright is not installed")
    path = _chromium_path()
    if path is None:
        require_or_skip("REQUIRE_BROWSER", "Chromium is not installed")
    manager = sync_playwright().start()
    try:
        launched = manager.chromium.launch(
            executable_path=path, args=CHROMIUM_ARGS, timeout=30_000
        )
    except PlaywrightError as error:
        manager.stop()
        require_or_skip("REQUIRE_BROWSER", f"Chromium did not start: {error}")
    yield launched
    launched.close()
    manager.stop()


@pytest.fixture
def new_context(browser):
    """new_context(**options) -> a fresh browser context (its own cookies)."""
    made = []

    def _make(**options):
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        made.append(context)
        return context

    yield _make
    for context in made:
        context.close()


def browser_login(page, base_url: str, login_name: str, password: str = DEMO_PASSWORD):
    """Sign in through the login form and wait for the page it leads to."""
    page.goto(base_url + "/login")
    page.fill("#login_name", login_name)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")

"""Rooms under load: the real server against a bare python-socketio server, same run.

Both are served by the production command (`gunicorn -k gevent -w 1`), each
pinned to core 0 with taskset; this load client pins itself to core 1. The real
server gets SQLite in a temporary directory, migrated and seeded with real
members (bench/rooms_load_seed.py), who sign in over HTTP; the bare one
(bench/rooms_load_bare.py) only joins rooms and broadcasts. The client speaks
Engine.IO/Socket.IO frames over websocket-client, one greenlet per socket.

    .venv/bin/python bench/rooms_load.py [--scale 0.2] [--seconds 3] [--no-write]

Scale 1 is the issue's load (1 room x 500; 50 rooms x 20); the default 0.2 suits
the shared 2-core machine. Every wait has a deadline, and servers and the
temporary directory are removed on exit, Ctrl-C included. Never a test.
"""

from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import datetime  # noqa: E402
import itertools  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import resource  # noqa: E402
import secrets  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
import gevent.event  # noqa: E402
import gevent.pool  # noqa: E402
import greenlet  # noqa: E402
import requests  # noqa: E402
import websocket  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
BIN = ROOT / ".venv" / "bin"
PYTHON = str(BIN / "python") if (BIN / "python").exists() else sys.executable
GUNICORN = [str(BIN / "gunicorn")] if (BIN / "gunicorn").exists() else ["gunicorn"]
FLASK = [str(BIN / "flask")] if (BIN / "flask").exists() else ["flask"]
PASSWORD = "bench-rooms-load-2026"
CSRF_RE = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')
MARK_RE = re.compile(r"bk(\d+)x(\d+)x(\d+)")
P99_LIMIT_MS = 100.0
PG_ADMIN = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
SCRUBBED_ENV = (
    "SOCKETIO_MESSAGE_QUEUE",
    "SOCKETIO_ALLOWED_ORIGINS",
    "RATELIMIT_STORAGE_URI",
    "SESSION_COOKIE_SECURE",
    "TRUST_PROXY",
    "FLASK_APP",
    "PUBLIC_URL",
    "TRUSTED_HOSTS",
    "NETWORK_DEMO",
    "DATABASE_URL",
)
T0 = time.monotonic()


def now_us() -> int:
    """Microseconds since this client started (one clock for send and receive)."""
    return int((time.monotonic() - T0) * 1_000_000)


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- servers --------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    base_url: str
    process: subprocess.Popen
    log_path: Path
    cookies: list[str] = field(default_factory=list)

    def worker_pid(self) -> int:
        """The gunicorn worker (the master's only child)."""
        master = self.process.pid
        path = Path(f"/proc/{master}/task/{master}/children")
        children = path.read_text().split()
        return int(children[0]) if children else master

    def rss_mb(self) -> float:
        """The worker's VmRSS in MB."""
        status = Path(f"/proc/{self.worker_pid()}/status").read_text()
        kb = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
        return kb / 1024

    def tracebacks(self) -> int:
        """Tracebacks in the server's log so far."""
        return self.log_path.read_text(errors="replace").count("Traceback")


def start_gunicorn(name: str, app: str, cwd: Path, env: dict, tmp: Path) -> Server:
    """`gunicorn -k gevent -w 1` on a free port, pinned to core 0, in its own group."""
    port = free_port()
    log_path = tmp / f"{name}.log"
    cmd = ["taskset", "-c", "0", *GUNICORN, "-k", "gevent", "-w", "1"]
    cmd += ["-b", f"127.0.0.1:{port}", app]
    base_url = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            cmd,
            cwd=cwd,
            env={**env, "PUBLIC_URL": base_url},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Server(name, base_url, process, log_path)


def wait_listening(server: Server, path: str, timeout: float = 30.0) -> None:
    """Poll until the server answers path (any status below 500)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited:\n{server.log_path.read_text()}")
        try:
            if requests.get(server.base_url + path, timeout=2).status_code < 500:
                return
        except requests.RequestException:
            pass
        gevent.sleep(0.2)
    raise RuntimeError(f"{server.name} did not answer {path} in {timeout}s")


def stop(server: Server) -> None:
    """Terminate the server's process group (only the processes we started)."""
    if server.process.poll() is not None:
        return
    try:
        os.killpg(server.process.pid, signal.SIGTERM)
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait(timeout=5)
    except ProcessLookupError:
        pass


@dataclass
class Group:
    """One or more server processes measured as one (sockets spread round-robin)."""

    name: str
    servers: list[Server]
    cookies: list[str] = field(default_factory=list)

    def url(self, index: int) -> str:
        """The process socket `index` connects to."""
        return self.servers[index % len(self.servers)].base_url

    def rss_mb(self) -> float:
        """VmRSS of every worker, summed."""
        return sum(server.rss_mb() for server in self.servers)

    def tracebacks(self) -> int:
        """Tracebacks in every log."""
        return sum(server.tracebacks() for server in self.servers)


def app_env(tmp: Path) -> dict[str, str]:
    """Environment of the real server, as the e2e fixture builds it."""
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED_ENV}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp / 'bench.sqlite3'}",
        SECRET_KEY=secrets.token_urlsafe(32),
        RATELIMIT_ENABLED="0",
        SOCKET_RATELIMIT_ENABLED="0",
        MESSAGE_BURST="1000000",
        MESSAGE_RATE="1000000",
        ARGON2_TIME_COST="1",
        ARGON2_MEMORY_COST="8192",
        PYTHONUNBUFFERED="1",
    )
    return env


def prepare_app(env: dict, members: int, rooms: int) -> dict:
    """Migrate and seed the temporary database; returns the rooms' public ids."""
    run = dict(cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    subprocess.run([*FLASK, "--app", "network", "db", "upgrade"], check=True, **run)
    seeded = subprocess.run(
        [PYTHON, str(BENCH / "rooms_load_seed.py"), "--members", str(members)]
        + ["--rooms", str(rooms)],
        check=True,
        **run,
    )
    return json.loads(seeded.stdout.strip().splitlines()[-1])


def http_login(base_url: str, login_name: str) -> str:
    """Sign in through the real login form; returns the Cookie header value."""
    session = requests.Session()
    page = session.get(base_url + "/login", timeout=30)
    token = CSRF_RE.search(page.text).group(1)
    response = session.post(
        base_url + "/login",
        data={"login_name": login_name, "password": PASSWORD, "csrf_token": token},
        allow_redirects=False,
        timeout=30,
    )
    if response.status_code != 302:
        raise RuntimeError(f"login {login_name}: {response.status_code}")
    return "; ".join(f"{c.name}={c.value}" for c in session.cookies)


# --- the load client ------------------------------------------------------------------


class Stats:
    """What receivers saw during one measured step."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.seen: set[tuple[int, int, int]] = set()
        self.duplicates = 0
        self.reordered = 0
        self.last: dict[tuple[int, int], int] = {}

    def record(self, receiver: int, html: str) -> None:
        """One message:created frame at one receiver."""
        match = MARK_RE.search(html or "")
        if match is None:
            return
        sender, seq, sent_us = (int(g) for g in match.groups())
        if sender == receiver:
            return
        self.latencies.append((now_us() - sent_us) / 1000)
        key = (receiver, sender, seq)
        if key in self.seen:
            self.duplicates += 1
            return
        self.seen.add(key)
        if seq < self.last.get((receiver, sender), -1):
            self.reordered += 1
        self.last[(receiver, sender)] = max(seq, self.last.get((receiver, sender), -1))


class Sock:
    """One Socket.IO client over one websocket, its frames read by one greenlet."""

    stats: Stats | None = None

    def __init__(self, index: int, base_url: str, cookie: str | None) -> None:
        self.index = index
        headers = [f"Origin: {base_url}"]
        if cookie:
            headers.append(f"Cookie: {cookie}")
        url = (
            base_url.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"
        )
        self.ws = websocket.create_connection(
            url,
            header=headers,
            suppress_origin=True,
            timeout=60,
            enable_multithread=True,
        )
        self.ws.recv()  # the Engine.IO open packet
        self.ids = itertools.count(1)
        self.acks: dict[int, gevent.event.AsyncResult] = {}
        self.connected = gevent.event.Event()
        self.reader = gevent.spawn(self._read)
        self.ws.send("40")
        if not self.connected.wait(30):
            raise RuntimeError("no namespace connect ack in 30 s")

    def _read(self) -> None:
        while True:
            try:
                frame = self.ws.recv()
            except Exception:
                return
            if not frame:
                return
            if frame == "2":
                self.ws.send("3")
            elif frame.startswith("42"):
                event, data = json.loads(frame[2:])
                if event == "message:created" and Sock.stats is not None:
                    Sock.stats.record(self.index, data.get("html", ""))
            elif frame.startswith("43"):
                digits = re.match(r"43(\d+)", frame).group(1)
                result = self.acks.pop(int(digits), None)
                if result is not None:
                    result.set(json.loads(frame[2 + len(digits) :])[0])
            elif frame.startswith("40"):
                self.connected.set()

    def call_async(self, event: str, data: dict) -> gevent.event.AsyncResult:
        """Send an event with an ack id; the ack arrives in the result."""
        number = next(self.ids)
        result = gevent.event.AsyncResult()
        self.acks[number] = result
        self.ws.send(f"42{number}" + json.dumps([event, data]))
        return result

    def close(self) -> None:
        """Close the websocket (the server sees a disconnect)."""
        try:
            self.ws.close(timeout=2)
        except Exception:
            pass
        self.reader.kill(block=False)


def connect_all(server: Group, placement: list[str], pool_size: int = 50):
    """Connect one socket per member and join its room; returns (sockets, seconds)."""
    sockets: list[Sock | None] = [None] * len(placement)

    def one(index: int) -> None:
        cookie = server.cookies[index] if server.cookies else None
        sock = Sock(index, server.url(index), cookie)
        ack = sock.call_async("room:join", {"room_id": placement[index]}).get(
            timeout=120
        )
        if not ack.get("ok"):
            raise RuntimeError(f"join refused: {ack}")
        sockets[index] = sock

    started = time.monotonic()
    pool = gevent.pool.Pool(pool_size)
    jobs = [pool.spawn(one, n) for n in range(len(placement))]
    gevent.joinall(jobs, timeout=600, raise_error=True)
    elapsed = time.monotonic() - started
    if any(s is None for s in sockets):
        raise RuntimeError("some sockets did not join within 600 s")
    return sockets, elapsed


def close_all(sockets: list[Sock]) -> None:
    """Disconnect every socket."""
    for sock in sockets:
        sock.close()


def run_rate(
    sockets: list[Sock], placement: list[str], rate: float, seconds: float
) -> dict:
    """Offer `rate` messages/s for `seconds`, spread over the rooms; then drain."""
    rooms = sorted(set(placement))
    members = {
        room: [n for n, r in enumerate(placement) if r == room] for room in rooms
    }
    senders = {room: members[room][:5] for room in rooms}
    stats = Stats()
    Sock.stats = stats
    acks: list[tuple[str, gevent.event.AsyncResult]] = []
    seq = itertools.count()
    count = int(rate * seconds)
    usage_before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.monotonic()
    for i in range(count):
        delay = started + i / rate - time.monotonic()
        if delay > 0:
            gevent.sleep(delay)
        room = rooms[i % len(rooms)]
        sender = senders[room][(i // len(rooms)) % len(senders[room])]
        body = f"bk{sender}x{next(seq)}x{now_us()} load"
        data = {"room_id": room, "body": body, "client_msg_id": secrets.token_hex(8)}
        acks.append((room, sockets[sender].call_async("message:send", data)))
    offered_s = time.monotonic() - started
    expected = 0
    refused = 0
    drain_deadline = time.monotonic() + max(10.0, seconds * 2)
    unacked = 0
    for room, result in acks:
        ack = result.wait(timeout=max(0.1, drain_deadline - time.monotonic()))
        if ack is None:
            unacked += 1  # no ack within the drain: neither counted nor lost
        elif ack.get("ok"):
            expected += len(members[room]) - 1
        else:
            refused += 1
    while len(stats.seen) < expected and time.monotonic() < drain_deadline:
        gevent.sleep(0.05)
    usage_after = resource.getrusage(resource.RUSAGE_SELF)
    Sock.stats = None
    client_cpu = (usage_after.ru_utime + usage_after.ru_stime) - (
        usage_before.ru_utime + usage_before.ru_stime
    )
    lat = sorted(stats.latencies) or [float("nan")]
    return {
        "rate": rate,
        "deliveries_offered_per_s": round(expected / max(offered_s, 1e-9)),
        "p50_ms": lat[len(lat) // 2],
        "p99_ms": lat[min(len(lat) - 1, int(len(lat) * 0.99))],
        "sent": count,
        "refused": refused,
        "unacked": unacked,
        "lost": max(0, expected - len(stats.seen)),
        "duplicated": stats.duplicates,
        "reordered": stats.reordered,
        "client_cpu_share": round(client_cpu / (time.monotonic() - started), 2),
    }


def healthy(step: dict) -> bool:
    """A rate the server keeps up with: p99 within the limit, nothing lost."""
    return step["p99_ms"] <= P99_LIMIT_MS and step["lost"] == 0 and step["refused"] == 0


def saturation(sockets, placement, start_rate: float, seconds: float) -> dict:
    """A short search from start_rate: double while healthy (or halve while not,
    at most 3 times), then one bisection between the last good and first bad."""
    good, bad, steps = None, None, []
    rate = start_rate
    for _ in range(6):
        step = run_rate(sockets, placement, rate, seconds)
        steps.append(step)
        gevent.sleep(1)
        if healthy(step):
            good = step
            if bad is not None:
                break
            rate *= 2
        else:
            bad = rate
            if good is not None or len(steps) > 3:
                break
            rate /= 2
    if good is not None and bad is not None and bad > good["rate"]:
        middle = run_rate(sockets, placement, (good["rate"] + bad) / 2, seconds)
        steps.append(middle)
        if healthy(middle):
            good = middle
    best = good["deliveries_offered_per_s"] if good else 0
    # At the first unhealthy step, was the load client (one core) the limit?
    failing = [s for s in steps if not healthy(s)]
    client_bound = bool(failing) and failing[-1]["client_cpu_share"] >= 0.85
    return {"deliveries_per_s": best, "client_bound": client_bound, "steps": steps}


# --- profile (--profile: py-spy on the server's worker) -------------------------------

PYSPY = str(BIN / "py-spy") if (BIN / "py-spy").exists() else shutil.which("py-spy")
SPY_HZ = 250
BUCKETS = (  # the leaf frame's file decides where a sample's CPU went
    ("SQL (SQLAlchemy, driver)", ("sqlalchemy/", "sqlite3", "psycopg")),
    (
        "socket stack (socketio, engineio, websocket)",
        ("socketio/", "engineio/", "simple_websocket", "wsproto"),
    ),
    ("templates and Markdown", ("jinja2/", "markupsafe", "markdown", "nh3", "bleach")),
    ("gevent hub and I/O", ("gevent/",)),
    ("this project", ("/network/",)),
)


class Profile:
    """py-spy recording the server's workers (CPU only, no idle) while it runs."""

    def __init__(self, group: "Group", tag: str, tmp: Path) -> None:
        self.paths, self.procs = [], []
        if not PYSPY:
            return
        for number, server in enumerate(group.servers):
            path = tmp / f"spy-{group.name}-{tag}-{number}.txt"
            self.paths.append(path)
            self.procs.append(
                subprocess.Popen(
                    [
                        PYSPY,
                        "record",
                        "-p",
                        str(server.worker_pid()),
                        "-r",
                        str(SPY_HZ),
                        "-f",
                        "raw",
                        "-o",
                        str(path),
                        "--nonblocking",
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        gevent.sleep(0.5)  # py-spy attaches

    def finish(self, operations: int) -> dict | None:
        """Stop recording; CPU ms per operation, shares by layer, hot functions."""
        for proc in self.procs:
            proc.send_signal(signal.SIGINT)
        for proc in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        stacks = []
        for path in self.paths:
            if path.exists():
                for line in path.read_text().splitlines():
                    frames, _, count = line.rpartition(" ")
                    if count.isdigit():
                        stacks.append((frames.split(";"), int(count)))
        total = sum(n for _, n in stacks)
        if not total:
            return None
        buckets: dict[str, int] = {}
        functions: dict[str, int] = {}
        for frames, n in stacks:
            leaf = frames[-1]
            bucket = next(
                (name for name, keys in BUCKETS if any(k in leaf for k in keys)),
                "other (Python, Flask, logging)",
            )
            buckets[bucket] = buckets.get(bucket, 0) + n
            seen = set()
            for frame in frames:
                match = re.match(r"(.+?) \((?:.*/)?(network/[^:]+):\d+\)", frame)
                if match and not any(
                    w in frame for w in ("guards.py", "NoSocketCompression")
                ):
                    key = f"{match.group(1)} ({match.group(2)})"
                    if key not in seen:
                        seen.add(key)
                        functions[key] = functions.get(key, 0) + n
        top = sorted(functions.items(), key=lambda kv: -kv[1])[:12]
        return {
            "cpu_ms_per_op": total / SPY_HZ * 1000 / max(operations, 1),
            "buckets": {k: round(v / total, 3) for k, v in buckets.items()},
            "functions": [(k, round(v / total, 3)) for k, v in top],
        }


# --- scenarios ------------------------------------------------------------------------


def scenario(server: Group, placement: list[str], rate: float, args) -> dict:
    """Join storm, RSS per socket, the fixed rate, the saturation search."""
    gevent.sleep(1)
    rss_before = server.rss_mb()
    profiles = {}
    spy = Profile(server, "join", args.tmp) if args.profile else None
    sockets, join_s = connect_all(server, placement)
    if spy:
        profiles["join"] = spy.finish(len(placement))
    try:
        gevent.sleep(2)
        rss_after = server.rss_mb()
        run_rate(sockets, placement, rate, 1.0)  # warm-up, not measured
        gevent.sleep(1)
        spy = Profile(server, "send", args.tmp) if args.profile else None
        fixed = run_rate(sockets, placement, rate, args.seconds)
        if spy:
            profiles["send"] = spy.finish(fixed["sent"])
        gevent.sleep(2)
        sat = saturation(sockets, placement, rate, args.seconds)
    finally:
        close_all(sockets)
    return {
        "join_s": join_s,
        "rss_mb": rss_after,
        "rss_per_socket_kb": (rss_after - rss_before) * 1024 / len(placement),
        "fixed": fixed,
        "saturation": sat,
        "tracebacks": server.tracebacks(),
        "profile": profiles,
    }


def creep(server: Group, placement: list[str], cycles: int = 5) -> dict:
    """RSS after each cycle of every member connecting, joining and leaving."""
    rss = []
    for _ in range(cycles):
        sockets, _ = connect_all(server, placement)
        close_all(sockets)
        gevent.sleep(3)
        rss.append(server.rss_mb())
    return {"rss_mb": rss, "ratio": rss[-1] / rss[0]}


# --- the report -----------------------------------------------------------------------


def ratio(app: float, bare: float) -> str:
    """app / bare, or a dash."""
    if not bare:
        return "—"
    return f"{app / bare:.2f}x" if app / bare < 1 else f"{app / bare:.1f}x"


COLUMNS = {
    "app": "this project (SQLite)",
    "bare": "bare python-socketio + gevent",
    "pg1": "this project, PostgreSQL, 1 process",
    "pg2": "PostgreSQL + Redis, 2 processes",
}


METHOD = (
    "How: each server is `gunicorn -k gevent -w 1` pinned to core 0 (`taskset -c 0`);"
    " the load client (one process, one greenlet per websocket, Engine.IO/Socket.IO"
    " frames by hand over websocket-client) is pinned to core 1. Members are real"
    " accounts seeded into a temporary SQLite file (or a fresh PostgreSQL database)"
    " and signed in over HTTP; the bare server (bench/rooms_load_bare.py) has no auth,"
    " policy or database. Join storm: every member connects and sends `room:join`,"
    " 50 at a time, until every ack is back. Latency: from just before"
    " `message:send` leaves the client to the `message:created` frame at each other"
    " member of the room (the sender's own copy is not counted), in one clock. The"
    " fixed rate is offered for `--seconds` after a 1 s warm-up, spread round-robin"
    " over the rooms and over five senders per room, without waiting for acks; lost"
    " = acknowledged deliveries not seen within the drain (10 s or more), reordered ="
    " a receiver seeing a sender's message after a later one of the same sender."
    " Saturation: the highest offered rate with p99 ≤ 100 ms and nothing lost,"
    " found by doubling (or halving) from the fixed rate, at most six steps and one"
    " bisection; ≥ means the search ended without saturating, and client-bound means"
    " the load client used ≥ 85% of its core in the first failing step. RSS is the"
    " worker's VmRSS (/proc/PID/status), summed over processes; per socket = (RSS"
    " with every socket joined − RSS before) ÷ sockets. Creep: five cycles of the"
    " one-room members connecting, joining and disconnecting; RSS 3 s after each."
)


def _rows(results: dict, name: str) -> list[tuple[str, dict[str, str], float]]:
    """(title, text per column, numeric value per column) for one scenario."""
    size = results["sizes"][name]
    who = [w for w in COLUMNS if w in results]
    get = {w: results[w][name] for w in who}
    rate = get["app"]["fixed"]["rate"]
    offered = get["app"]["fixed"]["deliveries_offered_per_s"]
    specs = [
        (f"{size}: connect + join (s)", lambda r: r["join_s"], "{:.2f}"),
        (f"{size}: RSS with all sockets (MB)", lambda r: r["rss_mb"], "{:.0f}"),
        (f"{size}: RSS per socket (KB)", lambda r: r["rss_per_socket_kb"], "{:.0f}"),
        (
            f"{size}, {rate:g} msg/s ({offered} deliveries/s): p50 (ms)",
            lambda r: r["fixed"]["p50_ms"],
            "{:.1f}",
        ),
        (
            f"{size}, {rate:g} msg/s: p99 (ms)",
            lambda r: r["fixed"]["p99_ms"],
            "{:.1f}",
        ),
        (
            f"{size}: saturation, deliveries/s at p99 ≤ 100 ms, nothing lost",
            lambda r: r["saturation"]["deliveries_per_s"],
            "{:.0f}",
        ),
    ]
    rows = []
    for title, value, fmt in specs:
        values = {w: value(get[w]) for w in who}
        texts = {w: fmt.format(values[w]) for w in who}
        if "saturation" in title:
            for w in who:
                if get[w]["saturation"]["client_bound"]:
                    texts[w] += " (client-bound)"
                if all(healthy(step) for step in get[w]["saturation"]["steps"]):
                    texts[w] = "≥ " + texts[w]  # never saturated within the search
        rows.append((title, texts, values))
    counts = {
        w: "{lost} / {duplicated} / {reordered} / {refused} / {unacked}".format(
            **{"unacked": 0, **get[w]["fixed"]}
        )
        for w in who
    }
    rows.append(
        (
            f"{size}, {rate:g} msg/s: lost / dup / reordered / refused / unacked",
            counts,
            {},
        )
    )
    return rows


def _postgres_line(results: dict) -> str:
    """PostgreSQL against SQLite (one process), and two processes against one."""
    parts = []
    for name in ("one", "many"):
        app, pg1, pg2 = (results[w][name] for w in ("app", "pg1", "pg2"))
        sat = [r["saturation"]["deliveries_per_s"] for r in (app, pg1, pg2)]
        parts.append(
            f"{results['sizes'][name]}: PostgreSQL ÷ SQLite, one process: join "
            f"{ratio(pg1['join_s'], app['join_s'])}, p99 "
            f"{ratio(pg1['fixed']['p99_ms'], app['fixed']['p99_ms'])}, saturation "
            f"{ratio(sat[1], sat[0])}; two processes ÷ one, saturation "
            f"{ratio(sat[2], sat[1])}"
        )
    return (
        "; ".join(parts) + ". The two processes are pinned to core 0 together (the"
        " client needs core 1 of this 2-core machine), so they cannot show scale-out"
        " here; PostgreSQL and Redis themselves run unpinned, on either core. The"
        " Redis channel is the default one, shared with any other server on it."
    )


def report(results: dict, args, machine: str, notes: str) -> str:
    """The markdown section for bench/RESULTS.md."""
    who = [w for w in COLUMNS if w in results]
    lines = [
        "## Rooms under load (`bench/rooms_load.py`)",
        "",
        f"Run on {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, "
        f"`--scale {args.scale} --seconds {args.seconds}"
        + (" --postgres" if args.postgres else "")
        + f"`. Machine: `{machine}`. "
        + notes,
        "",
        "| same run | " + " | ".join(COLUMNS[w] for w in who) + " | project / bare |",
        "|---|" + "---|" * len(who) + "---|",
    ]
    rows = _rows(results, "one") + _rows(results, "many")
    creep = {w: results[w]["creep"] for w in who}
    rows.append(
        (
            f"{results['sizes']['one']}: RSS after 5 connect/leave cycles ÷ after the "
            "first",
            {
                w: f"{c['ratio']:.2f} ({c['rss_mb'][0]:.0f} → {c['rss_mb'][-1]:.0f} MB)"
                for w, c in creep.items()
            },
            {w: c["ratio"] for w, c in creep.items()},
        )
    )
    tracebacks = {w: results[w]["tracebacks"] for w in who}
    rows.append(
        ("tracebacks in the server log", {w: str(t) for w, t in tracebacks.items()}, {})
    )
    for title, texts, values in rows:
        quotient = ratio(values["app"], values["bare"]) if values else ""
        lines.append(
            f"| {title} | " + " | ".join(texts[w] for w in who) + f" | {quotient} |"
        )
    if "pg1" in results and "pg2" in results:
        lines += ["", _postgres_line(results)]
    lines += _profile_lines(results)
    lines += ["", METHOD]
    lines += [
        "",
        "Saturation search steps (msg/s offered → p99, lost, load-client CPU share):",
    ]
    lines.append("```")
    for w in who:
        for name in ("one", "many"):
            steps = results[w][name]["saturation"]["steps"]
            text = ", ".join(
                f"{s['rate']:g}→{s['p99_ms']:.0f}ms/{s['lost']}/{s['client_cpu_share']}"
                for s in steps
            )
            lines.append(f"{w:4} {name:4} {text}")
    lines.append("```")
    return "\n".join(lines) + "\n"


def _profile_lines(results: dict) -> list[str]:
    """Where the server's CPU went (--profile), per join and per message."""
    lines = []
    for who in ("app", "bare", "pg1", "pg2"):
        for name in ("one", "many"):
            profiles = results.get(who, {}).get(name, {}).get("profile") or {}
            for phase, title in (("join", "connect + join"), ("send", "fixed rate")):
                found = profiles.get(phase)
                if not found:
                    continue
                unit = "join" if phase == "join" else "message sent"
                if not lines:
                    lines = ["", "Where the server's CPU went (py-spy, --profile):", ""]
                layers = ", ".join(
                    f"{k} {v:.0%}"
                    for k, v in sorted(found["buckets"].items(), key=lambda kv: -kv[1])
                )
                hot = "; ".join(
                    f"{k} {v:.0%}"
                    for k, v in found["functions"]
                    if "NoSocketCompression" not in k  # the outermost wrapper
                )
                lines.append(
                    f"- **{COLUMNS[who]}, {results['sizes'][name]}, {title}:** "
                    f"{found['cpu_ms_per_op']:.1f} ms of CPU per {unit}. By layer: "
                    f"{layers}. Project functions (inclusive): {hot}."
                )
    return lines


def write_results(section: str, name: str = "rooms_load") -> None:
    """Replace (or append) the `name` section of bench/RESULTS.md."""
    path = BENCH / "RESULTS.md"
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = path.read_text()
    block = f"{start}\n{section}{end}\n"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        text = before + block + rest.split(end, 1)[1].lstrip("\n")
    else:
        text = text.rstrip("\n") + "\n\n" + block
    path.write_text(text)


def start_app(name: str, env: dict, tmp: Path, servers: list, processes: int = 1):
    """The real server: `processes` gunicorn commands on one database."""
    group = Group(name, [])
    for number in range(processes):
        server = start_gunicorn(f"{name}{number}", "wsgi:app", ROOT, env, tmp)
        servers.append(server)
        group.servers.append(server)
    for server in group.servers:
        wait_listening(server, "/healthz")
    return group


def sign_in(group: Group, members: int) -> None:
    """Every member signs in over HTTP (through the group's first process)."""
    pool = gevent.pool.Pool(8)
    base = group.servers[0].base_url
    group.cookies = pool.map(
        lambda n: http_login(base, f"bench{n:04d}"), range(members)
    )


def measure(group: Group, one: list[str], many: list[str], args) -> dict:
    """Both scenarios and the memory creep on one server (group)."""
    print(f"[{group.name}] {len(one)} in one room", flush=True)
    result = {"one": scenario(group, one, 40.0, args)}
    print(f"[{group.name}] {len(many)} in rooms of 20", flush=True)
    result["many"] = scenario(group, many, 500 * args.scale, args)
    print(f"[{group.name}] memory creep", flush=True)
    result["creep"] = creep(group, one)
    result["tracebacks"] = group.tracebacks()
    return result


def postgres_env(env: dict, databases: list[str]) -> dict:
    """A fresh PostgreSQL database (dropped at exit) and Redis db 14."""
    import psycopg

    name = f"bench_rooms_load_{os.getpid()}"
    with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    databases.append(name)
    return {
        **env,
        "DATABASE_URL": f"{PG_ADMIN.rsplit('/', 1)[0]}/{name}",
        "SOCKETIO_MESSAGE_QUEUE": REDIS,
        "RATELIMIT_STORAGE_URI": REDIS,
    }


def drop_databases(databases: list[str]) -> None:
    """Drop the databases this run created."""
    if not databases:
        return
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5) as admin:
        for name in databases:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def save(results: dict, args) -> None:
    """Write what is measured so far to --json (a later failure keeps it)."""
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


def run_postgres(results, args, env, tmp, servers, databases) -> None:
    """One process on PostgreSQL, then two on PostgreSQL + Redis."""
    one_n = max(2, round(500 * args.scale))
    rooms = max(1, round(50 * args.scale))
    pg_env = postgres_env(env, databases)
    pg_ids = prepare_app(pg_env, max(one_n, rooms * 20), rooms)
    one = [pg_ids["big"]] * one_n
    many = [pg_ids["small"][n // 20] for n in range(rooms * 20)]
    for name, processes in (("pg1", 1), ("pg2", 2)):
        group = start_app(name, pg_env, tmp, servers, processes)
        try:
            sign_in(group, max(one_n, rooms * 20))
            results[name] = measure(group, one, many, args)
            save(results, args)
        finally:
            for server in group.servers:
                stop(server)


def run(args, tmp: Path, servers: list[Server], databases: list[str]) -> dict:
    """Start the servers, sign everyone in, run every scenario on each."""
    one_n = max(2, round(500 * args.scale))
    rooms = max(1, round(50 * args.scale))
    members = max(one_n, rooms * 20)
    env = app_env(tmp)
    ids = prepare_app(env, members, rooms)
    app = start_app("app", env, tmp, servers)
    bare_server = start_gunicorn("bare", "rooms_load_bare:app", BENCH, env, tmp)
    servers.append(bare_server)
    wait_listening(bare_server, "/socket.io/?EIO=4&transport=polling")
    bare = Group("bare", [bare_server])
    sign_in(app, members)
    one = [ids["big"]] * one_n
    many = [ids["small"][n // 20] for n in range(rooms * 20)]
    results = {"sizes": {"one": f"1 room × {one_n}", "many": f"{rooms} rooms × 20"}}
    results["app"] = measure(app, one, many, args)
    save(results, args)
    results["bare"] = measure(bare, one, many, args)
    save(results, args)
    if args.postgres:
        for server in (*app.servers, bare_server):
            stop(server)  # core 0 is theirs now
        try:
            run_postgres(results, args, env, tmp, servers, databases)
        except Exception as error:  # report what SQLite measured anyway
            results["postgres_error"] = repr(error)
            print(f"PostgreSQL scenario failed: {error!r}", flush=True)
    return results


def _on_signals() -> None:
    """Ctrl-C and SIGTERM end the run in the main greenlet (gevent runs signal
    handlers in a greenlet of their own), so its cleanup runs."""
    main_greenlet = greenlet.getcurrent()

    def interrupt() -> None:
        gevent.get_hub().loop.run_callback(main_greenlet.throw, KeyboardInterrupt)

    for number in (signal.SIGINT, signal.SIGTERM):
        gevent.signal_handler(number, interrupt)


def main() -> None:
    """Parse flags, run under a global deadline, clean up whatever happens."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.2)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--max-minutes", type=float, default=20.0)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="also PostgreSQL (one process) and PostgreSQL + Redis (two processes)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="py-spy the real server during the join storms and fixed rates",
    )
    parser.add_argument("--note", default="", help="added to the RESULTS.md text")
    parser.add_argument("--json", type=Path, help="also write raw results here")
    parser.add_argument(
        "--report-from", type=Path, help="no run: report the results of a --json file"
    )
    args = parser.parse_args()
    if args.report_from:
        results = json.loads(args.report_from.read_text())
        finish(results, args)
        return
    os.sched_setaffinity(0, {1})  # the load client: core 1 (servers get core 0)
    _on_signals()
    tmp = Path(tempfile.mkdtemp(prefix="rooms-load-"))
    args.tmp = tmp
    servers: list[Server] = []
    databases: list[str] = []
    try:
        with gevent.Timeout(args.max_minutes * 60):
            results = run(args, tmp, servers, databases)
    finally:
        for server in servers:
            stop(server)
        shutil.rmtree(tmp, ignore_errors=True)
        drop_databases(databases)
    save(results, args)
    finish(results, args)


def finish(results: dict, args) -> None:
    """Print the report and write it into bench/RESULTS.md (unless --no-write)."""
    uname = subprocess.run(["uname", "-a"], capture_output=True, text=True).stdout
    machine = f"{uname.strip()}, nproc={os.cpu_count()}"
    section = report(results, args, machine, args.note)
    print(section)
    if not args.no_write:
        write_results(section)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("interrupted: servers stopped, temporary files removed")

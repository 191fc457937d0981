"""One signed-in socket floods `message:send`: what do everyone else's requests cost?

Issue 13, part 2. The real server (`gunicorn -k gevent -w 1 wsgi:app`, SQLite in
a temporary directory, pinned to core 0; this client on core 1) serves
`--observers` members who each send a message to one room every 1.25 s (the
per-member limit allows one a second) and time its ack, while one client polls `/healthz` and the rooms page. After a
baseline of `--seconds`, one more member's raw websocket sends `message:send`
at `--flood-rate` events a second (with ack ids) for `--seconds`. The server keeps its production limits (per socket and per member). The report
gives the others' p50/p99 in both phases, the ratio of the p99s, and what became
of the flooder: events sent, answered, refused `rate_limited`, and when the
server closed it.

    .venv/bin/python bench/flood.py [--seconds 4] [--flood-rate 10000] [--unprotected]

`--unprotected` also runs the same scenario with the per-socket budget
effectively off (SOCKET_EVENT_BURST and SOCKET_EVENT_RATE of 10^6; the gate's
yield and shape checks stay); `--before DIR` also runs it against the code of
another checkout, e.g. `git worktree add /tmp/flood-before <commit>` of main
before the budget. Every wait has a deadline; servers and the temporary
directory are removed on exit. Never a test.
"""

from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import itertools  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
import requests  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

import rooms_load as rl  # noqa: E402

# Production limits: rooms_load's environment turns them off for its senders.
PRODUCTION_LIMITS = (
    "SOCKET_EVENT_BURST",
    "SOCKET_EVENT_RATE",
    "SOCKET_FLOOD_STRIKES",
    "SOCKET_RATELIMIT_ENABLED",
    "MESSAGE_BURST",
    "MESSAGE_RATE",
)
SEND_EVERY = 1.25  # seconds: within the per-member limit of one message a second


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of values fall (nearest rank)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


class Probe:
    """The others: socket sends with acks, and /healthz and /rooms over HTTP."""

    def __init__(self, server: rl.Server, sockets: list[rl.Sock], room: str, cookie):
        self.server = server
        self.sockets = sockets
        self.room = room
        self.cookie = cookie
        self.samples: dict[str, list[float]] = {}
        self.failures: dict[str, int] = {}
        self.phase = "baseline"
        self.running = True
        self.seq = itertools.count()

    def _record(self, what: str, started: float, ok: bool) -> None:
        key = f"{self.phase}:{what}"
        if ok:
            elapsed = (time.monotonic() - started) * 1000
            self.samples.setdefault(key, []).append(elapsed)
        else:
            self.failures[key] = self.failures.get(key, 0) + 1

    def _sender(self, sock: rl.Sock) -> None:
        while self.running:
            started = time.monotonic()
            number = next(self.seq)
            payload = {
                "room_id": self.room,
                "body": f"probe {number}",
                "client_msg_id": f"probe-{number:08d}",
            }
            try:
                ack = sock.call_async("message:send", payload).get(timeout=10)
                self._record("socket", started, bool(ack.get("ok")))
            except gevent.Timeout:
                self._record("socket", started, False)
            gevent.sleep(max(0.0, SEND_EVERY - (time.monotonic() - started)))

    def _http(self, what: str, path: str, every: float) -> None:
        headers = {"Cookie": self.cookie}
        while self.running:
            started = time.monotonic()
            try:
                response = requests.get(
                    self.server.base_url + path, headers=headers, timeout=10
                )
                self._record(what, started, response.status_code == 200)
            except requests.RequestException:
                self._record(what, started, False)
            gevent.sleep(max(0.0, every - (time.monotonic() - started)))

    def start(self) -> list:
        """Start every prober; returns their greenlets."""
        jobs = [gevent.spawn(self._sender, sock) for sock in self.sockets]
        jobs.append(gevent.spawn(self._http, "healthz", "/healthz", 0.2))
        jobs.append(gevent.spawn(self._http, "rooms", "/rooms", 0.5))
        return jobs


class Flooder:
    """One raw websocket sending message:send with ack ids as fast as asked."""

    def __init__(self, base_url: str, cookie: str, room: str) -> None:
        self.sock = rl.Sock(-1, base_url, cookie)
        self.room = room
        self.sent = 0
        self.answers: dict[str, int] = {}
        self.closed_after: float | None = None
        self.started = 0.0
        self.sock.reader.kill()  # this class reads the acks itself
        self.reader = gevent.spawn(self._read)

    def _read(self) -> None:
        while True:
            try:
                frame = self.sock.ws.recv()
            except Exception:
                frame = None
            if not frame or frame == "1" or frame.startswith("41"):
                self.closed_after = time.monotonic() - self.started
                return
            if frame == "2":
                self.sock.ws.send("3")
            elif frame.startswith("43"):
                ack = json.loads(frame[frame.index("[") :])[0]
                key = "ok" if ack.get("ok") else ack.get("error", "?")
                self.answers[key] = self.answers.get(key, 0) + 1

    def flood(self, rate: float, seconds: float) -> None:
        """Send at `rate` events a second for `seconds` (or until closed)."""
        self.started = time.monotonic()
        batch = max(1, int(rate / 100))
        while time.monotonic() - self.started < seconds:
            if self.closed_after is not None:
                return
            for _ in range(batch):
                self.sent += 1
                frame = [
                    "message:send",
                    {
                        "room_id": self.room,
                        "body": f"flood {self.sent}",
                        "client_msg_id": f"flood-{self.sent:08d}",
                    },
                ]
                try:
                    self.sock.ws.send(f"42{self.sent}" + json.dumps(frame))
                except Exception:
                    return
            due = self.started + self.sent / rate
            gevent.sleep(max(0.0, due - time.monotonic()))

    def summary(self) -> dict:
        """What the flooder sent and what came back."""
        return {
            "sent": self.sent,
            "answers": self.answers,
            "closed_after_s": self.closed_after,
        }


def prepare(env: dict, members: int, root: Path) -> dict:
    """Migrate and seed with the code of `root`; returns the rooms' public ids."""
    run = dict(cwd=root, env=env, capture_output=True, text=True, timeout=300)
    subprocess.run([*rl.FLASK, "--app", "network", "db", "upgrade"], check=True, **run)
    seed = [rl.PYTHON, str(root / "bench" / "rooms_load_seed.py")]
    seeded = subprocess.run(
        [*seed, "--members", str(members), "--rooms", "1"], check=True, **run
    )
    return json.loads(seeded.stdout.strip().splitlines()[-1])


def scenario(
    name: str, env: dict, tmp: Path, args, servers: list, root: Path = rl.ROOT
) -> dict:
    """Baseline, then the flood, against one fresh server with this environment
    (serving the code in `root`)."""
    members = args.observers + 2  # observers, the HTTP prober, the flooder
    rooms = prepare(env, members, root)
    server = rl.start_gunicorn(name, "wsgi:app", root, env, tmp)
    servers.append(server)
    rl.wait_listening(server, "/healthz")
    base = server.base_url
    cookies = [rl.http_login(base, f"bench{n:04d}") for n in range(members)]
    room = rooms["big"]
    sockets = []
    for index in range(args.observers):
        sock = rl.Sock(index, base, cookies[index])
        ack = sock.call_async("room:join", {"room_id": room}).get(timeout=30)
        assert ack.get("ok"), ack
        sockets.append(sock)
    probe = Probe(server, sockets, room, cookies[args.observers])
    jobs = probe.start()
    gevent.sleep(args.seconds)
    probe.phase = "flood"
    flooder = Flooder(base, cookies[args.observers + 1], room)
    flooder.flood(args.flood_rate, args.seconds)
    flood_seconds = time.monotonic() - flooder.started
    if flood_seconds < args.seconds:
        gevent.sleep(args.seconds - flood_seconds)  # the others keep measuring
    probe.running = False
    gevent.joinall(jobs, timeout=15)
    flooder.reader.join(timeout=2)
    for sock in sockets:
        sock.close()
    flooder.sock.close()
    rl.stop(server)
    result = {"flooder": flooder.summary(), "tracebacks": server.tracebacks()}
    for key, values in sorted(probe.samples.items()):
        result[key] = {
            "n": len(values),
            "p50_ms": round(percentile(values, 0.5), 1),
            "p99_ms": round(percentile(values, 0.99), 1),
            "failed": probe.failures.get(key, 0),
        }
    for key, count in probe.failures.items():
        result.setdefault(key, {"n": 0, "failed": count})
    return result


def report(name: str, result: dict) -> str:
    """A Markdown table of one scenario."""
    lines = [
        f"### {name}",
        "",
        "| others' request | baseline p50 / p99 ms | flood p50 / p99 ms | p99 ratio |",
        "|---|---|---|---|",
    ]
    for what in ("socket", "healthz", "rooms"):
        base = result.get(f"baseline:{what}", {})
        flood = result.get(f"flood:{what}", {})
        ratio = (
            flood.get("p99_ms", float("nan")) / base["p99_ms"]
            if base.get("p99_ms")
            else float("nan")
        )
        failed = flood.get("failed", 0) + base.get("failed", 0)
        lines.append(
            f"| {what} (n={base.get('n', 0)}/{flood.get('n', 0)}, failed {failed}) "
            f"| {base.get('p50_ms')} / {base.get('p99_ms')} "
            f"| {flood.get('p50_ms')} / {flood.get('p99_ms')} | {ratio:.2f}× |"
        )
    flooder = result["flooder"]
    closed = flooder["closed_after_s"]
    lines += [
        "",
        f"Flooder: {flooder['sent']} events sent, answers {flooder['answers']}, "
        + (
            f"closed by the server after {closed:.2f} s"
            if closed is not None
            else "never closed"
        )
        + f"; server tracebacks: {result['tracebacks']}.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    """Run the scenario (and the unprotected one with --unprotected)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--flood-rate", type=float, default=10_000.0)
    parser.add_argument("--observers", type=int, default=10)
    parser.add_argument("--unprotected", action="store_true")
    parser.add_argument("--max-minutes", type=float, default=5.0)
    parser.add_argument(
        "--before",
        type=Path,
        help="also the same scenario against the code in this checkout "
        "(e.g. a worktree of main before the budget)",
    )
    args = parser.parse_args()
    os.sched_setaffinity(0, {1})  # the load client: core 1 (the server: core 0)
    tmp = Path(tempfile.mkdtemp(prefix="flood-"))
    servers: list[rl.Server] = []
    sections = []
    try:
        with gevent.Timeout(args.max_minutes * 60):
            base_env = {
                k: v for k, v in rl.app_env(tmp).items() if k not in PRODUCTION_LIMITS
            }
            runs = [("budget (defaults)", base_env, "protected", rl.ROOT)]
            if args.unprotected:
                off = {"SOCKET_EVENT_BURST": "1000000", "SOCKET_EVENT_RATE": "1000000"}
                title = "budget off (the gate's yield and shape checks only)"
                runs.append((title, {**base_env, **off}, "bare", rl.ROOT))
            if args.before:
                title = f"the code in {args.before}"
                runs.append((title, base_env, "before", args.before.resolve()))
            for title, env, name, root in runs:
                run_tmp = tmp / name
                run_tmp.mkdir()
                env = {**env, "DATABASE_URL": f"sqlite:///{run_tmp / 'bench.sqlite3'}"}
                print(f"[{title}] running", flush=True)
                sections.append(
                    report(title, scenario(name, env, run_tmp, args, servers, root))
                )
    finally:
        for server in servers:
            rl.stop(server)
        shutil.rmtree(tmp, ignore_errors=True)
    print(
        f"flood at {args.flood_rate:.0f} events/s for {args.seconds} s, "
        f"{args.observers} observers\n"
    )
    print("\n".join(sections))


if __name__ == "__main__":
    main()

"""The busiest pages under load: the real server against a bare Flask page, same run.

Both are served by the production command (`gunicorn -k gevent -w 1`), each pinned
to core 0 with taskset; this load client pins itself to core 1. The real server
gets a database in a temporary directory (or a fresh PostgreSQL database),
migrated and seeded by bench/pages_load_seed.py (1M messages, 1,000 members,
10,000 resources at --scale 1); its members sign in over HTTP. The bare page
(bench/pages_load_bare.py) reads the last 50 messages of the big room from the
same database and renders them with Jinja, without auth. Ten signed-in clients
(one greenlet and one keep-alive connection each) load every page in turn;
`message:history` goes over Socket.IO (rooms_load's client).

    .venv/bin/python bench/pages_load.py [--scale 1] [--seconds 5] [--postgres]

Every wait has a deadline, and servers, the temporary directory and the
PostgreSQL database are removed on exit, Ctrl-C included. Never a test.
"""

from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import datetime  # noqa: E402
import http.client  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from urllib.parse import urlsplit  # noqa: E402

import gevent  # noqa: E402
import gevent.pool  # noqa: E402
import requests  # noqa: E402

from rooms_load import (  # noqa: E402
    BENCH,
    FLASK,
    PASSWORD,
    PG_ADMIN,
    PYTHON,
    ROOT,
    Server,
    Sock,
    _on_signals,
    app_env,
    drop_databases,
    http_login,
    start_gunicorn,
    stop,
    wait_listening,
    write_results,
)

CLIENTS = 10
COUNTER = "/__bench__/statements"
# key: (title, who loads it, path; None for the socket, target share of the bare
# page's requests/s, p99 target in ms or None, text the page must contain)
PAGES = {
    "room": ("room page `/rooms/<big room>`", "member", "/rooms/{big}", 0.5, 50),
    "home": ("home `/`", "member", "/", 0.4, None),
    "directory": ("directory `/directory`", "member", "/directory", 0.4, None),
    "library": (
        "library search `/library?q=housing`",
        "member",
        "/library?q=housing",
        0.4,
        None,
    ),
    "members": ("lead: members `/org/members`", "lead", "/org/members", 0.4, None),
    "requests": ("lead: requests `/org/requests`", "lead", "/org/requests", 0.4, None),
    "history": ("`message:history` (load earlier), socket", "member", None, 0.4, None),
}
MARKERS = {
    "room": "Seed message",
    "library": "housing guide",
    "home": "Hello,",
    "directory": "Bench Agency",
    "members": "Juniper",
    "requests": "asked",
}


# --- the load client ------------------------------------------------------------------


def _summary(latencies: list[float], window: float, errors: int, cpu: float) -> dict:
    """Requests/s, p50 and p99 of what completed inside the window."""
    lat = sorted(latencies) or [float("nan")]
    return {
        "rps": len(latencies) / window,
        "p50_ms": lat[len(lat) // 2],
        "p99_ms": lat[min(len(lat) - 1, int(len(lat) * 0.99))],
        "requests": len(latencies),
        "errors": errors,
        "client_cpu_share": round(cpu / window, 2),
    }


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def closed_loop(one_call, clients: int, seconds: float, warmup: float) -> dict:
    """`clients` greenlets call one_call(index) back to back for warmup + seconds;
    requests that end inside the last `seconds` are counted."""
    latencies: list[float] = []
    errors = [0]
    start = time.monotonic()
    window_start, end = start + warmup, start + warmup + seconds

    def worker(index: int) -> None:
        while time.monotonic() < end:
            began = time.monotonic()
            ok = one_call(index)
            done = time.monotonic()
            if window_start <= began and done <= end:
                if ok:
                    latencies.append((done - began) * 1000)
                else:
                    errors[0] += 1

    gevent.sleep(0)
    cpu_before = [None]

    def mark() -> None:
        gevent.sleep(warmup)
        cpu_before[0] = _cpu()

    marker = gevent.spawn(mark)
    jobs = [gevent.spawn(worker, n) for n in range(clients)]
    gevent.joinall(jobs, timeout=warmup + seconds + 60, raise_error=True)
    marker.join(timeout=1)
    if not all(job.ready() for job in jobs):
        gevent.killall(jobs)
        raise RuntimeError("a client did not finish within 60 s of the window")
    return _summary(latencies, seconds, errors[0], _cpu() - (cpu_before[0] or 0))


class Http:
    """One keep-alive connection per client (http.client: little client CPU)."""

    def __init__(self, base_url: str, path: str, cookies: list[str]) -> None:
        parts = urlsplit(base_url)
        self.host, self.port, self.path = parts.hostname, parts.port, path
        self.cookies = cookies
        self.connections: dict[int, http.client.HTTPConnection] = {}

    def call(self, index: int) -> bool:
        """One GET; True when it answered 200."""
        connection = self.connections.get(index)
        if connection is None:
            connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
            self.connections[index] = connection
        headers = {"Cookie": self.cookies[index % len(self.cookies)]}
        try:
            connection.request("GET", self.path, headers=headers)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            connection.close()
            self.connections.pop(index, None)
            return False
        return response.status == 200

    def close(self) -> None:
        """Close every connection."""
        for connection in self.connections.values():
            connection.close()


def load_page(base_url: str, path: str, cookies: list[str], args) -> dict:
    """One page, CLIENTS at a time, closed loop."""
    client = Http(base_url, path, cookies)
    try:
        return closed_loop(client.call, CLIENTS, args.seconds, args.warmup)
    finally:
        client.close()


def open_sockets(base_url: str, cookies: list[str], room: str) -> tuple[list, str]:
    """One socket per client, joined to the room; the id to load earlier from."""
    sockets = []
    try:
        for index, cookie in enumerate(cookies):
            sockets.append(Sock(index, base_url, cookie))
        acks = [
            sock.call_async("room:join", {"room_id": room}).get(timeout=60)
            for sock in sockets
        ]
    except BaseException:
        close_sockets(sockets)
        raise
    if not acks[0].get("messages"):
        close_sockets(sockets)
        raise RuntimeError(f"room:join gave no history: {acks[0]}")
    return sockets, acks[0]["messages"][0]["id"]


def close_sockets(sockets: list) -> None:
    """Disconnect every socket."""
    for sock in sockets:
        sock.close()


def history_call(sockets: list, room: str, before: str):
    """one_call for closed_loop: `message:history` before `before`, 50 back."""

    def call(index: int) -> bool:
        data = {"room_id": room, "before_id": before}
        ack = sockets[index].call_async("message:history", data).get(timeout=30)
        return len(ack.get("messages", ())) == 50

    return call


# --- statements -----------------------------------------------------------------------


def statements_of(base_url: str, request) -> int:
    """SQL statements the server ran for one request (fewest of three tries, so a
    housekeeping tick in between does not count)."""
    counts = []
    for _ in range(3):
        before = int(requests.get(base_url + COUNTER, timeout=10).text)
        request()
        counts.append(int(requests.get(base_url + COUNTER, timeout=10).text) - before)
    return min(counts)


def check_page(base_url: str, key: str, path: str, cookie: str) -> None:
    """The page answers 200 with what it should show (not a login redirect)."""
    response = requests.get(
        base_url + path, headers={"Cookie": cookie}, allow_redirects=False, timeout=30
    )
    if response.status_code != 200 or MARKERS.get(key, "") not in response.text:
        raise RuntimeError(f"{path}: {response.status_code}, not the expected page")


def count_statements(app: Server, ids: dict, cookies: dict, sockets, before) -> dict:
    """Statements per page, each page alone (one client)."""
    counts = {}
    for key, (_, who, path, *_rest) in PAGES.items():
        cookie = cookies[who][0]
        if path is None:
            call = history_call(sockets, ids["big"], before)
            counts[key] = statements_of(app.base_url, lambda: call(0))
            continue
        path = path.format(**ids)
        check_page(app.base_url, key, path, cookie)
        counts[key] = statements_of(
            app.base_url,
            lambda: requests.get(
                app.base_url + path, headers={"Cookie": cookie}, timeout=30
            ),
        )
    return counts


# --- servers and one database ---------------------------------------------------------


def sizes(scale: float) -> dict[str, int]:
    """Seed sizes at this scale (1: the issue's)."""
    return {
        "messages": max(1000, round(1_000_000 * scale)),
        "members": max(20, round(1000 * scale)),
        "partners": max(5, round(50 * scale)),
        "pending": max(10, round(100 * scale)),
        "resources": max(100, round(10_000 * scale)),
    }


def prepare(env: dict, scale: float) -> dict:
    """Migrate and seed; the seed's JSON (room ids, logins, timings)."""
    run = dict(cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    subprocess.run([*FLASK, "--app", "network", "db", "upgrade"], check=True, **run)
    flags = [f"--{name}={value}" for name, value in sizes(scale).items()]
    seeded = subprocess.run(
        ["taskset", "-c", "1", PYTHON, str(BENCH / "pages_load_seed.py"), *flags]
        + ["--password", PASSWORD],
        check=True,
        **run,
    )
    return json.loads(seeded.stdout.strip().splitlines()[-1])


def start_servers(name: str, env: dict, tmp: Path, servers: list) -> tuple:
    """The real app (with the statement counter) and the bare page, on core 0."""
    app = start_gunicorn(name, "bench.pages_load_wsgi:app", ROOT, env, tmp)
    servers.append(app)
    bare = start_gunicorn(f"{name}-bare", "pages_load_bare:app", BENCH, env, tmp)
    servers.append(bare)
    wait_listening(app, "/healthz", timeout=60)
    wait_listening(bare, "/room/none", timeout=60)
    return app, bare


def sign_in(app: Server, ids: dict) -> dict[str, list[str]]:
    """Ten members, and the lead ten times (one session per client)."""
    pool = gevent.pool.Pool(4)
    return {
        "member": pool.map(
            lambda login: http_login(app.base_url, login), ids["members"]
        ),
        "lead": pool.map(lambda _: http_login(app.base_url, ids["lead"]), range(10)),
    }


def measure(name: str, env: dict, tmp: Path, servers: list, args) -> dict:
    """Seed one database, start both servers, load the bare page and every page."""
    print(f"[{name}] migrate and seed", flush=True)
    ids = prepare(env, args.scale)
    print(f"[{name}] seeded in {ids['seed']}", flush=True)
    app, bare = start_servers(name, env, tmp, servers)
    try:
        cookies = sign_in(app, ids)
        result = {"seed": ids["seed"], "pages": {}, "bare": []}
        bare_path = f"/room/{ids['big']}"
        print(f"[{name}] bare page", flush=True)
        result["bare"].append(load_page(bare.base_url, bare_path, [""], args))
        for key, (title, who, path, *_rest) in PAGES.items():
            if path is None:
                continue
            print(f"[{name}] {title}", flush=True)
            url_path = path.format(**ids)
            check_page(app.base_url, key, url_path, cookies[who][0])
            result["pages"][key] = load_page(app.base_url, url_path, cookies[who], args)
        print(f"[{name}] message:history", flush=True)
        sockets, before = open_sockets(app.base_url, cookies["member"], ids["big"])
        try:
            call = history_call(sockets, ids["big"], before)
            result["pages"]["history"] = closed_loop(
                call, CLIENTS, args.seconds, args.warmup
            )
            result["statements"] = count_statements(app, ids, cookies, sockets, before)
        finally:
            close_sockets(sockets)
        print(f"[{name}] bare page again", flush=True)
        result["bare"].append(load_page(bare.base_url, bare_path, [""], args))
        result["tracebacks"] = app.tracebacks() + bare.tracebacks()
        return result
    finally:
        stop(app)
        stop(bare)


def postgres_env(env: dict, databases: list[str]) -> dict:
    """A fresh PostgreSQL database, dropped at exit."""
    import psycopg

    name = f"bench_pages_load_{os.getpid()}"
    with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    databases.append(name)
    return {**env, "DATABASE_URL": f"{PG_ADMIN.rsplit('/', 1)[0]}/{name}"}


def run(args, tmp: Path, servers: list, databases: list) -> dict:
    """SQLite, then (with --postgres) PostgreSQL."""
    env = app_env(tmp)
    results = {"sizes": sizes(args.scale), "args": vars(args).copy()}
    results["run_at"] = f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M}"
    results["args"].pop("json", None)
    results["args"].pop("report_from", None)
    results["sqlite"] = measure("sqlite", env, tmp, servers, args)
    save(results, args)
    if args.postgres:
        try:
            pg_env = postgres_env(env, databases)
            results["postgres"] = measure("postgres", pg_env, tmp, servers, args)
        except Exception as error:  # report what SQLite measured anyway
            results["postgres_error"] = repr(error)
            print(f"PostgreSQL run failed: {error!r}", flush=True)
    return results


def save(results: dict, args) -> None:
    """Write what is measured so far to --json (a later failure keeps it)."""
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


# --- the report -----------------------------------------------------------------------

METHOD = (
    "How: each server is `gunicorn -k gevent -w 1` pinned to core 0 (`taskset -c"
    " 0`), the real one from the project root (gunicorn.conf.py applies) as"
    " `bench.pages_load_wsgi:app`, which is `wsgi:app` plus an engine listener"
    " counting statements; the load client (one process, one greenlet and one"
    " keep-alive http.client connection per client) is pinned to core 1. Ten"
    " clients run back to back (closed loop) for `--seconds` after a warm-up;"
    " requests/s counts the requests that began and ended inside the window, p50 and"
    " p99 are theirs. Members load the room page, home, directory, library search"
    " and `message:history`; the lead (signed in ten times) loads the members and"
    " requests lists. `message:history` asks, over each client's own Socket.IO"
    " connection, for the 50 messages before the oldest one `room:join` gave. The"
    " bare page (bench/pages_load_bare.py: Flask, no auth, one SQL query, a Jinja"
    " template compiled once) renders the big room's last 50 messages; it is loaded"
    " before and after the pages and the ratios use the mean. Statements: the"
    " counter read before and after one request with no other load, fewest of three."
    " Seed (bench/pages_load_seed.py): one organization of members (one lead),"
    " pending requests, a partner organization at collaborate; one big room that"
    " every member joined holds half of the messages, 20 small rooms the rest;"
    " resources, one in five the partner's, half of them about housing."
)


def _ratio(value: float, base: float) -> str:
    return f"{value / base:.2f}×" if base else "—"


def _table(result: dict) -> list[str]:
    """One database's rows."""
    bare_rps = [b["rps"] for b in result["bare"]]
    base = sum(bare_rps) / len(bare_rps)
    bare = result["bare"][-1]
    lines = [
        "| page | requests/s | p50 ms | p99 ms | SQL statements | requests/s ÷ bare"
        " | target |",
        "|---|---|---|---|---|---|---|",
        "| bare Flask page, 50 messages | "
        + " / ".join(f"{r:.0f}" for r in bare_rps)
        + f" (before / after) | {bare['p50_ms']:.1f} | {bare['p99_ms']:.1f} | 1 | 1× |"
        " |",
    ]
    for key, (title, _who, _path, share, p99_target) in PAGES.items():
        page = result["pages"][key]
        met = page["rps"] >= share * base and page["errors"] == 0
        target = f"≥ {share}×"
        if p99_target is not None:
            met = met and page["p99_ms"] <= p99_target
            target += f", p99 ≤ {p99_target} ms"
        errors = f" ({page['errors']} errors)" if page["errors"] else ""
        lines.append(
            f"| {title} | {page['rps']:.0f}{errors} | {page['p50_ms']:.1f} | "
            f"{page['p99_ms']:.1f} | {result['statements'][key]} | "
            f"{_ratio(page['rps'], base)} | {target}: {'met' if met else 'not met'} |"
        )
    shares = [p["client_cpu_share"] for p in result["pages"].values()]
    shares += [b["client_cpu_share"] for b in result["bare"]]
    seed = result["seed"]
    lines += [
        "",
        f"Seeded in {seed['people_s'] + seed['messages_s'] + seed['resources_s']:.1f} s"
        f" (messages {seed['messages_s']:.1f} s, resources {seed['resources_s']:.1f} s)."
        f" Load client CPU: at most {max(shares):.0%} of its core. Tracebacks in the"
        f" server logs: {result['tracebacks']}.",
    ]
    return lines


def report(results: dict, machine: str) -> str:
    """The markdown section for bench/RESULTS.md."""
    args, size = results["args"], results["sizes"]
    lines = [
        "## Pages under load (`bench/pages_load.py`)",
        "",
        f"Run on {results['run_at']} UTC, "
        f"`--scale {args['scale']} --seconds {args['seconds']}"
        + (" --postgres" if args["postgres"] else "")
        + f"`: {size['messages']:,} messages, {size['members']:,} members,"
        f" {size['pending']} pending requests, {size['resources']:,} resources."
        f" Machine: `{machine}`. {args['note']}".rstrip(),
    ]
    for key, title in (("sqlite", "SQLite"), ("postgres", "PostgreSQL")):
        if key in results:
            lines += ["", f"### {title}, {CLIENTS} concurrent clients", ""]
            lines += _table(results[key])
    if "postgres_error" in results:
        lines += ["", f"PostgreSQL run failed: `{results['postgres_error']}`."]
    lines += ["", METHOD]
    return "\n".join(lines) + "\n"


def finish(results: dict, args) -> None:
    """Print the report and write it into bench/RESULTS.md (unless --no-write)."""
    uname = subprocess.run(["uname", "-a"], capture_output=True, text=True).stdout
    machine = f"{uname.strip()}, nproc={os.cpu_count()}"
    section = report(results, machine)
    print(section)
    if not args.no_write:
        write_results(section, "pages_load")


def main() -> None:
    """Parse flags, run under a global deadline, clean up whatever happens."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--max-minutes", type=float, default=20.0)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--postgres", action="store_true", help="also PostgreSQL")
    parser.add_argument("--note", default="", help="added to the RESULTS.md text")
    parser.add_argument("--json", type=Path, help="also write raw results here")
    parser.add_argument(
        "--report-from", type=Path, help="no run: report the results of a --json file"
    )
    args = parser.parse_args()
    if args.report_from:
        results = json.loads(args.report_from.read_text())
        results["args"]["note"] = args.note or results["args"].get("note", "")
        finish(results, args)
        return
    os.sched_setaffinity(0, {1})  # the load client: core 1 (servers get core 0)
    _on_signals()
    tmp = Path(tempfile.mkdtemp(prefix="pages-load-"))
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


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("interrupted: servers stopped, temporary files removed")

"""Other clients' latency while a large (allowed) image is being uploaded.

Starts the real server (python wsgi.py under gevent, as tests/e2e do), then
measures simple GETs (/healthz, /library) and socket round trips (session:check)
first alone, then while one client uploads a large PNG again and again. Prints
p50/p99 of each and the ratio of p99 under upload to p99 alone (goal: within 2x).
Measured, never asserted: the machine is shared and noisy.

    .venv/bin/python bench/upload_p99.py [--seconds 15] [--side 6000]
"""

from __future__ import annotations

import argparse
import io
import statistics
import struct
import sys
import tempfile
import threading
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.e2e.conftest import (  # noqa: E402
    FLASK,
    _run,
    _server_env,
    _stop,
    _wait_healthy,
    connect_socket,
    cookie_header,
    csrf_from,
    http_login,
    start_server,
)

MEMBER = "harbour.sam"


def flat_png(side: int) -> bytes:
    """A side x side RGBA PNG of one colour: tiny on disk, side*side*4 to decode."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    packer = zlib.compressobj(9)
    row = b"\x00" + b"\x20\x60\xa0\xff" * side
    idat = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    header = struct.pack(">IIBBBBB", side, side, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", idat)
        + chunk(b"IEND", b"")
    )


def probe(base: str, seconds: float) -> dict[str, list[float]]:
    """Latencies (ms) of GETs and socket round trips for `seconds`."""
    session = http_login(base, MEMBER)
    sock = connect_socket(base, cookie=cookie_header(session), origin=base)
    found: dict[str, list[float]] = {"GET /healthz": [], "GET /library": []}
    found["socket session:check"] = []
    deadline = time.monotonic() + seconds

    def loop(name: str, call) -> None:
        while time.monotonic() < deadline:
            start = time.perf_counter()
            call()
            found[name].append((time.perf_counter() - start) * 1000)
            time.sleep(0.02)

    calls = {
        "GET /healthz": lambda: session.get(base + "/healthz", timeout=60),
        "GET /library": lambda: session.get(base + "/library", timeout=60),
        "socket session:check": lambda: sock.call("session:check", {}, timeout=60),
    }
    threads = [threading.Thread(target=loop, args=item) for item in calls.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sock.disconnect()
    return found


def uploader(base: str, image: bytes, stop: threading.Event, took: list[float]):
    """Upload the image again and again until told to stop."""
    session = http_login(base, MEMBER)
    while not stop.is_set():
        token = csrf_from(session, base + "/library/new")
        start = time.perf_counter()
        response = session.post(
            base + "/library/new",
            data={
                "csrf_token": token,
                "kind": "file",
                "title": "Large map",
                "language": "en",
                "visibility": "org",
            },
            files={"file": ("map.png", io.BytesIO(image), "image/png")},
            allow_redirects=False,
            timeout=120,
        )
        assert response.status_code == 302, response.text[-500:]
        took.append((time.perf_counter() - start) * 1000)


def p99(values: list[float]) -> float:
    """The 99th percentile (the largest value for short runs)."""
    return statistics.quantiles(values, n=100)[98] if len(values) > 1 else values[0]


def report(alone: dict, loaded: dict) -> None:
    """One line per probe: p50 and p99 alone and under upload, and the ratio."""
    for name in alone:
        base, busy = alone[name], loaded[name]
        print(
            f"{name:22} n={len(base):4}/{len(busy):<4} "
            f"alone p50={statistics.median(base):7.1f} p99={p99(base):7.1f} ms  "
            f"upload p50={statistics.median(busy):7.1f} p99={p99(busy):7.1f} ms  "
            f"ratio p99={p99(busy) / p99(base):5.2f}x"
        )


def main() -> None:
    """Start the server, measure alone, measure under uploads, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--side", type=int, default=6000, help="image side (pixels)")
    args = parser.parse_args()
    image = flat_png(args.side)
    tmp = Path(tempfile.mkdtemp(prefix="pn-bench-upload-"))
    env = _server_env(tmp / "bench.sqlite3", "http://127.0.0.1:9/", "gevent")
    env["UPLOAD_DIR"] = str(tmp / "uploads")
    _run([*FLASK, "--app", "network", "db", "upgrade"], env)
    _run([*FLASK, "--app", "network", "seed-demo"], env)
    server = start_server(env, tmp, "bench")
    try:
        _wait_healthy(server)
        base = server.base_url
        print(
            f"image {args.side}x{args.side} RGBA PNG, {len(image) // 1024} KB, "
            f"{args.side * args.side / 1e6:.0f} MP; {args.seconds:.0f} s per phase"
        )
        alone = probe(base, args.seconds)
        stop, took = threading.Event(), []
        upload = threading.Thread(target=uploader, args=(base, image, stop, took))
        upload.start()
        time.sleep(0.5)  # the first upload is under way
        loaded = probe(base, args.seconds)
        stop.set()
        upload.join()
        report(alone, loaded)
        print(
            f"uploads: {len(took)}, median {statistics.median(took):.0f} ms each"
            if took
            else "uploads: none finished"
        )
    finally:
        _stop(server.process)


if __name__ == "__main__":
    main()

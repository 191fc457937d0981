"""Measure the hot pages: latency and SQL statements per request, by org size.

    .venv/bin/python bench/bench_pages.py [--members 10 100 1000] [--repeat 50]

Prints one line per page and size. A page whose statement count grows with the
number of members has an N+1 query; the count should stay flat.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event  # noqa: E402

from network import create_app  # noqa: E402
from network.extensions import db  # noqa: E402
from tests import factories  # noqa: E402
from tests.conftest import IsolatedClient, login  # noqa: E402


def run(members: int, repeat: int) -> None:
    """Build an org of `members` members and time the lead's pages."""
    app = create_app("test")
    app.test_client_class = IsolatedClient
    with app.app_context():
        db.create_all()
        org = factories.make_org()
        lead = factories.make_member(org, role="lead")
        for n in range(members):
            factories.make_member(org, status="pending" if n % 5 == 0 else "approved")
        client = app.test_client()
        login(client, lead)
        statements = []
        event.listen(
            db.engine, "before_cursor_execute", lambda *args: statements.append(1)
        )
        for path in (
            "/",
            "/org/members",
            "/org/requests",
            f"/orgs/{org.public_id}/audit",
        ):
            timings = []
            for _ in range(repeat):
                statements.clear()
                start = time.perf_counter()
                assert client.get(path).status_code == 200
                timings.append((time.perf_counter() - start) * 1000)
            print(
                f"{path:<28} members={members:<5} "
                f"median={statistics.median(timings):6.2f} ms  "
                f"p95={sorted(timings)[int(len(timings) * 0.95) - 1]:6.2f} ms  "
                f"sql={len(statements)}"
            )
        db.session.remove()
        db.drop_all()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    for size in args.members:
        run(size, args.repeat)

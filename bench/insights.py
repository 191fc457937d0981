"""The insights page's queries on a year of activity for 1,000 members, in a
temporary SQLite file, against a bare COUNT query baseline in the same run.

    .venv/bin/python bench/insights.py [--members 1000] [--repeat 10]

Not a timed test: it prints medians and the ratio to the baseline (bench/RESULTS.md).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select  # noqa: E402

from network import create_app  # noqa: E402
from network.extensions import db  # noqa: E402
from network.insights import services  # noqa: E402
from network.models import (  # noqa: E402
    Account,
    CheckIn,
    Membership,
    Message,
    Organization,
    Profile,
    Report,
    Resource,
    ResourceDownload,
    Room,
    SupervisionSession,
    SupportRequest,
)

NOW = datetime.now(UTC)


def _when(rng: random.Random) -> datetime:
    return NOW - timedelta(seconds=rng.randrange(365 * 86400))


def build(members: int, rng: random.Random) -> int:
    """One organization (and a second one) with a year of activity; its id."""
    orgs = [Organization(name=f"Org {n}", region="ON") for n in range(2)]
    db.session.add_all(orgs)
    db.session.flush()
    org = orgs[0]
    accounts = [
        {"login_name": f"u{n}", "login_key": f"u{n}", "password_hash": "x"}
        for n in range(members)
    ]
    db.session.execute(insert(Account), accounts)
    ids = list(db.session.scalars(select(Account.id)))
    db.session.execute(
        insert(Profile),
        [
            {
                "account_id": i,
                "pseudonym": f"P{i}",
                "pseudonym_key": f"p{i}",
                "tag": f"{i:04d}"[-4:],
            }
            for i in ids
        ],
    )
    db.session.execute(
        insert(Membership),
        [
            {
                "account_id": i,
                "organization_id": org.id,
                "role": "member",
                "status": "approved",
                "joined_via": "invitation",
                "approved_at": _when(rng),
            }
            for i in ids
        ],
    )
    rooms = [Room(host_org_id=org.id, name=f"Room {n}") for n in range(20)]
    db.session.add_all(rooms)
    db.session.flush()
    db.session.execute(
        insert(Message),
        [
            {
                "room_id": rng.choice(rooms).id,
                "author_id": rng.choice(ids),
                "client_msg_id": f"c{n}",
                "body": "b",
                "html": "b",
                "created_at": _when(rng),
                "public_id": f"m{n:022d}",
            }
            for n in range(100_000)
        ],
    )
    sessions = []
    for n in range(200):
        start = _when(rng)
        sessions.append(
            {
                "room_id": rooms[0].id,
                "starts_at": start,
                "ends_at": start + timedelta(hours=1),
                "public_id": f"s{n:022d}",
            }
        )
    db.session.execute(insert(SupervisionSession), sessions)
    session_ids = list(db.session.scalars(select(SupervisionSession.id)))
    db.session.execute(
        insert(CheckIn),
        [
            {"session_id": s, "account_id": a, "feeling": 3}
            for s in session_ids
            for a in rng.sample(ids, 12)
        ],
    )
    alerts = []
    for n in range(1000):
        created = _when(rng)
        alerts.append(
            {
                "room_id": rooms[0].id,
                "host_org_id": org.id,
                "requester_id": rng.choice(ids),
                "kind": "support",
                "created_at": created,
                "public_id": f"a{n:022d}",
                "handled_at": created + timedelta(minutes=rng.randrange(5, 600)),
            }
        )
    db.session.execute(insert(SupportRequest), alerts)
    reports = []
    for n in range(2000):
        created = _when(rng)
        reports.append(
            {
                "reporter_id": rng.choice(ids),
                "target_type": "profile",
                "routed_org_id": org.id,
                "category": rng.choice(["spam", "harassment", "other"]),
                "created_at": created,
                "resolved_at": created + timedelta(days=2),
                "public_id": f"r{n:022d}",
            }
        )
    db.session.execute(insert(Report), reports)
    tags = ["court", "housing", "health", "work", "legal", "care", "money", "family"]
    db.session.execute(
        insert(Resource),
        [
            {
                "owner_org_id": org.id,
                "author_id": rng.choice(ids),
                "title": "t",
                "tags": "," + ",".join(rng.sample(tags, 2)) + ",",
                "kind": "file",
                "created_at": _when(rng),
                "public_id": f"f{n:022d}",
            }
            for n in range(1000)
        ],
    )
    resource_ids = list(db.session.scalars(select(Resource.id)))
    months = sorted(
        {(NOW - timedelta(days=30 * k)).strftime("%Y-%m") for k in range(12)}
    )
    db.session.execute(
        insert(ResourceDownload),
        [
            {"resource_id": r, "month": m, "count": rng.randrange(1, 20)}
            for r in resource_ids
            for m in months
        ],
    )
    db.session.commit()
    return org.id


def _median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        db.session.expire_all()
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        uri = f"sqlite:///{tmp}/insights.db"
        app = create_app("test", SQLALCHEMY_DATABASE_URI=uri)
        with app.app_context():
            db.create_all()
            org_id = build(args.members, random.Random(18))
            base = _median_ms(
                lambda: db.session.scalar(select(func.count()).select_from(Message)),
                args.repeat,
            )
            year = _median_ms(
                lambda: db.session.scalar(
                    select(func.count())
                    .select_from(Message)
                    .join(Room, Room.id == Message.room_id)
                    .where(Room.host_org_id == org_id)
                ),
                args.repeat,
            )
            page = _median_ms(lambda: services.build(org_id), args.repeat)
            network = _median_ms(lambda: services.build(None), args.repeat)
            print(f"members={args.members} messages=100000 repeat={args.repeat}")
            print(f"bare COUNT(*) messages      median={base:8.2f} ms  ratio=1.0")
            print(
                f"COUNT(*) the org's messages median={year:8.2f} ms  ratio={year / base:.1f}"
            )
            print(
                f"insights, one organization  median={page:8.2f} ms  ratio={page / base:.1f}"
            )
            print(
                f"insights, network-wide      median={network:8.2f} ms  ratio={network / base:.1f}"
            )
            db.session.remove()


if __name__ == "__main__":
    main()

"""Seed step for bench/pages_load.py, run against a migrated, empty database.

One organization of `--members` approved members (bench0000 is its lead, all share
one password), `--pending` join requests, a partner organization at collaborate,
one big room that every member joined and that holds half of `--messages`, the
other half spread over 20 small rooms, and `--resources` library resources (half
of them about "housing"). Messages go in by one INSERT ... SELECT (a recursive
CTE on SQLite, generate_series on PostgreSQL), resources by one executemany.
Prints what the load client needs as JSON on the last line.

    DATABASE_URL=... python bench/pages_load_seed.py --members 1000 --messages 1000000
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, text  # noqa: E402

from network import create_app  # noqa: E402
from network.accounts import pseudonyms  # noqa: E402
from network.extensions import db  # noqa: E402
from network.models import (  # noqa: E402
    Account,
    Membership,
    Organization,
    OrgTrust,
    Profile,
    Resource,
    Role,
    Room,
    RoomMember,
    Status,
    VettingItem,
)
from network.models.types import TAG_ALPHABET  # noqa: E402
from network.security import hash_password  # noqa: E402

SMALL_ROOMS = 20
NAMES = ["Willow", "Harbor", "Juniper", "Falcon", "Meadow", "Spruce", "Heron", "Birch"]
TOPICS = ["housing", "court", "employment", "health"]
_tags = itertools.product(TAG_ALPHABET, repeat=4)


def _account(login: str, password_hash: str, number: int) -> Account:
    """An account with a profile and a unique tag (random tags would collide)."""
    name = f"{NAMES[number % len(NAMES)]} {number}"
    account = Account(
        login_name=login, login_key=login.casefold(), password_hash=password_hash
    )
    account.profile = Profile(
        pseudonym=name,
        pseudonym_key=pseudonyms.skeleton(name),
        tag="".join(next(_tags)),
        region="ON",
        languages="en",
        experience="housing,court",
    )
    return account


def _org(name: str) -> Organization:
    org = Organization(name=name, region="ON")
    db.session.add(org)
    db.session.flush()
    db.session.add(VettingItem(organization_id=org.id, label="Check 1", position=0))
    return org


def _people(org, partner, args, password_hash: str) -> list[Account]:
    """Members of org (the first is the lead), partners' members, pending requests."""
    now = datetime.now(UTC)
    members = []
    for n in range(args.members):
        account = _account(f"bench{n:04d}", password_hash, n)
        role = Role.LEAD if n == 0 else Role.MEMBER
        db.session.add(
            Membership(
                account=account,
                organization_id=org.id,
                role=role,
                status=Status.APPROVED,
                joined_via="invitation",
                approved_at=now,
            )
        )
        members.append(account)
    for n in range(args.partners):
        account = _account(f"partner{n:04d}", password_hash, args.members + n)
        db.session.add(
            Membership(
                account=account,
                organization_id=partner.id,
                status=Status.APPROVED,
                joined_via="invitation",
                approved_at=now,
            )
        )
    for n in range(args.pending):
        account = _account(f"pending{n:04d}", password_hash, 100_000 + n)
        db.session.add(
            Membership(
                account=account,
                organization_id=org.id,
                status=Status.PENDING,
                joined_via="request",
                request_note="I volunteer at a shelter.",
            )
        )
    db.session.flush()
    return members


def _rooms(org, members: list[Account]) -> tuple[Room, list[Room]]:
    """The big room (every member joined) and the small rooms (20 members each)."""
    big = Room(host_org_id=org.id, name="Bench big room")
    db.session.add(big)
    db.session.flush()
    small = []
    for n in range(SMALL_ROOMS):
        room = Room(host_org_id=org.id, name=f"Bench room {n:02d}")
        db.session.add(room)
        db.session.flush()
        small.append(room)
    ids = [room.id for room in small]
    if ids != list(range(ids[0], ids[0] + SMALL_ROOMS)):
        raise RuntimeError("small room ids are not contiguous")
    rows = [{"room_id": big.id, "account_id": a.id} for a in members]
    for n, room in enumerate(small):
        chosen = members[(n * 20) % len(members) :][:20] or members[:20]
        rows += [{"room_id": room.id, "account_id": a.id} for a in chosen]
    db.session.execute(insert(RoomMember), rows)
    return big, small


MESSAGE_COLUMNS = (
    "public_id, room_id, author_id, client_msg_id, body, html, content_warning,"
    " created_at, hidden_reason"
)
# n-th message: even ones in the big room, odd ones round-robin in the small rooms;
# authors round-robin over the members (their ids are contiguous); one second apart,
# ending now (well inside the rooms' 90-day retention).
MESSAGE_VALUES = (
    "'sm' || {pad}, CASE WHEN n % 2 = 0 THEN :big ELSE :small + (n / 2) % :rooms END,"
    " :author + n % :authors, 'seed' || n, 'Seed message ' || n || ' about housing',"
    " '<p>Seed message ' || n || ' about housing</p>', '', {created}, ''"
)


def _messages(count: int, big: Room, small: list[Room], members: list[Account]):
    """`count` messages in one statement, generated inside the database."""
    ids = [a.id for a in members]
    if ids != list(range(ids[0], ids[0] + len(ids))):
        raise RuntimeError("member account ids are not contiguous")
    start = int(time.time()) - count - 60
    params = dict(
        count=count,
        big=big.id,
        small=small[0].id,
        rooms=len(small),
        author=ids[0],
        authors=len(ids),
        start=start,
    )
    if db.engine.dialect.name == "sqlite":
        values = MESSAGE_VALUES.format(
            pad="printf('%022d', n)", created="datetime(:start + n, 'unixepoch')"
        )
        sql = (
            f"INSERT INTO messages ({MESSAGE_COLUMNS}) WITH RECURSIVE seq(n) AS"
            " (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n + 1 < :count)"
            f" SELECT {values} FROM seq"
        )
    else:
        values = MESSAGE_VALUES.format(
            pad="lpad(n::text, 22, '0')",
            created="to_timestamp(:start + n) AT TIME ZONE 'UTC'",
        )
        sql = (
            f"INSERT INTO messages ({MESSAGE_COLUMNS}) SELECT {values}"
            " FROM generate_series(0, :count - 1) AS n"
        )
    db.session.execute(text(sql), params)


def _resources(count: int, org, partner, author: Account) -> None:
    """`count` link resources; one in five the partner's, shared with partners."""
    now = datetime.now(UTC)
    rows = []
    for n in range(count):
        topic = TOPICS[n % 2 * (1 + n // 2 % 3)]  # half "housing"
        theirs = n % 5 == 4
        rows.append(
            {
                "owner_org_id": partner.id if theirs else org.id,
                "author_id": None if theirs else author.id,
                "title": f"A {topic} guide, part {n}",
                "description": f"What to know about {topic} ({n}).",
                "description_html": f"<p>What to know about {topic} ({n}).</p>",
                "tags": f",{topic},guide,",
                "language": "en",
                "visibility": "partners" if theirs else "org",
                "kind": "link",
                "url": f"https://example.org/{topic}/{n}",
                "created_at": now - timedelta(seconds=count - n),
                "updated_at": now - timedelta(seconds=count - n),
            }
        )
    db.session.execute(insert(Resource), rows)


def main() -> None:
    """Seed everything in one transaction; print the ids as JSON."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--partners", type=int, default=50)
    parser.add_argument("--pending", type=int, default=100)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--resources", type=int, default=10_000)
    parser.add_argument("--password", required=True)
    args = parser.parse_args()
    app = create_app()
    timings = {}
    with app.app_context():
        started = time.monotonic()
        org = _org("Bench Agency")
        partner = _org("Bench Partner")
        for a, b in ((org, partner), (partner, org)):
            db.session.add(OrgTrust(from_org_id=a.id, to_org_id=b.id, level=2))
        members = _people(org, partner, args, hash_password(args.password))
        big, small = _rooms(org, members)
        db.session.commit()
        timings["people_s"] = round(time.monotonic() - started, 2)
        started = time.monotonic()
        _messages(args.messages, big, small, members)
        db.session.commit()
        timings["messages_s"] = round(time.monotonic() - started, 2)
        started = time.monotonic()
        _resources(args.resources, org, partner, members[0])
        db.session.commit()
        timings["resources_s"] = round(time.monotonic() - started, 2)
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        print(
            json.dumps(
                {
                    "big": big.public_id,
                    "big_id": big.id,
                    "small": small[0].public_id,
                    "lead": "bench0000",
                    "members": [a.login_name for a in members[1:11]],
                    "seed": timings,
                }
            )
        )


if __name__ == "__main__":
    main()

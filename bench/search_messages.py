"""Message search against a bare full-text query on the same table: the policy's
filters (rooms joined and visible, people kept apart, hidden, deleted, retention)
cost this much on top of the match. Ratios, not a test; nothing asserts a time.

    .venv/bin/python bench/search_messages.py [--messages 50000] [--rooms 50]
    .venv/bin/python bench/search_messages.py --postgres   # BENCH_POSTGRES_URL

It also times deleting one message with forget_removed_text (FTS5 'optimize',
run after a delete, hide, edit or purge) at that size. The searcher is in 40 of the rooms; a tenth of the
messages are by someone they blocked.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, insert, select, text  # noqa: E402

from network import create_app, policy  # noqa: E402
from network.extensions import db  # noqa: E402
from network.models import Message, RoomMember, new_public_id, utcnow  # noqa: E402
from network.models.message_search import forget_removed_text  # noqa: E402
from network.safety import services as safety  # noqa: E402
from network.search import services  # noqa: E402
from network.text import fts5_match, search_terms, tsquery_text  # noqa: E402
from tests import factories  # noqa: E402

WORDS = (
    "support housing court meeting safety plan shelter legal advice group check "
    "feeling today tomorrow bus ticket clinic appointment form phone call"
).split()
QUERIES = {"common": "housing", "rare": "kiwifruit", "two words": "court tick"}
BARE = {
    "sqlite": "SELECT m.public_id, m.html FROM messages m WHERE m.id IN "
    "(SELECT rowid FROM messages_fts WHERE messages_fts MATCH :q) "
    "ORDER BY m.id DESC LIMIT 21",
    "postgresql": "SELECT m.public_id, m.html FROM messages m WHERE "
    "to_tsvector('simple', m.body) @@ to_tsquery('simple', :q) "
    "AND m.deleted_at IS NULL AND m.hidden_at IS NULL ORDER BY m.id DESC LIMIT 21",
}


def _seed(messages: int, rooms: int):
    org = factories.make_org("Bench")
    me = factories.make_member(org)
    others = [factories.make_member(org) for _ in range(20)]
    safety.block(others[0].id, actor=me)
    made = [factories.make_room(org) for _ in range(rooms)]
    for room in made[:40]:
        db.session.add(RoomMember(room_id=room.id, account_id=me.id))
    db.session.commit()
    rng = random.Random(7)
    now = utcnow()
    rows = []
    for n in range(messages):
        body = " ".join(rng.choice(WORDS) for _ in range(12))
        if n % 997 == 0:
            body += " kiwifruit"
        rows.append(
            {
                "public_id": new_public_id(),
                "room_id": made[n % rooms].id,
                "author_id": (others[0] if n % 10 == 0 else others[1 + n % 19]).id,
                "client_msg_id": f"bench-{n}",
                "body": body,
                "html": f"<p>{body}</p>",
                "content_warning": "",
                "created_at": now,
                "hidden_reason": "",
            }
        )
        if len(rows) == 5000:
            db.session.execute(insert(Message), rows)
            rows = []
    if rows:
        db.session.execute(insert(Message), rows)
    db.session.commit()
    return me


def _time(work, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def run(url: str, messages: int, rooms: int, repeat: int) -> None:
    app = create_app(
        "test", SQLALCHEMY_DATABASE_URI=url, SOCKET_RATELIMIT_ENABLED=False
    )
    with app.app_context():
        db.create_all()
        me = _seed(messages, rooms)
        dialect = db.engine.dialect.name
        if dialect == "postgresql":
            # Fresh bulk-loaded table: without statistics the planner reads every
            # row of the joined rooms instead of the GIN index (autovacuum
            # analyzes a live table on its own).
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        policy.active_membership(me)  # the signed-in member, as a request has it
        statements: list[str] = []
        event.listen(
            db.engine, "before_cursor_execute", lambda *a: statements.append(a[2])
        )
        print(f"\n{dialect}: {messages} messages in {rooms} rooms")
        print(f"{'query':<12}{'search ms':>11}{'bare ms':>10}{'ratio':>8}{'found':>7}")
        for name, query in QUERIES.items():
            terms = search_terms(query)
            match = fts5_match(terms) if dialect == "sqlite" else tsquery_text(terms)
            statements.clear()
            found = len(services.search(me, query).results)
            per_search = len(statements)
            full = _time(lambda q=query: services.search(me, q), repeat)
            bare = _time(
                lambda m=match: db.session.execute(text(BARE[dialect]), {"q": m}).all(),
                repeat,
            )
            print(
                f"{name:<12}{full:>11.2f}{bare:>10.2f}{full / bare:>8.1f}{found:>7}"
                f"   ({per_search} statement)"
            )
        victims = iter(db.session.scalars(select(Message).limit(repeat)).all())

        def delete_one() -> None:
            message = next(victims)
            message.deleted_at, message.body, message.html = utcnow(), "", ""
            forget_removed_text()
            db.session.commit()

        forget = _time(delete_one, repeat)
        print(f"delete one message + forget_removed_text: {forget:.1f} ms")
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument("--rooms", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{tmp}/bench.db", args.messages, args.rooms, args.repeat)
    if args.postgres:
        _on_postgres(args)


def _on_postgres(args) -> None:
    """In a database of its own (bench_search_<pid>), dropped afterwards."""
    import psycopg

    admin_url = os.environ.get(
        "BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
    )
    name = f"bench_search_{os.getpid()}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            url = admin_url.rsplit("/", 1)[0] + "/" + name
            url = url.replace("postgresql://", "postgresql+psycopg://")
            run(url, args.messages, args.rooms, args.repeat)
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()

"""room:join's presence is one query: its statement count does not grow with the
people present, a big room lists its first PRESENCE_LIMIT people and counts the
rest, and that count never includes someone the viewer is kept apart from."""

from __future__ import annotations

from sqlalchemy import event

from network.extensions import db
from network.models import RoomPresence
from network.rooms import services
from tests import factories
from tests.rooms.apart import join, make_circle, names


def _present(room, org, how_many: int, start: int = 0) -> None:
    for n in range(start, start + how_many):
        person = factories.make_member(org, pseudonym=f"Present {n:03d}")
        db.session.add(
            RoomPresence(sid=f"p-{n}", room_id=room.id, account_id=person.id)
        )
    db.session.commit()


def _join_statements(sock, room) -> tuple[int, dict]:
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    db.session.expire_all()
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        ack = join(sock, room)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert ack["ok"], ack
    return len(statements), ack


def test_join_statement_count_does_not_grow_with_people_present(app, connect):
    c = make_circle()
    sock = connect(c.pebble)
    assert join(sock, c.room)["ok"]  # first join creates the member row
    _present(c.room, c.harbour, 5)
    few, ack = _join_statements(sock, c.room)
    assert len(ack["presence"]) == 6 and ack["presence_more"] == 0
    _present(c.room, c.harbour, 55, start=5)
    many, ack = _join_statements(sock, c.room)
    assert many == few, (few, many)
    assert len(ack["presence"]) == services.PRESENCE_LIMIT


def test_big_room_lists_first_people_and_counts_only_visible_rest(app, connect):
    c = make_circle()  # Northern Lights and Prairie do not trust each other
    _present(c.room, c.harbour, services.PRESENCE_LIMIT + 7)
    for n, person in enumerate(
        (c.kestrel, c.kestrel, factories.make_member(c.prairie))
    ):
        db.session.add(
            RoomPresence(sid=f"apart-{n}", room_id=c.room.id, account_id=person.id)
        )
    db.session.commit()
    ack = join(connect(c.pebble), c.room)
    shown = names(ack["presence"])
    assert len(shown) == services.PRESENCE_LIMIT
    assert "Kestrel" not in shown
    # The viewer too is present: PRESENCE_LIMIT + 7 + 1 visible, no Prairie member.
    assert ack["presence_more"] == 8
    assert shown == sorted(shown, key=str.casefold)

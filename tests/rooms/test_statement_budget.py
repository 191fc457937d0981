"""Statement budgets on the hot paths: message:send and room:join run a small fixed
number of SQL statements, whoever is present. Counts statements, never time."""

from __future__ import annotations

from contextlib import contextmanager
from types import SimpleNamespace

from sqlalchemy import event

from network.extensions import db
from network.models import RoomPresence
from tests import factories
from tests.rooms.apart import join, make_circle, send

SEND_BUDGET = 6
JOIN_BUDGET = 8
PARTNER_SEND_BUDGET = 6  # measured: the same as an own-org room
PARTNER_JOIN_BUDGET = 8


@contextmanager
def counted(expire: bool = True):
    """Collect the SQL statements run inside the block (from a cold session)."""
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    if expire:
        db.session.expire_all()
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _crowd(room, org, how_many: int, tag: str) -> None:
    for n in range(how_many):
        person = factories.make_member(org)
        db.session.add(
            RoomPresence(sid=f"{tag}-{n}", room_id=room.id, account_id=person.id)
        )
    db.session.commit()


def _measure(sock, room) -> tuple[int, int]:
    room = SimpleNamespace(public_id=room.public_id)  # the test reads no rows
    with counted() as on_join:
        assert join(sock, room)["ok"]
    with counted() as on_send:
        assert send(sock, room, "counted")["ok"]
    return len(on_join), len(on_send)


def _org_room(connect):
    org = factories.make_org("Harbour")
    room = factories.make_room(org)
    sock = connect(factories.make_member(org, pseudonym="Sender"))
    assert join(sock, room)["ok"]  # the first join creates the member row
    assert send(sock, room, "warm up")["ok"]
    return org, room, sock


def test_send_and_join_in_own_org_room_stay_within_budget(app, connect):
    org, room, sock = _org_room(connect)
    few_join, few_send = _measure(sock, room)
    _crowd(room, org, 25, "crowd")
    many_join, many_send = _measure(sock, room)
    assert (many_join, many_send) == (few_join, few_send)
    assert many_send <= SEND_BUDGET, many_send
    assert many_join <= JOIN_BUDGET, many_join


def test_send_and_join_in_partner_room_stay_within_budget(app, connect):
    c = make_circle()
    sock = connect(c.pebble)
    assert join(sock, c.room)["ok"]
    assert send(sock, c.room, "warm up")["ok"]
    few_join, few_send = _measure(sock, c.room)
    _crowd(c.room, c.harbour, 10, "harbour")
    _crowd(c.room, c.prairie, 10, "prairie")
    many_join, many_send = _measure(sock, c.room)
    assert (many_join, many_send) == (few_join, few_send)
    assert many_send <= PARTNER_SEND_BUDGET, many_send
    assert many_join <= PARTNER_JOIN_BUDGET, many_join


def test_first_join_of_a_new_socket_stays_within_budget(app, connect):
    """A new socket adds its presence row and tells the room (one skip-list query)."""
    org, room, _ = _org_room(connect)
    _crowd(room, org, 25, "crowd")
    newcomer = factories.make_member(org, pseudonym="Newcomer")
    sock = connect(newcomer)
    assert join(sock, room)["ok"]  # creates the member row
    again = connect(newcomer)  # a second tab: a new socket, the row exists
    ref = SimpleNamespace(public_id=room.public_id)
    with counted() as on_join:
        assert join(again, ref)["ok"]
    assert len(on_join) <= JOIN_BUDGET, on_join


def test_policy_checks_reuse_the_access_context_until_a_commit(app):
    """post_refusal and can_moderate after access_room_context run no SQL in the
    same request; after a commit they fetch again."""
    from network import policy

    org = factories.make_org("Harbour")
    room = factories.make_room(org)
    member = factories.make_member(org)
    public_id = room.public_id
    with app.test_request_context("/"):
        access = policy.access_room_context(member, public_id)
        with counted(expire=False) as reused:
            assert policy.post_refusal(member, access.room) is None
            assert policy.can_moderate(member, access.room) is False
        assert reused == []
        db.session.commit()
        with counted(expire=False) as fetched:
            policy.post_refusal(member, access.room)
        assert fetched


@contextmanager
def commits():
    """Count the transactions committed inside the block."""
    seen: list[int] = []

    def count(conn) -> None:
        seen.append(1)

    event.listen(db.engine, "commit", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "commit", count)


def test_a_first_join_is_one_transaction(app, connect):
    """The member row, the presence row and the announcements of a first join
    commit together (not the row first, then the rest)."""
    org = factories.make_org("Harbour")
    room = factories.make_room(org)
    sock = connect(factories.make_member(org, pseudonym="First"))
    ref = SimpleNamespace(public_id=room.public_id)
    with commits() as committed:
        assert join(sock, ref)["ok"]  # creates the member row
    assert len(committed) == 1, committed

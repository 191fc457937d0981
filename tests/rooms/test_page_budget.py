"""Statement budgets of the room page and of message:history (load earlier): a
fixed number of SQL statements whatever the size of the room, its history, its
membership or the people present. Counts statements, never time."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest

from network.extensions import db
from network.models import (
    CheckIn,
    Message,
    Resource,
    Role,
    RoomMember,
    RoomPresence,
    SupervisionSession,
    TrustLevel,
    utcnow,
)
from network.rooms import services
from tests import factories
from tests.rooms.test_statement_budget import counted

# session, room+row, history, presence, labels, notice, pin, cards, the bell's count
ROOM_PAGE_BUDGET = 9
SUPERVISION_PAGE_BUDGET = 10  # + coming sessions with check-ins (+1 if none runs)
HISTORY_BUDGET = 4  # session, room+row, the message's position, history

SMALL = SimpleNamespace(members=5, messages=10, present=3)
LARGE = SimpleNamespace(members=60, messages=200, present=60)


@pytest.fixture
def orgs(app):
    host, partner = factories.make_org("Harbour"), factories.make_org("Prairie")
    factories.set_trust(host, partner, TrustLevel.COLLABORATE)
    viewer = factories.make_member(host, pseudonym="Viewer")
    return SimpleNamespace(host=host, partner=partner, viewer=viewer)


def _room(orgs, size, kind: str = "channel"):
    """A partner room of `size`: members of both organizations (one kept apart
    from the viewer), messages with a resource card every seventh, a pinned
    message, and people present."""
    room = factories.make_room(orgs.host, visibility="partners")
    room.kind = kind
    people = [
        factories.make_member(orgs.host if n % 2 else orgs.partner)
        for n in range(size.members)
    ]
    factories.separate(orgs.viewer, people[0])
    db.session.add_all(
        RoomMember(room_id=room.id, account_id=p.id, rules_accepted_at=utcnow())
        for p in [orgs.viewer, *people]
    )
    for n in range(size.messages):
        resource = None
        if n % 7 == 3:  # a distinct resource each time: no per-card look-up
            resource = Resource(
                owner_org_id=orgs.host.id,
                title=f"Guide {n}",
                kind="link",
                visibility="partners" if n % 2 else "org",
            )
            db.session.add(resource)
            db.session.flush()
        db.session.add(
            Message(
                room_id=room.id,
                author_id=people[n % len(people)].id,
                client_msg_id=f"{room.id}-{n}",
                body="" if resource else f"hello {n}",
                html="" if resource else f"<p>hello {n}</p>",
                resource_id=resource.id if resource else None,
                hidden_at=utcnow() if n % 13 == 5 else None,
            )
        )
    db.session.flush()
    room.pinned_message_id = db.session.scalar(
        db.select(Message.id).where(Message.room_id == room.id).limit(1)
    )
    db.session.add_all(
        RoomPresence(sid=f"{room.id}-{n}", room_id=room.id, account_id=p.id)
        for n, p in enumerate(people[: size.present])
    )
    db.session.commit()
    return room


def _supervision_room(orgs, size):
    room = _room(orgs, size, kind="supervision")
    now = utcnow()
    session = SupervisionSession(
        room_id=room.id,
        facilitator_id=orgs.viewer.id,
        topic="Debrief",
        starts_at=now - timedelta(minutes=5),
        ends_at=now + timedelta(minutes=55),
    )
    db.session.add(session)
    db.session.flush()
    db.session.add(CheckIn(session_id=session.id, account_id=orgs.viewer.id, feeling=4))
    db.session.commit()
    return room


def _page_statements(client, room) -> int:
    url = f"/rooms/{room.public_id}"
    assert client.get(url).status_code == 200  # warm: the same path, uncounted
    with counted() as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


def test_room_page_statements_do_not_grow_with_room_size(orgs, login_as):
    client = login_as(orgs.viewer)
    small = _page_statements(client, _room(orgs, SMALL))
    large = _page_statements(client, _room(orgs, LARGE))
    assert small == large, (small, large)
    assert large <= ROOM_PAGE_BUDGET, large


def test_supervision_room_page_statements_do_not_grow(orgs, login_as):
    client = login_as(orgs.viewer)
    small = _page_statements(client, _supervision_room(orgs, SMALL))
    large = _page_statements(client, _supervision_room(orgs, LARGE))
    assert small == large, (small, large)
    assert large <= SUPERVISION_PAGE_BUDGET, large


def test_lead_sees_the_same_budget(orgs, login_as):
    """A lead's page adds the management link without a query of its own."""
    lead = factories.make_member(orgs.host, role=Role.LEAD)
    client = login_as(lead)
    room = _room(orgs, SMALL)
    assert _page_statements(client, room) <= ROOM_PAGE_BUDGET


def _history_statements(sock, room) -> int:
    before = db.session.scalar(
        db.select(Message.public_id)
        .where(Message.room_id == room.id)
        .order_by(Message.id.desc())
        .limit(1)
    )
    ask = {"room_id": room.public_id, "before_id": before}
    assert sock.emit("message:history", ask, callback=True)["ok"]  # warm
    with counted() as statements:
        ack = sock.emit("message:history", ask, callback=True)
    assert ack["ok"], ack
    return len(statements)


def test_load_earlier_statements_do_not_grow_with_room_size(orgs, connect):
    sock = connect(orgs.viewer)
    small = _history_statements(sock, _room(orgs, SMALL))
    large = _history_statements(sock, _room(orgs, LARGE))
    assert small == large, (small, large)
    assert large <= HISTORY_BUDGET, large


def test_history_pages_match_the_one_message_payload(orgs):
    """history() reads columns; the live events build a payload from rows. Both
    draw the same message identically, for its author and for anyone else."""
    room = _room(orgs, SMALL)
    rows = db.session.scalars(
        db.select(Message).where(Message.room_id == room.id).order_by(Message.id)
    ).all()
    hidden = rows[5]
    for viewer_id in (orgs.viewer.id, hidden.author_id):
        viewer = db.session.get(type(orgs.viewer), viewer_id)
        expected = [
            services.message_payload(
                room, m, db.session.get(type(orgs.viewer), m.author_id), viewer.id
            )
            for m in rows
            if m.author_id != rows[0].author_id or viewer.id == m.author_id
        ]
        assert services.history(room, viewer) == expected
        assert any(p["resource"] for p in expected)
        assert any(p.get("hidden_reason") is not None for p in expected) == (
            viewer.id == hidden.author_id
        )

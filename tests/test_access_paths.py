"""Denied takes the same path as missing: the same SQL statements (no timing oracle).

Statements are counted, never milliseconds (bench/oracle_timing.py measures time).
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from network import policy
from network.errors import NotFound
from network.extensions import db
from network.models import Account, Message, Resource, Role, Separation
from network.models import SupportRequest, TrustLevel
from network.safety import services as safety
from tests import factories
from tests.conftest import csrf_token, wait_for_background


@contextmanager
def counted():
    """Count the SQL statements this thread sends while the block runs."""
    seen: list[str] = []
    me = threading.get_ident()

    def listener(conn, cursor, statement, params, context, executemany):
        if threading.get_ident() == me:
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)


def _statements(actor_id: int, func, *args) -> list[str]:
    """The statements one access_* call sends, from a fresh session (a new request)."""
    db.session.expire_all()
    actor = db.session.get(Account, actor_id)
    with counted() as seen:
        with pytest.raises(NotFound):
            func(actor, *args)
    return seen


@pytest.fixture
def net(app):
    home, other = factories.make_org("Home"), factories.make_org("Other")
    factories.set_trust(home, other, TrustLevel.MESSAGE)
    viewer = factories.make_member(home, pseudonym="Viewer V")
    hider = factories.make_member(home, pseudonym="Hider H")
    db.session.add(
        Separation(
            protected_id=hider.id,
            other_id=viewer.id,
            other_name="Viewer V",
        )
    )
    db.session.commit()
    return home, other, viewer, hider


def test_separated_profile_sends_the_same_statements_as_a_missing_one(app, net):
    _, _, viewer, hider = net
    denied = _statements(viewer.id, policy.access_profile, hider.profile.public_id)
    missing = _statements(viewer.id, policy.access_profile, "no-such-profile-00")
    assert len(denied) == len(missing) and denied == missing


def test_foreign_room_sends_the_same_statements_as_a_missing_one(app, net):
    home, other, viewer, _ = net
    room = factories.make_room(other, name="Theirs")
    denied = _statements(viewer.id, policy.access_room, room.public_id)
    missing = _statements(viewer.id, policy.access_room, "no-such-room-0000")
    assert denied == missing


def test_hidden_resource_sends_the_same_statements_as_a_missing_one(app, net):
    _, other, viewer, _ = net
    row = Resource(owner_org_id=other.id, title="T", kind="link", url="https://x.org")
    db.session.add(row)
    db.session.commit()
    denied = _statements(viewer.id, policy.access_resource, row.public_id)
    missing = _statements(viewer.id, policy.access_resource, "no-such-resource")
    assert denied == missing


def test_kept_apart_message_sends_the_same_statements_as_a_missing_one(app, net):
    home, _, viewer, hider = net
    room = factories.make_room(home)
    message = Message(room_id=room.id, author_id=hider.id, client_msg_id="c" * 8)
    message.body = message.html = "x"
    db.session.add(message)
    db.session.commit()
    denied = _statements(viewer.id, policy.access_reportable_message, message.public_id)
    missing = _statements(viewer.id, policy.access_reportable_message, "no-such-msg")
    assert denied == missing
    db.session.expire_all()
    room = db.session.get(type(room), room.id)
    denied = _statements(viewer.id, policy.access_room_message, room, message.public_id)
    missing = _statements(viewer.id, policy.access_room_message, room, "no-such-msg")
    assert denied == missing


def test_foreign_support_request_sends_the_same_statements_as_a_missing_one(app, net):
    home, other, _, _ = net
    lead = factories.make_member(home, role=Role.LEAD)
    theirs = factories.make_member(other)
    room = factories.make_room(other)
    row = SupportRequest(room_id=room.id, host_org_id=other.id, requester_id=theirs.id)
    db.session.add(row)
    db.session.commit()
    denied = _statements(lead.id, policy.access_support_request, row.public_id)
    missing = _statements(lead.id, policy.access_support_request, "no-such-request")
    assert denied == missing


def test_block_of_someone_else_sends_the_same_statements_as_a_missing_one(app, net):
    _, _, viewer, hider = net
    row = safety.block(viewer.id, actor=hider)
    denied = _statements(viewer.id, policy.access_block, row.public_id)
    missing = _statements(viewer.id, policy.access_block, "no-such-block-000")
    assert denied == missing


def test_reset_request_does_the_same_work_whatever_the_account(app, client, outbox):
    """The lookup, token and mail run after the answer: the request itself sends
    the same statements for an account with an email, one without, and nobody."""
    org = factories.make_org()
    factories.make_member(org, email="peer@example.org")
    no_email = factories.make_member(org)
    counts = []
    for who in ("peer@example.org", no_email.login_name, "nobody-at-all"):
        token = csrf_token(client, "/reset")  # outside the count
        with counted() as seen:
            response = client.post(
                "/reset", data={"csrf_token": token, "login_or_email": who}
            )
        assert response.status_code == 302
        counts.append(seen)
    assert counts[0] == counts[1] == counts[2]
    wait_for_background(app)
    assert [to for to, _, _ in outbox] == ["peer@example.org"]
    assert "/reset/t/" in outbox[0][2]


def _supervision_room(org, name: str):
    room = factories.make_room(org, name=name)
    room.kind = "supervision"
    db.session.commit()
    return room


def test_unrequestable_room_sends_the_same_statements_as_a_missing_one(app, net):
    """Asking to join a supervision room outside one's audience (or one already
    joined) reads exactly like asking for a room that does not exist."""
    _, other, viewer, _ = net
    theirs = _supervision_room(other, "Their circle")
    denied = _statements(viewer.id, policy.access_requestable_room, theirs.public_id)
    missing = _statements(viewer.id, policy.access_requestable_room, "no-such-room-00")
    assert denied == missing


def test_room_without_invitation_sends_the_same_statements_as_a_missing_one(app, net):
    """Answering an invitation one never had, to a room that exists, reads
    exactly like answering one for a room that does not exist."""
    home, _, viewer, _ = net
    room = _supervision_room(home, "Our circle")
    denied = _statements(viewer.id, policy.access_room_invitation, room.public_id)
    missing = _statements(viewer.id, policy.access_room_invitation, "no-such-room-00")
    assert denied == missing

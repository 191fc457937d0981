"""The socket gate (network/socket_gate.py) through Flask-SocketIO's test client:
the per-socket event budget and the shape check run before any handler work,
so a packet turned away costs no SQL statement."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from network.extensions import db
from network.models import LiveSocket
from network.socket_gate import Budget
from tests import factories
from tests.rooms.test_statement_budget import counted

RATE_LIMITED = {"ok": False, "error": "rate_limited"}
BAD = {"ok": False, "error": "bad_request"}


def test_budget_gives_the_burst_then_the_rate_and_forgives_after_a_pause():
    budget = Budget(3, now=0.0)
    assert [budget.take(3, 1, 0.0) for _ in range(4)] == [True, True, True, False]
    assert budget.strikes == 1
    assert budget.take(3, 1, 1.0) is True  # one token a second
    assert budget.take(3, 1, 1.0) is False
    assert budget.strikes == 2
    assert budget.take(3, 1, 10.0) is True  # refilled completely: strikes forgiven
    assert budget.strikes == 0


@pytest.fixture
def gate(app):
    """The app's socket gate, with a budget of three packets and no refill."""
    gate = app.extensions["network.socket_gate"]
    gate.burst, gate.rate, gate.strikes = 3.0, 0.0, 2
    return gate


@pytest.fixture
def member(app):
    return factories.make_member(factories.make_org("Harbour"), pseudonym="Sender")


def test_events_over_budget_are_refused_without_sql_and_a_flooder_is_closed(
    app, gate, member, login_as, socket_client, caplog
):
    sock = socket_client(login_as(member))  # its CONNECT takes one packet
    check = {"note": "private words"}
    assert sock.emit("session:check", check, callback=True)["ok"] is True
    assert sock.emit("session:check", check, callback=True)["ok"] is True
    with counted() as refused:
        assert sock.emit("session:check", check, callback=True) == RATE_LIMITED
        assert sock.emit("session:check", check, callback=True) == RATE_LIMITED
    assert refused == []  # dropped before any handler work
    assert sock.is_connected()
    with counted() as closing, caplog.at_level(logging.WARNING):
        sock.emit("session:check", check, callback=True)  # the third strike
    assert not sock.is_connected()
    assert db.session.scalar(select(LiveSocket.sid)) is None  # the app forgot it
    warnings = [r.getMessage() for r in caplog.records if r.name.endswith("gate")]
    assert warnings == [
        f"socket of account {member.id} closed: 3 packets over its event budget"
    ]
    assert "private words" not in caplog.text
    # Closing: the account for the log line, then the app forgets the socket.
    assert closing[0].startswith("SELECT live_sockets.account_id")
    assert len(closing) <= 3


def test_budget_is_per_socket(app, gate, member, login_as, socket_client):
    first = socket_client(login_as(member))
    for _ in range(2):
        first.emit("session:check", {}, callback=True)
    assert first.emit("session:check", {}, callback=True) == RATE_LIMITED
    second = socket_client(login_as(member))
    assert second.emit("session:check", {}, callback=True)["ok"] is True


@pytest.mark.parametrize(
    ("event", "args"),
    [
        ("no:such:event", ({},)),
        ("disconnect", ()),
        ("connect", ({},)),
        ("room:leave", ({"room_id": "abc"}, {"room_id": "abc"})),
        ("message:send", ({"room_id": "abc", "body": "\ud800"},)),
        ("room:join", ({"room_id": 2**70},)),
    ],
)
def test_malformed_events_get_bad_request_before_any_sql(
    app, member, login_as, socket_client, event, args
):
    sock = socket_client(login_as(member))
    with counted() as statements:
        assert sock.emit(event, *args, callback=True) == BAD
    assert statements == []
    assert sock.is_connected()
    assert db.session.scalar(select(LiveSocket.account_id)) == member.id


def test_malformed_event_without_ack_id_closes_the_socket(
    app, member, login_as, socket_client
):
    sock = socket_client(login_as(member))
    sock.emit("no:such:event", {})
    assert not sock.is_connected()

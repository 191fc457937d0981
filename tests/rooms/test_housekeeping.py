"""`flask housekeeping` runs one pass; apps built by tests never start the loops."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from network import housekeeping, realtime
from network.extensions import db
from network.models import LiveSocket, Message, ServerProcess, utcnow
from tests import factories


def test_housekeeping_command_purges_and_clears_dead_processes(app, world):
    short = factories.make_room(world.org_a, retention_days=7)
    db.session.add(
        Message(
            room_id=short.id,
            author_id=world.alice.id,
            client_msg_id="old-housekeeping",
            body="old",
            html="",
            created_at=utcnow() - timedelta(days=10),
        )
    )
    dead = ServerProcess(host_id="dead", seen_at=utcnow() - timedelta(hours=1))
    db.session.add_all(
        [dead, LiveSocket(sid="ghost", account_id=world.alice.id, host_id="dead")]
    )
    db.session.commit()
    from network.cli import housekeeping as command

    result = app.test_cli_runner().invoke(command)
    assert result.exit_code == 0, result.output
    assert "Cleared 1 sockets" in result.output and "purged 1 messages" in result.output
    assert db.session.scalar(select(Message.id).where(Message.body == "old")) is None
    assert db.session.scalar(select(LiveSocket.sid)) is None
    # A one-off command is no server process: it does not mark itself alive.
    assert db.session.get(ServerProcess, realtime.HOST_ID) is None


def test_building_an_app_starts_no_housekeeping(app, client):
    client.get("/healthz")
    assert housekeeping._started_in is None

"""Emits queued with emit_after_commit go out after commit() returned, so what an
emit triggers (a dead socket's disconnect handler) may use the database."""

from __future__ import annotations

from sqlalchemy import func, select

from network import realtime
from network.extensions import db, socketio
from network.models import LiveSocket


def test_an_emit_may_run_sql_after_the_commit(app, world, monkeypatch):
    seen: list[int] = []

    def emit(event_name, data, **kwargs):
        # What a synchronous disconnect handler does inside the emit.
        seen.append(db.session.scalar(select(func.count()).select_from(LiveSocket)))

    monkeypatch.setattr(socketio, "emit", emit)
    realtime.emit_after_commit("presence:left", {}, to=realtime.room_key(1))
    db.session.commit()
    assert seen == [0]


def test_rolled_back_emits_are_never_sent(app, world, monkeypatch):
    sent: list[str] = []
    monkeypatch.setattr(socketio, "emit", lambda name, data, **kw: sent.append(name))
    db.session.add(LiveSocket(sid="doomed", account_id=world.alice.id, host_id="x"))
    db.session.flush()
    realtime.emit_after_commit("presence:left", {}, to=realtime.room_key(1))
    db.session.rollback()
    db.session.commit()
    assert sent == []

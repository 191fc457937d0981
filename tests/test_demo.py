"""The demo network: what it shows must match what it says."""

from __future__ import annotations

from sqlalchemy import select

from network import demo
from network.extensions import db
from network.models import Room, SupervisionSession
from network.timezones import to_local


def test_the_thursday_circle_meets_on_thursdays_in_its_organizations_zone(app):
    demo.seed("demo-password-123")
    circle = db.session.scalar(
        select(Room).where(Room.name == "Thursday supervision circle")
    )
    sessions = db.session.scalars(
        select(SupervisionSession).where(SupervisionSession.room_id == circle.id)
    ).all()
    assert sessions
    for session in sessions:
        local = to_local(session.starts_at, "America/Halifax")  # Harbour Light: NS
        assert local.strftime("%A %H:%M") == "Thursday 18:00"


def test_next_weekday_keeps_the_local_hour_across_a_clock_change():
    from datetime import UTC, datetime

    from network.timezones import next_weekday_at

    after = datetime(2026, 3, 5, 23, 0, tzinfo=UTC)  # Thursday 19:00 in Halifax
    moment = next_weekday_at(3, 18, "America/Halifax", after)
    assert moment == datetime(2026, 3, 12, 21, 0, tzinfo=UTC)  # ADT from 8 March

"""Mentions and notifications on the real PostgreSQL: the resolving query, the
multi-row insert, the email stamp (UPDATE ... RETURNING) and the migration."""

from __future__ import annotations

from flask_migrate import upgrade
from sqlalchemy import select

from network.extensions import db
from network.models import Message, Notification, TrustLevel
from network.notifications import services
from network.rooms import services as rooms
from tests import factories
from tests.conftest import wait_for_background


def test_mentions_notify_and_email_on_postgres(pg_app):
    app = pg_app
    with app.app_context(), app.test_request_context():
        upgrade()
        host, partner = factories.make_org("Host"), factories.make_org("Partner")
        factories.set_trust(host, partner, TrustLevel.COLLABORATE)
        room = factories.make_room(host, visibility="partners", name="Shared")
        writer = factories.make_member(host, pseudonym="Writer")
        willow = factories.make_member(partner, pseudonym="Willow Tree")
        wren = factories.make_member(host, pseudonym="Wren", email="wren@example.org")
        for person in (writer, willow, wren):
            rooms.ensure_member(room, person)
        db.session.commit()
        services.set_email(True, actor=wren)
        message = rooms.send_message(
            room,
            actor=writer,
            body="@**Willow Tree** and @wren, thanks",
            client_msg_id="pg-mention-1",
        )
        wait_for_background(app)
        notified = set(
            db.session.scalars(
                select(Notification.account_id).where(Notification.kind == "mention")
            )
        )
        assert notified == {willow.id, wren.id}
        html = db.session.scalar(select(Message.html).where(Message.id == message.id))
        assert '<span class="mention">@Willow Tree</span>' in html
        outbox = app.extensions.get("network.outbox", [])
        assert [(to, body.splitlines()[0]) for to, _, body in outbox] == [
            ("wren@example.org", "You have new activity")
        ]
        db.session.remove()
        db.engine.dispose()

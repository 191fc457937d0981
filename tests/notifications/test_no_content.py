"""No notification shows message text, a pseudonym or an organization's name:
a world of distinctive strings, every kind of notification, then a scan of the
bell, the page, the count, the live event and the email."""

from __future__ import annotations

import re

from sqlalchemy import select

from network.extensions import db
from network.models import NOTIFICATION_TITLES, Message, Role, Status
from network.moderation import reports
from network.notifications import services
from network.orgs import services as orgs
from network.rooms import services as rooms
from tests import factories
from tests.conftest import post_form, wait_for_background
from tests.rooms.apart import join, send

SECRET_TEXT = "Marigold lighthouse 7731"
ORG_NAME = "Zephyrwood Refuge"
PARTNER_NAME = "Obsidian Harbour Collective"
WRITER = "Quillfeather"
READER = "Nightjar Solace"
ROOM_NAME = "Cinnabar circle"


def test_nothing_a_notification_shows_carries_content_or_names(
    app, login_as, connect, outbox
):
    org = factories.make_org(ORG_NAME)
    partner = factories.make_org(PARTNER_NAME)
    factories.set_trust(org, partner, 2)
    lead = factories.make_member(org, role=Role.LEAD, pseudonym="Lead Larkspur")
    writer = factories.make_member(partner, pseudonym=WRITER)
    reader = factories.make_member(org, status=Status.PENDING, pseudonym=READER)
    reader.email = "reader@example.org"
    db.session.commit()
    orgs.approve_membership(
        reader.membership, [i.id for i in orgs.checklist(org)], actor=lead
    )
    services.set_email(True, actor=reader)
    room = factories.make_room(org, visibility="partners", name=ROOM_NAME)
    for person in (writer, reader):
        rooms.ensure_member(room, person)
    db.session.commit()
    live = connect(reader)
    sock = connect(writer)
    assert join(sock, room)["ok"]
    ack = send(sock, room, f"@**{READER}** {SECRET_TEXT}")
    assert ack["ok"]
    message = db.session.scalar(select(Message).where(Message.public_id == ack["id"]))
    report = reports.report_message(message, "harassment", SECRET_TEXT, actor=reader)
    reports.resolve(report, "action_taken", actor=lead)
    for kind in ("direct_message", "message_request", "request_accepted"):
        services.notify(reader.id, kind, room_id=room.id, link="/rooms")
    db.session.commit()
    helper = factories.make_member(org, role=Role.MODERATOR, pseudonym="Mod Mallow")
    url = f"/rooms/{room.public_id}"
    post_form(login_as(reader), url + "/help", {"note": SECRET_TEXT}, token_from=url)

    client = login_as(reader)
    home = client.get("/").get_data(as_text=True)
    bell = re.search(r'<a class="bell".*?</a>', home, re.S).group(0)
    page = client.get("/notifications").get_data(as_text=True)
    listing = re.search(r'<ul class="list notifications".*?</ul>', page, re.S).group(0)
    helper_page = login_as(helper).get("/notifications").get_data(as_text=True)
    helper_listing = re.search(
        r'<ul class="list notifications".*?</ul>', helper_page, re.S
    ).group(0)
    count = client.get("/notifications/count").get_data(as_text=True)
    pushed = [e for e in live.get_received() if e["name"] == "notification:count"]
    wait_for_background(app)
    emails = [" ".join(mail) for mail in outbox]

    assert "You were mentioned in a room" in listing
    assert "Someone asked for support" in helper_listing
    assert len(emails) == 1  # the mention's; the hour's limit held the rest
    shown = [bell, listing, helper_listing, count, str(pushed), *emails]
    for text in shown:
        for secret in (
            SECRET_TEXT,
            ORG_NAME,
            PARTNER_NAME,
            WRITER,
            READER,
            ROOM_NAME,
            "Mallow",
            "Larkspur",
            "Marigold",
            "Zephyr",
        ):
            assert secret.lower() not in text.lower(), (secret, text)
    titles = set(re.findall(r'<a href="/notifications/[^"]+">([^<]+)</a>', listing))
    assert titles <= set(NOTIFICATION_TITLES.values())

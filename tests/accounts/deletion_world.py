"""A person with distinctive strings everywhere the network keeps something of
them, and a dump of the whole database and upload folder to look for them in."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import MetaData, select

from network.extensions import db
from network.library import services as library
from network.models import Role, TrustLevel
from network.moderation import reports
from network.orgs import services as org_services
from network.rooms.messages import send_message
from network.safety import services as safety
from tests import factories

# Distinctive: nothing else in a test database spells any of them.
PSEUDONYM = "Quillfeather Vantablack"
LOGIN = "zoplinquartz"
EMAIL = "zoplin.quartz@example.org"
BIO = "Grewupnearthe Wobbleton lighthouse"
ROOM_TEXT = "velvetmoth sparrowgrass"
DIRECT_TEXT = "ochrelantern plumtide"
FILE_TEXT = "thistlecrown marigoldvault"
SECRETS = [PSEUDONYM, LOGIN, EMAIL, BIO, ROOM_TEXT, DIRECT_TEXT, FILE_TEXT]


@dataclass
class World:
    org: object
    lead: object
    person: object
    friend: object
    protected: object
    room: object
    keep_room: object
    message: object
    kept: object
    direct: object


def build() -> World:
    """The person, in every place: profile, rooms, a direct conversation, the
    library (a file), blocks and separations both ways, a report about them,
    audit events about them; then their membership ends (they left)."""
    org = factories.make_org("Erase Org")
    lead = factories.make_member(org, role=Role.LEAD, pseudonym="Erase Lead")
    person = factories.make_member(
        org, pseudonym=PSEUDONYM, login_name=LOGIN, email=EMAIL
    )
    person.profile.bio = BIO
    friend = factories.make_member(org, pseudonym="Erase Friend")
    protected = factories.make_member(org, pseudonym="Erase Protected")
    db.session.commit()
    room = factories.make_room(org, name="Default room")
    keep_room = factories.make_room(org, name="Keeping room")
    keep_room.on_author_deletion = "keep"
    db.session.commit()
    message = send_message(room, actor=person, body=ROOM_TEXT, client_msg_id="m1")
    kept = send_message(keep_room, actor=person, body="kept words", client_msg_id="m2")
    send_message(room, actor=friend, body="a reply from a friend", client_msg_id="f")
    direct = factories.make_conversation(person, friend, body="hello friend")
    send_message(direct, actor=person, body=DIRECT_TEXT, client_msg_id="d1")
    library.create_file(
        org,
        library.Fields(title="Notes", description="my notes", visibility="partners"),
        io.BytesIO(FILE_TEXT.encode()),
        "notes.txt",
        actor=person,
    )
    safety.block(lead.id, actor=person)
    safety.block(person.id, actor=friend)
    factories.separate(person, lead)  # protects the person: theirs, removed
    factories.separate(protected, person)  # protects someone else: stays
    reports.report_profile(person.profile, "other", "worried", actor=friend)
    reports.report_message(message, "other", "about this", actor=friend)
    other_org = factories.make_org("Other Org")
    factories.set_trust(org, other_org, TrustLevel.MESSAGE)
    org_services.suspend_membership(
        person.membership, "they asked to leave", actor=lead
    )
    return World(
        org, lead, person, friend, protected, room, keep_room, message, kept, direct
    )


def dump_database() -> str:
    """Every row of every table, as text: SQLite's iterdump (FTS5 shadow tables
    included, their blobs decoded), or every reflected table on PostgreSQL."""
    engine = db.session.get_bind()
    if engine.dialect.name == "sqlite":
        raw = db.session.connection().connection.driver_connection
        lines = list(raw.iterdump())
        decoded = [
            bytes.fromhex(blob).decode("utf-8", "replace")
            for line in lines
            for blob in re.findall(r"X'([0-9A-Fa-f]+)'", line)
        ]
        return "\n".join(lines + decoded)
    metadata = MetaData()
    metadata.reflect(bind=db.session.connection())
    rows = []
    for table in metadata.sorted_tables:
        for row in db.session.execute(select(table)):
            rows.append(repr(tuple(row)))
    return "\n".join(rows)


def dump_uploads() -> str:
    """Every file under the upload folder, as text."""
    root = Path(current_app.config["UPLOAD_DIR"])
    return "\n".join(
        path.read_bytes().decode("utf-8", "replace")
        for path in root.rglob("*")
        if path.is_file()
    )


def leaks(text: str) -> list[str]:
    """The distinctive strings found in `text` (FTS5 keeps words lowercased,
    each word on its own)."""
    lowered = text.lower()
    words = {word.lower() for secret in SECRETS for word in secret.split()}
    found = [secret for secret in SECRETS if secret in text]
    found += [word for word in sorted(words) if len(word) > 8 and word in lowered]
    return found

"""Your data: the export holds every row of the person's and none of anyone
else's, needs the password again (and CSRF), is rate-limited and streamed."""

from __future__ import annotations

import io
import json
import uuid
import zipfile

import pytest
from sqlalchemy import event

from network import audit, create_app
from network.accounts import export, export_messages
from network.extensions import db
from network.library import services as library_services
from network.models import (
    AuditEvent,
    Message,
    RoomMember,
    SupervisionSession,
    utcnow,
)
from network.moderation import reports as report_services
from network.notifications.services import notify
from network.supervision import services as supervision_services
from tests import factories
from tests.conftest import IsolatedClient, csrf_token, login

FILES = {
    "README.txt",
    "profile.json",
    "memberships.json",
    "messages.json",
    "conversations.json",
    "conversation-messages.json",
    "check-ins.json",
    "reports.json",
    "library.json",
    "notifications.json",
    "message-requests.json",
    "account-events.json",
}


def _say(room, author, body: str) -> Message:
    row = Message(
        room_id=room.id,
        author_id=author.id,
        client_msg_id=uuid.uuid4().hex,
        body=body,
        html=body,
    )
    db.session.add(row)
    db.session.commit()
    return row


def _world():
    """Pia and everyone around her; returns (pia, what must be in, must not)."""
    org = factories.make_org("Agency Home")
    far = factories.make_org("Agency Far")
    pia = factories.make_member(
        org, pseudonym="Pia Export", login_name="pia_login", email="pia@example.org"
    )
    lead = factories.make_member(
        org,
        role="lead",
        pseudonym="Lead Lark",
        login_name="lark_login",
        email="lark@example.org",
    )
    quinn = factories.make_member(org, pseudonym="Quinn Talker", login_name="quinn_l")
    rue = factories.make_member(org, pseudonym="Rue Asked", login_name="rue_login")
    bystander = factories.make_member(
        org, pseudonym="Bystander Bo", login_name="bo_login", email="bo@example.org"
    )
    stranger = factories.make_member(far, pseudonym="Far Stranger", login_name="far_l")
    admin = factories.make_admin()

    room = factories.make_room(org, name="Home Room")
    db.session.add(RoomMember(room_id=room.id, account_id=pia.id))
    db.session.commit()
    _say(room, pia, "Pia says hello to the room")
    _say(room, bystander, "Bo's private words")
    gone_room = factories.make_room(far, name="Far Hidden Room")
    _say(gone_room, pia, "Pia wrote here once")
    _say(gone_room, stranger, "Stranger's far words")

    # Quinn asked Pia; Pia accepted: the request's text is Quinn's (opens the room).
    direct = factories.make_conversation(quinn, pia, body="Quinn request words")
    _say(direct, pia, "Pia's direct line")
    _say(direct, quinn, "Quinn's direct line")
    from network.conversations import services as conversation_services

    conversation_services.send_request(rue, actor=pia, body="Pia asks Rue politely")
    conversation_services.send_request(lead, actor=bystander, body="Bo asks the lead")

    sroom = factories.make_room(org, name="Circle Room")
    session = SupervisionSession(
        room_id=sroom.id, starts_at=utcnow(), ends_at=utcnow(), topic=""
    )
    db.session.add(session)
    db.session.commit()
    supervision_services.check_in(session, 4, "steady", False, actor=pia)
    supervision_services.check_in(session, 2, "Bo-tired", True, actor=bystander)

    report_services.report_profile(
        bystander.profile, "harassment", "Pia's own report note", actor=pia
    )
    report_services.report_profile(
        pia.profile, "harassment", "Bo reports Pia secretly", actor=bystander
    )
    library_services.create_link(
        org, library_services.Fields(title="Pia's Guide"), "https://e.org/p", actor=pia
    )
    library_services.create_link(
        org,
        library_services.Fields(title="Bo's Guide"),
        "https://e.org/b",
        actor=bystander,
    )
    notify(pia.id, "mention", link="/rooms/x")
    notify(bystander.id, "approved")
    audit.record("member.role_changed", actor=lead, organization=org, target=pia)
    audit.record("member.suspended", actor=admin, target=pia)
    audit.record("profile.renamed", actor=pia, target=pia)
    audit.record("member.approved", actor=lead, organization=org, target=bystander)
    db.session.commit()

    present = [
        "Pia Export",
        "pia_login",
        "pia@example.org",
        "Agency Home",
        "Home Room",
        "Pia says hello to the room",
        "Pia wrote here once",
        "Pia's direct line",
        "Quinn Talker",
        "Rue Asked",
        "Pia asks Rue politely",
        "steady",
        "Pia's own report note",
        "Pia's Guide",
        "You were mentioned in a room",
        "member.role_changed",
        "member.suspended",
        "profile.renamed",
        "your organization",
        "the platform",
        '"you"',
    ]
    absent = [
        "Bo's private words",
        "Stranger's far words",
        "Quinn's direct line",
        "Quinn request words",
        "Bo asks the lead",
        "Bo-tired",
        "Bo reports Pia secretly",
        "Bo's Guide",
        "member.approved",
        "Far Hidden Room",
        "Agency Far",
        "Membership approved",
    ]
    for other in (lead, bystander, stranger, admin):
        absent += [other.pseudonym, other.login_name]
        if other.email:
            absent.append(other.email)
    absent += ["quinn_l", "rue_login", "Your membership was approved"]
    return pia, present, absent


def _download(client, password: str = factories.PASSWORD, code: str = ""):
    token = csrf_token(client, "/account/devices")
    return client.post(
        "/account/export",
        data={"password": password, "code": code, "csrf_token": token},
    )


def test_export_holds_every_row_of_the_person_and_none_of_anyone_else(app, client):
    pia, present, absent = _world()
    login(client, pia)
    response = _download(client)
    assert response.status_code == 200
    assert "Content-Length" not in response.headers  # streamed, not built first
    assert response.mimetype == "application/zip"
    today = utcnow().strftime("%Y-%m-%d")
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="peer-network-export-{today}.zip"'
    )
    assert "no-store" in response.headers["Cache-Control"]

    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    assert set(archive.namelist()) == FILES
    text = "\n".join(archive.read(name).decode() for name in archive.namelist())
    for wanted in present:
        assert wanted in text, wanted
    for unwanted in absent:
        assert unwanted not in text, unwanted

    data = {n: json.loads(archive.read(n)) for n in FILES - {"README.txt"}}
    assert data["profile.json"]["sign_in_name"] == "pia_login"
    assert "password_hash" not in text and "totp" not in text
    rooms = {row["text"]: row["room_name"] for row in data["messages.json"]}
    # A room she may no longer see keeps its id, not its name.
    assert rooms == {
        "Pia says hello to the room": "Home Room",
        "Pia wrote here once": None,
    }
    assert [row["with"].split(" · ")[0] for row in data["conversations.json"]] == [
        "Quinn Talker"
    ]
    assert [row["text"] for row in data["conversation-messages.json"]] == [
        "Pia's direct line"
    ]
    sent, received = data["message-requests.json"]
    assert sent["direction"] == "sent" and sent["status"] == "waiting"
    assert received["direction"] == "received" and "text" not in received
    assert [(row["action"], row["by"]) for row in data["account-events.json"]] == [
        ("member.role_changed", "your organization"),
        ("member.suspended", "the platform"),
        ("profile.renamed", "you"),
        ("account.exported", "you"),  # this very export
    ]
    assert len(data["reports.json"]) == 1 and len(data["library.json"]) == 1
    assert len(data["check-ins.json"]) == 1 and len(data["notifications.json"]) == 2
    # The export is itself an event about the account (recorded before it).
    exported = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "account.exported")
    ).one()
    assert exported.actor_id == exported.target_account_id == pia.id


def test_export_needs_the_password_again(app, client):
    pia = factories.make_member(factories.make_org())
    login(client, pia)
    wrong = _download(client, "not-my-password")
    assert wrong.status_code == 400
    assert wrong.mimetype == "text/html"
    assert "That password or code did not work." in wrong.get_data(as_text=True)
    assert "Content-Disposition" not in wrong.headers
    assert _download(client, "").status_code == 400


def test_export_asks_a_second_factor_of_an_account_that_has_one(app, client):
    from tests.accounts.two_factor_helpers import code_at, enrol

    pia = factories.make_member(factories.make_org())
    login(client, pia)
    secret, recovery = enrol(pia)
    assert 'name="code"' in client.get("/account/devices").get_data(as_text=True)
    for code in ("", "000000", "not-a-code"):
        refused = _download(client, code=code)
        assert refused.status_code == 400, code
        assert "Content-Disposition" not in refused.headers
    # A wrong password spends no code: the same code then works with the right one.
    fresh = code_at(secret)
    assert _download(client, "not-my-password", code=fresh).status_code == 400
    assert _download(client, code=fresh).status_code == 200
    assert _download(client, code=fresh).status_code == 400  # never twice
    assert _download(client, code=recovery[0]).status_code == 200


def test_export_needs_csrf(app, client):
    pia = factories.make_member(factories.make_org())
    login(client, pia)
    response = client.post("/account/export", data={"password": factories.PASSWORD})
    assert response.status_code == 400
    assert "Content-Disposition" not in response.headers


def test_export_is_for_signed_in_members(app, client):
    token = csrf_token(client, "/login")
    data = {"password": factories.PASSWORD, "csrf_token": token}
    assert client.post("/account/export", data=data).location.endswith("/login")
    pending = factories.make_member(factories.make_org(), status="pending")
    login(client, pending)
    data["csrf_token"] = csrf_token(client, "/login")
    response = client.post("/account/export", data=data)
    assert response.location.endswith("/waiting")


def test_export_reads_messages_in_keyset_batches(app, monkeypatch):
    monkeypatch.setattr(export_messages, "BATCH", 3)
    monkeypatch.setattr(export, "CHUNK", 1)  # hand over bytes after every row
    org = factories.make_org()
    pia = factories.make_member(org)
    room = factories.make_room(org)
    for n in range(10):
        _say(room, pia, f"line {n}")
    statements: list[str] = []

    def seen(conn, cursor, statement, *args):
        if "FROM messages" in statement and "LIMIT" in statement:
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        pieces = export.stream(pia.id)
        first = next(pieces)
        assert first  # bytes leave before the messages are read
        assert statements == []
        chunks = [first, *pieces]
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    # 10 room messages at 3 a query: 3+3+3+1, then one for direct lines.
    assert len(statements) == 5
    assert len(chunks) > 10
    archive = zipfile.ZipFile(io.BytesIO(b"".join(chunks)))
    lines = json.loads(archive.read("messages.json"))
    assert [row["text"] for row in lines] == [f"line {n}" for n in range(10)]


@pytest.fixture
def limited_app():
    app = create_app("test", RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://")
    app.test_client_class = IsolatedClient
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()


def test_exports_are_rate_limited_per_account(limited_app):
    pia = factories.make_member(factories.make_org())
    client = limited_app.test_client()
    login(client, pia)
    answers = [_download(client, "wrong").status_code for _ in range(5)]
    assert answers == [400] * 5
    assert _download(client).status_code == 429

# ruff: noqa: F811 - pytest fixtures imported from the rooms conftest
"""Credentials: reset links from PUBLIC_URL, trusted hosts, an opaque session cookie,
and live sockets ended on every change of credential or standing."""

from __future__ import annotations

import base64
import json
import logging
import re
import zlib
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from network import create_app
from network.extensions import db
from network.models import AuthSession, utcnow
from tests import factories
from tests.conftest import (
    IsolatedClient,
    csrf_token,
    login,
    post_form,
    wait_for_background,
)
from tests.rooms.conftest import world  # noqa: F401
from tests.supervision.conftest import join, send

PUBLIC = "https://peer.example.org"


@pytest.fixture
def public_app():
    app = create_app("test", PUBLIC_URL=PUBLIC, SERVER_NAME=None)
    app.test_client_class = IsolatedClient
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()


def _ask_reset(client, who: str, host: str):
    """POST /reset under another Host header, with this browser's own cookie."""
    data = {"login_or_email": who, "csrf_token": csrf_token(client, "/reset")}
    cookie = client.get_cookie("pn_session")
    client.set_cookie("pn_session", cookie.value, domain=host.split(":")[0])
    return client.post("/reset", data=data, environ_overrides={"HTTP_HOST": host})


def test_reset_link_never_follows_a_forged_host_header(public_app):
    org = factories.make_org()
    victim = factories.make_member(org, email="victim@example.org")
    client = public_app.test_client()
    forged = _ask_reset(client, victim.login_name, "evil.example")
    wait_for_background(public_app)
    outbox = public_app.extensions.setdefault("network.outbox", [])
    assert all("evil.example" not in body for _, _, body in outbox)
    assert forged.status_code == 400

    # A trusted but non-canonical host still gets the canonical link.
    trusted = _ask_reset(client, victim.login_name, "127.0.0.1:5000")
    assert trusted.status_code == 302
    wait_for_background(public_app)
    assert len(outbox) == 1
    links = re.findall(r"\S+/reset/t/\S+", outbox[0][2])
    assert links and links[0].startswith(f"{PUBLIC}/reset/t/")


def test_unknown_hosts_are_refused_on_every_page(public_app):
    client = public_app.test_client()
    assert (
        client.get(
            "/login", environ_overrides={"HTTP_HOST": "evil.example"}
        ).status_code
        == 400
    )
    assert (
        client.get(
            "/login", environ_overrides={"HTTP_HOST": "peer.example.org"}
        ).status_code
        == 200
    )
    assert (
        client.get(
            "/login", environ_overrides={"HTTP_HOST": "localhost:5000"}
        ).status_code
        == 200
    )


def _cookie_payload(value: str) -> dict:
    """Decode a Flask session cookie (itsdangerous: optional zlib, base64)."""
    compressed = value.startswith(".")
    data = (value[1:] if compressed else value).split(".")[0]
    raw = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
    if compressed:
        raw = zlib.decompress(raw)
    return json.loads(raw)


def test_session_cookie_holds_only_the_opaque_session_token(app, client):
    org = factories.make_org()
    member = factories.make_member(org)
    login(client, member)
    client.get("/account")  # a page that loads the user and may write the session
    payload = _cookie_payload(client.get_cookie("pn_session").value)
    assert (
        "_id" not in payload and "_user_id" not in payload and "_fresh" not in payload
    )
    # Only the random session token, the CSRF secret and the permanence flag.
    assert set(payload) <= {"sid", "csrf_token", "_permanent", "_flashes"}
    assert "Hello," in client.get("/").get_data(as_text=True)


def test_console_mail_warns_loudly_outside_development(caplog, monkeypatch):
    from network.config import check_startup

    monkeypatch.delenv("MAIL_SERVER", raising=False)
    production = create_app("test", TESTING=False, PUBLIC_URL=PUBLIC)
    with caplog.at_level(logging.WARNING):
        check_startup(production)
    assert any("MAIL_SERVER is not set" in r.getMessage() for r in caplog.records)
    caplog.clear()
    demo = create_app("test", TESTING=False, NETWORK_DEMO=True)
    with caplog.at_level(logging.WARNING):
        check_startup(demo)
        check_startup(create_app("test"))
    assert not caplog.records


def test_serving_without_public_url_is_refused_outside_the_demo():
    from network.config import check_startup

    with pytest.raises(SystemExit):
        check_startup(create_app("test", TESTING=False, PUBLIC_URL=None))
    check_startup(create_app("test", TESTING=False, PUBLIC_URL=None, NETWORK_DEMO=True))


# --- Live sockets end on every change of credential or standing -------------


def _texts(sock) -> list[str]:
    """message:created bodies this socket received (read even once closed)."""
    found = [p for p in sock.queue if p["name"] == "message:created"]
    sock.queue = [p for p in sock.queue if p not in found]
    return [re.sub(r"<[^>]+>", "", p["args"][0]["html"]).strip() for p in found]


def _listening(world, connect, login_as, socket_client):  # noqa: F811
    """Alice's stolen session listens in the room; Amir talks; the lead watches."""
    stolen = socket_client(login_as(world.alice))
    assert join(stolen, world.room)["ok"]
    amir, lead = connect(world.amir), connect(world.lead_a)
    assert join(amir, world.room)["ok"] and join(lead, world.room)["ok"]
    assert send(amir, world.room, "before")["ok"]
    assert _texts(stolen) == ["before"]
    _texts(lead)
    return stolen, amir, lead


def _stopped(world, stolen, amir, lead) -> None:
    assert not stolen.is_connected()
    assert send(amir, world.room, "after the change")["ok"]
    assert send(amir, world.room, "marker")["ok"]
    assert _texts(lead) == ["after the change", "marker"]  # the stream went on
    assert _texts(stolen) == []


def _lead_code(login_as, lead, member) -> str:
    page = post_form(
        login_as(lead),
        f"/org/members/{member.profile.public_id}",
        {"action": "reset_code"},
        token_from="/logout",
    )
    return page.get_data(as_text=True).split('id="reset-code">')[1].split("<")[0]


def test_reset_with_a_lead_code_ends_live_sockets(
    app,
    world,
    connect,
    login_as,
    socket_client,  # noqa: F811
):
    stolen, amir, lead = _listening(world, connect, login_as, socket_client)
    code = _lead_code(login_as, world.lead_a, world.alice)
    done = post_form(
        app.test_client(),
        "/reset/code",
        {
            "login_name": world.alice.login_name,
            "code": code,
            "password": "fresh password 1",
            "confirm": "fresh password 1",
        },
    )
    assert done.status_code == 302
    _stopped(world, stolen, amir, lead)


def test_reset_by_emailed_link_ends_live_sockets(
    app,
    world,
    connect,
    login_as,
    socket_client,
    outbox,  # noqa: F811
):
    world.alice.email = "alice@example.org"
    db.session.commit()
    stolen, amir, lead = _listening(world, connect, login_as, socket_client)
    client = app.test_client()
    post_form(client, "/reset", {"login_or_email": "alice@example.org"})
    wait_for_background(app)
    token = outbox[0][2].split("/reset/t/")[1].split()[0]
    done = post_form(
        client,
        f"/reset/t/{token}",
        {"password": "emailed new pass", "confirm": "emailed new pass"},
    )
    assert done.status_code == 302
    _stopped(world, stolen, amir, lead)


def test_password_change_ends_other_sessions_sockets(
    app,
    world,
    connect,
    login_as,
    socket_client,  # noqa: F811
):
    stolen, amir, lead = _listening(world, connect, login_as, socket_client)
    own = login_as(world.alice)
    own_sock = socket_client(own)
    assert join(own_sock, world.room)["ok"]
    done = post_form(
        own,
        "/account/password",
        {
            "current": factories.PASSWORD,
            "password": "brand new password",
            "confirm": "brand new password",
        },
        token_from="/account/password",
    )
    assert done.status_code == 302
    _stopped(world, stolen, amir, lead)
    assert own_sock.is_connected()  # the browser that changed it stays
    assert "marker" in _texts(own_sock)


def test_role_change_ends_live_sockets(
    app,
    world,
    connect,
    login_as,
    socket_client,  # noqa: F811
):
    world.alice.membership.role = "moderator"
    db.session.commit()
    stolen, amir, lead = _listening(world, connect, login_as, socket_client)
    url = f"/org/members/{world.alice.profile.public_id}"
    changed = post_form(
        login_as(world.lead_a),
        url,
        {"action": "role", "role-role": "member"},
        token_from=url,
    )
    assert changed.status_code == 302
    _stopped(world, stolen, amir, lead)


def test_housekeeping_ends_sockets_of_expired_sessions(
    app,
    world,
    connect,
    login_as,
    socket_client,  # noqa: F811
):
    from network.housekeeping import remove_expired

    stolen, amir, lead = _listening(world, connect, login_as, socket_client)
    db.session.execute(
        update(AuthSession)
        .where(AuthSession.account_id == world.alice.id)
        .values(expires_at=utcnow() - timedelta(seconds=1))
    )
    db.session.commit()
    remove_expired()
    _stopped(world, stolen, amir, lead)


def test_expired_sign_in_loses_its_sockets_within_the_expiry_check(
    app,
    world,
    connect,
    login_as,
    socket_client,  # noqa: F811
):
    """The once-a-second check closes this process's sockets of an expired
    session, before the heartbeat deletes the session row."""
    from network.housekeeping import close_expired_sockets

    stolen, amir, lead = _listening(world, connect, login_as, socket_client)
    db.session.execute(
        update(AuthSession)
        .where(AuthSession.account_id == world.alice.id)
        .values(expires_at=utcnow() - timedelta(seconds=1))
    )
    db.session.commit()
    assert close_expired_sockets() >= 1
    _stopped(world, stolen, amir, lead)


def test_expired_session_is_refused_at_the_gate_and_per_event(
    app,
    world,
    login_as,
    socket_client,  # noqa: F811
):
    client = login_as(world.alice)
    sock = socket_client(client)
    assert join(sock, world.room)["ok"]
    row = db.session.scalar(
        select(AuthSession).where(AuthSession.account_id == world.alice.id)
    )
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert send(sock, world.room, "late")["ok"] is False
    assert not socket_client(client).is_connected()

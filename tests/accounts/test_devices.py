"""Devices: the list of one's sessions, signing one or all others out (sockets
too), labels and last-seen times, and another account's session as a missing one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from network import policy
from network.accounts import devices
from network.extensions import db
from network.models import AuthSession, LiveSocket, utcnow
from network.useragent import device_label
from tests import factories
from tests.conftest import csrf_token, post_form

PHONE_FIREFOX = "Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0"
MAC_CHROME = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
)


def _sign_in(app, account, agent: str):
    client = app.test_client()
    response = post_form(
        client,
        "/login",
        {"login_name": account.login_name, "password": factories.PASSWORD},
        headers={"User-Agent": agent},
    )
    assert response.status_code == 302
    return client


def _session_ids(account) -> dict[str, str]:
    """device label -> public id of the account's sessions."""
    rows = db.session.scalars(
        select(AuthSession).where(AuthSession.account_id == account.id)
    )
    return {row.device: row.public_id for row in rows}


@pytest.mark.parametrize(
    "agent, label",
    [
        (PHONE_FIREFOX, "Phone · Firefox"),
        (MAC_CHROME, "Computer · Chrome"),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15"
            " (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
            "Phone · Safari",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like"
            " Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
            "Computer · Edge",
        ),
        (
            "Mozilla/5.0 (Linux; Android 13; SM-X200) AppleWebKit/537.36 (KHTML, like"
            " Gecko) Chrome/120.0 Safari/537.36",
            "Tablet · Chrome",
        ),
        ("", "Device · Browser"),
        ("curl/8.0", "Device · Browser"),
    ],
)
def test_device_label_is_coarse(agent, label):
    assert device_label(agent) == label


def test_sign_in_keeps_a_label_never_the_user_agent(app):
    member = factories.make_member(factories.make_org())
    _sign_in(app, member, PHONE_FIREFOX)
    row = db.session.scalar(select(AuthSession))
    assert row.device == "Phone · Firefox"
    assert row.last_seen_at is not None and len(row.public_id) >= 16
    stored = " ".join(str(value) for value in row.__dict__.values())
    assert "Gecko" not in stored and "rv:128" not in stored


@pytest.mark.parametrize(
    "age, label",
    [
        (timedelta(minutes=1), "active now"),
        (timedelta(days=3), "this week"),
        (timedelta(days=20), "this month"),
        (timedelta(days=90), "over a month ago"),
    ],
)
def test_seen_label_is_coarse(age, label):
    now = utcnow()
    assert devices.seen_label(now - age, now) == label


def test_last_seen_is_updated_at_most_every_few_minutes(app):
    member = factories.make_member(factories.make_org())
    client = _sign_in(app, member, MAC_CHROME)
    row = db.session.scalar(select(AuthSession))
    first = row.last_seen_at
    client.get("/account/devices")
    db.session.expire_all()
    assert db.session.get(AuthSession, row.id).last_seen_at == first
    row.last_seen_at = utcnow() - timedelta(hours=3)
    db.session.commit()
    client.get("/account/devices")
    db.session.expire_all()
    assert db.session.get(AuthSession, row.id).last_seen_at > first


def test_devices_page_lists_sessions_and_marks_this_one(app):
    member = factories.make_member(factories.make_org())
    _sign_in(app, member, PHONE_FIREFOX)
    laptop = _sign_in(app, member, MAC_CHROME)
    page = laptop.get("/account/devices").get_data(as_text=True)
    assert "Phone · Firefox" in page and "Computer · Chrome" in page
    assert "This device" in page and "active now" in page
    ids = _session_ids(member)
    # Only the other device has a sign-out button; integer ids never show.
    assert f"/account/devices/{ids['Phone · Firefox']}/sign-out" in page
    assert f"/account/devices/{ids['Computer · Chrome']}/sign-out" not in page
    assert "127.0.0.1" not in page and "Gecko" not in page


def test_sign_out_one_device_closes_its_sockets_only(app, socket_client):
    member = factories.make_member(factories.make_org())
    phone = _sign_in(app, member, PHONE_FIREFOX)
    laptop = _sign_in(app, member, MAC_CHROME)
    phone_sock, laptop_sock = socket_client(phone), socket_client(laptop)
    assert phone_sock.is_connected() and laptop_sock.is_connected()

    phone_id = _session_ids(member)["Phone · Firefox"]
    response = post_form(
        laptop,
        f"/account/devices/{phone_id}/sign-out",
        {},
        token_from="/account/devices",
    )
    assert response.status_code == 302

    assert not phone_sock.is_connected()
    # The marker: the kept socket still answers, after the revocation.
    assert laptop_sock.emit("session:check", {}, callback=True)["ok"] is True
    assert laptop_sock.is_connected()
    assert phone.get("/account/devices").location.endswith("/login")
    assert laptop.get("/account/devices").status_code == 200
    assert db.session.scalar(select(func.count(LiveSocket.sid))) == 1


def test_sign_out_everywhere_else_keeps_this_device(app, socket_client):
    member = factories.make_member(factories.make_org())
    other = factories.make_member(factories.make_org("Other"))
    phone = _sign_in(app, member, PHONE_FIREFOX)
    tablet = _sign_in(app, member, "Mozilla/5.0 (iPad) Safari/604.1")
    laptop = _sign_in(app, member, MAC_CHROME)
    bystander = _sign_in(app, other, MAC_CHROME)
    socks = [socket_client(c) for c in (phone, tablet, laptop, bystander)]
    assert all(sock.is_connected() for sock in socks)

    post_form(
        laptop, "/account/devices/sign-out-others", {}, token_from="/account/devices"
    )

    assert not socks[0].is_connected() and not socks[1].is_connected()
    assert socks[2].emit("session:check", {}, callback=True)["ok"] is True
    assert socks[3].emit("session:check", {}, callback=True)["ok"] is True
    assert set(_session_ids(member)) == {"Computer · Chrome"}
    assert len(_session_ids(other)) == 1


def test_this_device_is_not_signed_out_from_the_list(app, socket_client):
    member = factories.make_member(factories.make_org())
    laptop = _sign_in(app, member, MAC_CHROME)
    sock = socket_client(laptop)
    own = _session_ids(member)["Computer · Chrome"]
    post_form(
        laptop, f"/account/devices/{own}/sign-out", {}, token_from="/account/devices"
    )
    assert sock.emit("session:check", {}, callback=True)["ok"] is True
    assert laptop.get("/account/devices").status_code == 200


def test_another_accounts_session_answers_like_a_missing_one(app, socket_client):
    org = factories.make_org()
    member, other = factories.make_member(org), factories.make_member(org)
    client = _sign_in(app, member, MAC_CHROME)
    victim = _sign_in(app, other, PHONE_FIREFOX)
    victim_sock = socket_client(victim)
    theirs = _session_ids(other)["Phone · Firefox"]
    token = csrf_token(client, "/account/devices")
    denied = client.post(
        f"/account/devices/{theirs}/sign-out", data={"csrf_token": token}
    )
    missing = client.post(
        "/account/devices/missingMissing1/sign-out", data={"csrf_token": token}
    )
    assert denied.status_code == missing.status_code == 404
    assert denied.get_data() == missing.get_data()
    assert victim_sock.emit("session:check", {}, callback=True)["ok"] is True
    assert _session_ids(other) == {"Phone · Firefox": theirs}
    # The integer id is no way in either.
    row_id = db.session.scalar(
        select(AuthSession.id).where(AuthSession.public_id == theirs)
    )
    assert (
        client.post(
            f"/account/devices/{row_id}/sign-out", data={"csrf_token": token}
        ).status_code
        == 404
    )


def test_sign_out_needs_csrf(app):
    member = factories.make_member(factories.make_org())
    _sign_in(app, member, PHONE_FIREFOX)
    laptop = _sign_in(app, member, MAC_CHROME)
    phone_id = _session_ids(member)["Phone · Firefox"]
    assert laptop.post(f"/account/devices/{phone_id}/sign-out").status_code == 400
    assert laptop.post("/account/devices/sign-out-others").status_code == 400
    assert len(_session_ids(member)) == 2


def test_another_accounts_session_takes_the_missing_path(app):
    from tests.test_access_paths import _statements

    org = factories.make_org()
    member, other = factories.make_member(org), factories.make_member(org)
    _sign_in(app, other, PHONE_FIREFOX)
    theirs = _session_ids(other)["Phone · Firefox"]
    denied = _statements(member.id, policy.access_own_session, theirs)
    missing = _statements(member.id, policy.access_own_session, "missingMissing1")
    assert denied == missing and len(denied) == 1

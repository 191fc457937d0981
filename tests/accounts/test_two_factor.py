"""Two-factor login: the second factor check, enrolment, and the code step."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from network.accounts import twofactor
from network.extensions import db
from network.models import AuditEvent, AuthSession, PendingLogin, RecoveryCode
from tests import factories
from tests.accounts.two_factor_helpers import code_at, code_step, enrol, password_step
from tests.conftest import csrf_token, post_form


def _member():
    return factories.make_member(factories.make_org())


def _sessions(account) -> int:
    return db.session.scalar(
        select(func.count(AuthSession.id)).where(AuthSession.account_id == account.id)
    )


# --- verify_second_factor ------------------------------------------------------------


def test_without_two_factor_no_code_passes(app):
    member = _member()
    assert not twofactor.has_two_factor(member)
    assert not twofactor.verify_second_factor(member, "123456")


def test_a_code_works_once_and_never_after_a_later_one(app):
    member = _member()
    secret, _ = enrol(member)
    assert twofactor.verify_second_factor(member, code_at(secret))
    assert not twofactor.verify_second_factor(member, code_at(secret))  # replayed
    assert twofactor.verify_second_factor(member, code_at(secret, +1))
    # A code of an earlier step than one accepted is refused, even inside the window.
    assert not twofactor.verify_second_factor(member, code_at(secret))


def test_enrolment_code_cannot_be_replayed_at_sign_in(app):
    member = _member()
    secret = twofactor.enrolment_secret(member)
    first = code_at(secret)
    assert twofactor.confirm_enrolment(member, first) is not None
    assert not twofactor.verify_second_factor(member, first)


def test_expired_wrong_and_malformed_codes_fail(app):
    member = _member()
    secret, _ = enrol(member)
    expired = code_at(secret, -3)
    assert not twofactor.verify_second_factor(member, expired)
    wrong = f"{(int(code_at(secret)) + 1) % 1_000_000:06d}"
    assert not twofactor.verify_second_factor(member, wrong)
    for malformed in ("", "12345", "1234567", "abcdef", "12 34 5x", "-" * 40):
        assert not twofactor.verify_second_factor(member, malformed)


def test_recovery_code_works_once_in_any_spelling(app):
    member = _member()
    _, codes = enrol(member)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert twofactor.remaining_recovery_codes(member) == 10
    assert twofactor.verify_second_factor(member, codes[0].lower().replace("-", " "))
    assert not twofactor.verify_second_factor(member, codes[0])
    assert twofactor.remaining_recovery_codes(member) == 9
    # Stored hashed: no row holds a code itself.
    stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert not set(codes) & set(stored)


def test_recovery_codes_belong_to_their_account(app):
    org = factories.make_org()
    one, other = factories.make_member(org), factories.make_member(org)
    _, codes = enrol(one)
    enrol(other)
    assert not twofactor.verify_second_factor(other, codes[0])
    assert twofactor.verify_second_factor(one, codes[0])


def test_confirm_enrolment_refuses_wrong_code_and_keeps_the_key(app):
    member = _member()
    secret = twofactor.enrolment_secret(member)
    assert twofactor.enrolment_secret(member) == secret  # a reload shows the same
    assert twofactor.confirm_enrolment(member, "000000x") is None
    assert twofactor.confirm_enrolment(member, code_at(secret, -4)) is None
    assert not twofactor.has_two_factor(member)
    assert twofactor.grouped_key("ABCDEFGHIJKL") == "ABCD EFGH IJKL"


# --- HTTP: enrolment -------------------------------------------------------------------


def test_enrol_page_shows_qr_and_key_and_confirms_with_a_code(app, login_as):
    member = _member()
    client = login_as(member)
    page = client.get("/account/two-factor/enrol").get_data(as_text=True)
    assert "<svg" in page and "<script>" not in page and "style=" not in page
    key = re.search(r'id="totp-key">([A-Z2-7 ]+)<', page).group(1)
    secret = key.replace(" ", "")
    assert 'inputmode="numeric"' in page and 'autocomplete="one-time-code"' in page
    assert member.login_name not in page  # the QR label is the tag, not the name

    refused = post_form(
        client,
        "/account/two-factor/enrol",
        {"code": "000000"},
        token_from="/account/two-factor/enrol",
    )
    assert refused.status_code == 400
    done = post_form(
        client,
        "/account/two-factor/enrol",
        {"code": code_at(secret)},
        token_from="/account/two-factor/enrol",
    )
    assert done.status_code == 200
    shown = re.findall(
        r'<li class="code">([A-Z0-9-]+)</li>', done.get_data(as_text=True)
    )
    assert len(shown) == 10
    db.session.refresh(member)
    assert twofactor.has_two_factor(member)
    assert twofactor.verify_second_factor(member, shown[3])
    assert db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "two_factor.enabled")
    )


def test_enrol_needs_csrf(app, login_as):
    client = login_as(_member())
    client.get("/account/two-factor/enrol")
    assert (
        client.post("/account/two-factor/enrol", data={"code": "1"}).status_code == 400
    )


# --- HTTP: the code step ---------------------------------------------------------------


def test_password_alone_makes_no_session(app, client):
    member = _member()
    secret, _ = enrol(member)
    step = password_step(client, member)
    assert step.status_code == 302 and step.location.endswith("/login/code")
    assert _sessions(member) == 0
    assert client.get("/account").status_code == 302  # not signed in
    # The cookie names no account: only a random token the server looks up.
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    held = app.session_interface.get_signing_serializer(app).loads(cookie)
    assert set(held) <= {"pending_2fa", "csrf_token", "_flashes"}
    assert str(member.id) not in held.values()
    assert code_step(client, "code", code_at(secret)).status_code == 302
    assert _sessions(member) == 1
    assert db.session.scalar(select(func.count(PendingLogin.id))) == 0
    assert client.get("/account").status_code == 200


def test_code_step_refuses_bad_codes_and_replays(app, client):
    member = _member()
    secret, codes = enrol(member)
    password_step(client, member)
    for bad in ("000000", code_at(secret, -3), "12ab56", "1234567"):
        assert code_step(client, "code", bad).status_code == 400
    assert code_step(client, "recovery", "AAAA-BBBB-CCCC-DDDD").status_code == 400
    assert _sessions(member) == 0
    good = code_at(secret)
    assert code_step(client, "code", good).status_code == 302

    # A second browser replays the accepted code.
    other = app.test_client()
    password_step(other, member)
    assert code_step(other, "code", good).status_code == 400
    assert code_step(other, "recovery", codes[0]).status_code == 302
    third = app.test_client()
    password_step(third, member)
    assert code_step(third, "recovery", codes[0]).status_code == 400  # used


def test_code_step_without_password_step_goes_to_sign_in(app, client):
    page = client.get("/login/code")
    assert page.status_code == 302 and page.location.endswith("/login")


def test_pending_sign_in_ends_with_a_password_change(app, client):
    member = _member()
    secret, _ = enrol(member)
    password_step(client, member)
    from network.models import utcnow

    member.password_changed_at = utcnow()
    db.session.commit()
    answer = client.get("/login/code")
    assert answer.status_code == 302 and answer.location.endswith("/login")


def test_code_step_needs_csrf(app, client):
    member = _member()
    secret, _ = enrol(member)
    password_step(client, member)
    sent = client.post("/login/code", data={"action": "code", "code": code_at(secret)})
    assert sent.status_code == 400
    assert _sessions(member) == 0


def test_code_step_page_on_a_phone_keypad(app, client):
    member = _member()
    enrol(member)
    password_step(client, member)
    page = client.get("/login/code").get_data(as_text=True)
    assert 'inputmode="numeric"' in page
    assert 'autocomplete="one-time-code"' in page
    assert csrf_token(client, "/login/code")


# --- HTTP: one's own settings ----------------------------------------------------------


def test_turn_off_and_renew_need_a_current_code(app, client):
    member = _member()
    secret, codes = enrol(member)
    password_step(client, member)
    code_step(client, "code", code_at(secret))
    url = "/account/two-factor"
    wrong = post_form(client, url, {"action": "off", "code": "000000"}, token_from=url)
    assert wrong.status_code == 400
    renewed = post_form(
        client, url, {"action": "renew", "code": codes[0]}, token_from=url
    )
    assert renewed.status_code == 200 and 'class="recovery-codes"' in renewed.text
    assert not twofactor.verify_second_factor(member, codes[1])  # old ones gone
    off = post_form(
        client, url, {"action": "off", "code": code_at(secret, +1)}, token_from=url
    )
    assert off.status_code == 302
    db.session.refresh(member)
    assert not twofactor.has_two_factor(member)

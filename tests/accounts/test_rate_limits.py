"""Login throttling: per client and per account, without locking out the real user.

Past LOGIN_DELAY_FREE failures an account's sign-ins from unknown browsers wait a
window that doubles per failure: the guesser gets one guess a window, the real
person gets in once the window passes (frozen clock, never a sleep)."""

from __future__ import annotations

import pytest

from network import create_app
from network.extensions import db
from tests import factories
from tests.conftest import IsolatedClient, csrf_token


def _app(storage: str = "memory://"):
    app = create_app(
        "test",
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI=storage,
        LOGIN_LIMIT_CLIENT="6 per minute",
        LOGIN_DELAY_FREE=3,
        LOGIN_DELAY_BASE=15,
        LOGIN_DELAY_CAP=60,
    )
    app.test_client_class = IsolatedClient
    return app


def _client(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _try(client, login_name: str, password: str):
    return client.post(
        "/login",
        data={
            "login_name": login_name,
            "password": password,
            "csrf_token": csrf_token(client),
        },
    )


@pytest.fixture(params=["memory", "redis"])
def limited_app(request):
    if request.param == "redis":
        storage = request.getfixturevalue("redis_url")
    else:
        storage = "memory://"
    app = _app(storage)
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()


def test_account_throttle_spares_the_owners_known_device(limited_app):
    org = factories.make_org()
    member = factories.make_member(org)
    own_phone = _client(limited_app, "10.0.0.1")
    assert _try(own_phone, member.login_name, factories.PASSWORD).status_code == 302
    own_phone.post("/logout", data={"csrf_token": csrf_token(own_phone, "/logout")})

    attackers = [_client(limited_app, f"10.0.1.{n}") for n in range(4)]
    for attacker in attackers[:3]:
        assert _try(attacker, member.login_name, "guess guess").status_code == 400
    blocked = _try(attackers[3], member.login_name, factories.PASSWORD)
    assert blocked.status_code == 429
    assert "Your account is not locked" in blocked.get_data(as_text=True)
    assert "15 seconds" in blocked.get_data(as_text=True)

    # The real person, on the device they used before, still gets in.
    assert _try(own_phone, member.login_name, factories.PASSWORD).status_code == 302


def test_client_throttle_limits_guessing_across_accounts(limited_app):
    org = factories.make_org()
    members = [factories.make_member(org) for _ in range(4)]
    attacker = _client(limited_app, "10.0.2.1")
    statuses = [
        _try(attacker, members[n % 4].login_name, "guess guess").status_code
        for n in range(7)
    ]
    assert statuses[:6] == [400] * 6
    assert statuses[6] == 429
    elsewhere = _client(limited_app, "10.0.2.2")
    assert _try(elsewhere, members[0].login_name, factories.PASSWORD).status_code == 302


def test_successful_logins_are_not_counted(limited_app):
    org = factories.make_org()
    member = factories.make_member(org)
    client = _client(limited_app, "10.0.3.1")
    for _ in range(8):
        assert _try(client, member.login_name, factories.PASSWORD).status_code == 302


def test_the_real_password_gets_in_once_the_wait_is_over(limited_app, frozen_clock):
    org = factories.make_org()
    member = factories.make_member(org)
    for n in range(3):
        guesser = _client(limited_app, f"10.0.4.{n}")
        assert _try(guesser, member.login_name, "guess guess").status_code == 400
    new_phone = _client(limited_app, "10.0.5.1")
    assert _try(new_phone, member.login_name, factories.PASSWORD).status_code == 429
    frozen_clock.now += 14
    assert _try(new_phone, member.login_name, factories.PASSWORD).status_code == 429
    frozen_clock.now += 1
    assert _try(new_phone, member.login_name, factories.PASSWORD).status_code == 302


def test_each_failure_past_the_limit_doubles_the_wait_up_to_a_cap(
    limited_app, frozen_clock
):
    org = factories.make_org()
    member = factories.make_member(org)
    guessers = iter(_client(limited_app, f"10.0.6.{n}") for n in range(50))
    for _ in range(3):
        assert _try(next(guessers), member.login_name, "guess guess").status_code == 400
    for wait in (15, 30, 60, 60):
        frozen_clock.now += wait - 1
        early = _try(next(guessers), member.login_name, "guess guess")
        assert early.status_code == 429  # refused unchecked: no guess in the window
        assert f"{1} second" in early.get_data(as_text=True)
        frozen_clock.now += 1
        assert _try(next(guessers), member.login_name, "guess guess").status_code == 400
    frozen_clock.now += 60
    assert (
        _try(next(guessers), member.login_name, factories.PASSWORD).status_code == 302
    )


def test_unknown_names_wait_like_real_ones(limited_app, frozen_clock):
    org = factories.make_org()
    member = factories.make_member(org)
    answers = []
    for name in (member.login_name, "nobody-here-0000"):
        for n in range(3):
            _try(_client(limited_app, f"10.0.7.{n}"), name, "guess guess")
        answers.append(_try(_client(limited_app, "10.0.7.9"), name, "x" * 12))
    assert [a.status_code for a in answers] == [429, 429]


# --- two-factor codes count as failed sign-ins ---------------------------------------


def _code(client, value: str):
    from tests.conftest import csrf_token

    token = csrf_token(client, "/login/code")
    return client.post(
        "/login/code", data={"csrf_token": token, "action": "code", "code": value}
    )


def test_wrong_two_factor_codes_count_toward_the_account_delay(
    limited_app, frozen_clock
):
    from tests.accounts.two_factor_helpers import code_at, enrol

    org = factories.make_org()
    member = factories.make_member(org)
    secret, _ = enrol(member)
    own_phone = _client(limited_app, "10.0.7.1")
    assert _try(own_phone, member.login_name, factories.PASSWORD).status_code == 302
    assert _code(own_phone, code_at(secret)).status_code == 302
    own_phone.post("/logout", data={"csrf_token": csrf_token(own_phone, "/logout")})

    thief = _client(limited_app, "10.0.7.2")  # has the password, not the phone
    for _ in range(3):
        # A right password does not clear the count of wrong codes.
        assert _try(thief, member.login_name, factories.PASSWORD).status_code == 302
        assert _code(thief, "000000").status_code == 400
    assert _code(thief, code_at(secret, +1)).status_code == 429  # refused unchecked
    assert _try(thief, member.login_name, factories.PASSWORD).status_code == 429
    # The owner's own phone is not locked out by the thief.
    assert _try(own_phone, member.login_name, factories.PASSWORD).status_code == 302
    assert _code(own_phone, code_at(secret, +1)).status_code == 302


def test_wrong_codes_share_the_client_limit_with_passwords(limited_app):
    from tests.accounts.two_factor_helpers import enrol

    org = factories.make_org()
    members = [factories.make_member(org) for _ in range(3)]
    for member in members:
        enrol(member)
    attacker = _client(limited_app, "10.0.8.1")
    assert _try(attacker, members[0].login_name, "guess guess").status_code == 400
    statuses = []
    for member in members:
        assert _try(attacker, member.login_name, factories.PASSWORD).status_code == 302
        statuses += [_code(attacker, "000000").status_code for _ in range(2)]
    assert statuses[:5] == [400] * 5, statuses
    assert statuses[5] == 429, statuses

"""Two-factor test helpers: enrol an account, make codes, pass the code step."""

from __future__ import annotations

import pyotp

from network.accounts import twofactor
from network.models import utcnow
from tests.conftest import csrf_token, post_form


def enrol(account) -> tuple[str, list[str]]:
    """Turn two-factor login on through the service: (secret, recovery codes).
    The enrolment accepts the step before now, so a code for now stays fresh."""
    secret = twofactor.enrolment_secret(account)
    codes = twofactor.confirm_enrolment(account, code_at(secret, -1))
    assert codes is not None
    return secret, codes


def code_at(secret: str, offset: int = 0) -> str:
    """The code for the time step `offset` steps from now."""
    totp = pyotp.TOTP(secret)
    return totp.generate_otp(totp.timecode(utcnow()) + offset)


def password_step(client, account, password: str = "correct horse battery"):
    """Sign-in's first step; the answer (302 to the code step when enrolled)."""
    return post_form(
        client, "/login", {"login_name": account.login_name, "password": password}
    )


def code_step(client, action: str, value: str):
    """Post the code step's form `action` (code, recovery or reset)."""
    field = {"code": "code", "recovery": "recovery_code", "reset": "reset_code"}[action]
    token = csrf_token(client, "/login/code")
    return client.post(
        "/login/code",
        data={"csrf_token": token, "action": action, field: value},
    )

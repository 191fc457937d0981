"""Two-factor login with TOTP (pyotp): enrolment, recovery codes, lead resets,
and the one check every feature uses for a second factor.

Other features that ask for a second factor (deleting an account, say) call
`has_two_factor(account)` and then `verify_second_factor(account, code)`.
"""

from __future__ import annotations

import hmac
import re

import pyotp
import segno
from flask import current_app
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm.attributes import set_committed_value

from network import audit, realtime
from network.accounts.services import issue_lead_code
from network.extensions import db
from network.models import (
    Account,
    Membership,
    Organization,
    PasswordReset,
    RecoveryCode,
    utcnow,
)
from network.security import hash_secret, new_code, normalize_code

RECOVERY_CODES = 10
RESET_KIND = "two_factor_code"
TOTP_CODE = re.compile(r"^\d{6}$")


def has_two_factor(account: Account) -> bool:
    """True when the account signs in with a second factor."""
    return account.totp_secret is not None


def verify_second_factor(account: Account, code: str) -> bool:
    """True for a current TOTP code (this step, or one step either side) not
    accepted before, or for an unused recovery code; the code is then spent and
    the change committed, whatever the caller does next. False for anything else,
    including any code for an account without two-factor login."""
    if not has_two_factor(account):
        return False
    cleaned = "".join(code.split())
    if TOTP_CODE.match(cleaned):
        return _accept_totp(account, account.totp_secret, cleaned)
    return _use_recovery_code(account, code)


def _matching_step(secret: str, code: str) -> int | None:
    """The time step whose code this is: pyotp's verify(valid_window=1), which
    does not say which step matched (replay protection needs it)."""
    totp = pyotp.TOTP(secret)
    now = totp.timecode(utcnow())
    for step in (now - 1, now, now + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _accept_totp(account: Account, secret: str, code: str) -> bool:
    """Accept a code once: a conditional UPDATE raises the last accepted step, so
    two requests racing with the same code cannot both win."""
    step = _matching_step(secret, code)
    if step is None:
        return False
    spent = db.session.execute(
        update(Account)
        .where(
            Account.id == account.id,
            or_(Account.totp_last_step.is_(None), Account.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if spent.rowcount != 1:
        return False
    set_committed_value(account, "totp_last_step", step)  # no second UPDATE
    return True


def _use_recovery_code(account: Account, code: str) -> bool:
    """Spend one recovery code (compared by hash, within this account only)."""
    wanted = hash_secret(normalize_code(code))
    spent = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.account_id == account.id,
            RecoveryCode.code_hash == wanted,
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if spent.rowcount == 1:
        audit.record("two_factor.recovery_used", actor=account, target=account)
    db.session.commit()
    return spent.rowcount == 1


def remaining_recovery_codes(account: Account) -> int:
    """How many recovery codes are still unused."""
    return db.session.scalar(
        select(func.count(RecoveryCode.id)).where(
            RecoveryCode.account_id == account.id, RecoveryCode.used_at.is_(None)
        )
    )


# --- enrolment ----------------------------------------------------------------------


def enrolment_secret(account: Account) -> str:
    """The secret waiting for its first code (made once, kept until confirmed, so
    reloading the page shows the same key)."""
    if account.totp_pending_secret is None:
        account.totp_pending_secret = pyotp.random_base32()
        db.session.commit()
    return account.totp_pending_secret


def grouped_key(secret: str) -> str:
    """The key in groups of four, easier to read and type."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(account: Account, secret: str) -> str:
    """The otpauth:// link as an inline SVG QR code, drawn here (no service sees
    the secret). The label is the profile's tag, never the login name, and the
    issuer is TWO_FACTOR_ISSUER: a phone's authenticator app shows both."""
    uri = pyotp.TOTP(secret).provisioning_uri(
        name=account.tag or "account",
        issuer_name=current_app.config["TWO_FACTOR_ISSUER"],
    )
    return segno.make(uri, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", border=4
    )


def confirm_enrolment(account: Account, code: str) -> list[str] | None:
    """Turn two-factor login on with the first code from the app; the new
    recovery codes (to show once), or None when the code does not match."""
    secret = account.totp_pending_secret
    cleaned = "".join(code.split())
    if secret is None or not TOTP_CODE.match(cleaned):
        return None
    step = _matching_step(secret, cleaned)
    if step is None:
        return None
    account.totp_secret = secret
    account.totp_pending_secret = None
    account.totp_last_step = step
    codes = _new_recovery_codes(account)
    audit.record(
        "two_factor.enabled", actor=account, organization=_org(account), target=account
    )
    db.session.commit()
    return codes


def _new_recovery_codes(account: Account) -> list[str]:
    """Ten fresh codes, replacing any earlier ones; stored as SHA-256 hashes."""
    db.session.execute(
        delete(RecoveryCode).where(RecoveryCode.account_id == account.id)
    )
    codes = [new_code(4) for _ in range(RECOVERY_CODES)]
    db.session.add_all(
        RecoveryCode(account_id=account.id, code_hash=hash_secret(code))
        for code in codes
    )
    return codes


def new_recovery_codes(account: Account) -> list[str]:
    """Replace the recovery codes (after the caller checked a second factor)."""
    codes = _new_recovery_codes(account)
    audit.record("two_factor.recovery_renewed", actor=account, target=account)
    db.session.commit()
    return codes


def _org(account: Account):
    return account.membership.organization if account.membership else None


def _remove(account: Account) -> None:
    account.totp_secret = None
    account.totp_pending_secret = None
    account.totp_last_step = None
    db.session.execute(
        delete(RecoveryCode).where(RecoveryCode.account_id == account.id)
    )


def turn_off(*, actor: Account) -> None:
    """Turn one's own two-factor login off (the caller checked a code and that
    the organization does not require it)."""
    _remove(actor)
    audit.record(
        "two_factor.disabled", actor=actor, organization=_org(actor), target=actor
    )
    db.session.commit()


# --- lead resets --------------------------------------------------------------------


def issue_reset_code(membership: Membership, *, actor: Account) -> str:
    """A lead's code that lets the member, after their password, remove their
    two-factor login (a lost phone); shown once, stored hashed, audited."""
    return issue_lead_code(
        membership, actor=actor, kind=RESET_KIND, action="two_factor_reset.issued"
    )


def reset_with_code(account: Account, code: str) -> bool:
    """Remove the account's two-factor login with a lead's code; False (nothing
    changed) unless the code is this account's, unused and unexpired."""
    row = db.session.scalar(
        select(PasswordReset).where(
            PasswordReset.account_id == account.id,
            PasswordReset.kind == RESET_KIND,
            PasswordReset.secret_hash == hash_secret(normalize_code(code)),
        )
    )
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        return False
    row.used_at = utcnow()
    _remove(account)
    audit.record(
        "two_factor.reset", actor=account, organization=_org(account), target=account
    )
    db.session.commit()
    return True


# --- the organization's requirement -------------------------------------------------


def set_required(org: Organization, required: bool, *, actor: Account) -> None:
    """Whether the organization's members must sign in with a second factor.
    Turned on, the sockets of members not yet enrolled close now: they
    reconnect through the connect gate, which sends them to enrol first."""
    org.require_two_factor = required
    audit.record(
        "organization.two_factor_required",
        actor=actor,
        organization=org,
        required=required,
    )
    unenrolled = []
    if required:
        unenrolled = db.session.scalars(
            select(Account.id)
            .join(Membership, Membership.account_id == Account.id)
            .where(Membership.organization_id == org.id, Account.totp_secret.is_(None))
        ).all()
    db.session.commit()
    if unenrolled:
        realtime.end_access(accounts=unenrolled)

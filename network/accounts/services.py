"""Account verbs. Callers check permission first; these never read the request."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, replace
from datetime import timedelta

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from network import audit, realtime
from network.accounts import names, pseudonyms
from network.accounts.names import login_key
from network.errors import InputError
from network.extensions import db, socketio
from network.i18n import current_locale
from network.mail import send_mail
from network.models import (
    ACCEPT_CHOICES,
    Account,
    Invitation,
    Membership,
    Organization,
    PasswordReset,
    Profile,
    Role,
    Status,
    utcnow,
)
from network.security import (
    end_other_sessions,
    hash_password,
    hash_secret,
    needs_rehash,
    new_code,
    normalize_code,
    verify_password,
)
from network.timezones import ZONES

RESET_CODE_HOURS = 48
RESET_EMAIL_HOURS = 1


@dataclass
class NewAccount:
    """What a person gives when they sign up."""

    login_name: str
    password: str
    pseudonym: str
    email: str | None = None
    pronouns: str = ""
    region: str = ""
    languages: tuple[str, ...] = ()


def check_new_account(data: NewAccount) -> None:
    """Raise InputError for a taken login name. Only for the admin's command line:
    a public sign-up never asks, its login names get a random suffix instead."""
    key = login_key(data.login_name)
    if db.session.scalar(select(Account.id).where(Account.login_key == key)):
        raise InputError("login_name", _("That login name is taken. Choose another."))


def create_named_account(data: NewAccount) -> Account:
    """An account with exactly this login name and no membership, flushed, not
    committed. A system action, no actor: the admin command line (after
    check_new_account) and the demo seed; public sign-ups add a suffix first."""
    name = pseudonyms.clean(data.pseudonym)
    account = Account(
        login_name=data.login_name.strip(),
        login_key=login_key(data.login_name),
        password_hash=hash_password(data.password),
        email=(data.email or "").strip() or None,
    )
    account.profile = Profile(
        pseudonym=name,
        pseudonym_key=pseudonyms.skeleton(name),
        tag=names.new_profile_tag(),
        pronouns=data.pronouns.strip(),
        region=data.region,
        languages=",".join(data.languages),
    )
    db.session.add(account)
    db.session.flush()
    return account


def _sign_up(data: NewAccount) -> Account:
    """A public sign-up: the login name gets its suffix; no name is checked."""
    return create_named_account(
        replace(data, login_name=names.assigned_login_name(data.login_name))
    )


def find_usable_invitation(code: str) -> Invitation | None:
    """The invitation behind a code, if it can still be used."""
    invitation = db.session.scalar(
        select(Invitation).where(
            Invitation.code_hash == hash_secret(normalize_code(code))
        )
    )
    if invitation is None or not invitation.usable(utcnow()):
        return None
    if not invitation.organization.is_active:
        return None
    return invitation


def sign_up_with_invitation(data: NewAccount, code: str) -> Account:
    """Create an account whose membership waits for the lead's approval (no actor:
    the newcomer has no account until this returns).

    A lead invitation issued by the platform admin appoints a first lead: that
    membership is approved at once, because the admin vetted them.
    """
    invitation = find_usable_invitation(code)
    if invitation is None:
        raise InputError(
            "code",
            _("That invitation code is not valid. It may be used up or expired."),
        )
    # Claim one use atomically, so two people cannot share the last use.
    claimed = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.uses < Invitation.max_uses)
        .values(uses=Invitation.uses + 1)
    ).rowcount
    if not claimed:
        db.session.rollback()
        raise InputError(
            "code",
            _("That invitation code is not valid. It may be used up or expired."),
        )
    account = _sign_up(data)
    db.session.flush()
    appoint = invitation.role == Role.LEAD
    membership = Membership(
        account=account,
        organization_id=invitation.organization_id,
        role=Role.LEAD if appoint else Role.MEMBER,
        status=Status.APPROVED if appoint else Status.PENDING,
        joined_via="invitation",
    )
    if appoint:
        membership.approved_by_id = invitation.created_by_id
        membership.approved_at = membership.decided_at = utcnow()
    db.session.add(membership)
    audit.record(
        "lead.appointed" if appoint else "invitation.used",
        actor=account,
        organization=invitation.organization,
        target=account,
        invitation=invitation.public_id,
    )
    db.session.commit()
    return account


def sign_up_with_request(data: NewAccount, org: Organization, note: str) -> Account:
    """Create an account with a pending request to join the chosen organization
    (no actor: the newcomer has no account until this returns)."""
    account = _sign_up(data)
    db.session.flush()
    db.session.add(
        Membership(
            account=account,
            organization_id=org.id,
            joined_via="request",
            request_note=note.strip(),
        )
    )
    audit.record(
        "membership.requested", actor=account, organization=org, target=account
    )
    db.session.commit()
    return account


def request_another_organization(
    org: Organization, note: str, *, actor: Account
) -> None:
    """After a rejection, a person may ask a different organization instead."""
    membership = actor.membership
    membership.organization_id = org.id
    membership.status = Status.PENDING
    membership.role = Role.MEMBER
    membership.joined_via = "request"
    membership.request_note = note.strip()
    membership.rejection_reason = ""
    membership.decided_at = None
    membership.created_at = utcnow()
    audit.record("membership.requested", actor=actor, organization=org, target=actor)
    db.session.commit()


def authenticate(login_name: str, password: str) -> Account | None:
    """The account for these credentials, or None; unknown names take as long
    (no actor: nobody is signed in yet)."""
    account = db.session.scalar(
        select(Account).where(Account.login_key == login_key(login_name))
    )
    if not verify_password(account.password_hash if account else None, password):
        return None
    if needs_rehash(account.password_hash):
        account.password_hash = hash_password(password)
        db.session.commit()
    return account


def change_password(new_password: str, *, actor: Account, keep_session: int | None):
    """Set a new password and sign every other browser out."""
    actor.password_hash = hash_password(new_password)
    actor.password_changed_at = utcnow()
    end_other_sessions(actor, keep_session)
    audit.record("password.changed", actor=actor, target=actor)
    db.session.commit()
    realtime.end_access(accounts=[actor.id], keep_session=keep_session)


def update_profile(*, actor: Account, **fields: object) -> None:
    """Update the profile fields the holder may change."""
    profile = actor.profile
    name = pseudonyms.clean(str(fields.pop("pseudonym", profile.pseudonym)))
    if name != profile.pseudonym:
        if names.pseudonym_taken(name, actor=actor):
            raise InputError(
                "pseudonym",
                _(
                    "That pseudonym, or one that looks like it, is taken. Choose another."
                ),
            )
        profile.pseudonym = name
        profile.pseudonym_key = pseudonyms.skeleton(name)
    profile.pronouns = str(fields.get("pronouns", profile.pronouns)).strip()
    profile.region = str(fields.get("region", profile.region))
    profile.bio = str(fields.get("bio", profile.bio)).strip()
    if "experience" in fields:
        profile.experience = ",".join(fields["experience"])  # type: ignore[arg-type]
    if fields.get("timezone") in ZONES:
        profile.timezone = str(fields["timezone"])
    if "appear_offline" in fields:
        profile.appear_offline = bool(fields["appear_offline"])
    if fields.get("accept_requests") in ACCEPT_CHOICES:
        profile.accept_requests = str(fields["accept_requests"])
    if "hidden_from_other_orgs" in fields:
        profile.hidden_from_other_orgs = bool(fields["hidden_from_other_orgs"])
    if "languages" in fields:
        profile.languages = ",".join(fields["languages"])  # type: ignore[arg-type]
    if "email" in fields:
        actor.email = (str(fields["email"] or "")).strip() or None
    db.session.commit()


def issue_reset_code(membership: Membership, *, actor: Account) -> str:
    """A lead's reset code for a member without email; shown once, stored hashed."""
    return issue_lead_code(
        membership, actor=actor, kind="lead_code", action="reset_code.issued"
    )


def issue_lead_code(
    membership: Membership, *, actor: Account, kind: str, action: str
) -> str:
    """A single-use code a lead gives a member (a password reset, a two-factor
    reset): shown once, stored hashed, expiring, audited as `action`."""
    code = new_code(4)
    db.session.add(
        PasswordReset(
            account_id=membership.account_id,
            kind=kind,
            secret_hash=hash_secret(code),
            issued_by_id=actor.id,
            expires_at=utcnow() + timedelta(hours=RESET_CODE_HOURS),
        )
    )
    audit.record(
        action,
        actor=actor,
        organization=membership.organization,
        target=membership.account,
    )
    db.session.commit()
    return code


def public_link(endpoint: str, **values: object) -> str:
    """An absolute link for an email, built on PUBLIC_URL, never on the request's
    Host header (a forged Host would hand the secret in the link to its owner)."""
    base = current_app.config["PUBLIC_URL"]
    if not base:  # the demo without PUBLIC_URL: only trusted hosts reach here
        return url_for(endpoint, _external=True, **values)
    return base + url_for(endpoint, **values)


# The token's place in the link, filled in by the background task.
_TOKEN_SLOT = "__token__"
# One reset at a time in the background (a green lock under gevent/eventlet).
_RESET_LOCK = threading.Lock()


def request_reset_email(login_or_email: str) -> None:
    """Queue a reset for after the answer: the request does the same work (no
    lookup, no token, no mail) whatever the account, so its timing tells nothing.
    No actor: whoever asks is not signed in."""
    app = current_app._get_current_object()
    link = public_link("accounts.reset_with_token", token=_TOKEN_SLOT)
    locale = current_locale()  # the asker's page language, for an account with none
    task = socketio.start_background_task(
        _reset_task, app, login_or_email, link, locale
    )
    if app.config["TESTING"]:
        app.extensions.setdefault("network.tasks", []).append(task)


def _reset_task(app, login_or_email: str, link: str, locale: str = "en") -> None:
    """The background half of a reset request, in its own app context."""
    with app.app_context(), _RESET_LOCK:
        try:
            send_reset_email(login_or_email, link, locale)
        except Exception as error:  # noqa: BLE001 - never the address in a log
            app.logger.error("password reset mail failed: %s", type(error).__name__)
        finally:
            db.session.remove()


def send_reset_email(login_or_email: str, link: str, locale: str = "en") -> None:
    """Email a reset link if the account has an email; silent either way (no actor:
    background work for a signed-out request)."""
    value = login_or_email.strip()
    account = db.session.scalar(
        select(Account).where(
            (Account.login_key == login_key(value))
            | (func.lower(Account.email) == value.lower())
        )
    )
    if account is None or not account.email:
        return
    token = secrets.token_urlsafe(32)
    db.session.add(
        PasswordReset(
            account_id=account.id,
            kind="email",
            secret_hash=hash_secret(token),
            expires_at=utcnow() + timedelta(hours=RESET_EMAIL_HOURS),
        )
    )
    db.session.commit()
    # In the account's language (its choice, else the page's).
    with force_locale(account.locale or locale):
        subject = _("Password reset")
        body = _(
            "Someone asked to reset the password for your account.\n\n"
            "To choose a new password, open this link within one hour:\n"
            "%(link)s\n\n"
            "If it was not you, ignore this email; nothing changes.",
            link=link.replace(_TOKEN_SLOT, token),
        )
    send_mail(account.email, subject, body)


def _use_reset(row: PasswordReset | None, new_password: str) -> bool:
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        return False
    account = db.session.get(Account, row.account_id)
    row.used_at = utcnow()
    account.password_hash = hash_password(new_password)
    account.password_changed_at = utcnow()
    end_other_sessions(account, None)
    audit.record(
        "password.reset",
        actor=account,
        organization=account.membership.organization if account.membership else None,
        target=account,
        via=row.kind,
    )
    db.session.commit()
    # Sessions are gone; their sockets go too (an attacker's live room stream).
    realtime.end_access(accounts=[account.id])
    return True


def reset_with_code(login_name: str, code: str, new_password: str) -> bool:
    """Use a lead-issued code; False (nothing changed) if anything does not match
    (no actor: whoever holds the code is signed out)."""
    row = db.session.scalar(
        select(PasswordReset)
        .join(Account, Account.id == PasswordReset.account_id)
        .where(
            PasswordReset.secret_hash == hash_secret(normalize_code(code)),
            PasswordReset.kind == "lead_code",
            Account.login_key == login_key(login_name),
        )
    )
    return _use_reset(row, new_password)


def reset_token_valid(token: str) -> bool:
    """True if an emailed token can still be used."""
    row = _email_reset(token)
    return row is not None and row.used_at is None and row.expires_at > utcnow()


def _email_reset(token: str) -> PasswordReset | None:
    return db.session.scalar(
        select(PasswordReset).where(
            PasswordReset.secret_hash == hash_secret(token),
            PasswordReset.kind == "email",
        )
    )


def reset_with_token(token: str, new_password: str) -> bool:
    """Use an emailed token; False (nothing changed) if it is invalid or spent
    (no actor: whoever holds the token is signed out)."""
    return _use_reset(_email_reset(token), new_password)

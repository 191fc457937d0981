"""Deleting an account: by its holder (password, and the second factor when set)
or by a lead for someone whose membership ended. docs/security.md, "Deleting an
account", gives the reasons; erasure.py does the wiping."""

from __future__ import annotations


from network import audit, policy, realtime
from network.accounts import erasure, twofactor
from network.extensions import db
from network.models import Account, Membership, Organization
from network.security import verify_password


class DeletionRefused(Exception):
    """The password or the second factor did not match; `field` says which."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def second_factor_ok(account: Account, code: str) -> bool:
    """True without two-factor login; otherwise a current code not used before or
    an unused recovery code (twofactor.verify_second_factor spends it)."""
    if not twofactor.has_two_factor(account):
        return True
    return twofactor.verify_second_factor(account, code or "")


def check_credentials(account: Account, password: str, code: str) -> None:
    """Refuse unless the password (and the second factor, when set) match."""
    if not verify_password(account.password_hash, password or ""):
        raise DeletionRefused("password", "That is not your password.")
    if not second_factor_ok(account, code):
        raise DeletionRefused("code", "That code is not right. Try the current one.")


def delete_own_account(account: Account, *, password: str, code: str = "") -> None:
    """The holder deletes their account, proving it is them; every session ends
    and every live socket closes (the caller signs the browser out)."""
    if not policy.can_delete_own_account(account):
        raise DeletionRefused("password", "This account cannot be deleted here.")
    check_credentials(account, password, code)
    org = _org(account.membership)
    files = erasure.erase(account)
    audit.record("account.deleted", actor=account, organization=org)
    _commit_and_disconnect(account.id, files)


def delete_departed_member(membership: Membership, *, actor: Account) -> None:
    """A lead deletes the account of someone whose membership in their
    organization ended (policy.access_departed_member decided it)."""
    account = db.session.get(Account, membership.account_id)
    org = _org(membership)
    files = erasure.erase(account)
    audit.record("account.erased", actor=actor, organization=org, target=account)
    _commit_and_disconnect(account.id, files)


def _org(membership: Membership | None) -> Organization | None:
    return membership.organization if membership is not None else None


def _commit_and_disconnect(account_id: int, files: list[str]) -> None:
    # The sessions are gone with the commit; close the live sockets after it,
    # on every process (end_access reads LiveSocket, which erase kept for this).
    db.session.commit()
    realtime.revoke_sockets(account_id)
    erasure.forget_sockets(account_id)
    erasure.remove_files(files)

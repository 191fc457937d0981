"""Block and separation verbs. Callers check permission first.

Neither verb touches the other person's sockets or anything they can observe:
the other person is never told, by any channel.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from network import audit
from network.accounts.services import InputError
from network.conversations import closing
from network.extensions import db
from network.models import (
    Account,
    Block,
    Profile,
    RequestStatus,
    Separation,
    SeparationRequest,
    utcnow,
)


def block(other_id: int, *, actor: Account) -> Block:
    """Block someone; repeating it changes nothing."""
    if other_id == actor.id:
        raise InputError("block", _("You cannot block yourself."))
    row = db.session.scalar(
        select(Block).where(Block.blocker_id == actor.id, Block.blocked_id == other_id)
    )
    if row is None:
        row = Block(blocker_id=actor.id, blocked_id=other_id)
        db.session.add(row)
        closing.recheck(account_ids=[actor.id])
        db.session.commit()
    return row


def unblock(row: Block, *, actor: Account) -> None:
    """Remove one's own block."""
    db.session.delete(row)
    db.session.commit()


def blocks_of(actor: Account) -> list[tuple[Block, str]]:
    """The actor's blocks with the blocked person's pseudonym."""
    rows = db.session.execute(
        select(Block, Profile.pseudonym)
        .join(Profile, Profile.account_id == Block.blocked_id)
        .where(Block.blocker_id == actor.id)
        .order_by(Block.id.desc())
    )
    return [(row, name) for row, name in rows]


def bind_separation(
    protected_id: int, other_id: int, **fields
) -> tuple[Separation, bool]:
    """The separation between these two (flushed), and whether it is new. No
    actor: a step of file_separation and attach_request, which audit the actor."""
    existing = db.session.scalar(
        select(Separation).where(
            Separation.protected_id == protected_id, Separation.other_id == other_id
        )
    )
    if existing is not None:
        return existing, False
    row = Separation(protected_id=protected_id, other_id=other_id, **fields)
    db.session.add(row)
    db.session.flush()
    closing.recheck(account_ids=[protected_id])
    return row, True


def file_separation(
    protected: Account, other: Account, *, actor: Account
) -> Separation:
    """Keep `protected` apart from one existing person; repeating it changes nothing.

    The caller has checked that the filer may see `other` (a profile they can see,
    or a lead attaching a request to a member of their own organization).
    """
    if other.id == protected.id:
        raise InputError("pseudonym", _("You cannot be kept apart from yourself."))
    row, created = bind_separation(
        protected.id, other.id, other_name=other.profile.pseudonym, filed_by_id=actor.id
    )
    if not created:
        return row
    # Not in any organization's log: only the protected person (and a filing
    # lead) may know a separation exists, and the other person is never named.
    audit.record(
        "separation.filed", actor=actor, target=protected, separation=row.public_id
    )
    db.session.commit()
    return row


def withdraw_separation(row: Separation, *, actor: Account) -> None:
    """Withdraw a separation; the audit entry never names the other person."""
    protected = db.session.get(Account, row.protected_id)
    audit.record(
        "separation.withdrawn", actor=actor, target=protected, separation=row.public_id
    )
    if row.request_id is not None:
        request = db.session.get(SeparationRequest, row.request_id)
        request.status, request.closed_at = RequestStatus.WITHDRAWN, utcnow()
    db.session.delete(row)
    db.session.commit()

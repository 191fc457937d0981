"""Wiping a deleted account in one transaction: the account row stays as a
tombstone with every personal field emptied (so messages a room keeps, and
separations that protect someone else, still point somewhere); everything the
person owned goes. No commit here: accounts/deletion.py commits once."""

from __future__ import annotations

import secrets

from sqlalchemy import delete, or_, select, update

from network import realtime
from network.conversations.closing import close_room
from network.extensions import db
from network.library import services as library
from network.library import uploads
from network.models import (
    FORMER_MEMBER,
    Account,
    AuthSession,
    Block,
    CheckIn,
    LiveSocket,
    Membership,
    Message,
    MessageRequest,
    Notification,
    PasswordReset,
    Profile,
    Report,
    Resource,
    ReviewOptOut,
    Room,
    RoomMember,
    RoomPresence,
    Separation,
    SeparationRequest,
    SupportRecipient,
    SupportRequest,
    VettingAttestation,
    utcnow,
)
from network.models.message_search import forget_removed_text
from network.models.library import forget_removed_resources
from network.rooms import membership
from network.rooms.people import kept_apart_sids

# The most "message:deleted" events one deletion sends to open pages.
LIVE_REMOVALS = 500
# Shown instead of what a report quoted of a deleted person.
REMOVED_SNAPSHOT = "[removed: the account was deleted]"


def erase(account: Account) -> list[str]:
    """Wipe the account in the current transaction; returns the stored names of
    the files to delete from disk once it commits."""
    _remove_messages(account.id)
    # Open rooms hear they left, while their blocks and separations still say
    # whom to skip.
    membership.gone(account)
    files = _remove_resources(account.id)
    _remove_owned_rows(account.id)
    _scrub_what_others_hold(account.id)
    _close_direct_rooms(account.id)
    db.session.execute(delete(RoomMember).where(RoomMember.account_id == account.id))
    db.session.execute(delete(Membership).where(Membership.account_id == account.id))
    db.session.execute(delete(Profile).where(Profile.account_id == account.id))
    _wipe_account(account)
    forget_removed_text()  # removed text leaves the search index's segments too
    return files


def remove_files(stored_names: list[str]) -> None:
    """Delete uploaded files from disk (after the commit that dropped their rows)."""
    for stored in stored_names:
        uploads.remove(library.upload_dir(), stored)


def forget_sockets(account_id: int) -> None:
    """Drop the account's live-socket rows once their sockets were told to close."""
    db.session.execute(delete(LiveSocket).where(LiveSocket.account_id == account_id))
    db.session.commit()


def _wipe_account(account: Account) -> None:
    account.login_name = ""
    # Unique and unguessable: nobody can sign in as, or sign up over, a tombstone.
    account.login_key = "deleted:" + secrets.token_hex(16)
    account.password_hash = "!"  # no password verifies against it
    account.email = None
    account.totp_secret = None
    account.notify_by_email = False
    account.notified_by_email_at = None
    account.is_platform_admin = False
    account.deleted_at = utcnow()
    db.session.expire(account, ["profile", "membership"])


def _remove_messages(account_id: int) -> None:
    """Their text goes where the room says so (direct conversations always);
    where a room keeps it, it stays under "former member"."""
    removing = select(Room.id).where(
        or_(Room.kind == "direct", Room.on_author_deletion != "keep")
    )
    which = (
        Message.author_id == account_id,
        Message.room_id.in_(removing) | Message.hidden_at.is_not(None),
    )
    _tell_open_pages(account_id, which)
    db.session.execute(
        update(Message)
        .where(*which)
        .values(
            body="",
            html="",
            content_warning="",
            deleted_at=utcnow(),
            hidden_reason="",
        )
        .execution_options(synchronize_session=False)
    )


def _tell_open_pages(account_id: int, which) -> None:
    """Pages open on a room (present sockets) hear "message:deleted" for the
    newest removed messages there, after the commit, as for any deletion; people
    kept apart from the author are skipped as always. Older ones are gone at the
    next load or catch-up."""
    present = select(RoomPresence.room_id).distinct()
    rows = db.session.execute(
        select(Message.room_id, Message.public_id)
        .where(*which, Message.deleted_at.is_(None), Message.room_id.in_(present))
        .order_by(Message.id.desc())
        .limit(LIVE_REMOVALS)
    ).all()
    for room_id in {row.room_id for row in rows}:
        room = db.session.get(Room, room_id)
        apart = kept_apart_sids(room, account_id)
        for row in rows:
            if row.room_id == room_id:
                realtime.emit_after_commit(
                    "message:deleted",
                    {"room_id": room.public_id, "id": row.public_id},
                    to=realtime.room_key(room_id),
                    skip_sid=apart,
                )


def _remove_resources(account_id: int) -> list[str]:
    """Everything they put in the library goes, shared items included (a file
    can identify its uploader); returns the files to delete after commit."""
    rows = db.session.execute(
        select(Resource.id, Resource.stored_name).where(
            Resource.author_id == account_id
        )
    ).all()
    if rows:
        db.session.execute(
            delete(Resource).where(Resource.id.in_([row.id for row in rows]))
        )
        forget_removed_resources()
    return [row.stored_name for row in rows if row.stored_name]


def _remove_owned_rows(account_id: int) -> None:
    """What was theirs alone: sessions, codes, blocks they made, separations
    protecting them (and their requests), message requests either way,
    notifications, support alerts, check-ins, review choices."""
    for stmt in (
        delete(AuthSession).where(AuthSession.account_id == account_id),
        delete(PasswordReset).where(PasswordReset.account_id == account_id),
        delete(Block).where(Block.blocker_id == account_id),
        delete(Separation).where(Separation.protected_id == account_id),
        delete(SeparationRequest).where(SeparationRequest.protected_id == account_id),
        delete(MessageRequest).where(
            or_(
                MessageRequest.sender_id == account_id,
                MessageRequest.recipient_id == account_id,
            )
        ),
        delete(Notification).where(Notification.account_id == account_id),
        delete(SupportRecipient).where(
            or_(
                SupportRecipient.account_id == account_id,
                SupportRecipient.request_id.in_(
                    select(SupportRequest.id).where(
                        SupportRequest.requester_id == account_id
                    )
                ),
            )
        ),
        delete(SupportRequest).where(SupportRequest.requester_id == account_id),
        delete(CheckIn).where(CheckIn.account_id == account_id),
        delete(ReviewOptOut).where(ReviewOptOut.account_id == account_id),
        delete(VettingAttestation).where(
            VettingAttestation.membership_id.in_(
                select(Membership.id).where(Membership.account_id == account_id)
            )
        ),
    ):
        db.session.execute(stmt.execution_options(synchronize_session=False))


def _scrub_what_others_hold(account_id: int) -> None:
    """Rows that protect or inform someone else stay, without the person's name:
    a separation keeping someone apart from them (and the request it came from),
    and what a report quoted of them."""
    db.session.execute(
        update(Separation)
        .where(Separation.other_id == account_id)
        .values(other_name=FORMER_MEMBER)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(SeparationRequest)
        .where(
            SeparationRequest.id.in_(
                select(Separation.request_id).where(Separation.other_id == account_id)
            )
        )
        .values(name=FORMER_MEMBER, name_key="")
        .execution_options(synchronize_session=False)
    )
    about_them = or_(
        Report.target_account_id == account_id,
        Report.message_id.in_(
            select(Message.id).where(Message.author_id == account_id)
        ),
    )
    db.session.execute(
        update(Report)
        .where(about_them)
        .values(snapshot=REMOVED_SNAPSHOT)
        .execution_options(synchronize_session=False)
    )


def _close_direct_rooms(account_id: int) -> None:
    rooms = db.session.scalars(
        select(Room).where(
            Room.kind == "direct",
            Room.id.in_(
                select(RoomMember.room_id).where(RoomMember.account_id == account_id)
            ),
        )
    )
    for room in rooms:
        close_room(room)

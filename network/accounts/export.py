"""Your data: a ZIP of JSON files, written while it is sent.

The archive is produced inside the request and streamed: zipfile writes into
a sink that the response drains after each batch of rows, so memory holds one
batch, never the whole export (export_rows reads messages in keyset batches).
What each file holds, and what it leaves out, is in docs/security.md,
"Your data: export".
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from datetime import datetime

from flask_babel.speaklater import LazyString

from network import audit
from network.accounts import export_messages as said
from network.accounts import export_rows as rows
from network.accounts import twofactor
from network.extensions import db
from network.models import Account
from network.security import verify_password

CHUNK = 64 * 1024  # hand bytes to the response once this many are waiting

README = """Peer Network: your data

profile.json               your account and profile (sign-in name, email, settings)
memberships.json           your organization membership and your room memberships
messages.json              the room messages you wrote (a room's name only while you
                           may still see the room)
conversations.json         your direct conversations: the other person's pseudonym
conversation-messages.json the lines you wrote in them (never the other person's)
check-ins.json             your supervision check-ins
reports.json               the reports you filed (what you wrote, not what they were about)
library.json               the library items you shared
notifications.json         your notifications
message-requests.json      requests you sent (your text) and received (who asked, your answer)
account-events.json        events about your account; who acted is "you",
                           "your organization" or "the platform"

Times are in UTC (ISO 8601).
"""


def confirm_identity(account: Account, password: str, code: str = "") -> bool:
    """Re-authentication before an export: the account's password and, when the
    account signs in with two-factor login, a current code or a recovery code
    (checked only after the password, so a wrong password spends no code)."""
    if not verify_password(account.password_hash, password or ""):
        return False
    if not twofactor.has_two_factor(account):
        return True
    return twofactor.verify_second_factor(account, code or "")


def record_export(account: Account) -> None:
    """An audit event about the account: its data was downloaded (the person
    sees it in their next export; a lead sees it in the organization's log)."""
    audit.record(
        "account.exported",
        actor=account,
        target=account,
        organization=account.membership.organization if account.membership else None,
    )
    db.session.commit()


def filename(today: datetime) -> str:
    """A neutral file name: nothing in it says what the network is for."""
    return f"peer-network-export-{today:%Y-%m-%d}.zip"


def files(account: Account) -> list[tuple[str, object]]:
    """Each file of the archive with its content: a dict, or rows to stream."""
    visible = rows.visible_room_ids(account)
    return [
        ("profile.json", rows.profile(account)),
        ("memberships.json", rows.memberships(account, visible)),
        ("messages.json", said.messages(account, visible)),
        ("conversations.json", said.conversations(account)),
        ("conversation-messages.json", said.conversation_lines(account)),
        ("check-ins.json", rows.check_ins(account, visible)),
        ("reports.json", rows.reports(account)),
        ("library.json", rows.library(account)),
        ("notifications.json", rows.notifications(account)),
        ("message-requests.json", said.message_requests(account)),
        ("account-events.json", rows.account_events(account)),
    ]


class _Sink(io.RawIOBase):
    """A write-only, unseekable file the response drains (zipfile then writes
    data descriptors instead of seeking back)."""

    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[bytes] = []
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.chunks.append(bytes(data))
        self.size += len(data)
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self.chunks)
        self.chunks.clear()
        self.size = 0
        return data


def _dump(value: object) -> bytes:
    """JSON; a translated label (a lazy string) is written as its text in the
    person's language."""
    return json.dumps(value, ensure_ascii=False, indent=1, default=_text).encode()


def _text(value: object) -> str:
    if isinstance(value, LazyString):
        return str(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


def stream(account_id: int) -> Iterator[bytes]:
    """The archive's bytes, a piece at a time (run in the request's context).

    Takes the id: the body is read after the view returned, when the view's
    database session has ended, so the account is loaded here."""
    account = db.session.get(Account, account_id)
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README)
        for name, content in files(account):
            with archive.open(name, "w", force_zip64=True) as out:
                if isinstance(content, dict):
                    out.write(_dump(content))
                else:
                    yield from _write_rows(out, content, sink)
            yield sink.take()
    yield sink.take()


def _write_rows(out, content: Iterable[dict], sink: _Sink) -> Iterator[bytes]:
    """A JSON list written row by row; bytes leave whenever a chunk is ready."""
    out.write(b"[")
    for index, row in enumerate(content):
        out.write((b",\n" if index else b"\n") + _dump(row))
        if sink.size >= CHUNK:
            yield sink.take()
    out.write(b"\n]\n")

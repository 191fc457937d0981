"""One schema per client socket event, checked before any handler runs.

A payload of the wrong shape is answered `{"ok": false, "error": "bad_request"}`
before anything is read or changed: no room joined, no query sent with a value the
database cannot hold (a NUL byte, an integer past 64 or 32 bits). Handlers only see
the fields their schema names, already checked; unknown keys are dropped.

A small declarative module rather than pydantic or marshmallow: eleven events with
strings and ids need four rules, and a dependency would add more surface than it
removes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# new_public_id() is token_urlsafe(12): 16 URL-safe characters; columns hold 24.
PUBLIC_ID = re.compile(r"[A-Za-z0-9_-]{1,24}")
# PostgreSQL's INTEGER, the narrowest id column we have.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
# Far above any real limit: the services still give the precise answer
# ("too_long", "reason_required") below it.
TEXT_CEILING = 64_000


class PayloadError(ValueError):
    """A socket payload of the wrong shape."""


@dataclass(frozen=True)
class Field:
    """One payload field: its type, whether it is required, and its bounds."""

    kind: type
    required: bool = False
    min_length: int = 0
    max_length: int = TEXT_CEILING
    pattern: re.Pattern[str] | None = None
    minimum: int = INT_MIN
    maximum: int = INT_MAX

    def check(self, value: Any) -> Any:
        """The value itself, or PayloadError."""
        if value is None:
            if self.required:
                raise PayloadError("missing")
            return None
        if self.kind is str:
            return self._check_str(value)
        if self.kind is int:
            # bool is an int in Python, never one in a payload.
            if type(value) is not int or not self.minimum <= value <= self.maximum:
                raise PayloadError("integer")
            return value
        if type(value) is not self.kind:
            raise PayloadError("type")
        return value

    def _check_str(self, value: Any) -> str:
        if not isinstance(value, str):
            raise PayloadError("type")
        if not self.min_length <= len(value) <= self.max_length or "\x00" in value:
            raise PayloadError("string")
        # A lone surrogate (JSON's "\ud800") has no UTF-8 form: no database,
        # log or page could hold it.
        if LONE_SURROGATE.search(value):
            raise PayloadError("surrogate")
        if self.pattern is not None and not self.pattern.fullmatch(value):
            raise PayloadError("shape")
        return value


def public_id(*, required: bool = False) -> Field:
    """An opaque public id (rooms, messages)."""
    return Field(str, required=required, pattern=PUBLIC_ID)


def text(*, required: bool = False) -> Field:
    """Free text a person typed; the service checks its real length."""
    return Field(str, required=required)


ROOM = public_id(required=True)

SCHEMAS: dict[str, dict[str, Field]] = {
    "session:check": {},
    "room:join": {"room_id": ROOM, "after_id": public_id()},
    "room:leave": {"room_id": ROOM},
    "room:read": {"room_id": ROOM, "id": public_id(required=True)},
    "typing": {"room_id": ROOM},
    "message:send": {
        "room_id": ROOM,
        "body": text(),
        "content_warning": text(),
        "client_msg_id": Field(str, required=True, min_length=8, max_length=64),
    },
    "message:edit": {
        "room_id": ROOM,
        "id": public_id(required=True),
        "body": text(),
        "content_warning": text(),
    },
    "message:source": {"room_id": ROOM, "id": public_id(required=True)},
    "message:delete": {"room_id": ROOM, "id": public_id(required=True)},
    "message:history": {
        "room_id": ROOM,
        "after_id": public_id(),
        "before_id": public_id(),
    },
    "message:hide": {
        "room_id": ROOM,
        "id": public_id(required=True),
        "reason": text(),
    },
    "message:pin": {"room_id": ROOM, "id": public_id()},
    "support:alert": {"room_id": ROOM},
    "mention:suggest": {
        "room_id": ROOM,
        "prefix": Field(str, max_length=40),
    },
}


def validate(event: str, data: Any) -> dict[str, Any]:
    """The checked fields of this event's payload, or PayloadError."""
    if not isinstance(data, dict):
        raise PayloadError("not an object")
    return {name: field.check(data.get(name)) for name, field in SCHEMAS[event].items()}

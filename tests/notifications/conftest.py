"""The rooms' small network (host A, partner B, stranger C) and socket clients."""

from __future__ import annotations

from tests.rooms.conftest import world  # noqa: F401  (fixture)

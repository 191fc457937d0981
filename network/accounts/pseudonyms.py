"""Pseudonym rules: trimmed, case-insensitive, and no look-alikes of another.

Two pseudonyms collide when their *skeletons* match. The skeleton folds case,
accents and Unicode compatibility forms, then maps every character to one
representative of its confusable class, using the Unicode confusables data that
confusable-homoglyphs ships (from UTS #39). So "Alex", "ALEX", "Аlex" (Cyrillic A),
"A1ex" and "Alèx" all share one skeleton.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from confusable_homoglyphs import confusables
from flask_babel import gettext as _

MIN_LENGTH = 2
MAX_LENGTH = 32
_ALLOWED_PUNCTUATION = set(" -_.'")
_MULTI = {"rn": "m", "vv": "w", "cl": "d"}
_DIGIT_LOOKALIKES = str.maketrans({"0": "o", "1": "l", "|": "l", "i": "l"})


def clean(pseudonym: str) -> str:
    """Trim, apply NFKC and collapse runs of spaces."""
    text = unicodedata.normalize("NFKC", pseudonym or "")
    return re.sub(r"\s+", " ", text).strip()


def problem(pseudonym: str) -> str | None:
    """Why a (cleaned) pseudonym is not allowed, or None when it is fine."""
    if len(pseudonym) < MIN_LENGTH or len(pseudonym) > MAX_LENGTH:
        return _(
            "Use between %(low)s and %(high)s characters.",
            low=MIN_LENGTH,
            high=MAX_LENGTH,
        )
    for char in pseudonym:
        if char.isalnum() or char in _ALLOWED_PUNCTUATION:
            continue
        category = unicodedata.category(char)
        if category.startswith("M"):
            continue
        return _("Use letters, numbers, spaces and - _ . ' only.")
    if not any(char.isalpha() for char in pseudonym):
        return _("Include at least one letter.")
    if confusables.is_mixed_script(pseudonym, allowed_aliases=["COMMON", "INHERITED"]):
        return _("Use letters from one alphabet only.")
    return None


@lru_cache(maxsize=4096)
def _representative(char: str) -> str:
    entries = confusables.confusables_data.get(char)
    if not entries:
        return char
    candidates = {char} | {
        entry["c"] for entry in entries if len(entry["c"].strip("\u200e")) == 1
    }
    candidates = {c.strip("\u200e") for c in candidates}
    ascii_ones = sorted(c for c in candidates if c.isascii())
    return ascii_ones[0] if ascii_ones else min(candidates)


def _map(text: str) -> str:
    return "".join(_representative(char) for char in text)


def skeleton(pseudonym: str) -> str:
    """The comparison key: equal keys mean the two names look alike."""
    text = unicodedata.normalize("NFKD", clean(pseudonym))
    text = "".join(c for c in text if not unicodedata.category(c).startswith("M"))
    text = _map(_map(text).casefold())
    text = _map(text.casefold())
    text = text.translate(_DIGIT_LOOKALIKES)
    for pair, single in _MULTI.items():
        text = text.replace(pair, single)
    return re.sub(r"[\s\-_.']+", "", text)

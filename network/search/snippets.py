"""A result's snippet: the message's sanitized text (its rendered HTML, already
cleaned by markup.render, reduced to plain text), cut around the first match,
with the matching words marked. Segments, not HTML: the template escapes every
one and wraps the matches in <mark>."""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from markupsafe import Markup

SNIPPET_LENGTH = 160
_WORD = re.compile(r"[^\W_]+")


class Segment(NamedTuple):
    """A piece of the snippet's text, and whether it matched the query."""

    text: str
    match: bool


def _folded(word: str) -> str:
    """Lowercase without accents, as the index compares (remove_diacritics)."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def snippet(html: str, terms: list[str], length: int = SNIPPET_LENGTH) -> list[Segment]:
    """Up to `length` characters of the message's text around its first matching
    word, with an ellipsis where text was cut; words starting with a term marked."""
    plain = Markup(html or "").striptags()
    terms = [_folded(term) for term in terms]
    words = [
        (found.start(), found.end())
        for found in _WORD.finditer(plain)
        if any(_folded(found.group()).startswith(term) for term in terms)
    ]
    start = 0
    if words and len(plain) > length:
        start = max(0, min(words[0][0] - length // 3, len(plain) - length))
        while start > 0 and not plain[start - 1].isspace():
            start -= 1  # begin at a word
    end = min(len(plain), start + length)
    segments: list[Segment] = [Segment("…", False)] if start > 0 else []
    cursor = start
    for word_start, word_end in words:
        if word_start < start or word_end > end:
            continue
        if word_start > cursor:
            segments.append(Segment(plain[cursor:word_start], False))
        segments.append(Segment(plain[word_start:word_end], True))
        cursor = word_end
    if cursor < end:
        segments.append(Segment(plain[cursor:end], False))
    if end < len(plain):
        segments.append(Segment("…", False))
    return segments

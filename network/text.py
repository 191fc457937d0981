"""Text rules shared by every feature."""

from __future__ import annotations

import re
import unicodedata

# Embeddings, overrides and isolates, the implicit marks and the Arabic letter mark:
# in a one-line name they can make "invoice\u202efdp.exe" read "invoiceexe.pdf".
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)


def one_line(text: str | None) -> str | None:
    """A single-line name without direction controls or other control characters
    (a tab or line break becomes a space). None stays None (an empty field)."""
    if text is None:
        return None
    return "".join(
        " " if char in "\t\r\n" else char
        for char in text
        if char not in BIDI_CONTROLS
        and (unicodedata.category(char) != "Cc" or char in "\t\r\n")
    )


# Full-text search (the library's resources and room messages): what a person
# types is reduced to words, so nothing they type is query syntax.
SEARCH_QUERY_MAX = 200  # characters of a query read at all
SEARCH_TERMS_MAX = 10
SEARCH_TERM_MAX = 40


def search_terms(query: str) -> list[str]:
    """The query's words, letters and digits only (never quotes, operators, NUL or
    an underscore), lowercased: at most 10 words of at most 40 characters."""
    words = re.findall(r"[^\W_]+", (query or "")[:SEARCH_QUERY_MAX])
    return [word[:SEARCH_TERM_MAX].lower() for word in words][:SEARCH_TERMS_MAX]


def fts5_match(terms: list[str]) -> str:
    """An SQLite FTS5 MATCH string: every term quoted, as a prefix, ANDed."""
    return " ".join(f'"{term}"*' for term in terms)


def tsquery_text(terms: list[str]) -> str:
    """A PostgreSQL to_tsquery string: every term as a prefix, ANDed (the terms
    are letters and digits only, so none of them is tsquery syntax)."""
    return " & ".join(f"{term}:*" for term in terms)

"""Text rules shared by every feature."""

from __future__ import annotations

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

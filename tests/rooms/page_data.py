"""The room page's first messages, as the page carries them to its renderer."""

from __future__ import annotations

import json
import re

BLOCK = re.compile(
    r'<script type="application/json" id="initial-messages">(.*?)</script>', re.S
)


def page_data(html: str) -> dict:
    """The room page's JSON data block: {"messages": [...], "cards": {...}}."""
    match = BLOCK.search(html)
    assert match, "the room page has no initial-messages data block"
    return json.loads(match.group(1))


def page_messages(html: str) -> list[dict]:
    """The message payloads of the room page's JSON data block, in page order."""
    return page_data(html)["messages"]

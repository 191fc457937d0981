"""Markdown (a small subset) to HTML, then nh3: the one sanitizer for user text.

Only http, https and mailto links survive, each with rel="nofollow noopener
noreferrer"; no images, iframes or raw HTML.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

_md = MarkdownIt("zero", {"html": False, "breaks": True, "linkify": False}).enable(
    [
        "emphasis",
        "link",
        "list",
        "blockquote",
        "backticks",
        "fence",
        "newline",
        "escape",
        "paragraph",
    ]
)

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}


def render(text: str) -> str:
    """Render untrusted Markdown to safe HTML."""
    return sanitize(_md.render(text))


def sanitize(html: str) -> str:
    """Strip everything but the small allowed set of tags, attributes and links."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )

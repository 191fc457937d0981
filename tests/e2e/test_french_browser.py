"""In Chromium at phone size, a member switches to French with the footer's
language switch and walks the main pages: no English sentence is left (user
content from the demo data — names, rooms, messages, resources — is allowed)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.e2e.helpers import PHONE, signed_in_page

pytestmark = pytest.mark.e2e

MEMBER, MEMBER_NAME = "harbour.lead", "Tidewater"
# Very common English words that are not also French words ("on", "page",
# "message" and "or" are French too, so they are not here): one in the page's
# own text means a sentence was left in English.
ENGLISH = {
    "the",
    "and",
    "you",
    "your",
    "with",
    "this",
    "for",
    "from",
    "room",
    "rooms",
    "send",
    "sign",
    "out",
    "who",
    "what",
    "when",
    "here",
    "there",
    "have",
    "has",
    "not",
    "can",
    "will",
    "are",
    "were",
    "was",
    "been",
    "they",
    "their",
    "them",
    "our",
    "about",
    "only",
    "into",
    "after",
    "before",
    "search",
    "back",
    "save",
    "new",
    "open",
    "people",
    "members",
    "library",
    "settings",
    "account",
    "help",
    "reports",
    "block",
    "read",
    "unread",
    "join",
    "leave",
    "nothing",
    "yet",
    "please",
    "try",
    "again",
    "no",
    "yes",
    "of",
    "to",
    "is",
    "it",
    "in",
    "at",
    "by",
}
# "Menu", "Notifications", "Organisme"... are French too; these are never flagged.
WORD = re.compile(r"[A-Za-zÀ-ÿ'’]+")
PAGES = [
    "/",
    "/rooms",
    "/conversations",
    "/directory",
    "/library",
    "/account",
    "/notifications",
    "/search?q=peer",
]


def demo_strings() -> list[str]:
    """Every string in the demo data (user content: names, rooms, messages)."""
    source = Path(__file__).resolve().parents[2] / "network" / "demo.py"
    found = {
        node.value
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    found |= {s.replace("**", "") for s in found}  # messages as rendered (Markdown)
    return sorted((s for s in found if len(s) > 2), key=len, reverse=True)


def english_left(text: str, allowed: list[str]) -> list[str]:
    """The lines of text that still hold an English word once demo content is out."""
    for content in allowed:  # whole words only: "il" in a name never eats "ville"
        text = re.sub(rf"(?<!\w){re.escape(content)}(?!\w)", " ", text)
    found = []
    for line in text.splitlines():
        words = {w.lower().strip("'’") for w in WORD.findall(line)}
        if words & ENGLISH:
            found.append(line.strip())
    return found


def switch_to_french(page, base: str) -> None:
    """Use the footer's switch, as a person would."""
    page.goto(base + "/account")
    page.select_option("#footer-locale", "fr_CA")
    with page.expect_navigation():
        page.locator("footer form.language-switch button").click()


def test_the_main_pages_have_no_english_left(live_server, new_context):
    base = live_server.base_url
    page = signed_in_page(new_context, base, MEMBER, MEMBER_NAME, **PHONE)
    switch_to_french(page, base)
    assert page.url.endswith("/account")  # the switch came back to the page
    allowed = demo_strings()
    problems = {}
    first_room = None
    for path in PAGES:
        page.goto(base + path)
        assert page.locator("html").get_attribute("lang") == "fr-CA", path
        if path == "/rooms":
            link = page.locator(
                "main a[href^='/rooms/']:not([href='/rooms/new'])"
            ).first
            first_room = link.get_attribute("href") if link.count() else None
        left = english_left(page.locator("body").inner_text(), allowed)
        if left:
            problems[path] = left
    if first_room:
        page.goto(base + first_room)
        left = english_left(page.locator("body").inner_text(), allowed)
        if left:
            problems[first_room] = left
    assert not problems, "English left in French pages:\n" + "\n".join(
        f"{path}: {line}" for path, lines in problems.items() for line in lines
    )


def test_english_detection_finds_a_sentence_and_allows_names():
    allowed = ["Harbour Light Peer Collective"]
    assert english_left("Bienvenue\nSend a message", allowed) == ["Send a message"]
    assert english_left("Harbour Light Peer Collective · Salons", allowed) == []

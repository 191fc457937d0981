"""Markup a screen reader depends on (issue 15, Accessibility): no dangling
aria-describedby, unread badges that say what they count, Manage-page controls
tied to the member they act on, and a skip link to the room's message box."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from tests.rooms.apart import join, send


class _Elements(HTMLParser):
    """Every start tag as (tag, attrs), plus the text inside each element with an id."""

    def __init__(self):
        super().__init__()
        self.tags, self.text_by_id, self._open = [], {}, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag not in ("input", "br", "img", "meta", "link", "hr"):
            self._open.append(attrs.get("id"))
            if attrs.get("id"):
                self.text_by_id[attrs["id"]] = ""

    def handle_endtag(self, tag):
        if self._open and tag not in ("input", "br", "img", "meta", "link", "hr"):
            self._open.pop()

    def handle_data(self, data):
        for element_id in filter(None, self._open):
            self.text_by_id[element_id] += data


def _parse(body: str) -> _Elements:
    parser = _Elements()
    parser.feed(body)
    return parser


def _pages(world, login_as):
    room = f"/rooms/{world.room.public_id}"
    yield login_as(None).get("/login")
    yield login_as(None).get("/join/request")
    member = login_as(world.alice)
    for path in ("/account", "/account/password", "/library/new", "/directory"):
        yield member.get(path)
    lead = login_as(world.lead_a)
    for path in ("/rooms/new", f"{room}/edit", f"{room}/manage", "/org/settings"):
        yield lead.get(path)


def test_every_described_by_names_an_element_on_the_page(app, world, login_as):
    """Fields without a hint or error rendered aria-describedby="None"."""
    for response in _pages(world, login_as):
        assert response.status_code == 200, response.request.path
        parsed = _parse(response.text)
        for tag, attrs in parsed.tags:
            for ref in (attrs.get("aria-describedby") or "").split():
                assert ref in parsed.text_by_id, (response.request.path, tag, attrs)
        assert 'aria-describedby="None"' not in response.text


def test_unread_badge_says_what_it_counts(app, world, connect, login_as):
    """The badge read as a bare "3" (aria-label is ignored on a plain span)."""
    amir = connect(world.amir)
    join(amir, world.room)
    for n in range(3):
        send(amir, world.room, f"n{n}")
    body = login_as(world.alice).get("/rooms").text
    badge = body[body.index('<span class="badge"') :].split("\n", 1)[0]
    assert '<span aria-hidden="true">3</span>' in badge, badge
    assert '<span class="visually-hidden">3 unread messages</span>' in badge, badge


def test_manage_controls_name_the_member(app, world, connect, login_as):
    """Each member's Mute/Remove/Ban (and fields) said nothing of whom they act on."""
    for person in (world.alice, world.amir):
        join(connect(person), world.room)
    body = login_as(world.lead_a).get(f"/rooms/{world.room.public_id}/manage").text
    items = re.findall(r'<li data-member="[^"]+">(.*?)</li>', body, re.S)
    assert len(items) >= 2, body
    for item in items:
        parsed = _parse(item)
        name = next(v for k, v in parsed.text_by_id.items() if k.startswith("member-"))
        controls = [a for t, a in parsed.tags if t in ("button", "input", "select")]
        controls = [a for a in controls if a.get("type") != "hidden"]
        assert controls, item
        for attrs in controls:
            refs = (attrs.get("aria-describedby") or "").split()
            assert any(parsed.text_by_id.get(r) == name for r in refs), (name, attrs)
    assert "Alice A" in body and "Amir A" in body


def test_room_page_skips_to_the_message_box(app, world, login_as):
    """Reaching the composer took one Tab per message: a skip link goes there."""
    body = login_as(world.alice).get(f"/rooms/{world.room.public_id}").text
    main = body[body.index('<main id="main"') :]
    first_link = re.search(r"<a [^>]*>[^<]*</a>", main).group(0)
    assert 'href="#body"' in first_link and "Skip to message box" in first_link
    assert '<textarea id="body"' in body

"""In Chromium: the room page keeps the room's order whatever order live messages
arrive in (issue 13 items 6 and 7).

Playwright stands between the page and the server's socket
(`page.route_web_socket`): it records what the page sends and can hold a
message back and deliver it after a later one, as a second server process does.
"""

from __future__ import annotations

import json
import re
import sqlite3
import uuid
from datetime import datetime, timedelta

import pytest

from tests.e2e.conftest import (
    browser_login,
    close_sockets,
    connect_socket,
    cookie_header,
    http_login,
    room_ids,
    tagged,
)
from tests.e2e.helpers import expect

pytestmark = pytest.mark.e2e

CIRCLE = "Atlantic-Prairie learning circle"
SAM = "harbour.sam"
JO, JO_PSEUDONYM = "prairie.jo", "Kestrel"
REPLAY = 20  # room.js: a reconnect replays from this many messages back


def _event(frame) -> list | None:
    """[name, payload] of a Socket.IO event frame ("42[...]" or "42<ack>[...]")."""
    if not isinstance(frame, str) or not frame.startswith("42"):
        return None
    try:
        return json.loads(frame[2:].lstrip("0123456789"))
    except ValueError:
        return None


class Wire:
    """The page's socket, through Playwright: every frame the page sends is kept;
    the first message:created whose text contains `hold` waits until one
    containing `release` has been delivered, then follows it."""

    def __init__(self, hold: str = "", release: str = "", skew: float = 0.0) -> None:
        self.hold, self.release, self.skew = hold, release, skew
        self.sent: list[list] = []  # events the page sent, in order
        self.received: list[list] = []  # events delivered to the page, in order
        self.held: str | None = None
        self.routes: list = []

    def attach(self, page) -> None:
        page.route_web_socket(re.compile(r"/socket\.io/"), self._route)

    def _route(self, ws) -> None:
        server = ws.connect_to_server()
        self.routes.append((ws, server))

        def from_page(frame) -> None:
            event = _event(frame)
            if event:
                self.sent.append(event)
            server.send(frame)

        def from_server(frame) -> None:
            event = _event(frame)
            if event and event[0] == "message:created":
                html = event[1].get("html", "")
                if self.hold and self.hold in html and self.held is None:
                    self.held = self._skewed(event)
                    return
                if self.release and self.release in html and self.held:
                    self._deliver(ws, frame, event)
                    frame, event, self.held = self.held, _event(self.held), ""
            self._deliver(ws, frame, event)

        ws.on_message(from_page)
        server.on_message(from_server)

    def _deliver(self, ws, frame, event) -> None:
        if event:
            self.received.append(event)
        ws.send(frame)

    def _skewed(self, event: list) -> str:
        """The held message as stamped by a process whose clock runs `skew`
        seconds ahead: its created_at says later than the one it precedes."""
        payload = dict(event[1])
        stamped = datetime.fromisoformat(payload["created_at"])
        payload["created_at"] = (stamped + timedelta(seconds=self.skew)).isoformat()
        return "42" + json.dumps([event[0], payload])

    def sent_named(self, name: str) -> list[dict]:
        return [payload for event_name, payload in self.sent if event_name == name]


def _stored_ids(server, room_name: str) -> list[str]:
    """The room's public ids in stored (id) order."""
    with sqlite3.connect(server.database) as db:
        rows = db.execute(
            "SELECT messages.public_id FROM messages "
            "JOIN rooms ON rooms.id = messages.room_id WHERE rooms.name = ? "
            "ORDER BY messages.id",
            (room_name,),
        ).fetchall()
    return [public_id for (public_id,) in rows]


def _ids(page) -> list[str]:
    return page.eval_on_selector_all(
        "#messages li.message", "items => items.map(i => i.dataset.id)"
    )


def _jo_in_circle(new_context, base: str, wire: Wire):
    page = new_context().new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.page_errors = errors
    wire.attach(page)
    browser_login(page, base, JO)
    page.goto(base + "/rooms")
    with page.expect_navigation():
        page.get_by_role("link", name=CIRCLE, exact=True).click()
    expect(
        page.locator("#presence li").filter(has_text=tagged(JO_PSEUDONYM))
    ).to_have_count(1)
    return page


def _sam(base: str):
    session = http_login(base, SAM)
    room = room_ids(session, base)[CIRCLE]
    return connect_socket(base, cookie=cookie_header(session), origin=base), room


def _send(client, room: str, body: str, client_msg_id: str | None = None) -> str:
    ack = client.call(
        "message:send",
        {
            "room_id": room,
            "body": body,
            "client_msg_id": client_msg_id or uuid.uuid4().hex,
        },
        timeout=10,
    )
    assert ack["ok"] is True, ack
    return ack["id"]


def _message(page, text: str):
    return page.locator("#messages li.message").filter(has_text=text)


def test_messages_delivered_out_of_order_are_shown_in_room_order(
    live_server, new_context
):
    base = live_server.base_url
    tag = uuid.uuid4().hex[:6]
    earlier, later = f"sent first {tag}", f"sent second {tag}"
    # The earlier message comes from a process whose clock is a second ahead,
    # and reaches the page after the later one.
    wire = Wire(hold=earlier, release=later, skew=1.0)
    jo = _jo_in_circle(new_context, base, wire)
    sam, room = _sam(base)
    try:
        first = _send(sam, room, earlier)
        second = _send(sam, room, later)
    finally:
        close_sockets([sam])
    expect(_message(jo, earlier)).to_have_count(1)
    expect(_message(jo, later)).to_have_count(1)
    arrived = [p["id"] for name, p in wire.received if name == "message:created"]
    assert arrived[-2:] == [second, first], "the route did not reorder"

    stored = _stored_ids(live_server, CIRCLE)
    assert stored[-2:] == [first, second]
    shown = _ids(jo)
    assert shown == stored[-len(shown) :], "the page is not in the room's order"

    # The read position only moves to the newest message, never back.
    # room.js sends room:read at most every 2 s, the newest position last.
    def read_ids() -> list:
        return [p["id"] for p in wire.sent_named("room:read")]

    _wait(lambda: read_ids() and read_ids()[-1] == second, jo)
    reads = read_ids()
    keys = jo.eval_on_selector_all(
        "#messages li.message", "items => items.map(i => Number(i.dataset.order))"
    )
    assert keys == sorted(keys) and len(set(keys)) == len(keys)

    # A dropped socket rejoins from the room's order, not the arrival order.
    joins, reads = (len(wire.sent_named(n)) for n in ("room:join", "room:read"))
    for side in wire.routes[-1]:
        side.close()
    _wait(lambda: len(wire.sent_named("room:join")) > joins, jo)
    after_id = wire.sent_named("room:join")[-1].get("after_id")
    assert after_id == (shown[-1 - REPLAY] if len(shown) > REPLAY else None)
    # The join's answer is applied (room.js marks read after it), nothing twice.
    _wait(lambda: len(wire.sent_named("room:read")) > reads, jo)
    expect(jo.locator("#connection")).to_have_text("")
    assert _ids(jo) == shown
    assert jo.page_errors == []


def _wait(condition, page, timeout_ms: int = 10_000) -> None:
    """Poll a Python condition while Playwright keeps dispatching the route."""
    waited = 0
    while not condition():
        assert waited < timeout_ms, "timed out"
        page.wait_for_timeout(50)
        waited += 50


def test_a_retried_message_is_shown_once(live_server, new_context):
    base = live_server.base_url
    wire = Wire()
    jo = _jo_in_circle(new_context, base, wire)
    body = f"sent twice {uuid.uuid4().hex[:6]}"
    marker = f"positive marker {uuid.uuid4().hex[:6]}"
    sam, room = _sam(base)
    try:
        client_msg_id = uuid.uuid4().hex
        first = _send(sam, room, body, client_msg_id)
        assert _send(sam, room, body, client_msg_id) == first  # the ack was lost
        _send(sam, room, marker)
    finally:
        close_sockets([sam])
    expect(_message(jo, marker)).to_have_count(1)
    delivered = [p["id"] for name, p in wire.received if name == "message:created"]
    assert delivered.count(first) == 2, "the retry was not broadcast again"
    expect(_message(jo, body)).to_have_count(1)
    assert _ids(jo).count(first) == 1
    assert jo.page_errors == []

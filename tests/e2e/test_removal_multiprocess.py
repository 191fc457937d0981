"""A removal holds across server processes: the member's socket is on P2, the
moderator removes them on P1, and P2 stops delivering that room to the socket at
once, even to a client that ignores `room:removed` and stays connected (the
page's own script disconnects, a hostile one would not).

Absence is proved after a positive control: a marker message in another room
the member still shares, sent after the would-be leak, on the same socket.
"""

from __future__ import annotations

import re
import threading
import time

import pytest

from tests.e2e.conftest import (
    connect_socket,
    cookie_header,
    csrf_from,
    http_login,
    room_ids,
)

pytestmark = [pytest.mark.e2e, pytest.mark.services]

COMMONS = "Harbour commons"  # hosted by Harbour Light; its lead moderates it
CIRCLE = "Atlantic-Prairie learning circle"  # the member stays in this one
SAM_PSEUDONYM = "Driftwood"
REASON = "A pause agreed with your organization"
MEMBER_RE = re.compile(r'<li data-member="([A-Za-z0-9_-]+)">(.*?)</li>', re.S)


class Listener:
    """One socket recording, in arrival order, every event it is sent."""

    def __init__(self, base: str, cookie: str, made: list) -> None:
        self.client = connect_socket(base, cookie=cookie, origin=base)
        made.append(self.client)
        self.events: list[tuple[str, dict]] = []
        self.lock = threading.Lock()
        for name in ("message:created", "room:removed"):
            self.client.on(name, self._recorder(name))

    def _recorder(self, name: str):
        def record(data: dict) -> None:
            with self.lock:
                self.events.append((name, data))

        return record

    def join(self, room_id: str) -> dict:
        return self.client.call("room:join", {"room_id": room_id}, timeout=10)

    def bodies(self, room_id: str) -> list[str]:
        with self.lock:
            return [
                data.get("html", "")
                for name, data in self.events
                if name == "message:created" and data.get("room_id") == room_id
            ]

    def got(self, name: str) -> bool:
        with self.lock:
            return any(event == name for event, _ in self.events)


def _wait_for(condition, what: str, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    assert condition(), f"timed out waiting for {what}"


def _send(listener: Listener, room_id: str, body: str) -> None:
    ack = listener.client.call(
        "message:send",
        {"room_id": room_id, "body": body, "client_msg_id": f"{body}-{time.time()}"},
        timeout=10,
    )
    assert ack["ok"] is True, ack


def _remove(session, base: str, room_id: str, pseudonym: str) -> None:
    """The moderator's Remove button on the manage page, through the real form."""
    page = session.get(f"{base}/rooms/{room_id}/manage", timeout=10).text
    member = next(pid for pid, row in MEMBER_RE.findall(page) if pseudonym in row)
    token = csrf_from(session, f"{base}/rooms/{room_id}/manage")
    response = session.post(
        f"{base}/rooms/{room_id}/manage/remove",
        data={"csrf_token": token, "m-member": member, "m-reason": REASON},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, response.status_code


def test_removal_on_one_process_stops_delivery_on_the_other(sockets, live_servers):
    p1, p2 = (server.base_url for server in live_servers)
    lead_session = http_login(p1, "harbour.lead")
    rooms = room_ids(lead_session, p1)
    commons, circle = rooms[COMMONS], rooms[CIRCLE]

    lead = Listener(p1, cookie_header(lead_session), sockets)
    sam = Listener(p2, cookie_header(http_login(p2, "harbour.sam")), sockets)
    for room in (commons, circle):
        assert lead.join(room)["ok"] is True
        assert sam.join(room)["ok"] is True

    _send(lead, commons, "before the removal")
    _wait_for(lambda: any("before the removal" in b for b in sam.bodies(commons)), "P2")

    _remove(lead_session, p1, commons, SAM_PSEUDONYM)
    _wait_for(lambda: sam.got("room:removed"), "room:removed on P2")

    # The would-be leak, then the positive control on the same socket.
    _send(lead, commons, "after the removal")
    _send(lead, circle, "marker after the removal")
    _wait_for(lambda: any("marker after" in b for b in sam.bodies(circle)), "marker")
    assert not any("after the removal" in b for b in sam.bodies(commons))

    # The still-connected socket cannot walk back in either.
    assert sam.join(commons) == {"ok": False, "error": "removed", "reason": REASON}

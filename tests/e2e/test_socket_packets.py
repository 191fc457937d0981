"""Raw Socket.IO frames on the real gevent server: malformed packets and floods.

Every malformed packet gets an error ack (when it carried an ack id) or a clean
close, and leaves no traceback in the server's log. A socket that keeps sending
past its event budget is closed, and the others carry on.
"""

from __future__ import annotations

import json

import pytest
import websocket

from tests.e2e.conftest import cookie_header, http_login, room_ids

pytestmark = pytest.mark.e2e

ROOM = "Harbour commons"
CLOSED = "closed"
HUGE = 2**70
DEEP = 6000
# Small budgets, so that a flood is over it at once (the production defaults are
# in network/config.py). The malformed cases send one event per socket.
BURST = 20
STRIKES = 50


@pytest.fixture(scope="module")
def live_server_env() -> dict[str, str]:
    """A small per-socket event budget, refilled slowly."""
    return {
        "SOCKET_EVENT_BURST": str(BURST),
        "SOCKET_EVENT_RATE": "0.5",
        "SOCKET_FLOOD_STRIKES": str(STRIKES),
    }


class RawSocket:
    """One Socket.IO client speaking raw frames over websocket-client."""

    def __init__(self, base_url: str, cookie: str) -> None:
        url = (
            base_url.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"
        )
        self.ws = websocket.create_connection(
            url,
            header=[f"Origin: {base_url}", f"Cookie: {cookie}"],
            suppress_origin=True,
            timeout=10,
        )
        assert self.ws.recv().startswith("0")  # the Engine.IO open packet
        self.ws.send("40")
        frame = self.next_frame()
        assert frame is not None and frame.startswith("40"), frame

    def send(self, frame: str) -> None:
        """Send one Engine.IO text frame as it is."""
        self.ws.send(frame)

    def next_frame(self) -> str | None:
        """The next frame that is not a ping, or None once the server closed."""
        while True:
            try:
                frame = self.ws.recv()
            except websocket.WebSocketTimeoutException:
                raise AssertionError("the server sent nothing for 10 s") from None
            except (websocket.WebSocketConnectionClosedException, OSError):
                return None
            if frame == "2":
                self.ws.send("3")
                continue
            if not frame:
                return None
            return frame

    def answer(self, ack_id: int | None):
        """The ack with this id, or CLOSED when the server closes the socket
        (a Socket.IO disconnect, an Engine.IO close, or the connection)."""
        prefix = f"43{ack_id}["
        while True:
            frame = self.next_frame()
            if frame is None or frame == "1" or frame.startswith("41"):
                return CLOSED
            if ack_id is not None and frame.startswith(prefix):
                return json.loads(frame[len(prefix) - 1 :])[0]

    def acks_until_closed(self) -> list:
        """Every ack until the server closes the socket."""
        acks = []
        while True:
            frame = self.next_frame()
            if frame is None or frame == "1" or frame.startswith("41"):
                return acks
            if frame.startswith("43"):
                acks.append(json.loads(frame[frame.index("[") :])[0])

    def close(self) -> None:
        """Drop the connection without waiting for a closing handshake."""
        try:
            self.ws.shutdown()
        except Exception:
            pass


@pytest.fixture(scope="module")
def member(live_server):
    """harbour.sam's cookie and the public id of a room they are in."""
    session = http_login(live_server.base_url, "harbour.sam")
    return cookie_header(session), room_ids(session, live_server.base_url)[ROOM]


@pytest.fixture
def raw(live_server, member):
    """raw() -> a new RawSocket signed in as harbour.sam (closed at the end)."""
    made: list[RawSocket] = []

    def _open() -> RawSocket:
        sock = RawSocket(live_server.base_url, member[0])
        made.append(sock)
        return sock

    yield _open
    for sock in made:
        sock.close()


def _event(ack_id: int | None, payload) -> str:
    """A Socket.IO EVENT frame; payload is JSON text or a value to encode."""
    text = payload if isinstance(payload, str) else json.dumps(payload)
    return "42" + ("" if ack_id is None else str(ack_id)) + text


def _send(room: str, **fields) -> list:
    return [
        "message:send",
        {"room_id": room, "body": "hello", "client_msg_id": "abcdefgh-1", **fields},
    ]


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


# (name, the frame after "42<id>", with the room's public id as {room})
MALFORMED = {
    "lone surrogate in body": lambda r: _send(r, body="hi \ud800 there"),
    "lone surrogate in client_msg_id": lambda r: _send(
        r, client_msg_id="abc\udfffdefgh"
    ),
    "huge after_id in room:join": lambda r: [
        "room:join",
        {"room_id": r, "after_id": HUGE},
    ],
    "huge after_id in history": lambda r: [
        "message:history",
        {"room_id": r, "after_id": HUGE},
    ],
    "huge before_id in history": lambda r: [
        "message:history",
        {"room_id": r, "before_id": -HUGE},
    ],
    "huge id in room:read": lambda r: ["room:read", {"room_id": r, "id": HUGE}],
    "huge id in message:delete": lambda r: [
        "message:delete",
        {"room_id": r, "id": HUGE},
    ],
    "huge room_id": lambda r: ["room:join", {"room_id": HUGE}],
    "unknown event": lambda r: ["no:such:event", {"room_id": r}],
    "reserved event disconnect": lambda r: ["disconnect"],
    "reserved event connect": lambda r: ["connect", {}],
    "empty event list": lambda r: [],
    "number as event name": lambda r: [5, {"room_id": r}],
    "null as event name": lambda r: [None],
    "object instead of list": lambda r: {"room_id": r},
    "string instead of list": lambda r: "message:send",
    "extra arguments": lambda r: ["room:leave", {"room_id": r}, {"room_id": r}],
    "payload not an object": lambda r: ["room:join", [r]],
    "truncated JSON": lambda r: '["message:send",{"room_id":"' + r,
    "nesting 6,000 deep": lambda r: '["message:send",' + _deep(DEEP) + "]",
    "nesting 6,000 deep in a field": lambda r: (
        '["message:send",{"room_id":"' + r + '","body":' + _deep(DEEP) + "}]"
    ),
}


def _tracebacks(live_server, since: int) -> str:
    text = live_server.stderr_path.read_text(errors="replace")[since:]
    bad = [
        line
        for line in text.splitlines()
        if "Traceback" in line or "Error" in line or line.startswith("ERROR")
    ]
    return "\n".join(bad)


def _log_size(live_server) -> int:
    return len(live_server.stderr_path.read_text(errors="replace"))


@pytest.mark.parametrize("ack_id", [7, None], ids=["with ack id", "without ack id"])
@pytest.mark.parametrize("case", list(MALFORMED), ids=list(MALFORMED))
def test_malformed_event_is_answered_without_traceback(
    live_server, member, raw, case, ack_id
):
    since = _log_size(live_server)
    sock = raw()
    sock.send(_event(ack_id, MALFORMED[case](member[1])))
    answer = sock.answer(ack_id)
    if ack_id is None:
        assert answer == CLOSED  # nothing to answer to: a clean close
    else:
        assert answer == CLOSED or (
            answer.get("ok") is False and answer.get("error")
        ), answer
        if answer != CLOSED:
            # The socket is still served after its error ack.
            sock.send(_event(8, ["session:check", {}]))
            assert sock.answer(8)["ok"] is True
    assert _tracebacks(live_server, since) == ""


# Frames below the Socket.IO layer, or packets our protocol never uses.
PACKETS = {
    "unknown Socket.IO packet type": "49",
    "Socket.IO packet type that is not a digit": "4x",
    "binary event awaiting an attachment": '451-7["room:join",{"_placeholder":true,"num":0}]',
    "event for an unknown namespace": '42/other,7["room:join",{}]',
    "CONNECT_ERROR from a client": '44{"message":"x"}',
    "event id too long": "42" + "1" * 120 + '["session:check",{}]',
    "Engine.IO JSON nested 6,000 deep": "4" + _deep(DEEP),
}


@pytest.mark.parametrize("case", list(PACKETS), ids=list(PACKETS))
def test_malformed_packet_is_closed_without_traceback(live_server, raw, case):
    since = _log_size(live_server)
    sock = raw()
    sock.send(PACKETS[case])
    assert sock.answer(None) == CLOSED
    assert _tracebacks(live_server, since) == ""


def test_flooding_socket_is_closed_and_others_are_served(live_server, raw):
    since = _log_size(live_server)
    flooder = raw()
    other = raw()  # the same member's other socket: the budget is per socket
    marker = "flood-note-marker"
    sent = 0
    for number in range(1, 2001):
        try:
            flooder.send(_event(number, ["session:check", {"note": marker}]))
        except (websocket.WebSocketConnectionClosedException, OSError):
            break  # the server closed it mid-flood
        sent = number
    acks = flooder.acks_until_closed()
    # Served: the burst (less the CONNECT packet) and what refilled meanwhile
    # (0.5 a second); over the budget: rate_limited acks, until it was closed.
    served = [ack for ack in acks if ack.get("ok")]
    assert BURST - 1 <= len(served) <= BURST + 10, len(served)
    assert all(
        ack.get("ok") or ack == {"ok": False, "error": "rate_limited"} for ack in acks
    )
    assert len(acks) < sent
    other.send(_event(1, ["session:check", {}]))
    assert other.answer(1)["ok"] is True
    log = live_server.stderr_path.read_text(errors="replace")[since:]
    assert "over its event budget" in log, log
    assert marker not in log
    assert _tracebacks(live_server, since) == ""

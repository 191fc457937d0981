"""The gate every Socket.IO packet passes before python-socketio handles it.

Installed on the app's socketio server by realtime.init_app, it runs for every
Engine.IO message in the socket's reader greenlet (async_handlers=False), before
any handler work: no decoding, session reload or SQL happens for a packet it turns
away.

1. The socket's event budget: a token bucket per socket (SOCKET_EVENT_BURST
   events at once, refilled at SOCKET_EVENT_RATE a second) in this process's
   memory, since a socket lives on one process. A packet over budget is dropped
   undecoded; an event with an ack id is answered `rate_limited`. A socket that
   goes SOCKET_FLOOD_STRIKES packets over budget without pausing long enough to
   refill it is closed, and a warning names its account (never its content).
2. The packet's shape: it is decoded once; an event must be `[name]` or
   `[name, payload]` with a name that has a schema in network.payloads and a
   payload the schema accepts. Otherwise it is answered `bad_request` when it
   carried an ack id, and the socket is closed when it did not. Packets our
   protocol never sends (binary, other namespaces, CONNECT_ERROR, a second
   CONNECT, anything undecodable) close the socket.

The per-member message limit (network/ratelimit.py) is separate: it counts stored
messages across processes; this budget counts packets, per socket, in memory.
It stays a bucket of its own rather than a `limits` window: it runs for every
packet in the socket's reader with no lock or storage call, and its strikes are
forgiven once the bucket has refilled, which a window has no notion of.
"""

from __future__ import annotations

import json
import logging
import re
import time
from typing import Any

from socketio import packet

from network.payloads import SCHEMAS, PayloadError, validate

log = logging.getLogger(__name__)

NAMESPACE = "/"
# An EVENT packet's ack id, as python-socketio reads it (at most 100 digits).
_EVENT_ACK_ID = re.compile(r"2(\d{1,100})")
RATE_LIMITED = {"ok": False, "error": "rate_limited"}
BAD_REQUEST = {"ok": False, "error": "bad_request"}


class SafeJSON:
    """The json module for Engine.IO and Socket.IO packets: nesting too deep for
    the decoder is a ValueError (a malformed packet), never a RecursionError."""

    @staticmethod
    def dumps(*args, **kwargs) -> str:
        """json.dumps."""
        return json.dumps(*args, **kwargs)

    @staticmethod
    def loads(*args, **kwargs) -> Any:
        """json.loads, with RecursionError turned into ValueError."""
        try:
            return json.loads(*args, **kwargs)
        except RecursionError:
            raise ValueError("JSON nested too deep") from None


class Budget:
    """One socket's token bucket and its count of packets over budget."""

    __slots__ = ("tokens", "at", "strikes")

    def __init__(self, burst: float, now: float) -> None:
        self.tokens = burst
        self.at = now
        self.strikes = 0

    def take(self, burst: float, rate: float, now: float) -> bool:
        """Take one token; False (a strike) when the bucket is empty. A bucket
        that refilled completely forgives earlier strikes."""
        tokens = min(burst, self.tokens + (now - self.at) * rate)
        self.at = now
        if tokens >= burst:
            self.strikes = 0
        if tokens >= 1:
            self.tokens = tokens - 1
            return True
        self.tokens = tokens
        self.strikes += 1
        return False


class SocketGate:
    """Budget and shape checks in front of one socketio.Server's packet handling."""

    def __init__(self, app, server, *, burst: float, rate: float, strikes: int):
        self.app = app
        self.server = server
        self.burst = burst
        self.rate = rate
        self.strikes = strikes
        self.budgets: dict[str, Budget] = {}
        self._connect = server._handle_eio_connect
        self._message = server._handle_eio_message
        self._disconnect = server._handle_eio_disconnect

    def install(self) -> None:
        """Route the server's Engine.IO events through the gate (Flask-SocketIO's
        test client calls these methods directly, so they are replaced too)."""
        self.server._handle_eio_connect = self.on_connect
        self.server._handle_eio_message = self.on_message
        self.server._handle_eio_disconnect = self.on_disconnect
        self.server.eio.on("connect", self.on_connect)
        self.server.eio.on("message", self.on_message)
        self.server.eio.on("disconnect", self.on_disconnect)

    def on_connect(self, eio_sid: str, environ: dict):
        """A new Engine.IO connection starts with a full budget."""
        self.budgets[eio_sid] = Budget(self.burst, time.monotonic())
        return self._connect(eio_sid, environ)

    def on_disconnect(self, eio_sid: str, *args):
        """Forget the socket's budget, then let python-socketio clean up."""
        self.budgets.pop(eio_sid, None)
        return self._disconnect(eio_sid, *args)

    def on_message(self, eio_sid: str, data) -> None:
        """One Engine.IO message, then a yield to the other sockets: a socket's
        frames already buffered are read without blocking, so without it one
        socket's burst would hold the process for its whole length."""
        try:
            self._gate(eio_sid, data)
        finally:
            self.server.sleep(0)

    def _gate(self, eio_sid: str, data) -> None:
        """Budget first, then shape, then python-socketio."""
        budget = self.budgets.get(eio_sid)
        if budget is None:
            return  # closed (or closing): nothing more is handled
        if not budget.take(self.burst, self.rate, time.monotonic()):
            self._over_budget(eio_sid, budget, data)
            return
        if not isinstance(data, str):
            self.close(eio_sid)  # binary: our protocol never sends any
            return
        try:
            pkt = self.server.packet_class(encoded_packet=data)
        except Exception:  # whatever a client sent that does not decode
            self.close(eio_sid)
            return
        if pkt.packet_type == packet.EVENT and pkt.namespace in (None, NAMESPACE):
            self._event(eio_sid, pkt)
        elif self._allowed(eio_sid, pkt):
            self._message(eio_sid, data)
        else:
            self.close(eio_sid)

    def _allowed(self, eio_sid: str, pkt) -> bool:
        """CONNECT (once), DISCONNECT and ACK of the default namespace."""
        if pkt.namespace not in (None, NAMESPACE):
            return False
        if pkt.packet_type == packet.CONNECT:
            return self.server.manager.sid_from_eio_sid(eio_sid, NAMESPACE) is None
        return pkt.packet_type in (packet.DISCONNECT, packet.ACK)

    def _event(self, eio_sid: str, pkt) -> None:
        if self.server.manager.sid_from_eio_sid(eio_sid, NAMESPACE) is None:
            self.close(eio_sid)  # an event before the namespace CONNECT
            return
        data = pkt.data
        if (
            isinstance(data, list)
            and 1 <= len(data) <= 2
            and isinstance(data[0], str)
            and data[0] in SCHEMAS
        ):
            try:
                validate(data[0], data[1] if len(data) == 2 else None)
            except PayloadError:
                pass
            else:
                self.server._handle_event(eio_sid, NAMESPACE, pkt.id, data)
                return
        if pkt.id is None:
            self.close(eio_sid)
        else:
            self._ack(eio_sid, pkt.id, BAD_REQUEST)

    def _over_budget(self, eio_sid: str, budget: Budget, data) -> None:
        if budget.strikes > self.strikes:
            self._close_flooder(eio_sid, budget)
            return
        match = _EVENT_ACK_ID.match(data) if isinstance(data, str) else None
        if match is not None:
            self._ack(eio_sid, int(match.group(1)), RATE_LIMITED)

    def _ack(self, eio_sid: str, ack_id: int, answer: dict) -> None:
        self.server._send_packet(
            eio_sid,
            self.server.packet_class(
                packet.ACK, namespace=NAMESPACE, id=ack_id, data=[answer]
            ),
        )

    def _close_flooder(self, eio_sid: str, budget: Budget) -> None:
        sid = self.server.manager.sid_from_eio_sid(eio_sid, NAMESPACE)
        log.warning(
            "socket of account %s closed: %d packets over its event budget",
            _account_of(self.app, sid),
            budget.strikes,
        )
        self.close(eio_sid)

    def close(self, eio_sid: str) -> None:
        """Close the socket cleanly: a Socket.IO disconnect (the app forgets the
        socket), then the Engine.IO close, without waiting for the client."""
        self.budgets.pop(eio_sid, None)
        sid = self.server.manager.sid_from_eio_sid(eio_sid, NAMESPACE)
        if sid is not None and self.server.manager.is_connected(sid, NAMESPACE):
            self.server.disconnect(sid, namespace=NAMESPACE, ignore_queue=True)
        socket = self.server.eio.sockets.get(eio_sid)
        if socket is not None:
            socket.close(wait=False, reason=self.server.reason.SERVER_DISCONNECT)


def _account_of(app, sid: str | None) -> int | str:
    """The account a live socket belongs to, for the log ("?" if unknown)."""
    from sqlalchemy import select

    from network.extensions import db
    from network.models import LiveSocket

    if sid is None:
        return "?"
    try:
        with app.app_context():
            try:
                account = db.session.scalar(
                    select(LiveSocket.account_id).where(LiveSocket.sid == sid)
                )
            finally:
                db.session.remove()
    except Exception:  # the log line matters more than the name in it
        return "?"
    return "?" if account is None else account


def install(app, server) -> SocketGate:
    """Put the gate in front of this socketio server, with the app's budget."""
    gate = SocketGate(
        app,
        server,
        burst=app.config["SOCKET_EVENT_BURST"],
        rate=app.config["SOCKET_EVENT_RATE"],
        strikes=app.config["SOCKET_FLOOD_STRIKES"],
    )
    gate.install()
    return gate

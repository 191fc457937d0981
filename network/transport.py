"""Engine.IO transport guards: what a client that never signed in can hold, and
for how long (issue 13).

- A polling session python-engineio ends because of a POST (a body over
  MAX_SOCKET_PAYLOAD, a packet type only the server may send) is closed with
  `Server.disconnect(sid)`, which waits until a long-poll GET has taken the
  CLOSE packet from the socket's queue. A client that never polls again kept
  that POST waiting for ever, with its connection (a descriptor) and greenlet:
  246 of them exhausted 256 open files. Here it is closed without waiting;
  the next poll, if any, finds no session and is answered 400.
- A polling POST's body is read under a deadline (SOCKET_BODY_TIMEOUT_SECONDS):
  a client that promises more than it sends is answered 408, not waited on.
- Handshakes without a valid sign-in are limited per client address
  (SOCKET_HANDSHAKE_LIMIT, keyed by a hash of the address): each creates a
  session the server keeps until its ping times out (45 s). Our pages open
  sockets only for signed-in members.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable

from flask import Flask
from limits import parse_many

from network.extensions import limiter
from network.ratelimit import client_key

TIMEOUT_ANSWER = b"The request body did not arrive in time."


class BodyTimeout(Exception):
    """A polling POST's body did not arrive before the deadline."""


def init_app(app: Flask, eio, path: str) -> None:
    """Guard the Engine.IO server `eio`, which serves under `/<path>/`."""
    eio.disconnect = _disconnect_without_waiting(eio)
    eio.on("connect", _bounded_handshakes(app, eio.handlers["connect"]))
    app.wsgi_app = PollingBodies(
        app.wsgi_app,
        path=f"/{path.strip('/')}/",
        max_bytes=eio.max_http_buffer_size,
        seconds=app.config["SOCKET_BODY_TIMEOUT_SECONDS"],
        deadline=_deadline_for(app.config["NETWORK_ASYNC"]),
    )


def _disconnect_without_waiting(eio) -> Callable:
    """engineio's Server.disconnect, except that one session is closed at once."""
    disconnect_all = eio.disconnect

    def disconnect(sid=None) -> None:
        if sid is None:
            disconnect_all()
            return
        socket = eio.sockets.pop(sid, None)
        if socket is not None:
            socket.close(wait=False, reason=eio.reason.SERVER_DISCONNECT)

    return disconnect


def _bounded_handshakes(app: Flask, connect: Callable) -> Callable:
    """Wrap Engine.IO's connect handler: refuse (401, session freed at once) a
    handshake without a valid sign-in past SOCKET_HANDSHAKE_LIMIT per address."""
    limits = parse_many(app.config["SOCKET_HANDSHAKE_LIMIT"])

    def guarded(eio_sid: str, environ: dict):
        if app.config["RATELIMIT_ENABLED"] and not _anonymous_allowed(
            app, environ, limits
        ):
            return False
        return connect(eio_sid, environ)

    return guarded


def _anonymous_allowed(app: Flask, environ: dict, limits) -> bool:
    from network.security import signed_in_account

    with app.request_context(environ):
        if signed_in_account() is not None:
            return True
        key = client_key()
        strategy = limiter.limiter
        # Every window takes a hit only when all of them have room.
        if not all(strategy.test(limit, "socket-handshake", key) for limit in limits):
            return False
        for limit in limits:
            strategy.hit(limit, "socket-handshake", key)
        return True


def _deadline_for(
    async_mode: str,
) -> Callable[[float], contextlib.AbstractContextManager]:
    """A context manager raising BodyTimeout after some seconds, for this mode."""
    if async_mode == "gevent":
        import gevent

        return lambda seconds: gevent.Timeout(seconds, BodyTimeout)
    if async_mode == "eventlet":
        import eventlet

        return lambda seconds: eventlet.Timeout(seconds, BodyTimeout)
    # Threading mode serves tests only; a blocked read cannot be interrupted.
    return lambda seconds: contextlib.nullcontext()


class PollingBodies:
    """WSGI middleware that reads an Engine.IO polling POST's body under a
    deadline and hands it on in memory. A body over `max_bytes` is not read:
    Engine.IO answers it 400 at once and ends the session."""

    def __init__(self, wsgi_app, *, path, max_bytes, seconds, deadline) -> None:
        self.wsgi_app = wsgi_app
        self.path = path
        self.max_bytes = max_bytes
        self.seconds = seconds
        self.deadline = deadline

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") != "POST" or not environ.get(
            "PATH_INFO", ""
        ).startswith(self.path):
            return self.wsgi_app(environ, start_response)
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = self.max_bytes + 1
            environ["CONTENT_LENGTH"] = str(length)  # Engine.IO refuses it, unread
        if 0 < length <= self.max_bytes:
            try:
                with self.deadline(self.seconds):
                    body = environ["wsgi.input"].read(length)
            except BodyTimeout:
                return _timed_out(start_response)
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
        return self.wsgi_app(environ, start_response)


def _timed_out(start_response) -> list[bytes]:
    # Connection: close makes gevent's own server hang up; gunicorn drops the
    # header and closes once its keep-alive wait for the rest of the body ends.
    start_response(
        "408 Request Timeout",
        [
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", str(len(TIMEOUT_ANSWER))),
            ("Connection", "close"),
        ],
    )
    return [TIMEOUT_ANSWER]

"""A graceful stop on SIGTERM, for `python wsgi.py` and gunicorn's gevent worker.

Before, `python wsgi.py` died at once (sockets cut mid-event, their rows left for
housekeeping) and a gunicorn worker kept its sockets open for the whole graceful
timeout (30 s), so clients came back only after it. Now, on SIGTERM:

1. the listener stops accepting (the caller: gevent's server, or gunicorn);
2. socket events already running finish and send their acks; an event arriving
   meanwhile is answered "unavailable" (the client keeps it, and re-sends it
   with the same client_msg_id once reconnected);
3. every socket is closed with an Engine.IO close: browsers and python-socketio
   read a transport close and reconnect at once (to another process behind the
   load balancer); a Socket.IO "server disconnect" would keep them away. Each
   close runs the usual disconnect handler, so no live-socket or presence row
   is left behind;
4. the process exits: within DRAIN_SECONDS plus a second or two.
"""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager

log = logging.getLogger(__name__)

DRAIN_SECONDS = 5.0  # the longest wait for running events before closing

_state = {"draining": False, "in_flight": 0}


def draining() -> bool:
    """Whether this process is shutting down (new socket events are refused)."""
    return _state["draining"]


@contextmanager
def event_running():
    """Count one socket event in progress (guards wraps every handler in it)."""
    _state["in_flight"] += 1
    try:
        yield
    finally:
        _state["in_flight"] -= 1


def drain(timeout: float = DRAIN_SECONDS) -> int:
    """Refuse new events, let running ones finish, close every socket for an
    immediate reconnect; how many sockets were closed."""
    from network.extensions import socketio

    _state["draining"] = True
    deadline = time.monotonic() + timeout
    while _state["in_flight"] and time.monotonic() < deadline:
        time.sleep(0.02)  # gevent-patched: the running events go on meanwhile
    if _state["in_flight"]:
        log.warning("shutdown: %d socket events still running", _state["in_flight"])
    server = getattr(socketio, "server", None)
    sockets = list(server.eio.sockets.values()) if server is not None else []
    for socket in sockets:
        try:
            # abort: no Engine.IO "close" packet, just the transport closed;
            # every client reads "transport close" and reconnects.
            socket.close(wait=False, abort=True, reason="server shutting down")
        except Exception:  # one socket's failure must not keep the others open
            log.exception("shutdown: closing a socket failed")
    log.warning("shutdown: %d sockets closed for a reconnect", len(sockets))
    return len(sockets)


def on_sigterm_gevent() -> None:
    """Install the SIGTERM handler of `python wsgi.py` (gevent's own server,
    which Flask-SocketIO's run() keeps as socketio.wsgi_server)."""
    import signal

    import gevent

    from network.extensions import socketio

    def stop() -> None:
        wsgi_server = socketio.wsgi_server
        wsgi_server.close()  # accept no new connections
        drain()
        wsgi_server.stop(timeout=2)  # ends serve_forever, so the process exits

    gevent.signal_handler(signal.SIGTERM, lambda: gevent.spawn(stop))


def on_sigterm_gunicorn(worker) -> None:
    """Drain a gunicorn gevent worker when it is told to exit: gunicorn closes
    its listener itself, and exits once no connection is left, which the drain
    brings about within seconds instead of the graceful timeout."""
    import signal

    import gevent

    handle_exit = worker.handle_exit

    def exit_and_drain(sig, frame) -> None:
        handle_exit(sig, frame)
        gevent.spawn(drain)

    worker.handle_exit = exit_and_drain
    signal.signal(signal.SIGTERM, exit_and_drain)  # gunicorn bound the old one
    signal.siginterrupt(signal.SIGTERM, False)

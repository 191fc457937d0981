"""The Redis message queue between server processes, with every wait bounded.

python-socketio's RedisManager publishes with no timeout (a frozen Redis held a
send for ever), swallows a failed publish (the sender was told "ok" and nobody on
another process heard), and after losing Redis retries its subscription with a
back-off up to a minute, without telling anyone. QueueManager keeps its wire
protocol and changes three things:

- every Redis wait is bounded (QUEUE_TIMEOUT), with no silent retries;
- it knows whether it has the queue: a failed publish, or no answer to the
  listener's pings within DEAD_AFTER, marks it down; a new subscription, tried
  every RETRY_EVERY seconds, marks it up again;
- each change is told to this process's own sockets (`room:resync` with
  `{"live": bool}`, sent locally, not through the queue): a client then joins
  its room again with `after_id` and gets from the database what it missed.

Sends are refused while the queue is down (rooms.sockets asks `available()`),
and a send whose broadcast failed is answered "unavailable" (`watch()`).
"""

from __future__ import annotations

import logging
import threading
import time

import socketio
from socketio.manager import Manager

log = logging.getLogger(__name__)

QUEUE_TIMEOUT = 0.5  # seconds: connect, publish, or any other command
PING_EVERY = 0.25  # the listener's ping, answered by Redis in microseconds
DEAD_AFTER = 1.0  # no answer for this long: the queue is lost
RETRY_EVERY = 0.25  # a lost listener subscribes again this often

_event = threading.local()  # per greenlet under gevent: this event's publishes


def bounded_redis(url: str):
    """A redis-py client whose every command answers or fails within
    QUEUE_TIMEOUT, with no retries (redis-py retries thrice by default)."""
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return redis.Redis.from_url(
        url,
        socket_timeout=QUEUE_TIMEOUT,
        socket_connect_timeout=QUEUE_TIMEOUT,
        retry=Retry(NoBackoff(), 0),
    )


class QueueManager(socketio.RedisManager):
    """RedisManager with bounded waits, a known state, and resyncs on changes."""

    name = "redis"

    def __init__(self, url: str, channel: str = "flask-socketio") -> None:
        super().__init__(url, channel=channel)
        self.up = False  # until the listener has subscribed
        self.changed_at = time.monotonic()
        self._client = None

    def _redis(self):
        if self._client is None:
            self._client = bounded_redis(self.redis_url)
        return self._client

    def _publish(self, data) -> None:
        """Publish once; a failure (or a queue already known down) is recorded
        for the event in progress and marks the queue down."""
        if not self.up:
            _event.failed = True
            return
        try:
            self._redis().publish(self.channel, self.json.dumps(data))
        except Exception as error:  # any failure: the message did not go out
            _event.failed = True
            log.warning("message queue publish failed: %s", type(error).__name__)
            self._set(False)

    def _listen(self):
        """Subscribe, ping, and yield what other processes publish; on silence or
        an error, start over every RETRY_EVERY seconds."""
        channel = self.channel.encode("utf-8")
        while True:
            pubsub = None
            try:
                pubsub = self._redis().pubsub()
                pubsub.subscribe(self.channel)
                heard = time.monotonic()
                pinged = 0.0
                while True:
                    now = time.monotonic()
                    if now - pinged >= PING_EVERY:
                        pubsub.ping()
                        pinged = now
                    message = pubsub.get_message(timeout=PING_EVERY)
                    if message is None:
                        if time.monotonic() - heard > DEAD_AFTER:
                            raise TimeoutError("the queue stopped answering")
                        continue
                    heard = time.monotonic()
                    if message["type"] == "subscribe":
                        self._set(True)
                    elif message["type"] == "message" and message["channel"] == channel:
                        yield message["data"]
            except Exception as error:  # lost: say so, then subscribe again
                if self.up:
                    log.warning("message queue lost: %s", type(error).__name__)
                self._set(False)
            finally:
                if pubsub is not None:
                    try:
                        pubsub.reset()
                    except Exception:  # the connection is gone already
                        pass
            time.sleep(RETRY_EVERY)

    def _set(self, up: bool) -> None:
        if up == self.up:
            return
        self.up = up
        self.changed_at = time.monotonic()
        if up:
            log.warning("message queue connected")
        # Sent from a task of its own: a send to a dead socket runs its
        # disconnect handler inline, which must not happen inside a publish.
        self.server.start_background_task(self._tell_local_sockets, up)

    def _tell_local_sockets(self, up: bool) -> None:
        """room:resync to every socket of this process (not through the queue)."""
        try:
            Manager.emit(self, "room:resync", {"live": up}, namespace="/")
        except Exception:
            log.exception("telling sockets to resynchronise failed")


def manager(app):
    """The Socket.IO client manager for this app's queue (None: no queue)."""
    url = app.config["SOCKETIO_MESSAGE_QUEUE"]
    if url and url.startswith(("redis://", "rediss://")):
        return QueueManager(url)
    return None


def _current():
    from network.extensions import socketio as flask_socketio

    server = getattr(flask_socketio, "server", None)
    queue = getattr(server, "manager", None)
    return queue if isinstance(queue, QueueManager) else None


def start() -> None:
    """Start listening now, in a serving process (python-socketio would wait for
    the first socket to connect, and until then /healthz could not say "ok")."""
    queue = _current()
    server = queue.server if queue is not None else None
    if server is not None and not server.manager_initialized:
        server.manager_initialized = True
        queue.initialize()


def state() -> str:
    """ "ok", "unavailable", or "none" (one process, no queue)."""
    queue = _current()
    if queue is None:
        return "none"
    return "ok" if queue.up else "unavailable"


def available() -> bool:
    """Whether broadcasts can reach the other processes now."""
    return state() != "unavailable"


class watch:
    """`with watch() as delivery:` ... `delivery.failed` says whether a publish
    made inside the block (in this greenlet) did not reach the queue."""

    def __enter__(self) -> watch:
        _event.failed = False
        self.failed = False
        return self

    def __exit__(self, *exc) -> None:
        self.failed = bool(getattr(_event, "failed", False))
        _event.failed = False

"""gunicorn settings, read from the working directory by the production command

    gunicorn -k gevent -w 1 -b 127.0.0.1:8001 wsgi:app

No client address in logs, housekeeping started once in each worker, and a
worker that drains its sockets on SIGTERM instead of holding them until the
graceful timeout.

The access log stays off (it would carry every client's address); the error log
goes through network/logs.py's filter, loaded by path so that the app is not
imported before gevent patches the standard library.
"""

import importlib.util
import resource
from pathlib import Path

from gunicorn.glogging import Logger

_spec = importlib.util.spec_from_file_location(
    "network_logs", Path(__file__).resolve().parent / "network" / "logs.py"
)
_logs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_logs)


class AddressFreeLogger(Logger):
    """gunicorn's logger with every error-log line scrubbed of addresses."""

    def setup(self, cfg) -> None:
        """Set up as usual, then filter every error-log handler."""
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.addFilter(_logs.AddressFilter())


logger_class = AddressFreeLogger
accesslog = None
# On SIGTERM a worker drains in seconds (network/shutdown.py: running events
# finish, every socket is closed for an immediate reconnect). This is only the
# bound after which gunicorn kills a worker that has not finished by then.
graceful_timeout = 10

# A request's line and headers must arrive within `keepalive` seconds, as must
# the next request on a kept-alive connection: idle and half-sent connections
# are closed after that (gunicorn's default, stated here because it is what
# reaps them; `timeout` does not apply to gevent workers). Polling bodies have
# their own deadline (SOCKET_BODY_TIMEOUT_SECONDS, network/transport.py).
keepalive = 2

# Connections served at once stay under the open-files limit, with room left
# for the database, the queue and the logs: a flood of connections waits in the
# listen backlog instead of failing accept() and the app's own files (EMFILE).
_open_files = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
if _open_files != resource.RLIM_INFINITY:
    worker_connections = max(32, min(1000, _open_files - 64))


def post_worker_init(worker) -> None:
    """Each worker (one process) starts its heartbeat and purge loops once."""
    import wsgi

    wsgi.start_housekeeping()
    wsgi.shutdown.on_sigterm_gunicorn(worker)

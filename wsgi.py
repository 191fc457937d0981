"""Production entry point: monkey-patch first, then build the app.

    gunicorn -k gevent -w 1 wsgi:app          (production, one process per port)
    python wsgi.py [--host H] [--port P]      (the embedded gevent server)

Both run housekeeping (network/housekeeping.py) once per serving process:
gunicorn.conf.py's post_worker_init hook starts it, `python wsgi.py` starts it in
main(), and the first request this app serves starts it if neither did (gunicorn
launched without our config file). Apps built by tests or `flask` never start it.

NETWORK_ASYNC=eventlet switches both to eventlet (install the "eventlet" extra).
"""

import gc
import os

if os.environ.get("NETWORK_ASYNC", "gevent") == "eventlet":
    import eventlet

    eventlet.monkey_patch()
else:
    from gevent import monkey

    monkey.patch_all()

from network import create_app, housekeeping, queue, shutdown  # noqa: E402
from network.config import check_startup  # noqa: E402
from network.extensions import socketio  # noqa: E402
from network.logs import ScrubbedStream, configure_server_logging  # noqa: E402

configure_server_logging()  # no client address in any log line (gunicorn too)
app = create_app()
check_startup(app)  # no PUBLIC_URL outside the demo: refuse; console mail: warn


def start_housekeeping() -> None:
    """Start this process's housekeeping loops (does nothing the second time),
    then settle the heap (see settle_heap)."""
    if housekeeping.start(app):
        queue.start()  # listen to the message queue before the first socket
        settle_heap()


def settle_heap() -> None:
    """Move what start-up built (modules, mappers, caches: some
    150,000 objects) out of the garbage collector's sight. A full collection
    otherwise walks them all and held every socket still for 70-110 ms at a
    time under load (bench/RESULTS.md); afterwards it walks only what serving
    created."""
    gc.collect()
    gc.freeze()


app.before_request(start_housekeeping)


def main() -> None:
    """Serve with the async server Flask-SocketIO picked (gevent by default)."""
    import argparse

    parser = argparse.ArgumentParser(description="Serve Peer Network")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "5000")))
    args = parser.parse_args()
    start_housekeeping()
    print(f"Peer Network serving on http://{args.host}:{args.port}", flush=True)
    extra = {}
    if os.environ.get("NETWORK_ASYNC", "gevent") != "eventlet":
        # gevent's server writes bad request lines with the peer's address:
        # its error log goes through the filter that drops addresses.
        extra["error_log"] = ScrubbedStream()
        # SIGTERM: stop accepting, let running events finish, close every
        # socket for an immediate reconnect, exit (network/shutdown.py).
        shutdown.on_sigterm_gevent()
    socketio.run(app, host=args.host, port=args.port, log_output=False, **extra)


if __name__ == "__main__":
    main()

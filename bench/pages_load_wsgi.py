"""The real app for bench/pages_load.py: wsgi:app itself, plus a statement counter.

    gunicorn -k gevent -w 1 -b 127.0.0.1:PORT bench.pages_load_wsgi:app   (cwd = root)

Every request goes to wsgi:app unchanged; an engine listener counts the SQL
statements this process runs (one integer increment each), and GET
/__bench__/statements answers the running total without touching the database, so
the load client can count the statements of one request by reading it before and
after. Never used outside the bench.
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.engine import Engine

from wsgi import app as _app  # noqa: F401  (monkey-patches first)

STATEMENTS = [0]
PATH = "/__bench__/statements"


@event.listens_for(Engine, "before_cursor_execute")
def _count(*_args) -> None:
    STATEMENTS[0] += 1


def app(environ, start_response):
    """wsgi:app, except for the counter's own path."""
    if environ.get("PATH_INFO") == PATH:
        body = str(STATEMENTS[0]).encode()
        headers = [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))]
        start_response("200 OK", headers)
        return [body]
    return _app(environ, start_response)

"""The bare baseline for bench/pages_load.py: a Flask page, no auth, no policy, no
ORM. It reads the last 50 messages of a room (with their authors' pseudonyms) from
the bench's own database in one query and renders them with a Jinja template
compiled once, and is served by the same production command:

    gunicorn -k gevent -w 1 -b 127.0.0.1:PORT pages_load_bare:app   (cwd = bench/)

DATABASE_URL names the database: sqlite:///PATH (sqlite3) or postgresql://...
(psycopg), one connection per concurrent request, kept in a small pool.
"""

from __future__ import annotations

import os
import sqlite3

from flask import Flask, abort
from gevent.queue import LifoQueue

app = Flask(__name__)
URL = os.environ["DATABASE_URL"]
POSTGRES = URL.startswith("postgres")
MARK = "%s" if POSTGRES else "?"
LAST_50 = (
    "SELECT m.public_id, m.html, m.created_at, p.pseudonym, p.tag"
    " FROM messages m JOIN profiles p ON p.account_id = m.author_id"
    f" WHERE m.room_id = (SELECT id FROM rooms WHERE public_id = {MARK})"
    " ORDER BY m.id DESC LIMIT 50"
)
PAGE = app.jinja_env.from_string(
    """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Room</title></head>
<body><main><h1>Room</h1><ol class="messages">
{% for m in messages %}<li id="m-{{ m.id }}"><b>{{ m.name }} · {{ m.tag }}</b>
<time>{{ m.at }}</time><div>{{ m.html | safe }}</div></li>
{% endfor %}</ol></main></body></html>"""
)
_pool: LifoQueue = LifoQueue()


def _connect():
    if POSTGRES:
        import psycopg

        return psycopg.connect(URL, autocommit=True)
    return sqlite3.connect(URL.removeprefix("sqlite:///"))


@app.get("/room/<public_id>")
def room(public_id: str):
    """The newest 50 messages of a room, oldest first."""
    connection = _pool.get_nowait() if _pool.qsize() else _connect()
    try:
        rows = connection.execute(LAST_50, (public_id,)).fetchall()
    finally:
        _pool.put(connection)
    if not rows:
        abort(404)
    messages = [
        {"id": row[0], "html": row[1], "at": row[2], "name": row[3], "tag": row[4]}
        for row in reversed(rows)
    ]
    return PAGE.render(messages=messages)

"""NotFound: the one answer for "missing" and "not yours", on HTTP and sockets."""

from __future__ import annotations

from flask import Flask, current_app, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError


class NotFound(Exception):
    """Raised by policy.access_* for both an absent and a forbidden object."""


class SocketError(Exception):
    """Raised inside a socket handler; becomes {"ok": false, "error": code}."""

    def __init__(self, code: str, **extra) -> None:
        super().__init__(code)
        self.code = code
        self.extra = extra  # more for the ack, e.g. seconds to wait


def _not_found_page():
    # The body depends on nothing but the viewer's own layout: never the URL, the
    # object, or why it was refused, so denial and absence are byte-identical.
    return render_template("errors/404.html"), 404


def _back() -> str:
    """Where a refused upload goes back to: the form it was posted from when that
    path is one of our own pages (the Referer is never sent), else the upload page."""
    path = request.path
    if request.url_rule is not None and not path.startswith(("//", "/\\")):
        try:
            current_app.url_map.bind("localhost").match(path, method="GET")
            return path
        except HTTPException:
            pass
    return url_for("library.new")


def register_error_handlers(app: Flask) -> None:
    """Answer NotFound, 404 and other HTTP errors with plain, neutral pages."""
    app.register_error_handler(NotFound, lambda error: _not_found_page())
    app.register_error_handler(404, lambda error: _not_found_page())
    app.register_error_handler(405, lambda error: _not_found_page())

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return (
            render_template("errors/error.html", code=error.code, name=error.name),
            error.code,
        )

    @app.errorhandler(SecurityError)
    def untrusted_host(error: SecurityError):
        # An unknown Host header: no URL can be built for it, so no page either.
        return "Bad request", 400, {"Content-Type": "text/plain; charset=utf-8"}

    @app.errorhandler(CSRFError)
    def csrf_failed(error: CSRFError):
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(413)
    def too_large(error):
        limit = app.config["UPLOAD_MAX_BYTES"] // (1024 * 1024)
        return render_template("errors/413.html", limit=limit, back=_back()), 413

    @app.errorhandler(429)
    def too_many(error):
        return render_template("errors/429.html"), 429


class InputError(ValueError):
    """Bad input tied to one form field; raised before anything is changed."""

    def __init__(self, field: str, message: str, **extra) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.extra = extra  # more for a socket ack, e.g. seconds to wait

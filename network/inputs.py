"""Request input the database cannot hold never reaches it: NUL bytes and integers
past 32 bits. One place for every route, form and query string."""

from __future__ import annotations

from flask import Flask, request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.routing import IntegerConverter

from network.errors import NotFound
from network.payloads import INT_MAX


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` that only matches ids a column can hold; larger ones are a 404."""

    def __init__(self, map, fixed_digits=0, min=None, max=INT_MAX, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits, min, max, signed)


def int_arg(name: str, default: int, *, low: int = 1, high: int = INT_MAX) -> int:
    """An integer query parameter within [low, high]; garbage gives the default."""
    value = request.args.get(name, default, type=int)
    return min(max(value, low), high)


def _without_nul(values: MultiDict) -> ImmutableMultiDict:
    return ImmutableMultiDict(
        [
            (key.replace("\x00", ""), value.replace("\x00", ""))
            for key, value in values.items(multi=True)
        ]
    )


def drop_nul_bytes() -> None:
    """NUL bytes leave every form field and query parameter (PostgreSQL refuses
    them, and no one types one); the rest of what was typed is kept. A NUL in a
    path names nothing: the page a missing URL gets."""
    if any("\x00" in str(value) for value in (request.view_args or {}).values()):
        raise NotFound()
    request.args = _without_nul(request.args)
    if request.method in {"POST", "PUT", "PATCH"}:
        request.form = _without_nul(request.form)


def init_app(app: Flask) -> None:
    """Bound `<int:...>` and clean every request before any view runs."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.before_request(drop_nul_bytes)

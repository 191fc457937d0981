"""Run CPU-heavy work (image re-encoding, document cleaning) off the event loop.

Under gevent the work goes to the hub's native threadpool, under eventlet to
eventlet.tpool; in threading mode it runs in the calling thread. At most
OFFLOAD_SLOTS jobs run at once, so a burst of uploads queues instead of
multiplying the memory each one needs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from flask import current_app

T = TypeVar("T")
OFFLOAD_SLOTS = 2
_slots: threading.BoundedSemaphore | None = None


def _gate() -> threading.BoundedSemaphore:
    # Built on first use, after wsgi.py has monkey-patched threading, so a
    # waiting greenlet yields to the hub instead of blocking it.
    global _slots
    if _slots is None:
        _slots = threading.BoundedSemaphore(OFFLOAD_SLOTS)
    return _slots


def run_blocking(func: Callable[..., T], *args, **kwargs) -> T:
    """Call func(*args, **kwargs) where it cannot stall other clients."""
    mode = current_app.config.get("NETWORK_ASYNC", "threading")
    with _gate():
        if mode == "gevent":
            import gevent

            return gevent.get_hub().threadpool.apply(func, args, kwargs)
        if mode == "eventlet":
            from eventlet import tpool

            return tpool.execute(func, *args, **kwargs)
        return func(*args, **kwargs)

"""Notifications: the bell, discreet by design (titles only, never content)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Nothing to register yet: other features call services.notify()."""

"""Features register themselves: every app built in a process gets every socket
handler, each once, however many apps the process builds."""

from __future__ import annotations

from network import FEATURES, create_app
from network.extensions import socketio
from network.payloads import SCHEMAS


def test_every_app_gets_every_socket_handler_once():
    for _ in range(3):
        app = create_app("test")
        handlers = socketio.server.handlers["/"]
        assert set(SCHEMAS) | {"connect", "disconnect"} <= set(handlers)
        assert app.extensions["socketio"] is socketio
    events = [(event, namespace) for event, _handler, namespace in socketio.handlers]
    assert len(events) == len(set(events))


def test_each_feature_registers_its_blueprints_once_per_app():
    app = create_app("test")
    assert all(callable(feature.init_app) for feature in FEATURES)
    for name in ("accounts", "orgs", "trust", "directory", "safety", "lead_safety"):
        assert name in app.blueprints
    for name in ("rooms", "moderation", "supervision", "home", "library"):
        assert name in app.blueprints

"""Availability hours and breaks (issue 17, recommendation 7: boundaries and
burnout): a member's weekly hours and breaks; others see only "away"."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the availability page and, for leads, the home section that
    counts members on a break (never who, unless they share it)."""
    from network import nav
    from network.availability.routes import bp
    from network.availability.services import break_count

    app.register_blueprint(bp)
    nav.add_home_section(
        app,
        "availability/_home_breaks.html",
        context=lambda actor: (
            {"breaks": found} if (found := break_count(actor=actor)) else None
        ),
        order=25,
    )

"""The main navigation, gathered from what each feature contributes in its init_app.

A feature adds its links with `add_item`; base.html draws `nav_items()`, the links
the signed-in person may see, in `order`. The registry lives on the app, so every
app built in a process (tests build many) has its own, filled once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app
from flask_login import current_user

from network import policy

Visible = Callable[[object], bool]
_KEY = "network.nav"


@dataclass(frozen=True)
class NavItem:
    """One link of the main navigation."""

    endpoint: str
    label: str
    visible: Visible
    order: int


def signed_in(actor) -> bool:
    """Everyone signed in, whatever their standing (the account links)."""
    return bool(getattr(actor, "is_authenticated", False))


def in_network(actor) -> bool:
    """Members who may use the network, not the admin (who has a console instead)."""
    return not policy.is_admin(actor) and policy.can_use_network(actor)


def leads(actor) -> bool:
    """Approved leads of active organizations."""
    return in_network(actor) and policy.can_lead(actor)


def add_item(
    app: Flask, endpoint: str, label: str, *, visible: Visible, order: int
) -> None:
    """Add a link to the main navigation, shown to whoever `visible(actor)` admits."""
    items = app.extensions.setdefault(_KEY, [])
    if any(item.endpoint == endpoint for item in items):
        raise ValueError(f"navigation link {endpoint!r} added twice")
    items.append(NavItem(endpoint, label, visible, order))
    items.sort(key=lambda item: item.order)


def items_for(app: Flask, actor) -> list[NavItem]:
    """The links this person sees, in order (none when signed out)."""
    if not signed_in(actor):
        return []
    return [item for item in app.extensions.get(_KEY, []) if item.visible(actor)]


def nav_items() -> list[NavItem]:
    """The current user's links (a template global: computed only where drawn)."""
    return items_for(current_app, current_user)


def init_app(app: Flask) -> None:
    """Expose nav_items() to templates; features add their links afterwards."""
    app.extensions[_KEY] = []
    app.add_template_global(nav_items, "nav_items")

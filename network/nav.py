"""What features contribute to the shared pages, registered in their init_app: the
main navigation's links and the home page's sections.

A feature adds links with `add_item`; base.html draws `nav_items()`, the links the
signed-in person may see, in `order`. A feature adds a home section with
`add_home_section`; the home page draws the sections whose context function gives
variables for this person, in `order`. Both registries live on the app, so every
app built in a process (tests build many) has its own, filled once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app, render_template
from flask_login import current_user
from markupsafe import Markup

from network import policy

Visible = Callable[[object], bool]
Context = Callable[[object], "dict | None"]
_KEY = "network.nav"
_HOME_KEY = "network.home_sections"


@dataclass(frozen=True)
class NavItem:
    """One link of the main navigation."""

    endpoint: str
    label: str
    visible: Visible
    order: int


@dataclass(frozen=True)
class HomeSection:
    """One section of the home page: a template and what it shows to whom."""

    template: str
    context: Context
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


def add_home_section(
    app: Flask, template: str, *, context: Context, order: int
) -> None:
    """Add a home page section: `context(actor)` gives its template's variables,
    or None where this person does not get the section."""
    sections = app.extensions.setdefault(_HOME_KEY, [])
    if any(section.template == template for section in sections):
        raise ValueError(f"home section {template!r} added twice")
    sections.append(HomeSection(template, context, order))
    sections.sort(key=lambda section: section.order)


def home_sections(app: Flask, actor) -> list[Markup]:
    """The home page sections this person gets, rendered, in order."""
    drawn = []
    for section in app.extensions.get(_HOME_KEY, []):
        values = section.context(actor)
        if values is not None:
            drawn.append(Markup(render_template(section.template, **values)))
    return drawn


def init_app(app: Flask) -> None:
    """Expose nav_items() to templates; features add links and sections afterwards."""
    app.extensions[_KEY] = []
    app.extensions[_HOME_KEY] = []
    app.add_template_global(nav_items, "nav_items")

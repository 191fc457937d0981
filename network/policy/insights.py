"""Who may see an organization's insights (aggregate figures, suppressed)."""

from __future__ import annotations

from network.policy.actors import lead_org


def can_view_insights(actor, org) -> bool:
    """A lead of that organization. The platform admin sees network-wide figures
    only (never one organization's page); moderators and members never."""
    own = lead_org(actor)
    return own is not None and org is not None and own.id == org.id

"""The resource library: who sees and who edits a resource."""

from __future__ import annotations

from sqlalchemy import Select, select

from network.errors import NotFound
from network.extensions import db
from network.models import Organization, Resource, TrustLevel
from network.models.orgs import ROOM_MANAGER_ROLES
from network.policy.actors import active_membership
from network.policy.safety import kept_apart, kept_apart_ids
from network.policy.trust import can_collaborate, trusted_org_ids


def can_see_resource(actor, resource: Resource) -> bool:
    """The owner organization's members; for `partners` resources also
    organizations at effective `collaborate` or above with the owner. Resources by
    someone kept apart from the viewer are not shown (separation works both ways)."""
    membership = active_membership(actor)
    if membership is None:
        return False
    owner = db.session.get(Organization, resource.owner_org_id)
    if owner is None or not owner.is_active:
        return False
    if resource.author_id is not None and resource.author_id != membership.account_id:
        if kept_apart(actor, resource.author_id):
            return False
    if membership.organization_id == resource.owner_org_id:
        return True
    return resource.visibility == "partners" and can_collaborate(
        resource.owner_org_id, membership.organization_id
    )


def visible_resources(stmt: Select, actor) -> Select:
    """Filter a Resource query to exactly what can_see_resource allows, inside the
    query, so counts and pages never include what the viewer may not see."""
    membership = active_membership(actor)
    if membership is None:
        return stmt.where(Resource.id.is_(None))
    org_id = membership.organization_id
    return stmt.where(
        Resource.owner_org_id.in_(
            select(Organization.id).where(Organization.suspended_at.is_(None))
        ),
        Resource.author_id.is_(None)
        | Resource.author_id.not_in(kept_apart_ids(membership.account_id)),
        (Resource.owner_org_id == org_id)
        | (
            (Resource.visibility == "partners")
            & Resource.owner_org_id.in_(trusted_org_ids(org_id, TrustLevel.COLLABORATE))
        ),
    )


def access_resource(actor, public_id: str) -> Resource:
    """A resource the actor may see, or the NotFound a missing one gives (one
    query through visible_resources: the same statements either way)."""
    resource = db.session.scalar(
        visible_resources(
            select(Resource).where(Resource.public_id == public_id), actor
        )
    )
    if resource is None:
        raise NotFound()
    return resource


def can_edit_resource(actor, resource: Resource) -> bool:
    """The author, and the owner organization's leads and moderators."""
    if not can_see_resource(actor, resource):
        return False
    membership = active_membership(actor)
    if resource.author_id == membership.account_id:
        return True
    return (
        membership.organization_id == resource.owner_org_id
        and membership.role in ROOM_MANAGER_ROLES
    )


def access_editable_resource(actor, public_id: str) -> Resource:
    """A resource the actor may edit or delete."""
    resource = access_resource(actor, public_id)
    if not can_edit_resource(actor, resource):
        raise NotFound()
    return resource

"""What the lead's and admin's lists show: pages of people, codes, organizations.
Pages come from db.paginate, read as columns (no entities)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Bundle

from network import policy
from network.extensions import db
from network.models import Account, Invitation, Membership, Organization, Profile
from network.models import Role, Status

MEMBERS_PAGE = 100


def page_of_people(stmt, page: int, *columns) -> dict:
    """One page of a lead's membership list: the total, the page (a page past the
    end shows the last one) and the rows, each with the person's public id,
    pseudonym and tag beside the membership columns asked for."""
    # Counted on memberships alone (a covering index), before the page is read.
    count = stmt.with_only_columns(func.count(Membership.id)).order_by(None)
    total = db.session.scalar(count)
    person = Bundle(
        "person", Profile.public_id, Profile.pseudonym, Profile.tag, *columns
    )
    rows = (
        stmt.with_only_columns(person)
        .select_from(Membership)
        .join(Profile, Profile.account_id == Membership.account_id)
    )
    pages = max(1, -(-total // MEMBERS_PAGE))
    result = db.paginate(
        rows,
        page=min(page, pages),
        per_page=MEMBERS_PAGE,
        max_per_page=MEMBERS_PAGE,
        error_out=False,
        count=False,
    )
    return {
        "memberships": result.items,
        "page": result.page,
        "pages": pages,
        "total": total,
    }


def join_requests(viewer: Account, page: int) -> dict:
    """Pending join requests to the lead's organization, oldest first."""
    stmt = policy.visible_memberships(
        select(Membership).where(Membership.status == Status.PENDING), viewer
    ).order_by(Membership.created_at, Membership.id)
    return page_of_people(stmt, page, Membership.created_at, Membership.joined_via)


def members(viewer: Account, page: int) -> dict:
    """Approved and suspended members of the lead's organization."""
    stmt = policy.visible_memberships(
        select(Membership).where(
            Membership.status.in_([Status.APPROVED, Status.SUSPENDED])
        ),
        viewer,
    ).order_by(Membership.status, Membership.role.desc(), Membership.id)
    return page_of_people(stmt, page, Membership.role, Membership.status)


def invitations(org: Organization) -> list[Invitation]:
    """The organization's latest invitation codes, newest first."""
    return list(
        db.session.scalars(
            select(Invitation)
            .where(Invitation.organization_id == org.id)
            .order_by(Invitation.id.desc())
            .limit(100)
        )
    )


def organizations() -> list[Organization]:
    """Every organization, by name (the admin's list)."""
    return list(db.session.scalars(select(Organization).order_by(Organization.name)))


def leads(org: Organization) -> list[Membership]:
    """The organization's approved leads."""
    return list(
        db.session.scalars(
            select(Membership).where(
                Membership.organization_id == org.id,
                Membership.role == Role.LEAD,
                Membership.status == Status.APPROVED,
            )
        )
    )


def approved_count(org: Organization) -> int:
    """How many approved members the organization has."""
    return db.session.scalar(
        select(func.count(Membership.id)).where(
            Membership.organization_id == org.id, Membership.status == Status.APPROVED
        )
    )

"""Blocks and separations: pages for members, and for leads on a member's behalf."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from network import policy
from network.accounts.services import InputError
from network.errors import NotFound
from network.extensions import db
from network.guards import lead_required, member_required
from network.models import Membership, Profile, Separation, Status
from network.safety import services
from network.safety.forms import EmptyForm, LeadSeparationForm, SeparationForm

bp = Blueprint("safety", __name__)

SEPARATION_SAVED = (
    "Saved. From now on you and this person will not see each other here. "
    "They are not told."
)


@bp.post("/profiles/<public_id>/block")
@member_required
def block(public_id: str):
    """Block the person whose profile this is. They are never told."""
    profile = policy.access_profile(current_user, public_id)
    if not EmptyForm().validate_on_submit():
        raise NotFound()
    try:
        services.block(current_user, profile.account_id)
    except InputError as error:
        return render_template("safety/refused.html", message=error.message), 400
    flash("Blocked. Neither of you will see the other. They are not told.")
    return redirect(url_for("safety.blocks"))


@bp.get("/account/blocks")
@member_required
def blocks():
    """The people one has blocked; visible only to oneself."""
    return render_template(
        "safety/blocks.html", blocks=services.blocks_of(current_user), form=EmptyForm()
    )


@bp.post("/account/blocks/<block_id>/remove")
@member_required
def unblock(block_id: str):
    """Remove one of one's own blocks."""
    row = policy.access_block(current_user, block_id)
    if EmptyForm().validate_on_submit():
        services.unblock(row)
        flash("Unblocked.")
    return redirect(url_for("safety.blocks"))


@bp.route("/account/safety", methods=["GET", "POST"])
@member_required
def separations():
    """Ask to be kept apart from someone, and see or withdraw one's separations."""
    form = SeparationForm()
    if form.validate_on_submit():
        try:
            services.file_separation(
                current_user, form.pseudonym.data, actor=current_user
            )
        except InputError as error:
            form.pseudonym.errors = [error.message]
        else:
            flash(SEPARATION_SAVED)
            return redirect(url_for("safety.separations"))
    return _separations_page("safety/separations.html", form, protected_only=True)


@bp.post("/profiles/<public_id>/separate")
@member_required
def separate_from_profile(public_id: str):
    """Ask to be kept apart from the person whose profile this is."""
    profile = policy.access_profile(current_user, public_id)
    if not EmptyForm().validate_on_submit():
        raise NotFound()
    try:
        services.file_separation(current_user, profile.pseudonym, actor=current_user)
    except InputError as error:
        return render_template("safety/refused.html", message=error.message), 400
    flash(SEPARATION_SAVED)
    return redirect(url_for("safety.separations"))


@bp.post("/safety/<public_id>/withdraw")
@member_required
def withdraw(public_id: str):
    """Withdraw a separation (its protected person, or the lead who filed it)."""
    row = policy.access_separation(current_user, public_id)
    if EmptyForm().validate_on_submit():
        services.withdraw_separation(row, actor=current_user)
        flash("The separation is withdrawn.")
    if row.protected_id == current_user.id:
        return redirect(url_for("safety.separations"))
    return redirect(url_for("safety.lead_separations"))


@bp.route("/org/safety", methods=["GET", "POST"])
@lead_required
def lead_separations():
    """A lead files a separation on behalf of a member of their organization."""
    form = LeadSeparationForm()
    org = policy.require_lead(current_user)
    members = list(
        db.session.execute(
            select(Profile.public_id, Profile.pseudonym)
            .join(Membership, Membership.account_id == Profile.account_id)
            .where(
                Membership.organization_id == org.id,
                Membership.status == Status.APPROVED,
                Membership.account_id != current_user.id,
            )
            .order_by(Profile.pseudonym_key)
        ).all()
    )
    form.member.choices = [("", "Choose a member")] + [
        (public_id, name) for public_id, name in members
    ]
    if form.validate_on_submit():
        try:
            membership = policy.access_own_member_for_separation(
                current_user, form.member.data or ""
            )
        except NotFound:
            form.member.errors = ["Choose a member of your organization."]
        else:
            try:
                services.file_separation(
                    membership.account, form.pseudonym.data, actor=current_user
                )
            except InputError as error:
                form.pseudonym.errors = [error.message]
            else:
                flash(
                    "Saved. The two will not see each other here. "
                    "The other person is not told."
                )
                return redirect(url_for("safety.lead_separations"))
    return _separations_page("safety/lead_separations.html", form, protected_only=False)


def _separations_page(template: str, form, *, protected_only: bool):
    stmt = policy.visible_separations(select(Separation), current_user)
    if protected_only:
        stmt = stmt.where(Separation.protected_id == current_user.id)
    else:
        stmt = stmt.where(Separation.protected_id != current_user.id)
    rows = list(db.session.scalars(stmt.order_by(Separation.id.desc())))
    names = dict(
        db.session.execute(
            select(Profile.account_id, Profile.pseudonym).where(
                Profile.account_id.in_([row.protected_id for row in rows])
            )
        ).all()
    )
    status = 400 if form.is_submitted() else 200
    return render_template(
        template, form=form, rows=rows, names=names, withdraw=EmptyForm()
    ), status

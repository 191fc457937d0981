"""Blocks and separations: pages for members, and for leads on a member's behalf."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from network import policy
from network.accounts.services import InputError
from network.errors import NotFound
from network.guards import member_required
from network.safety import requests, services, views
from network.safety.forms import AskLeadForm, EmptyForm

bp = Blueprint("safety", __name__)

SEPARATION_SAVED = _l(
    "Saved. From now on you and this person will not see each other here. "
    "They are not told."
)
ASKED = _l(
    "Your request went to your organization's leads. Only they see it. "
    "You can follow it below."
)


@bp.post("/profiles/<public_id>/block")
@member_required
def block(public_id: str):
    """Block the person whose profile this is. They are never told."""
    profile = policy.access_profile(current_user, public_id)
    if not EmptyForm().validate_on_submit():
        raise NotFound()
    if request.form.get("confirm") != "1":  # asked once in the page first
        return render_template("safety/confirm_block.html", profile=profile)
    try:
        services.block(profile.account_id, actor=current_user)
    except InputError as error:
        return render_template("safety/refused.html", message=error.message), 400
    flash(_("Blocked. Neither of you will see the other. They are not told."))
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
        services.unblock(row, actor=current_user)
        flash(_("Unblocked."))
    return redirect(url_for("safety.blocks"))


@bp.route("/account/safety", methods=["GET", "POST"])
@member_required
def separations():
    """Keep apart from a profile one can see, or ask one's leads about a name."""
    form = AskLeadForm()
    if form.validate_on_submit():
        if policy.active_membership(current_user) is None:
            raise NotFound()  # the admin has no lead to ask
        try:
            requests.ask_lead(form.pseudonym.data, form.note.data, actor=current_user)
        except InputError as error:
            form.pseudonym.errors = [error.message]
        else:
            flash(str(ASKED))
            return redirect(url_for("safety.separations"))
    query = request.args.get("q", "")[:40]
    if query and not form.is_submitted():
        form.pseudonym.data = query
    return render_template(
        "safety/separations.html",
        form=form,
        query=query,
        matches=views.matching_profiles(current_user, query),
        rows=views.own_separations(current_user),
        requests=views.own_requests(current_user),
        status_text=views.STATUS_TEXT,
        withdraw=EmptyForm(),
    ), (400 if form.is_submitted() else 200)


@bp.post("/profiles/<public_id>/separate")
@member_required
def separate_from_profile(public_id: str):
    """Ask to be kept apart from the person whose profile this is."""
    profile = policy.access_profile(current_user, public_id)
    if not EmptyForm().validate_on_submit():
        raise NotFound()
    try:
        services.file_separation(current_user, profile.account, actor=current_user)
    except InputError as error:
        return render_template("safety/refused.html", message=error.message), 400
    flash(str(SEPARATION_SAVED))
    return redirect(url_for("safety.separations"))


@bp.post("/safety/<public_id>/withdraw")
@member_required
def withdraw(public_id: str):
    """Withdraw a separation (its protected person, or the lead who filed it)."""
    row = policy.access_separation(current_user, public_id)
    if EmptyForm().validate_on_submit():
        services.withdraw_separation(row, actor=current_user)
        flash(_("The separation is withdrawn."))
    if row.protected_id == current_user.id:
        return redirect(url_for("safety.separations"))
    return redirect(url_for("lead_safety.lead_separations"))


@bp.post("/safety/requests/<public_id>/withdraw")
@member_required
def withdraw_request(public_id: str):
    """Withdraw a confidential request (its protected member, or the filing lead)."""
    row = policy.access_separation_request(current_user, public_id)
    if EmptyForm().validate_on_submit():
        if not policy.can_withdraw_separation_request(current_user, row):
            raise NotFound()
        requests.withdraw_request(row, actor=current_user)
        flash(_("The request is withdrawn."))
    if row.protected_id == current_user.id:
        return redirect(url_for("safety.separations"))
    return redirect(url_for("lead_safety.lead_separations"))

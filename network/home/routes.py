"""The start page: landing, waiting room redirect, admin console, or home."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from network import policy
from network.orgs.services import pending_count
from network.supervision.services import open_support_requests, upcoming_for

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    """Landing page, waiting page, admin console or home, by who is asking."""
    if not current_user.is_authenticated:
        return render_template("accounts/landing.html")
    if policy.is_admin(current_user):
        return redirect(url_for("orgs.admin_organizations"))
    if not policy.can_use_network(current_user):
        return redirect(url_for("accounts.waiting"))
    membership = policy.active_membership(current_user)
    pending = (
        pending_count(membership.organization) if policy.can_lead(current_user) else 0
    )
    requests = open_support_requests(current_user)
    return render_template(
        "accounts/home.html",
        membership=membership,
        pending=pending,
        support_requests=requests,
        sessions=upcoming_for(current_user),
        handled_form=FlaskForm(),
    )

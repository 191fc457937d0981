"""The start page: landing, waiting room redirect, admin console, or home."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, url_for
from flask_login import current_user

from network import nav, policy

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
    return render_template(
        "home/index.html",
        membership=policy.active_membership(current_user),
        sections=nav.home_sections(current_app, current_user),
    )

"""Two-factor pages: the code step of sign-in, enrolment, and one's settings."""

from __future__ import annotations

import math

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from network import policy, ratelimit
from network.accounts import pending, signin, twofactor
from network.accounts.twofactor_forms import (
    CodeForm,
    LeadResetForm,
    RecoveryForm,
    SecondFactorForm,
)
from network.extensions import limiter
from network.guards import login_required

bp = Blueprint("twofactor", __name__)

WRONG = "That code does not match, or it has expired."
# What a member who must enrol may still reach (besides static files).
ENROL_OPEN = {
    "static",
    "twofactor.enrol",
    "accounts.logout",
    "accounts.quick_exit",
    "accounts.avatar",
}


def _failed(response: Response) -> bool:
    return response.status_code == 400


def require_enrolment():
    """before_request: a member whose organization requires two-factor login
    and who has not enrolled reaches the enrolment page and nothing else."""
    if request.endpoint is None or request.endpoint in ENROL_OPEN:
        return None
    if current_user.is_authenticated and policy.must_enrol_two_factor(current_user):
        return redirect(url_for("twofactor.enrol"))
    return None


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.shared_limit(
    lambda: current_app.config["LOGIN_LIMIT_CLIENT"],
    scope="login",
    methods=["POST"],
    deduct_when=_failed,
)
def code():
    """Sign-in's second step: a code from the app, a recovery code, or a lead's
    code that removes two-factor login. Wrong codes count as failed sign-ins."""
    found = pending.current()
    if found is None:
        flash(_("Please sign in again."))
        return redirect(url_for("accounts.login"))
    row, account = found
    forms = {
        "code": (CodeForm(), "code"),
        "recovery": (RecoveryForm(), "recovery_code"),
        "reset": (LeadResetForm(), "reset_code"),
    }
    chosen = forms.get(request.form.get("action", ""))
    if request.method == "POST" and chosen and chosen[0].validate_on_submit():
        form, name = chosen
        delayed = signin.account_delay(account)
        key = signin.delay_key(account.login_key)
        if delayed is not None and (wait := delayed.wait_left(key)):
            return render_template("errors/429.html", seconds=math.ceil(wait)), 429
        given = form[name].data
        if request.form["action"] == "reset":
            accepted = twofactor.reset_with_code(account, given)
        else:
            accepted = twofactor.verify_second_factor(account, given)
        if accepted:
            if delayed is not None:
                delayed.clear(key)
            remember = row.remember
            pending.finish(row)
            if request.form["action"] == "reset":
                flash(_("Two-factor login is off for your account."))
            return signin.finish(account, remember=remember)
        if delayed is not None:
            delayed.failed(key, ratelimit.login_delay())
        form[name].errors = [WRONG]
    status = 400 if request.method == "POST" else 200
    page = {action: form for action, (form, _) in forms.items()}
    return render_template("twofactor/code.html", **page), status


@bp.route("/account/two-factor/enrol", methods=["GET", "POST"])
@login_required
@limiter.limit("30 per hour", methods=["POST"], deduct_when=_failed)
def enrol():
    """Scan the QR code (or type the key), confirm with a code, and get the
    recovery codes, shown this once."""
    if twofactor.has_two_factor(current_user):
        return redirect(url_for("twofactor.settings"))
    secret = twofactor.enrolment_secret(current_user)
    form = CodeForm()
    if form.validate_on_submit():
        codes = twofactor.confirm_enrolment(current_user, form.code.data)
        if codes is not None:
            return render_template("twofactor/recovery_codes.html", codes=codes)
        form.code.errors = [WRONG]
    return render_template(
        "twofactor/enrol.html",
        form=form,
        key=twofactor.grouped_key(secret),
        qr=Markup(twofactor.qr_svg(current_user, secret)),
        required=policy.must_enrol_two_factor(current_user),
    ), (400 if form.is_submitted() else 200)


@bp.route("/account/two-factor", methods=["GET", "POST"])
@login_required
@limiter.limit("30 per hour", methods=["POST"], deduct_when=_failed)
def settings():
    """Whether two-factor login is on; new recovery codes, or turn it off, each
    with a current code."""
    if not twofactor.has_two_factor(current_user):
        return render_template("twofactor/settings.html", enabled=False)
    form = SecondFactorForm()
    action = request.form.get("action")
    may_turn_off = policy.can_turn_off_two_factor(current_user)
    if action in {"renew", "off"} and form.validate_on_submit():
        if action == "off" and not may_turn_off:
            form.code.errors = ["Your organization requires two-factor login."]
        elif not twofactor.verify_second_factor(current_user, form.code.data):
            form.code.errors = [WRONG]
        elif action == "renew":
            codes = twofactor.new_recovery_codes(current_user)
            return render_template("twofactor/recovery_codes.html", codes=codes)
        else:
            twofactor.turn_off(actor=current_user)
            flash(_("Two-factor login is off."))
            return redirect(url_for("twofactor.settings"))
    return render_template(
        "twofactor/settings.html",
        enabled=True,
        form=form,
        may_turn_off=may_turn_off,
        remaining=twofactor.remaining_recovery_codes(current_user),
    ), (400 if request.method == "POST" else 200)

"""Account pages: join, login/logout, waiting room, settings, resets, profiles."""

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

from network import policy, ratelimit
from network.accounts import leaving, lookups, pending, services, signin, twofactor
from network.accounts.avatars import avatar_svg
from network.accounts.forms import (
    AnotherOrganizationForm,
    InvitationSignUpForm,
    LoginForm,
    PasswordChangeForm,
    ProfileForm,
    RequestSignUpForm,
    ResetCodeForm,
    ResetRequestForm,
    ResetTokenForm,
)
from network.errors import NotFound
from network.extensions import csrf, limiter
from network.guards import login_required, member_required
from network.models import Organization, Status
from network.security import current_auth_session, start_session

bp = Blueprint("accounts", __name__)


def _login_account_key() -> str:
    """Rate-limit key for the account being tried (hashed, never the name itself)."""
    return signin.delay_key(services.login_key(request.form.get("login_name", "")))


def _account_delay() -> ratelimit.LoginDelays | None:
    """The per-account delay this sign-in is subject to: none from a browser
    that signed in to the account before, or when rate limits are off."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return None
    name = services.login_key(request.form.get("login_name", ""))
    return signin.account_delay(lookups.account_by_login_key(name))


def _failed(response: Response) -> bool:
    return response.status_code == 400


def _org_choices() -> list[tuple[str, str]]:
    return [("", "Choose an organization")] + [
        (org.public_id, org.name) for org in lookups.join_targets()
    ]


def _apply_input_error(form, error: services.InputError) -> None:
    getattr(form, error.field).errors = [error.message]


@bp.route("/login", methods=["GET", "POST"])
@limiter.shared_limit(
    lambda: current_app.config["LOGIN_LIMIT_CLIENT"],
    scope="login",
    methods=["POST"],
    deduct_when=_failed,
)
def login():
    """Sign in. The session id is replaced, and a server-side row backs it."""
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("accounts/login.html", form=form), (
            400 if form.is_submitted() else 200
        )
    delayed = _account_delay()
    if delayed is not None and (wait := delayed.wait_left(_login_account_key())):
        return render_template("errors/429.html", seconds=math.ceil(wait)), 429
    account = services.authenticate(form.login_name.data, form.password.data)
    if account is None:
        if delayed is not None:
            delayed.failed(_login_account_key(), ratelimit.login_delay())
        form.password.errors = ["That login name and password do not match."]
        return render_template("accounts/login.html", form=form), 400
    if twofactor.has_two_factor(account):
        # The password alone makes no session: the code step finishes it, and
        # only a right code clears the failures (else each right password
        # would reset the count of wrong codes).
        pending.begin(account, remember=form.remember.data)
        return redirect(url_for("twofactor.code"))
    if delayed is not None:
        delayed.clear(_login_account_key())
    return signin.finish(account, remember=form.remember.data)


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    """GET asks for confirmation; POST ends the session on the server."""
    if request.method == "GET":
        if not current_user.is_authenticated:
            return redirect(url_for("accounts.login"))
        return render_template("accounts/logout.html")
    from flask_wtf.csrf import validate_csrf

    validate_csrf(request.form.get("csrf_token"))
    leaving.sign_out_here()
    flash(_("You are signed out."))
    return redirect(url_for("accounts.login"))


@bp.post("/exit")
@csrf.exempt  # checked below against the page's exit token instead
def quick_exit():
    """Quick exit's beacon (CSRF-checked, never rate-limited): end this browser's
    session now and keep the network from it for a while; 204, anonymous too."""
    leaving.require_exit_token()
    leaving.sign_out_here()
    return leaving.mark_gone(Response(status=204))


@bp.get("/join")
def join():
    """Choose how to join: an invitation code, or a request to an organization."""
    return render_template("accounts/join.html")


@bp.route("/join/invitation", methods=["GET", "POST"])
@limiter.limit("30 per hour", methods=["POST"], deduct_when=_failed)
def join_with_invitation():
    """Sign up with an invitation code; the membership then waits for approval."""
    form = InvitationSignUpForm()
    if form.validate_on_submit():
        try:
            account = services.sign_up_with_invitation(
                _new_account(form), form.code.data
            )
        except services.InputError as error:
            _apply_input_error(form, error)
        else:
            _signed_up(account)
            return redirect(url_for("home.index"))
    status = 400 if form.is_submitted() else 200
    return render_template("accounts/join_invitation.html", form=form), status


@bp.route("/join/request", methods=["GET", "POST"])
@limiter.limit("30 per hour", methods=["POST"], deduct_when=_failed)
def join_with_request():
    """Sign up by asking an organization; the membership waits for approval."""
    form = RequestSignUpForm()
    form.organization.choices = _org_choices()
    if form.validate_on_submit():
        org = _chosen_org(form)
        if org is not None:
            try:
                account = services.sign_up_with_request(
                    _new_account(form), org, form.note.data or ""
                )
            except services.InputError as error:
                _apply_input_error(form, error)
            else:
                _signed_up(account)
                return redirect(url_for("accounts.waiting"))
    status = 400 if form.is_submitted() else 200
    return render_template("accounts/join_request.html", form=form), status


def _signed_up(account) -> None:
    """Sign the new person in; their pages then show the sign-in name given."""
    start_session(account)
    # The name itself stays out of the flash (a cookie); the page shows it.
    flash(
        _(
            "Your account is ready. The network added four digits to your login name: "
            "your sign-in name is on your account page. Write it down."
        )
    )


def _chosen_org(form) -> Organization | None:
    org = lookups.join_target(form.organization.data)
    if org is None:
        form.organization.errors = ["Choose an organization from the list."]
    return org


def _new_account(form) -> services.NewAccount:
    return services.NewAccount(
        login_name=form.login_name.data,
        password=form.password.data,
        pseudonym=form.pseudonym.data,
        email=form.email.data,
    )


@bp.route("/waiting", methods=["GET", "POST"])
@login_required
def waiting():
    """All that a pending, rejected or suspended account can see."""
    if policy.can_use_network(current_user):
        return redirect(url_for("home.index"))
    membership = current_user.membership
    form = AnotherOrganizationForm()
    form.organization.choices = _org_choices()
    rejected = membership is not None and membership.status == Status.REJECTED
    if rejected and form.validate_on_submit():
        org = _chosen_org(form)
        if org is not None:
            services.request_another_organization(
                org, form.note.data or "", actor=current_user
            )
            flash(_("Your request was sent."))
            return redirect(url_for("accounts.waiting"))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "accounts/waiting.html", membership=membership, form=form, rejected=rejected
    ), status


@bp.route("/account", methods=["GET", "POST"])
@login_required
def settings():
    """Edit one's own profile and private email."""
    profile = current_user.profile
    form = ProfileForm(obj=profile)
    if request.method == "GET":
        form.languages.data = profile.language_codes
        form.experience.data = profile.experience_codes
        form.email.data = current_user.email
    if form.validate_on_submit():
        try:
            services.update_profile(
                pseudonym=form.pseudonym.data,
                pronouns=form.pronouns.data or "",
                region=form.region.data or "",
                bio=form.bio.data or "",
                languages=form.languages.data or [],
                experience=form.experience.data or [],
                hidden_from_other_orgs=form.hidden_from_other_orgs.data,
                appear_offline=form.appear_offline.data,
                accept_requests=form.accept_requests.data,
                timezone=form.timezone.data,
                email=form.email.data,
                actor=current_user,
            )
        except services.InputError as error:
            _apply_input_error(form, error)
        else:
            flash(_("Your profile is saved."))
            return redirect(url_for("accounts.settings"))
    status = 400 if form.is_submitted() else 200
    return render_template("accounts/settings.html", form=form), status


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per hour", methods=["POST"], deduct_when=_failed)
def change_password():
    """Change password; every other browser is signed out."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        if services.authenticate(current_user.login_name, form.current.data) is None:
            form.current.errors = ["That is not your current password."]
        else:
            row = current_auth_session()
            services.change_password(
                form.password.data,
                keep_session=row.id if row else None,
                actor=current_user,
            )
            flash(_("Your password is changed. Other devices were signed out."))
            return redirect(url_for("accounts.settings"))
    status = 400 if form.is_submitted() else 200
    return render_template("accounts/password.html", form=form), status


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def reset_request():
    """Ask for an emailed reset link; the answer is the same for any input."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_reset_email(form.login_or_email.data)
        flash(
            _(
                "If that account has an email address, a reset link is on its way. "
                "No email on your account? Ask your organization lead for a reset code."
            )
        )
        return redirect(url_for("accounts.reset_with_code"))
    status = 400 if form.is_submitted() else 200
    return render_template("accounts/reset_request.html", form=form), status


@bp.route("/reset/code", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"], deduct_when=_failed)
def reset_with_code():
    """Choose a new password with a reset code from one's lead."""
    form = ResetCodeForm()
    if form.validate_on_submit():
        if services.reset_with_code(
            form.login_name.data, form.code.data, form.password.data
        ):
            flash(_("Your password is changed. Sign in with it now."))
            return redirect(url_for("accounts.login"))
        form.code.errors = ["That code does not match, or it has expired."]
    status = 400 if form.is_submitted() else 200
    return render_template("accounts/reset_code.html", form=form), status


@bp.route("/reset/t/<token>", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"], deduct_when=_failed)
def reset_with_token(token: str):
    """Choose a new password from an emailed link."""
    if not services.reset_token_valid(token):
        return render_template("accounts/reset_expired.html"), 404
    form = ResetTokenForm()
    if form.validate_on_submit() and services.reset_with_token(
        token, form.password.data
    ):
        flash(_("Your password is changed. Sign in with it now."))
        return redirect(url_for("accounts.login"))
    status = 400 if form.is_submitted() else 200
    return render_template("accounts/reset_token.html", form=form), status


@bp.get("/profiles/<public_id>")
@member_required
def profile(public_id: str):
    """A profile, or the page a missing profile gets."""
    shown = policy.access_profile(current_user, public_id)
    return render_template("accounts/profile.html", profile=shown)


@bp.get("/avatars/<public_id>.svg")
def avatar(public_id: str):
    """The generated avatar for any id (it reveals nothing)."""
    if len(public_id) > 32:
        raise NotFound()
    return Response(avatar_svg(public_id), mimetype="image/svg+xml")

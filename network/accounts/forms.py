"""Account forms. Every field has a label and a clear message for bad input."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    Length,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from network.accounts import pseudonyms
from network.forms import BaseForm
from network.models import ACCEPT_CHOICES, EXPERIENCE_TAGS, LANGUAGES, PROVINCES
from network.timezones import ZONES

LOGIN_RE = re.compile(r"^[A-Za-z0-9._-]+$")
PASSWORD_MIN = 10
PASSWORD_MAX = 128

REGION_CHOICES = [("", _l("Prefer not to say"))] + sorted(
    PROVINCES.items(), key=lambda item: item[1]
)
LANGUAGE_CHOICES = list(LANGUAGES.items())


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes, easier on a phone than a multi-select."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _login_name_chars(form, field) -> None:
    if field.data and not LOGIN_RE.match(field.data.strip()):
        raise ValidationError(
            _("Use letters, numbers, dots, dashes and underscores only.")
        )


def _pseudonym_rules(form, field) -> None:
    field.data = pseudonyms.clean(field.data or "")
    message = pseudonyms.problem(field.data)
    if message:
        raise ValidationError(message)


def _required(message):
    return DataRequired(message=message)


class LoginForm(BaseForm):
    """Login name and password; "remember me" is off unless ticked."""

    login_name = StringField(
        _l("Sign-in name"),
        validators=[_required(_l("Enter your login name.")), Length(max=64)],
    )
    password = PasswordField(
        _l("Password"),
        validators=[_required(_l("Enter your password.")), Length(max=PASSWORD_MAX)],
    )
    remember = BooleanField(_l("Keep me signed in on this device"), default=False)


class NewPasswordMixin:
    """A new password typed twice."""

    password = PasswordField(
        _l("New password"),
        validators=[
            _required(_l("Enter a password.")),
            Length(
                min=PASSWORD_MIN,
                max=PASSWORD_MAX,
                message=_l(
                    "Use between %(low)s and %(high)s characters.",
                    low=PASSWORD_MIN,
                    high=PASSWORD_MAX,
                ),
            ),
        ],
    )
    confirm = PasswordField(
        _l("Type the new password again"),
        validators=[
            _required(_l("Enter the password again.")),
            EqualTo("password", message=_l("The two passwords do not match.")),
        ],
    )


class SignUpForm(NewPasswordMixin, BaseForm):
    """The fields every new account needs, whichever way the person joins."""

    login_name = StringField(
        _l("Login name (private: only you ever see it; four digits are added)"),
        validators=[
            _required(_l("Enter a login name.")),
            Length(min=3, max=32, message=_l("Use between 3 and 32 characters.")),
            _login_name_chars,
        ],
    )
    pseudonym = StringField(
        _l("Pseudonym (what others see; not your real name)"),
        validators=[_required(_l("Enter a pseudonym.")), _pseudonym_rules],
    )
    email = EmailField(
        _l("Email (optional, only for password resets)"),
        validators=[
            Optional(),
            Length(max=254),
            Email(message=_l("Enter a valid email.")),
        ],
    )


class InvitationSignUpForm(SignUpForm):
    """Sign-up with a code from an organization lead."""

    code = StringField(
        _l("Invitation code"),
        validators=[_required(_l("Enter the invitation code.")), Length(max=40)],
    )


class RequestSignUpForm(SignUpForm):
    """Sign-up by asking an organization from the list."""

    organization = SelectField(
        _l("Organization to ask"), validators=[Optional()], validate_choice=False
    )
    note = TextAreaField(
        _l("A note for the organization (optional)"),
        validators=[
            Optional(),
            Length(max=500, message=_l("Keep it under 500 characters.")),
        ],
    )


class AnotherOrganizationForm(BaseForm):
    """After a rejection: ask a different organization."""

    organization = SelectField(
        _l("Organization to ask"), validators=[Optional()], validate_choice=False
    )
    note = TextAreaField(
        _l("A note for the organization (optional)"),
        validators=[
            Optional(),
            Length(max=500, message=_l("Keep it under 500 characters.")),
        ],
    )


class ProfileForm(BaseForm):
    """What others see, and the private email."""

    pseudonym = StringField(
        _l("Pseudonym"),
        validators=[_required(_l("Enter a pseudonym.")), _pseudonym_rules],
    )
    pronouns = StringField(
        _l("Pronouns (optional)"),
        validators=[
            Optional(),
            Length(max=40, message=_l("Keep it under 40 characters.")),
        ],
    )
    region = SelectField(_l("Province or territory"), choices=REGION_CHOICES)
    languages = MultiCheckboxField(_l("Languages"), choices=LANGUAGE_CHOICES)
    experience = MultiCheckboxField(
        _l("Areas of experience"), choices=list(EXPERIENCE_TAGS.items())
    )
    hidden_from_other_orgs = BooleanField(
        _l(
            "Hide me from other organizations' directories "
            "(your own organization still sees you)"
        )
    )
    timezone = SelectField(
        _l("Your time zone (session times are shown in it)"),
        choices=list(ZONES.items()),
    )
    appear_offline = BooleanField(
        _l("Appear offline (others don't see you in rooms' presence lists or typing)")
    )
    accept_requests = SelectField(
        _l("Who may ask to talk with you (message requests)"),
        choices=list(ACCEPT_CHOICES.items()),
    )
    bio = TextAreaField(
        _l("Short bio (optional; avoid details that could identify you)"),
        validators=[
            Optional(),
            Length(max=600, message=_l("Keep it under 600 characters.")),
        ],
    )
    email = EmailField(
        _l("Email (private, optional: password resets, and activity emails if on)"),
        validators=[
            Optional(),
            Length(max=254),
            Email(message=_l("Enter a valid email.")),
        ],
    )


class PasswordChangeForm(NewPasswordMixin, BaseForm):
    """Change password, proving the current one."""

    current = PasswordField(
        _l("Current password"),
        validators=[_required(_l("Enter your current password."))],
    )


class ResetRequestForm(BaseForm):
    """Ask for an emailed reset link."""

    login_or_email = StringField(
        _l("Sign-in name or email"),
        validators=[_required(_l("Enter your login name or email.")), Length(max=254)],
    )


class ResetCodeForm(NewPasswordMixin, BaseForm):
    """Reset with a code from the lead."""

    login_name = StringField(
        _l("Sign-in name"),
        validators=[_required(_l("Enter your login name.")), Length(max=64)],
    )
    code = StringField(
        _l("Reset code from your lead"),
        validators=[_required(_l("Enter the code.")), Length(max=40)],
    )


class ResetTokenForm(NewPasswordMixin, BaseForm):
    """Reset from an emailed link."""


class ExportForm(BaseForm):
    """Download one's own data: the password again, first (and a code, for an
    account with two-factor login: the page shows the field then)."""

    password = PasswordField(
        _l("Your password"),
        validators=[_required(_l("Enter your password.")), Length(max=PASSWORD_MAX)],
    )
    code = StringField(
        _l("Code from your authenticator app, or a recovery code"),
        validators=[Optional(), Length(max=40)],
    )


class DeviceForm(BaseForm):
    """A sign-out button on the devices page (its CSRF token alone)."""


class DeleteAccountForm(BaseForm):
    """Delete one's own account: the password again, and the second factor's code
    when the account has one (the route drops the field otherwise)."""

    password = PasswordField(
        _l("Your password"), validators=[_required(_l("Enter your password."))]
    )
    code = StringField(
        _l("Code from your authenticator app, or a recovery code"),
        validators=[Optional(), Length(max=40)],
    )

"""The shared vocabulary: every table, one module per domain."""

from network.models.accounts import (
    LANGUAGES,
    PROVINCES,
    Account,
    AuthSession,
    LiveSocket,
    PasswordReset,
    Profile,
)
from network.models.audit import AppendOnlyError, AuditEvent
from network.models.orgs import (
    Invitation,
    Membership,
    Organization,
    Role,
    Status,
    VettingAttestation,
    VettingItem,
)
from network.models.types import new_public_id, utcnow

__all__ = [
    "LANGUAGES",
    "PROVINCES",
    "Account",
    "AppendOnlyError",
    "AuditEvent",
    "AuthSession",
    "Invitation",
    "LiveSocket",
    "Membership",
    "Organization",
    "PasswordReset",
    "Profile",
    "Role",
    "Status",
    "VettingAttestation",
    "VettingItem",
    "new_public_id",
    "utcnow",
]

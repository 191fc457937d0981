"""The shared vocabulary: every table, one module per domain."""

from network.models.accounts import (
    EXPERIENCE_TAGS,
    LANGUAGES,
    PROVINCES,
    Account,
    AuthSession,
    LiveSocket,
    PasswordReset,
    Profile,
    ServerProcess,
)
from network.models.audit import AppendOnlyError, AuditEvent
from network.models.library import (
    RESOURCE_LANGUAGES,
    SEARCH_OBJECTS,
    Resource,
)
from network.models.moderation import REPORT_CATEGORIES, Report, ReviewOptOut
from network.models.orgs import (
    Invitation,
    Membership,
    Organization,
    Role,
    Status,
    VettingAttestation,
    VettingItem,
)
from network.models.rooms import (
    DEFAULT_GROUND_RULES,
    DEFAULT_RETENTION_DAYS,
    MAX_MESSAGE_LENGTH,
    Message,
    Room,
    RoomMember,
    RoomPartner,
    RoomPresence,
    SupervisionSession,
    CheckIn,
    SupportRequest,
)
from network.models.trust import Block, OrgTrust, Separation, TrustLevel
from network.models.types import new_public_id, utcnow

__all__ = [
    "RESOURCE_LANGUAGES",
    "SEARCH_OBJECTS",
    "Resource",
    "DEFAULT_GROUND_RULES",
    "REPORT_CATEGORIES",
    "CheckIn",
    "Report",
    "ReviewOptOut",
    "SupervisionSession",
    "DEFAULT_RETENTION_DAYS",
    "MAX_MESSAGE_LENGTH",
    "Message",
    "Room",
    "RoomMember",
    "RoomPartner",
    "RoomPresence",
    "SupportRequest",
    "EXPERIENCE_TAGS",
    "LANGUAGES",
    "PROVINCES",
    "Account",
    "AppendOnlyError",
    "AuditEvent",
    "AuthSession",
    "Block",
    "Invitation",
    "LiveSocket",
    "Membership",
    "OrgTrust",
    "Organization",
    "PasswordReset",
    "Profile",
    "Role",
    "Separation",
    "ServerProcess",
    "Status",
    "TrustLevel",
    "VettingAttestation",
    "VettingItem",
    "new_public_id",
    "utcnow",
]

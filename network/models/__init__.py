"""The shared vocabulary: every table, one module per domain."""

from network.models.accounts import (
    EXPERIENCE_TAGS,
    FORMER_MEMBER,
    LANGUAGES,
    PROVINCES,
    Account,
    AuthSession,
    LiveSocket,
    PasswordReset,
    Profile,
    ServerProcess,
    display_name,
)
from network.models.availability import AvailabilityHours
from network.models.audit import AppendOnlyError, AuditEvent
from network.models.conversations import (
    ACCEPT_CHOICES,
    MessageRequest,
)
from network.models.library import (
    RESOURCE_LANGUAGES,
    Resource,
)
from network.models.library import SEARCH_OBJECTS as _LIBRARY_SEARCH
from network.models.insights import ResourceDownload
from network.models.moderation import REPORT_CATEGORIES, Report, ReviewOptOut
from network.models.notifications import NOTIFICATION_TITLES, Notification
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
    AUTHOR_DELETION_CHOICES,
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
    SupportRecipient,
    SupportRequest,
)
from network.models.message_search import MESSAGE_SEARCH_OBJECTS
from network.models.trust import (
    Block,
    OrgTrust,
    RequestStatus,
    Separation,
    SeparationRequest,
    TrustLevel,
)
from network.models.twofactor import PendingLogin, RecoveryCode
from network.models.settings import PlatformSettings
from network.models.types import TAG_ALPHABET, new_public_id, new_tag, utcnow

# Full-text search objects outside the ORM metadata (the schema comparison skips them).
SEARCH_OBJECTS = _LIBRARY_SEARCH | MESSAGE_SEARCH_OBJECTS

__all__ = [
    "PendingLogin",
    "RecoveryCode",
    "AvailabilityHours",
    "AUTHOR_DELETION_CHOICES",
    "FORMER_MEMBER",
    "PlatformSettings",
    "ACCEPT_CHOICES",
    "MessageRequest",
    "NOTIFICATION_TITLES",
    "Notification",
    "RESOURCE_LANGUAGES",
    "SEARCH_OBJECTS",
    "Resource",
    "ResourceDownload",
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
    "SupportRecipient",
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
    "RequestStatus",
    "Separation",
    "SeparationRequest",
    "ServerProcess",
    "Status",
    "TrustLevel",
    "VettingAttestation",
    "VettingItem",
    "TAG_ALPHABET",
    "display_name",
    "new_public_id",
    "new_tag",
    "utcnow",
]

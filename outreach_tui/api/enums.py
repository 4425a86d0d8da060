"""The closed vocabularies of the reference, and a lenient field type for reading them.

Outgoing requests must use a known value; incoming data may carry a value the reference
does not list yet (a new label, status or provider): it is kept as a plain string so a
sync never breaks on a server upgrade. Known values come back as the enum member, which
compares equal to its string.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, TypeVar

from pydantic import PlainSerializer, PlainValidator

from outreach_tui.core.schedule import TIMEZONES
from outreach_tui.core.schedule import WEEKDAYS as WEEKDAYS


class Label(StrEnum):
    """A conversation label (the reference's 11 values)."""

    INTERESTED = "interested"
    NOT_INTERESTED = "not_interested"
    NEEDS_MORE_INFO = "needs_more_info"
    MEETING_REQUESTED = "meeting_requested"
    WRONG_PERSON = "wrong_person"
    OUT_OF_OFFICE = "out_of_office"
    REFERRAL = "referral"
    QUESTION = "question"
    NEUTRAL = "neutral"
    UNSUBSCRIBE = "unsubscribe"
    LEFT_COMPANY = "left_company"


class Folder(StrEnum):
    """A unibox folder filter."""

    PRIMARY = "primary"
    OTHERS = "others"


class Direction(StrEnum):
    """Which way a message went."""

    OUTGOING = "outgoing"
    INCOMING = "incoming"


class CampaignStatus(StrEnum):
    """A campaign's status; only ACTIVE and PAUSED may be requested."""

    DRAFT = "draft"
    ACTIVE = "active"
    PAUSED = "paused"


class Provider(StrEnum):
    """An email provider (inboxes use the first three, leads all five)."""

    GOOGLE = "google"
    MICROSOFT = "microsoft"
    OTHER = "other"
    YAHOO = "yahoo"
    ZOHO = "zoho"


class ConnectionType(StrEnum):
    """How an inbox is connected."""

    OAUTH = "oauth"
    IMAP_SMTP = "imap_smtp"


class ConnectionStatus(StrEnum):
    """An inbox's connection state."""

    PENDING = "pending"
    VALIDATING = "validating"
    CONNECTED = "connected"
    ERROR = "error"


class LeadStatus(StrEnum):
    """Where a lead stands in its campaign."""

    UNCONTACTED = "uncontacted"
    CONTACTED = "contacted"
    REPLIED = "replied"


class IfExists(StrEnum):
    """What lead creation does when the email is already in the campaign."""

    FAIL = "fail"
    SKIP = "skip"
    UPDATE = "update"


# The schedule vocabularies are the reference's lists, kept once in core.
SUPPORTED_TIMEZONES: frozenset[str] = frozenset(TIMEZONES)

_E = TypeVar("_E", bound=StrEnum)


def _open_validator(enum: type[_E]) -> PlainValidator:
    members: dict[str, _E] = {member.value: member for member in enum}

    def validate(value: Any) -> _E | str:
        if not isinstance(value, str):
            raise ValueError(f"expected a string for {enum.__name__}, got {type(value).__name__}")
        return members.get(value, value)

    return PlainValidator(validate)


# Serialised as the plain string either way, so model_dump(mode="json") gives the API's shape.
_AS_STRING = PlainSerializer(str, return_type=str)

OpenLabel = Annotated[Label | str, _open_validator(Label), _AS_STRING]
OpenDirection = Annotated[Direction | str, _open_validator(Direction), _AS_STRING]
OpenCampaignStatus = Annotated[CampaignStatus | str, _open_validator(CampaignStatus), _AS_STRING]
OpenProvider = Annotated[Provider | str, _open_validator(Provider), _AS_STRING]
OpenConnectionType = Annotated[ConnectionType | str, _open_validator(ConnectionType), _AS_STRING]
OpenConnectionStatus = Annotated[
    ConnectionStatus | str, _open_validator(ConnectionStatus), _AS_STRING
]
OpenLeadStatus = Annotated[LeadStatus | str, _open_validator(LeadStatus), _AS_STRING]

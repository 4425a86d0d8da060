"""Strict checks of everything the client sends, before any network traffic.

Each write has a request model (strict types, unknown fields forbidden); `build_body`
turns keyword arguments into the JSON body, leaving out the ones the caller did not give
(`UNSET`), so "send null" and "do not send" stay distinct. Any problem raises
RequestValidationError naming the field.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Final, Literal, TypeVar
from urllib.parse import quote

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)

from outreach_tui.api.enums import SUPPORTED_TIMEZONES, WEEKDAYS
from outreach_tui.api.errors import RequestValidationError, one_line


class UnsetType:
    """The type of UNSET: "this argument was not given" (distinct from None, "send null")."""

    _instance: UnsetType | None = None

    def __new__(cls) -> UnsetType:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET: Final = UnsetType()

_EMAIL = re.compile(r"^[^@\s<>(),;:\"\[\]]+@[^@\s<>(),;:\"\[\]]+\.[^@\s<>(),;:\"\[\]]+$")
_HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _plausible_email(value: str) -> str:
    if len(value) > 254 or not _EMAIL.match(value):
        raise ValueError("not a plausible email address")
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


def _known_timezone(value: str) -> str:
    if value not in SUPPORTED_TIMEZONES:
        raise ValueError("not one of the reference's supported timezones")
    return value


Email = Annotated[str, AfterValidator(_plausible_email)]
EmailOrEmpty = Annotated[str, AfterValidator(lambda v: v if v == "" else _plausible_email(v))]
HHMM = Annotated[str, StringConstraints(pattern=_HHMM)]
NonBlank = Annotated[str, AfterValidator(_not_blank)]
CampaignName = Annotated[str, StringConstraints(max_length=150), AfterValidator(_not_blank)]
Timezone = Annotated[str, AfterValidator(_known_timezone)]
LabelValue = Literal[
    "interested",
    "not_interested",
    "needs_more_info",
    "meeting_requested",
    "wrong_person",
    "out_of_office",
    "referral",
    "question",
    "neutral",
    "unsubscribe",
    "left_company",
]


class Outgoing(BaseModel):
    """Base of request models: strict types, no unknown fields."""

    model_config = ConfigDict(extra="forbid", strict=True)


class ListQuery(Outgoing):
    """Query parameters shared by list endpoints."""

    page: int = Field(default=1, ge=1)
    page_size: int = Field(default=100, ge=1, le=100)
    search: str | None = None
    folder: Literal["primary", "others"] | None = None
    sort_by: str | None = None
    sort_order: Literal["asc", "desc"] | None = None


class ConversationUpdate(Outgoing):
    """PATCH /unibox/conversations/:id."""

    label_override: LabelValue | None = None
    is_read: bool | None = None


class RecipientIn(Outgoing):
    """One recipient of a new conversation."""

    email: Email
    name: str | None = None


class ConversationCreate(Outgoing):
    """POST /unibox/conversations."""

    inbox_id: NonBlank | None = None
    to: list[RecipientIn] = Field(min_length=1)
    subject: NonBlank
    content: NonBlank


class ReplyCreate(Outgoing):
    """POST /unibox/conversations/:id/reply."""

    content: NonBlank


class CampaignCreate(Outgoing):
    """POST /campaigns."""

    name: CampaignName


class CampaignUpdate(Outgoing):
    """PATCH /campaigns/:id (any combination; schedule has its own endpoint)."""

    name: CampaignName | None = None
    status: Literal["active", "paused"] | None = None
    daily_limit: int | None = Field(default=None, ge=0)
    stop_on_reply: bool | None = None
    stop_on_company_reply: bool | None = None
    text_only: bool | None = None
    unsubscribe_option: bool | None = None
    esp_matching: bool | None = None


class InboxIds(Outgoing):
    """POST /campaigns/:id/inboxes/attach|detach."""

    inbox_ids: list[NonBlank] = Field(min_length=1)


class WindowIn(Outgoing):
    """A default sending window."""

    start: HHMM
    end: HHMM


class DayIn(Outgoing):
    """One weekday of a schedule update; start/end None falls back to the default window."""

    enabled: bool = True
    start: HHMM | None = None
    end: HHMM | None = None


class ScheduleUpdate(Outgoing):
    """PATCH /campaigns/:id/schedule."""

    timezone: Timezone | None = None
    default_window: WindowIn | None = None
    days: dict[Literal[WEEKDAYS], DayIn] | None = None  # type: ignore[valid-type]


class InboxUpdate(Outgoing):
    """PATCH /inboxes/:id."""

    is_active: bool | None = None
    is_warming: bool | None = None
    first_name: str | None = None
    last_name: str | None = None
    reply_to: EmailOrEmpty | None = None
    signature: str | None = None
    daily_campaign_limit: int | None = Field(default=None, ge=1, le=500)
    daily_warmup_limit: int | None = Field(default=None, ge=1, le=100)


class LeadCreate(Outgoing):
    """POST /campaigns/:id/leads."""

    email: Email
    first_name: str | None = None
    last_name: str | None = None
    variables: dict[str, str | int | float | bool | None] | None = None
    if_exists: Literal["fail", "skip", "update"] = "fail"


class SequenceCreate(Outgoing):
    """POST /campaigns/:id/sequences."""

    delay_days: int | None = Field(default=None, ge=0)


class SequenceUpdate(Outgoing):
    """PATCH /campaigns/:id/sequences/:id."""

    delay_days: int = Field(ge=0)


class VariantCreate(Outgoing):
    """POST /campaigns/:id/sequences/:id/variants."""

    subject: NonBlank
    body_html: str | None = None
    enabled: bool | None = None


class VariantUpdate(Outgoing):
    """PATCH /campaigns/:id/variants/:id."""

    subject: NonBlank | None = None
    body_html: str | None = None
    enabled: bool | None = None


class BlocklistAdd(Outgoing):
    """POST /blocklist."""

    email: Email


class BlocklistCheck(Outgoing):
    """GET /blocklist/check."""

    email: Email


OutgoingT = TypeVar("OutgoingT", bound=Outgoing)

# Fields where an explicit None means something to the server ("clear"/"default"),
# so None is sent as null instead of being left out.
_NULL_MEANS_SOMETHING = frozenset({"label_override"})


def _validation_error(exc: ValidationError) -> RequestValidationError:
    error = exc.errors(include_url=False, include_input=False)[0]
    loc = [str(part) for part in error["loc"]]
    field = loc[0] if loc else None
    where = ".".join(loc) or "request"
    return RequestValidationError(one_line(f"{where}: {error['msg']}"), field=field)


def validate(model: type[OutgoingT], /, **given: Any) -> OutgoingT:
    """Validate keyword arguments against `model`, dropping UNSET ones."""
    fields = {name: value for name, value in given.items() if value is not UNSET}
    try:
        return model(**fields)
    except ValidationError as exc:
        raise _validation_error(exc) from None
    except TypeError as exc:  # e.g. a non-string key in a dict
        raise RequestValidationError(one_line(f"invalid argument: {exc}")) from None


def build_body(
    model: type[OutgoingT], /, *, require_any: bool = False, **given: Any
) -> dict[str, Any]:
    """The JSON body for `model` from keyword arguments; UNSET ones are left out.

    None is left out too, except for fields where null means something to the server
    (label_override: clear the override) and inside per-day schedules (fall back to the
    default window). With `require_any`, an update that changes nothing is refused.
    """
    instance = validate(model, **given)
    body = instance.model_dump(mode="json", exclude_unset=True)
    body = {
        key: value
        for key, value in body.items()
        if value is not None or key in _NULL_MEANS_SOMETHING
    }
    if require_any and not body:
        raise RequestValidationError("nothing to update: give at least one field")
    return body


def query_params(**given: Any) -> dict[str, str | int]:
    """Validated query parameters for a list endpoint; None values are left out."""
    query = validate(ListQuery, **given)
    return {key: value for key, value in query.model_dump(mode="json").items() if value is not None}


def path_segment(value: str, what: str = "id") -> str:
    """An id made safe as one URL path segment; refuses what could change the path."""
    if not isinstance(value, str) or not value or value in (".", ".."):
        raise RequestValidationError(f"{what} must be a non-empty id", field=what)
    if len(value) > 200 or _CONTROL.search(value):
        raise RequestValidationError(f"{what} is not a plausible id", field=what)
    return quote(value, safe="")

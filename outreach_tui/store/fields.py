"""The editable fields of each resource: where their values live and their conflict policy.

Each `FieldSpec` names an API field (as sent in the PATCH body), the table, the effective
column the UI reads and the server column ingest writes. `effective.py` derives the first
from the second plus the pending outbox items; the sync engine reads `policy` to decide
what happens when the server changed the field since the user's edit.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from outreach_tui.core.labels import LABEL_VALUES

# The 11 labels the API accepts for `label_override` (core owns the list).
LABELS: tuple[str, ...] = LABEL_VALUES

# The label filter value meaning "no label" (the API's `label: null`).
LABEL_NONE = "none"


class Policy(enum.StrEnum):
    """What to do when the server value changed since the user's edit."""

    # Triage and settings: the user's latest action wins; the overwritten server value
    # goes to the visible conflict log.
    OVERWRITE = "overwrite"
    # Long text: never overwritten; the item waits in `conflict` for keep mine / take theirs.
    ASK = "ask"


@dataclass(frozen=True)
class FieldSpec:
    """One editable field of one resource."""

    resource: str
    field: str
    table: str
    column: str
    server_column: str
    policy: Policy = Policy.OVERWRITE
    kind: type = str  # the Python type of a value (bool, int, str, dict); None allowed
    nullable: bool = False


# The table holding each resource (its primary key is `id`).
RESOURCE_TABLES: dict[str, str] = {
    "conversation": "conversations",
    "campaign": "campaigns",
    "sequence": "sequences",
    "variant": "variants",
    "inbox": "inboxes",
    "lead": "leads",
    "blocklist": "blocklist",
}


def _spec(
    resource: str,
    field: str,
    kind: type,
    *,
    column: str | None = None,
    server_column: str | None = None,
    policy: Policy = Policy.OVERWRITE,
    nullable: bool = False,
) -> FieldSpec:
    column = column or field
    return FieldSpec(
        resource=resource,
        field=field,
        table=RESOURCE_TABLES[resource],
        column=column,
        server_column=server_column or f"server_{column}",
        policy=policy,
        kind=kind,
        nullable=nullable,
    )


_SPECS: tuple[FieldSpec, ...] = (
    # The label is special (see effective.py): the base is the server's effective label,
    # the value the override (None = revert to the AI label).
    _spec(
        "conversation",
        "label_override",
        str,
        server_column="server_override",
        nullable=True,
    ),
    _spec("conversation", "is_read", bool),
    _spec("campaign", "name", str),
    _spec("campaign", "status", str),
    _spec("campaign", "daily_limit", int),
    _spec("campaign", "stop_on_reply", bool),
    _spec("campaign", "stop_on_company_reply", bool),
    _spec("campaign", "text_only", bool),
    _spec("campaign", "esp_matching", bool),
    _spec("campaign", "unsubscribe_option", bool),
    _spec("campaign", "schedule", dict),
    _spec("sequence", "delay_days", int),
    _spec("variant", "subject", str, policy=Policy.ASK, nullable=True),
    _spec("variant", "body_html", str, policy=Policy.ASK, nullable=True),
    _spec("variant", "enabled", bool),
    _spec("inbox", "first_name", str),
    _spec("inbox", "last_name", str),
    _spec("inbox", "reply_to", str),
    _spec("inbox", "signature", str, policy=Policy.ASK),
    _spec("inbox", "is_active", bool),
    _spec("inbox", "is_warming", bool),
    _spec("inbox", "daily_campaign_limit", int),
    _spec("inbox", "daily_warmup_limit", int),
)

FIELDS: dict[tuple[str, str], FieldSpec] = {(s.resource, s.field): s for s in _SPECS}


def fields_of(resource: str) -> tuple[FieldSpec, ...]:
    """The editable fields of `resource`, in catalogue order."""
    return tuple(s for s in _SPECS if s.resource == resource)


def field_spec(resource: str, field: str) -> FieldSpec:
    """The spec of an editable field; `ValueError` for a field that is not editable."""
    try:
        return FIELDS[(resource, field)]
    except KeyError:
        raise ValueError(f"{resource} has no editable field {field!r}") from None

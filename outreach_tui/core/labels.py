"""The conversation labels of the reference: order, names, colour roles, picker keys.

The server classifies each conversation into one of 11 labels and accepts the same 11 as
``label_override``. A newer server may send labels this client does not know: those are
displayed as they are (sanitized) with a neutral colour, never rejected.

``POSITIVE_LABELS`` is a local guess used for optimistic display only; the server's
``is_positive`` flag stays the truth for statistics.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from outreach_tui.core.sanitize import sanitize_line


class ColourRole(StrEnum):
    """How a theme colours a label."""

    POSITIVE = "positive"
    NEGATIVE = "negative"
    NEUTRAL = "neutral"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class LabelInfo:
    """Everything the UI needs to show or pick one label."""

    value: str
    display_name: str
    role: ColourRole
    is_positive: bool
    key: str | None  # single key in the label picker; None for labels unknown to the client
    known: bool = True


# Stable order: the reference's own list (PATCH /unibox/conversations/:id).
_DEFINITIONS: Final = (
    ("interested", "Interested", ColourRole.POSITIVE, True, "1"),
    ("not_interested", "Not interested", ColourRole.NEGATIVE, False, "2"),
    ("needs_more_info", "Needs more info", ColourRole.POSITIVE, True, "3"),
    ("meeting_requested", "Meeting requested", ColourRole.POSITIVE, True, "4"),
    ("wrong_person", "Wrong person", ColourRole.WARNING, False, "5"),
    ("out_of_office", "Out of office", ColourRole.WARNING, False, "6"),
    ("referral", "Referral", ColourRole.POSITIVE, True, "7"),
    ("question", "Question", ColourRole.NEUTRAL, False, "8"),
    ("neutral", "Neutral", ColourRole.NEUTRAL, False, "9"),
    # Letters for the last two: mnemonic, and not `l` (the key that opens the picker).
    ("unsubscribe", "Unsubscribe", ColourRole.NEGATIVE, False, "u"),
    ("left_company", "Left company", ColourRole.NEGATIVE, False, "c"),
)

LABELS: Final[tuple[LabelInfo, ...]] = tuple(
    LabelInfo(value, name, role, positive, key) for value, name, role, positive, key in _DEFINITIONS
)
LABEL_VALUES: Final[tuple[str, ...]] = tuple(info.value for info in LABELS)
POSITIVE_LABELS: Final[frozenset[str]] = frozenset(i.value for i in LABELS if i.is_positive)
# A conversation still needs a person's decision while the user has not labelled it and
# the AI read it as one of these (the "next needing a decision" key, `N`).
NEEDS_DECISION_LABELS: Final[tuple[str, ...]] = ("interested", "meeting_requested", "question")
CLEAR_OVERRIDE_KEY: Final = "0"
NO_LABEL_NAME: Final = "No label"

_BY_VALUE: Final = {info.value: info for info in LABELS}
_BY_KEY: Final = {info.key: info for info in LABELS}


# Short names people type for a label (besides the value and the display name).
_ALIASES: Final = {
    "meeting": "meeting_requested",
    "ooo": "out_of_office",
    "oof": "out_of_office",
    "away": "out_of_office",
    "info": "needs_more_info",
    "more-info": "needs_more_info",
    "wrong": "wrong_person",
    "unsub": "unsubscribe",
    "left": "left_company",
    "no": "not_interested",
    "yes": "interested",
}


def _spelling(text: str) -> str:
    return "_".join(text.strip().casefold().replace("-", " ").replace("_", " ").split())


_BY_SPELLING: Final = {
    **{_spelling(alias): value for alias, value in _ALIASES.items()},
    **{_spelling(info.display_name): info.value for info in LABELS},
    **{_spelling(info.value): info.value for info in LABELS},
}


def parse_label(text: str, *, allow_none: bool = False) -> str:
    """The label `text` names: its value (`meeting_requested`), its display name in any
    case ("Meeting requested"), or a short alias (`meeting`, `ooo`, `not-interested`).
    With `allow_none`, "none" / "no label" give `"none"`. ValueError with every accepted
    name otherwise."""
    spelled = _spelling(text)
    if allow_none and spelled in ("none", "no_label"):
        return "none"
    value = _BY_SPELLING.get(spelled)
    if value is None:
        names = ", ".join(LABEL_VALUES)
        shorts = ", ".join(sorted(_ALIASES))
        raise ValueError(
            f"unknown label {sanitize_line(text, 40)!r}; expected one of: {names}"
            f" (or its display name, or one of: {shorts})"
        )
    return value


def is_known_label(value: str | None) -> bool:
    """Return True when ``value`` is one of the 11 labels of the reference."""
    return value in _BY_VALUE


def label_info(value: str) -> LabelInfo:
    """Return the info of a label; an unknown label gets its own (sanitized) text as name."""
    info = _BY_VALUE.get(value)
    if info is not None:
        return info
    name = sanitize_line(value, 40) or "?"
    return LabelInfo(value, name, ColourRole.NEUTRAL, False, None, known=False)


def display_name(value: str | None) -> str:
    """Return the human name of a label, ``"No label"`` for None."""
    if value is None:
        return NO_LABEL_NAME
    return label_info(value).display_name


def colour_role(value: str | None) -> ColourRole:
    """Return the colour role of a label (neutral for None and unknown labels)."""
    if value is None:
        return ColourRole.NEUTRAL
    return label_info(value).role


def is_positive_label(value: str | None) -> bool:
    """Return True for the labels counted as positive locally."""
    return value in POSITIVE_LABELS


@dataclass(frozen=True, slots=True)
class PickerChoice:
    """What a key pressed in the label picker means."""

    label: str | None  # None with clear=True means "clear the override"
    clear: bool = False


def label_for_key(key: str) -> PickerChoice | None:
    """Map a key pressed in the label picker to a choice; None when the key means nothing.

    ``0`` (and ``backspace``) clear the override; the 11 label keys pick a label.
    """
    if key in (CLEAR_OVERRIDE_KEY, "backspace"):
        return PickerChoice(None, clear=True)
    info = _BY_KEY.get(key)
    return PickerChoice(info.value) if info is not None else None

"""Labels: the reference's 11, stable order, picker keys, unknown labels."""

from __future__ import annotations

import pytest

from outreach_tui.core.labels import (
    CLEAR_OVERRIDE_KEY,
    LABEL_VALUES,
    LABELS,
    POSITIVE_LABELS,
    ColourRole,
    PickerChoice,
    colour_role,
    display_name,
    is_known_label,
    label_for_key,
    label_info,
)

REFERENCE = [
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


def test_the_eleven_labels_in_reference_order() -> None:
    assert list(LABEL_VALUES) == REFERENCE


def test_picker_keys_are_single_unique_and_never_zero() -> None:
    keys = [info.key for info in LABELS]
    assert all(key is not None and len(key) == 1 for key in keys)
    assert len(set(keys)) == len(keys)
    assert CLEAR_OVERRIDE_KEY not in keys
    assert "l" not in keys  # the key that opens the picker


def test_label_for_key() -> None:
    assert label_for_key("1") == PickerChoice("interested")
    assert label_for_key("u") == PickerChoice("unsubscribe")
    assert label_for_key("0") == PickerChoice(None, clear=True)
    assert label_for_key("backspace") == PickerChoice(None, clear=True)
    assert label_for_key("z") is None


def test_display_names_and_roles() -> None:
    assert display_name("meeting_requested") == "Meeting requested"
    assert display_name(None) == "No label"
    assert colour_role("interested") is ColourRole.POSITIVE
    assert colour_role("not_interested") is ColourRole.NEGATIVE
    assert colour_role("out_of_office") is ColourRole.WARNING
    assert colour_role(None) is ColourRole.NEUTRAL


def test_positive_labels() -> None:
    assert "interested" in POSITIVE_LABELS
    assert "meeting_requested" in POSITIVE_LABELS
    assert "not_interested" not in POSITIVE_LABELS
    assert "unsubscribe" not in POSITIVE_LABELS


def test_unknown_label_is_shown_as_is_and_never_crashes() -> None:
    assert not is_known_label("follow_up_later")
    assert is_known_label("referral")
    info = label_info("follow_up_later")
    assert info.display_name == "follow_up_later"
    assert info.role is ColourRole.NEUTRAL
    assert info.key is None
    assert not info.known


def test_hostile_unknown_label_is_sanitized() -> None:
    info = label_info("\x1b[31m[bold]x\u202e\n" + "y" * 100)
    assert "\x1b" not in info.display_name
    assert "\n" not in info.display_name
    assert "\u202e" not in info.display_name
    assert len(info.display_name) <= 40
    assert label_info("").display_name == "?"


def test_parse_label_takes_values_display_names_and_aliases() -> None:
    from outreach_tui.core.labels import LABELS, parse_label

    for info in LABELS:
        assert parse_label(info.value) == info.value
        assert parse_label(info.display_name.upper()) == info.value
    assert parse_label("ooo") == "out_of_office"
    assert parse_label(" not-interested ") == "not_interested"
    assert parse_label("No label", allow_none=True) == "none"
    with pytest.raises(ValueError, match="unknown label"):
        parse_label("none")  # only where a filter allows it

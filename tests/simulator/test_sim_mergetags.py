"""The simulator's merge-tag grammar, case by case (offsets are on the submitted text)."""

from __future__ import annotations

import pytest

from outreach_tui.simulator.mergetags import merge_tag_error_offset, normalize_variable_name


@pytest.mark.parametrize(
    "text",
    [
        "",
        "plain text",
        "{{first_name}}",
        "{{ first_name | there }}",
        "{{company|a|b}}",
        "{{SPINTAX|a|b}}",
        "{{spintax|}}",
        "{{ SpInTaX | only }}",
        "{{LOOM|video}}",
        "{{loom|video|fallback|more}}",
        "\\{{not a tag",
        "\\{{}}",
        "}} closes nothing",
        "{ single } braces",
        "{{a}}}}",
        "{{{a}}",
        "{{a\\{{b}}",
        "\\{{{a}}",
        "{{!!!}}",
        "\\\\{{a backslash before an escape does not cancel it",
    ],
)
def test_valid_templates(text: str) -> None:
    assert merge_tag_error_offset(text) is None


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("{{", 0),
        ("Hi {{name", 3),
        ("{{}}", 0),
        ("{{   }}", 0),
        ("ab {{a {{b}} }}", 3),
        ("{{a}} {{b", 6),
        ("{{SPINTAX}}", 0),
        ("{{ spintax }}", 0),
        ("{{LOOM}}", 0),
        ("{{LOOM| }}", 0),
        ("{{|fallback}}", 0),
        ("{{ | }}", 0),
        ("x {{a}} y {{}} z {{", 10),
        ("\\{{ok}} {{", 8),
        ("{{{{a}}", 0),
        ("é{{", 1),
    ],
)
def test_invalid_templates_report_the_first_offending_opening(text: str, offset: int) -> None:
    assert merge_tag_error_offset(text) == offset


@pytest.mark.parametrize(
    "name", ["First Name", "first_name", "firstName", "  first-name ", "FIRST_NAME", "first__name"]
)
def test_variable_names_normalize_to_one_key(name: str) -> None:
    assert normalize_variable_name(name) == "first_name"


def test_digits_and_camel_case_boundaries() -> None:
    assert normalize_variable_name("loomURL") == "loom_url"
    assert normalize_variable_name("step2Subject") == "step2_subject"
    assert normalize_variable_name("Company") == "company"

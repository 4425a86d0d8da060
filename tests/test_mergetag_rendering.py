"""Rendering properties the core tests do not pin yet (tests/core has crash-freedom,
scanner agreement and per-seed determinism): escaping round-trips, values are inserted
literally (never parsed again), and any spelling of a variable name reads the same value.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from outreach_tui.core.mergetags import parse, render, render_report, validate

TEXT = st.text(alphabet=st.sampled_from(["{", "}", "\\", "|", "a", " ", "\n", "é"]), max_size=30)


def _escaped(text: str) -> str:
    """`text` written as a template that renders to exactly `text`."""
    return text.replace("{{", "\\{{")


@given(TEXT)
def test_escaped_text_is_valid_and_renders_to_itself(text: str) -> None:
    template = _escaped(text)
    assert validate(template) is None
    assert render(template, {}, seed_key="k") == text


@given(TEXT, st.text(max_size=8))
def test_rendering_is_stable_under_reparsing_of_its_literal_parts(text: str, seed: str) -> None:
    # Rendering the same parse twice, or the escaped output again, changes nothing.
    template = _escaped(text) + "{{name|friend}}"
    tokens = parse(template)
    assert parse(template) == tokens
    once = render(template, {}, seed_key=seed)
    assert render(_escaped(once), {}, seed_key=seed) == once


@given(st.text(alphabet=st.sampled_from(["{", "}", "|", "a", "\\"]), max_size=12))
def test_values_are_inserted_literally_never_parsed(value: str) -> None:
    result = render_report("Hi {{first_name}}!", {"first_name": value}, seed_key="k")
    if value:
        assert result.text == f"Hi {value}!"
        assert result.missing == ()
    else:
        assert result.missing == ("first_name",)


@given(
    st.sampled_from(["first_name", "First Name", "firstName", "FIRST_NAME", " first-name "]),
    st.sampled_from(["{{first_name}}", "{{First Name}}", "{{firstName}}"]),
    st.text(alphabet="abc", min_size=1, max_size=5),
)
def test_any_spelling_of_a_name_reads_the_same_value(key: str, tag: str, value: str) -> None:
    assert render(tag, {key: value}, seed_key="k") == value

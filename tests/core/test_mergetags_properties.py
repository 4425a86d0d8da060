"""Property tests for merge tags: never crash, agree with an independent scanner, stable render.

``_oracle_offset`` is a second, deliberately naive implementation of the grammar (one
character at a time, no ``str.find``), so the fast scanner in core is checked against a
reading of the rules that shares no code with it.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from outreach_tui.core.mergetags import (
    InvalidTemplate,
    LiteralText,
    SpintaxTag,
    parse,
    render,
    render_report,
    spintax_combinations,
    validate,
)

PIECES = ["{{", "}}", "{", "}", "\\", "|", " ", "\t", "a", "Name", "SPINTAX", "loom", "é", "\n"]
templates = st.one_of(
    st.text(),
    st.lists(st.sampled_from(PIECES), max_size=30).map("".join),
)
variables = st.dictionaries(
    st.sampled_from(["a", "name", "Name", "loom", "x"]), st.text(max_size=5)
)


def _content_ok(content: str) -> bool:
    if not content.strip():
        return False
    parts = [part.strip() for part in content.split("|")]
    keyword = parts[0].lower()
    if keyword == "spintax":
        return len(parts) >= 2
    if keyword == "loom":
        return len(parts) >= 2 and parts[1] != ""
    return parts[0] != ""


def _oracle_offset(text: str) -> int | None:
    i, n = 0, len(text)
    while i < n:
        if text[i : i + 3] == "\\{{":
            i += 3
        elif text[i : i + 2] == "{{":
            start, j, close = i, i + 2, None
            while j < n:
                if text[j : j + 3] == "\\{{":
                    j += 3
                elif text[j : j + 2] == "{{":
                    return start
                elif text[j : j + 2] == "}}":
                    close = j
                    break
                else:
                    j += 1
            if close is None or not _content_ok(text[start + 2 : close]):
                return start
            i = close + 2
        else:
            i += 1
    return None


@settings(max_examples=400)
@given(templates)
def test_validator_agrees_with_an_independent_scanner(template: str) -> None:
    error = validate(template)
    expected = _oracle_offset(template)
    assert (error.offset if error else None) == expected


@given(templates)
def test_parse_never_crashes_and_agrees_with_validate(template: str) -> None:
    error = validate(template)
    try:
        tokens = parse(template)
    except InvalidTemplate as caught:
        assert caught.error == error
        assert template[error.offset : error.offset + 2] == "{{"
        return
    assert error is None
    # Tokens tile the template; every tag spans "{{ … }}".
    position = 0
    for token in tokens:
        assert token.offset == position
        if not isinstance(token, LiteralText):
            assert template[token.offset : token.offset + 2] == "{{"
            assert template[token.end - 2 : token.end] == "}}"
        position = token.end
    assert position == len(template)


@given(templates, variables, st.text(max_size=8))
def test_render_is_deterministic_for_a_seed_key(
    template: str, values: dict[str, str], seed_key: str
) -> None:
    if validate(template) is not None:
        return
    first = render_report(template, values, seed_key=seed_key)
    assert render_report(template, values, seed_key=seed_key) == first
    assert spintax_combinations(template) >= 1


@given(templates)
def test_template_without_tags_renders_as_its_text_with_escapes_resolved(template: str) -> None:
    if validate(template) is not None:
        return
    if any(not isinstance(token, LiteralText) for token in parse(template)):
        return
    assert render(template, {}, seed_key="k") == template.replace("\\{{", "{{")


@given(st.lists(st.text(alphabet="abc xyz", max_size=4), min_size=1, max_size=5), st.text())
def test_single_spintax_renders_one_of_its_options(options: list[str], seed_key: str) -> None:
    template = "{{SPINTAX|" + "|".join(options) + "}}"
    tokens = parse(template)
    assert isinstance(tokens[0], SpintaxTag)
    assert render(template, {}, seed_key=seed_key) in {option.strip() for option in options}

"""Merge tags: the server's grammar (known cases), rendering, spintax, missing-variable report."""

from __future__ import annotations

import pytest

from outreach_tui.core.mergetags import (
    InvalidTemplate,
    LiteralText,
    LoomTag,
    MergeTagError,
    SpintaxTag,
    VariableTag,
    choose_option,
    lead_variables,
    missing_variables_report,
    normalize_variable_name,
    parse,
    render,
    render_report,
    spintax_combinations,
    validate,
    variables_used,
)

# (template, expected error offset or None). Each line pins one sentence of the grammar.
GRAMMAR_CASES = [
    ("Hello", None),
    ("", None),
    ("{{first_name}}", None),
    ("Hi {{first_name|there}}", None),
    ("{{ first_name }}", None),
    ("Hi {{first_name", 3),  # no }} after it
    ("Hi {{a {{b}}", 3),  # another {{ before the }}: the outer one is reported
    ("{{a}} {{b", 6),  # first valid, second unclosed
    ("x {{}}", 2),  # empty
    ("x {{   }}", 2),  # whitespace only
    ("x {{\n\t}}", 2),
    ("}} lone close", None),  # a }} closing nothing is literal
    ("{ single } braces", None),
    ("{x}}", None),
    ("\\{{not a tag}}", None),  # escape
    ("\\{{ unclosed", None),  # escaped braces open nothing
    ("\\{{{x}}", None),  # escape, then "{x}}" literal
    ("\\{{{{x}}", None),  # escape, then a real tag
    ("\\\\{{x}}", None),  # backslash, then escape
    ("\\{{{{", 3),  # escape, then an unclosed tag at 3
    ("{{a\\{{b}}", None),  # the escape holds inside a tag
    ("{{a\\{{{b}}", None),  # escape covers 3..5, "{b" is not a second opener
    ("{{a\\{{{{b}}", 0),  # escape, then an unescaped {{ inside the tag
    ("{{{a}}", None),  # "{{" then "{a": one tag, content "{a"
    ("{{{{a}}", 0),  # a second {{ right after the first
    ("{{a}}}", None),
    ("{{a}}}}", None),
    ("{{SPINTAX}}", 0),
    ("{{spintax}}", 0),
    ("{{ SpInTaX }}", 0),
    ("{{SPINTAX|}}", None),  # one empty option is allowed
    ("{{SPINTAX|a|b}}", None),
    ("{{SPINTAX||}}", None),
    ("{{LOOM}}", 0),
    ("{{LOOM|}}", 0),
    ("{{LOOM| }}", 0),
    ("{{loom|video}}", None),
    ("{{LOOM|video|no video}}", None),
    ("{{LOOM|video|a|b}}", None),
    ("{{LOOM||fallback}}", 0),
    ("{{|fallback}}", 0),  # empty name
    ("{{ | }}", 0),
    ("{{name|}}", None),  # empty fallback is fine
    ("{{name|a|b}}", None),  # the fallback keeps its |
    ("{{!!!}}", None),  # non-empty name (normalizes to "", renders as missing)
    ("ok {{a}} then {{SPINTAX}} then {{", 14),  # the first error from the left
    ("é🙂 {{", 3),  # offsets count code points
    ("<p>{{a</p>", 3),  # offsets are on the text as submitted, HTML included
]


@pytest.mark.parametrize(("template", "offset"), GRAMMAR_CASES)
def test_validate_matches_the_grammar(template: str, offset: int | None) -> None:
    error = validate(template)
    if offset is None:
        assert error is None
    else:
        assert error is not None
        assert error.offset == offset
        assert template[offset : offset + 2] == "{{"


def test_error_object_has_code_and_message() -> None:
    error = validate("Hi {{first_name")
    assert error == MergeTagError(3, "unclosed_tag", error.message)
    assert "offset 3" in str(error)
    assert validate("{{a {{b}}").code == "nested_tag"
    assert validate("{{ }}").code == "empty_tag"
    assert validate("{{SPINTAX}}").code == "invalid_spintax"
    assert validate("{{LOOM|}}").code == "invalid_loom"
    assert validate("{{|x}}").code == "empty_variable_name"


def test_parse_returns_tokens_with_spans() -> None:
    template = "Hi {{First Name|there}}, {{SPINTAX| a |b}} {{LOOM|Video Link}}\\{{x"
    assert parse(template) == [
        LiteralText("Hi ", 0, 3),
        VariableTag("First Name", "first_name", "there", 3, 23),
        LiteralText(", ", 23, 25),
        SpintaxTag(("a", "b"), 25, 42),
        LiteralText(" ", 42, 43),
        LoomTag("Video Link", "video_link", None, 43, 62),
        LiteralText("{{x", 62, 66),
    ]


def test_parse_raises_invalid_template_with_the_error() -> None:
    with pytest.raises(InvalidTemplate) as caught:
        parse("{{")
    assert caught.value.error.offset == 0


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("First Name", "first_name"),
        ("first_name", "first_name"),
        ("firstName", "first_name"),
        ("FirstName", "first_name"),
        ("  first--name  ", "first_name"),
        ("company", "company"),
        ("Company Name", "company_name"),
        ("utm2Source", "utm2_source"),
        ("HTTPServer", "httpserver"),
        ("__x__", "x"),
        ("!!!", ""),
        ("Prénom", "pr_nom"),
    ],
)
def test_normalize_variable_name(name: str, key: str) -> None:
    assert normalize_variable_name(name) == key


def test_render_fills_variables_with_any_spelling() -> None:
    lead = lead_variables(email="ann@acme.example", first_name="Ann", variables={"Company": "Acme"})
    text = render("Hi {{firstName}} from {{company}} ({{ Email }})", lead, seed_key="lead-1")
    assert text == "Hi Ann from Acme (ann@acme.example)"


def test_render_uses_fallback_when_missing_or_empty() -> None:
    lead = lead_variables(email="x@y.example", first_name="", variables={"role": ""})
    assert render("Hi {{first_name|there}}, {{role|friend}}", lead, seed_key="l") == (
        "Hi there, friend"
    )


def test_render_reports_missing_variables_without_fallback() -> None:
    result = render_report("Hi {{nickname}} {{LOOM|video}} {{nickname}}", {}, seed_key="l")
    assert result.text == "Hi   "
    assert result.missing == ("nickname", "video")


def test_render_resolves_escapes_and_inserts_values_literally() -> None:
    variables = {"name": "{{evil}}"}
    assert render("\\{{name}} {{name}}", variables, seed_key="l") == "{{name}} {{evil}}"


def test_render_loom_uses_column_then_fallback() -> None:
    assert render("{{LOOM|Video|none}}", {"video": "https://loom.example/v"}, seed_key="l") == (
        "https://loom.example/v"
    )
    assert render("{{LOOM|Video|none}}", {}, seed_key="l") == "none"


def test_render_unsubscribe_url_comes_from_the_campaign() -> None:
    text = render(
        '<a href="{{unsubscribe_url}}">stop</a>',
        {"unsubscribe_url": "https://lead-set.example"},
        seed_key="l",
        unsubscribe_url="https://reachkit.example/u/1",
    )
    assert text == '<a href="https://reachkit.example/u/1">stop</a>'


def test_spintax_choice_is_deterministic_per_seed_key() -> None:
    template = "{{SPINTAX|Hi|Hello|Hey|Howdy}} {{SPINTAX|a|b|c|d|e}}"
    first = [render(template, {}, seed_key=f"lead-{i}") for i in range(40)]
    again = [render(template, {}, seed_key=f"lead-{i}") for i in range(40)]
    assert first == again
    assert len(set(first)) > 5  # different leads get different choices


def test_spintax_choice_is_pinned_across_python_runs() -> None:
    # blake2b, not hash(): these values must never change between runs or versions.
    assert choose_option(("a", "b", "c"), seed_key="lead-1", ordinal=0) == choose_option(
        ("a", "b", "c"), seed_key="lead-1", ordinal=0
    )
    picks = [choose_option(("a", "b", "c"), seed_key=f"k{i}", ordinal=0) for i in range(6)]
    assert picks == PINNED_PICKS


PINNED_PICKS = ["a", "c", "a", "a", "c", "b"]


def test_spintax_combinations_counts_distinct_options() -> None:
    assert spintax_combinations("no tags") == 1
    assert spintax_combinations("{{SPINTAX|a|b}} {{SPINTAX|x|y|z}}") == 6
    assert spintax_combinations("{{SPINTAX|a|a| a }}") == 1
    with pytest.raises(InvalidTemplate):
        spintax_combinations("{{SPINTAX}}")


def test_variables_used_in_order_of_first_use() -> None:
    template = "{{Company}} {{firstName|x}} {{LOOM|Video}} {{company}} {{SPINTAX|a}}"
    assert variables_used(template) == ["company", "first_name", "video"]


def test_lead_variables_builtins() -> None:
    lead = lead_variables(
        email="ann@acme.example",
        first_name=" Ann ",
        last_name="Lee",
        variables={"Company": "Acme", "first_name": "Other", "Seats": 12, "none": None},
    )
    assert lead["first_name"] == "Ann"  # the lead's own field wins
    assert lead["full_name"] == "Ann Lee"
    assert lead["contact"] == "Ann Lee"
    assert lead["company"] == "Acme"
    assert lead["seats"] == "12"
    assert lead["none"] == ""
    assert lead_variables(email="x@y.example")["contact"] == "x@y.example"


def test_missing_variables_report_counts_leads_per_variable() -> None:
    leads = [
        lead_variables(email="a@x.example", first_name="A", variables={"company": "Acme"}),
        lead_variables(email="b@x.example", variables={"company": ""}),
        lead_variables(email="c@x.example", first_name="C"),
    ]
    report = missing_variables_report(
        ["Hi {{first_name}}", "{{company}} {{role|there}} {{unsubscribe_url}} {{email}}"], leads
    )
    assert report == {"first_name": 1, "company": 2, "email": 0}


def test_missing_variables_report_a_variable_used_once_without_fallback_counts() -> None:
    report = missing_variables_report("{{role|x}} {{role}}", [{}, {"role": "VP"}])
    assert report == {"role": 1}

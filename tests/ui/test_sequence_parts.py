"""The sequence editor's pure parts: highlight spans, the per-field verdicts, the preview
of a variant for one lead and the local checks of the actions (no app needed)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from outreach_tui.core.mergetags import lead_variables, missing_variables_report, validate
from outreach_tui.ui.sequences.screens.actions import parse_delay, subject_problem
from outreach_tui.ui.sequences.widgets.checks import check_line, editable_text, position
from outreach_tui.ui.sequences.widgets.preview import (
    PreviewLead,
    PreviewRequest,
    build_preview,
    html_preview,
    lead_report,
)
from outreach_tui.ui.sequences.widgets.template_highlight import (
    ERROR,
    ESCAPED,
    HTML,
    SPINTAX,
    UNKNOWN,
    VARIABLE,
    check_template,
    spans_by_line,
)

KNOWN = frozenset({"first_name", "company", "email"})


def _kinds(text: str, **kwargs: object) -> list[tuple[str, str]]:
    check = check_template(text, **kwargs)  # type: ignore[arg-type]
    return [(text[s.start : s.end], s.kind) for s in check.spans]


def test_tags_unknown_variables_escapes_and_spintax_are_spanned() -> None:
    text = "Hi {{First Name}}, {{compnay|there}} \\{{x}} {{SPINTAX|a|b}}"
    assert _kinds(text, known=KNOWN) == [
        ("{{First Name}}", VARIABLE),
        ("{{compnay|there}}", UNKNOWN),
        ("\\{{", ESCAPED),
        ("{{SPINTAX|a|b}}", SPINTAX),
    ]
    assert check_template(text, known=KNOWN).unknown == ("compnay",)
    # before the leads are known nothing is called unknown
    assert check_template(text).unknown == ()


def test_the_first_error_is_marked_and_earlier_tags_stay_highlighted() -> None:
    text = "{{first_name}} and {{ oops\nnext line"
    check = check_template(text, known=KNOWN)
    assert check.error is not None and check.error.offset == validate(text).offset == 19  # type: ignore[union-attr]
    assert _kinds(text, known=KNOWN) == [("{{first_name}}", VARIABLE), ("{{ oops", ERROR)]


def test_tags_outside_the_allowlist_are_flagged_in_bodies_only() -> None:
    text = "<p>Hi</p> <b>there</b><br/>"
    assert [(t.tag, t.offset) for t in check_template(text, html=True).disallowed] == [
        ("p", 0),
        ("br", 22),
    ]
    assert _kinds(text, html=True) == [("<p>", HTML), ("<br/>", HTML)]
    assert check_template(text).disallowed == ()


@given(st.lists(st.sampled_from(["{{", "}}", "a", "\n", "|", "\\", "<p>", " "])).map("".join))
def test_spans_by_line_cover_exactly_the_span_characters(text: str) -> None:
    check = check_template(text, known=KNOWN, html=True)
    lines = text.split("\n")
    covered: set[tuple[int, int]] = set()
    for row, pieces in spans_by_line(lines, check.spans).items():
        for start, end, _kind in pieces:
            assert 0 <= start < end <= len(lines[row])
            covered.update((row, col) for col in range(start, end))
    expected = set()
    for span in check.spans:
        for offset in range(span.start, min(span.end, len(text))):
            if text[offset] != "\n":
                expected.add(position(text, offset))
    assert {(r + 1, c + 1) for r, c in covered} == expected


def test_check_line_gives_the_error_position_in_lines_and_columns() -> None:
    text = "Hello\nworld {{ x"
    line = str(check_line(check_template(text), text))
    assert "line 2, column 7 (offset 12)" in line
    assert "server would refuse" in line
    ok = str(check_line(check_template("<div>{{a}}</div>", known=KNOWN, html=True), "<div>"))
    assert "✓ merge tags OK" in ok and "no lead has: a" in ok and "<div> (line 1)" in ok


def test_html_preview_styles_allowlisted_tags_and_shows_link_targets() -> None:
    text = html_preview(
        '<p>Hi <b>you</b></p> <a href="https://x.example/?a=1&amp;b=2">demo</a>'
        '<img src="c.png" alt="chart"><script>[bold]x[/bold]</script>'
    )
    assert text.plain == "Hi you demo <https://x.example/?a=1&b=2>[image: chart][bold]x[/bold]"
    bold = [span for span in text.spans if "bold" in str(span.style)]
    assert any(text.plain[s.start : s.end] == "you" for s in bold)


def _lead(**variables: str) -> PreviewLead:
    values = lead_variables(email="ann@x.example", first_name="Ann", variables=variables)
    return PreviewLead("lead-1", "ann@x.example", "Ann", values)


def test_preview_fills_the_lead_adds_the_unsubscribe_link_and_lists_missing_values() -> None:
    request = PreviewRequest(
        subject="Hi {{firstName}}",
        body="For {{company}} and {{role}}",
        lead=_lead(company="Acme"),
        lead_index=0,
        lead_total=2,
        unsubscribe=True,
    )
    plain = build_preview(request).plain
    assert "Lead 1 of 2" in plain and "Subject: Hi Ann" in plain
    assert "For Acme and" in plain
    assert "Unsubscribe <https://unsubscribe.invalid/lead-1>" in plain
    assert "re-adds the unsubscribe link" in plain
    assert "no value for: role" in plain
    without = build_preview(PreviewRequest("s", "body", _lead(), 0, 1, unsubscribe=False)).plain
    assert "unsubscribe" not in without.lower()


def test_preview_of_an_invalid_template_says_so() -> None:
    plain = build_preview(PreviewRequest("{{", "b", None, 0, 0, unsubscribe=False)).plain
    assert "fixed" in plain and "offset 0" in plain


def test_report_counts_leads_lacking_each_variable_without_fallback() -> None:
    leads = [_lead(company="Acme"), _lead(), _lead(role="CTO")]
    values = [lead.values for lead in leads]
    report = lead_report("{{company}}", "{{role}} {{city|there}} {{first_name}}", values)
    assert report == {"company": 2, "role": 2, "first_name": 0}
    assert report == missing_variables_report(["{{company}}", "{{role}} {{first_name}}"], values)
    assert lead_report("{{", "", values) is None


def test_local_checks_of_the_actions() -> None:
    assert parse_delay(" 4 ") == 4
    assert isinstance(parse_delay("-1"), str) and isinstance(parse_delay("366"), str)
    assert subject_problem("  ") is not None
    problem = subject_problem("Hi {{name")
    assert problem is not None and "column 4" in problem
    assert subject_problem("Hi {{name}}") is None


def test_template_text_reaches_the_editor_without_terminal_controls() -> None:
    assert editable_text("Hi\t{{a}}\nthere") == ("Hi\t{{a}}\nthere", False)
    cleaned, changed = editable_text("Hi \x1b[5m{{a}}\x1b[0m\u202e!\x07")
    assert changed and cleaned == "Hi {{a}}!"

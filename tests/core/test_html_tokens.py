"""The linear HTML tokenizer and its canonical output (what html.parser is fed)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outreach_tui.core.html_text import readable_body
from outreach_tui.core.html_tokens import (
    MAX_NESTING,
    RawTextToken,
    TagToken,
    TextToken,
    canonical_html,
    tokenize,
)


def test_tokens_with_offsets_and_attributes() -> None:
    html = "Hi <A HREF=\"x>y\" title='q' data-x=1 checked>t</a><br/>"
    assert list(tokenize(html)) == [
        TextToken("Hi ", 0),
        TagToken(
            "a", 3, attributes=(("href", "x>y"), ("title", "q"), ("data-x", "1"), ("checked", None))
        ),
        TextToken("t", 44),
        TagToken("a", 45, closing=True),
        TagToken("br", 49, self_closing=True),
    ]


def test_comments_doctype_and_pi_yield_nothing() -> None:
    html = "<!DOCTYPE html><!-- <p> --><?xml x?><!-->a<![CDATA[b]]>"
    assert [t for t in tokenize(html) if not isinstance(t, TextToken)] == []
    assert (
        "".join(t.text for t in tokenize(html) if isinstance(t, TextToken)) == "a"
    )  # CDATA outside SVG is a bogus comment


def test_script_content_is_raw_text() -> None:
    tokens = list(tokenize("<script>if (a<b) { '<p>' }</SCRIPT >after"))
    assert tokens[1] == RawTextToken("if (a<b) { '<p>' }", 8)
    assert tokens[2] == TagToken("script", 26, closing=True)


def test_unterminated_constructs_end_the_document() -> None:
    for tail in ['<a b="x', "<!-- open", "<a", "<script>x", "<!x"]:
        tokens = list(tokenize("keep " + tail))
        assert tokens[0] == TextToken("keep ", 0)
        assert [t for t in tokens if isinstance(t, TextToken)] == [TextToken("keep ", 0)]


def test_stray_angle_brackets_are_text() -> None:
    assert canonical_html("a < b <3 <<x>")[0] == "a &lt; b &lt;3 &lt;<x>"


def test_canonical_output_is_clean() -> None:
    html = '<DIV class="a&amp;b" onclick=\'x"y\' bad"name=1><p/>x<br>'
    html += '<img src=a.png alt="1>0"></div></span>'
    markup, stopped = canonical_html(html)
    assert not stopped
    assert markup == (
        '<div class="a&amp;b" onclick="x&quot;y"><p></p>x<br />'
        '<img src="a.png" alt="1&gt;0" /></div>'
    )


def test_nesting_is_capped() -> None:
    markup, _ = canonical_html("<div>" * (MAX_NESTING + 50) + "x")
    assert markup.count("<div>") == MAX_NESTING


def test_tag_budget_stops_early() -> None:
    markup, stopped = canonical_html("<b>x</b>" * 100, max_tags=10)
    assert stopped
    assert markup.count("<") == 10


_TAG_IN_OUTPUT = re.compile(r'</?[a-z][a-z0-9_:.-]*(?: [a-z][a-z0-9_:.-]*(?:="[^"<>]*")?)*(?: /)?>')

markup = st.lists(
    st.sampled_from(
        [
            "<",
            ">",
            "</",
            "<a",
            "<b>",
            "</b>",
            "<br>",
            "<!--",
            "-->",
            "<!",
            "<?",
            '"',
            "'",
            "=",
            " ",
            "x",
            "<script>",
            "</script>",
            "&",
            "&#",
            "/",
            "<img src=",
            "\n",
        ]
    ),
    max_size=40,
).map("".join)


@given(markup)
def test_every_angle_bracket_in_canonical_output_is_a_complete_tag(html: str) -> None:
    out, _ = canonical_html(html)
    position = 0
    while (lt := out.find("<", position)) != -1:
        match = _TAG_IN_OUTPUT.match(out, lt)
        assert match is not None, out[lt:]
        position = match.end()
    assert canonical_html(out)[0] == out  # canonical output is a fixed point


@pytest.mark.parametrize(
    "unit",
    [
        '<a b="',
        "<a b='",
        "<a ",
        "<a/",
        "<a b=",
        "</a",
        "<!--",
        "<![CDATA[",
        "<a",
        "<br><b>x</b>",
        "<img src=x><i>y</i>",
        "<div>",
        "<<",
        "&#",
    ],
)
def test_hostile_markup_converts(unit: str) -> None:
    # html.parser alone needs minutes for some of these (quadratic); here they are linear.
    html = unit * (128 * 1024 // len(unit))
    body = readable_body(html, "")
    assert "\x1b" not in body.markdown

"""disallowed_tags: tags the server would unwrap, with offsets into the submitted text."""

from __future__ import annotations

from outreach_tui.core.html_allowlist import DisallowedTag, disallowed_tags
from outreach_tui.core.text_position import location_to_offset, offset_to_location


def test_allowed_tags_are_not_reported() -> None:
    html = '<b>x</b><i>y</i><u>z</u><a href="{{unsubscribe_url}}">u</a><img src="a.png"/>'
    assert disallowed_tags(html) == []
    assert disallowed_tags("no tags at all") == []


def test_other_tags_are_reported_with_offsets() -> None:
    html = 'Hi<p>para</p>\r\n<BR>\n  <div class="x">é<span>s</span></div><br/>'
    found = disallowed_tags(html)
    assert [f.tag for f in found] == ["p", "br", "div", "span", "br"]
    for item in found:
        assert html[item.offset] == "<"
        assert html[item.offset + 1 :].lower().startswith(item.tag)


def test_comments_and_text_are_not_tags() -> None:
    assert disallowed_tags("a < b and <!-- <p> --> c > d") == []


def test_script_is_reported_once() -> None:
    html = "<script>if (a<b) { x('<p>') }</script>"
    assert disallowed_tags(html) == [DisallowedTag("script", 0)]


def test_offsets_and_locations_round_trip() -> None:
    text = "ab\ncd\n\nef"
    for offset in range(len(text) + 1):
        line, column = offset_to_location(text, offset)
        assert location_to_offset(text, line, column) == offset
    assert offset_to_location(text, 4) == (1, 1)
    assert offset_to_location(text, 99) == (3, 2)


def test_results_unpack_as_tag_offset_pairs() -> None:
    assert [(tag, offset) for tag, offset in disallowed_tags("a<p>b<span>")] == [
        ("p", 1),
        ("span", 5),
    ]


def test_hostile_unterminated_markup_is_read_linearly() -> None:
    html = "<p>ok</p>" + '<a b="' * 20_000  # html.parser would need minutes
    assert disallowed_tags(html) == [DisallowedTag("p", 0)]

"""HTML bodies as inert markdown: dropped elements, visible link targets, images, caps."""

from __future__ import annotations

from markdown_it import MarkdownIt

from outreach_tui.core.html_text import (
    MAX_HTML_CHARS,
    TRUNCATION_NOTE,
    escape_markdown,
    html_to_markdown,
    readable_body,
)


def _links_in(markdown: str) -> list[tuple[str, str]]:
    """(visible text, href) of every link Textual's markdown parser ("gfm-like") would make."""
    found = []
    for block in MarkdownIt("gfm-like").parse(markdown):
        children = block.children or []
        for i, token in enumerate(children):
            if token.type == "link_open":
                text = children[i + 1].content if i + 1 < len(children) else ""
                found.append((text, str(token.attrs["href"])))
    return found


def test_scripts_styles_and_head_are_dropped() -> None:
    html = (
        "<html><head><title>Secret title</title><style>p{color:red}</style></head>"
        "<body><script>alert('x')</script><p>Hello <b>Ann</b></p><noscript>ns</noscript>"
        "</body></html>"
    )
    body = readable_body(html, "")
    assert body.markdown == "Hello **Ann**"
    assert body.from_html


def test_link_text_is_followed_by_its_real_target() -> None:
    html = '<p>Log in at <a href="https://evil.example/login">https://bank.example</a> now</p>'
    markdown = readable_body(html, "").markdown
    assert "https://evil.example/login" in markdown
    # Every clickable link shows its own target as its text.
    for text, href in _links_in(markdown):
        assert text.rstrip("/") in href


def test_link_whose_text_is_its_target_is_not_repeated() -> None:
    html = '<a href="https://acme.example/x">https://acme.example/x</a>'
    assert readable_body(html, "").markdown.count("acme.example/x") == 1


def test_non_web_targets_are_shown_but_never_clickable() -> None:
    html = '<a href="javascript:alert(1)">Click</a> <a href="file:///etc/passwd">f</a>'
    markdown = readable_body(html, "").markdown
    assert "javascript:alert(1)" in markdown
    assert "file:///etc/passwd" in markdown
    assert _links_in(markdown) == []


def test_images_become_inert_placeholders() -> None:
    html = '<p><img src="https://track.example/p.gif" alt="Logo">(https://evil.example)</p>'
    markdown = readable_body(html, "").markdown
    assert "image: Logo" in markdown
    assert "track.example" not in markdown
    assert all("image" not in text for text, _ in _links_in(markdown))
    assert "\\[image\\]" in readable_body('<img src="x.png">', "").markdown


def test_text_written_as_markdown_stays_literal() -> None:
    html = "<p>[Click](https://evil.example) ![x](https://e.example/i.png) # not a heading</p>"
    html += "<p>&lt;b&gt;raw&lt;/b&gt; *stars* _under_</p><p>[ref]: https://evil.example</p>"
    markdown = readable_body(html, "").markdown
    tokens = MarkdownIt("gfm-like").parse(markdown)
    assert {t.type for t in tokens} <= {"paragraph_open", "paragraph_close", "inline"}
    assert _links_in(markdown) == [] or all(t in h for t, h in _links_in(markdown))
    inline = [c for t in tokens for c in (t.children or [])]
    assert not [c for c in inline if c.type in ("image", "html_inline", "em_open", "strong_open")]


def test_entity_encoded_escape_sequences_are_removed_before_escaping() -> None:
    # ESC + "\" is a complete sequence: stripping it after escaping would eat a backslash
    # and revive "[Click](…)" as a link hiding its target.
    html = "<p>&#27;[31mred&#27;[0m &#27;[Click&#27;](https://evil.example)</p>"
    body = readable_body(html, "")
    assert "\x1b" not in body.markdown
    assert body.had_controls
    for text, href in _links_in(body.markdown):
        assert text in href


def test_bidi_override_in_html_is_flagged() -> None:
    body = readable_body("<p>invoice\u202egpj.exe</p>", "")
    assert body.markdown == "invoicegpj.exe"
    assert body.had_bidi


def test_rich_markup_passes_as_literal_text() -> None:
    text = "[bold red]URGENT[/] [@click=app.quit]x[/]"
    body = readable_body(f"<p>{text}</p>", "")
    inline = MarkdownIt("gfm-like").parse(body.markdown)[1]
    assert "".join(child.content for child in inline.children or []) == text


def test_layout_tables_become_plain_blocks() -> None:
    html = "<table><tr><td>Hello</td><td>World</td></tr><tr><td>Row 2</td></tr></table>"
    markdown = readable_body(html, "").markdown
    assert "|" not in markdown
    assert "Hello" in markdown
    assert "Row 2" in markdown


def test_empty_html_falls_back_to_text_body() -> None:
    body = readable_body("", "Plain *text*\nsecond line")
    assert not body.from_html
    assert body.markdown == "Plain \\*text\\*  \nsecond line"
    assert readable_body("<style>x{}</style>", "fallback").markdown == "fallback"
    assert readable_body(None, None).markdown == ""


def test_text_body_controls_are_stripped_and_flagged() -> None:
    body = readable_body(None, "a\x1b]8;;https://evil.example\x1b\\b\x1b]8;;\x1b\\\r\nc")
    assert body.markdown == "ab  \nc"
    assert body.had_controls


def test_gmail_quote_is_split_off() -> None:
    html = (
        '<div dir="ltr">Sounds good, Tuesday works.</div><br>'
        '<div class="gmail_quote"><div class="gmail_attr">On Mon, 3 Mar 2025 Bob '
        '&lt;bob@x.example&gt; wrote:<br></div><blockquote class="gmail_quote">'
        "<p>Can we meet?</p></blockquote></div>"
    )
    body = readable_body(html, "")
    assert body.markdown == "Sounds good, Tuesday works."
    assert body.quoted.startswith("On Mon, 3 Mar 2025")
    assert "Can we meet?" in body.quoted


def test_plain_blockquote_at_the_end_is_quoted_history() -> None:
    html = "<p>Thanks!</p><p>On Tue, Bob wrote:</p><blockquote><p>hello</p></blockquote>"
    body = readable_body(html, "")
    assert body.markdown == "Thanks!"
    assert "> hello" in body.quoted


def test_html_cap_truncates_and_says_so() -> None:
    html = "<p>" + "word " * (MAX_HTML_CHARS // 5 + 1000) + "END</p>"
    assert len(html) > 1_000_000 // 2
    body = readable_body(html, "")
    assert body.truncated
    assert "END" not in body.markdown
    assert body.markdown.endswith(TRUNCATION_NOTE)


def test_one_megabyte_hostile_body_is_bounded() -> None:
    chunk = '<div><a href="https://e.example">x</a>\x1b[2J<img alt="a">&#27;]0;t&#7;</div>'
    html = chunk * (1_048_576 // len(chunk) + 1)
    converted = html_to_markdown(html, max_chars=64 * 1024)
    assert converted.truncated
    assert "\x1b" not in converted.markdown


def test_escape_markdown_keeps_line_breaks_hard() -> None:
    assert escape_markdown("a\nb\n\nc") == "a  \nb  \n\nc  "
    assert escape_markdown("[x](y)") == "\\[x\\](y)  "


def test_tag_budget_truncates_and_says_so() -> None:
    html = "<b>x</b> " * 15_000  # 30,000 tags, only 70 KB
    body = readable_body(html, "")
    assert body.truncated
    assert body.markdown.endswith(TRUNCATION_NOTE)


def test_outlook_reply_header_is_quoted() -> None:
    html = (
        '<p>Works for me.</p><div id="divRplyFwdMsg"><b>From:</b> Bob<br>'
        "<b>Sent:</b> Monday</div><div>Original text</div>"
    )
    body = readable_body(html, "")
    assert body.markdown == "Works for me."
    assert "Original text" in body.quoted


def test_closing_angle_bracket_at_the_end_of_the_body_is_kept() -> None:
    # Only a trailing line made of blockquote markers is dropped, never the text's own `>`.
    assert html_to_markdown("<p>see &lt;https://x.example&gt;</p>").markdown.endswith(
        "\\<https://x.example\\>"
    )
    assert html_to_markdown("<p>&lt;b&gt;</p>").markdown == "\\<b\\>"
    assert html_to_markdown("<p>a -&gt;</p>").markdown == "a -\\>"


def test_quote_split_inside_a_blockquote_leaves_no_dangling_marker() -> None:
    html = '<blockquote><p>hi</p><div class="gmail_quote">old</div></blockquote>'
    converted = html_to_markdown(html)
    assert converted.markdown == "> hi"
    assert "old" in converted.quoted

"""sanitize_text / sanitize_line: every escape kind, controls, bidi, caps."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from outreach_tui.core.sanitize import (
    ELLIPSIS,
    SafeText,
    sanitize_line,
    sanitize_text,
    strip_invisible,
)

ESC = "\x1b"
_UNSAFE = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]"
)


def test_plain_text_is_unchanged_and_unflagged() -> None:
    assert sanitize_text("Hello, world — ünïcødé 日本") == SafeText("Hello, world — ünïcødé 日本")


def test_rich_markup_is_left_as_text_for_literal_rendering() -> None:
    text = "[bold red]URGENT[/] [link=https://evil.example]x[/link] [@click=app.quit]y[/]"
    assert sanitize_text(text).text == text


def test_csi_sequences_are_removed_completely() -> None:
    safe = sanitize_text(f"{ESC}[31mred{ESC}[0m {ESC}[2J{ESC}[1;1Hhome {ESC}[?1049h")
    assert safe.text == "red home "
    assert safe.had_controls


def test_osc8_hyperlink_keeps_only_its_visible_text() -> None:
    link = f"{ESC}]8;;https://evil.example{ESC}\\Click me{ESC}]8;;{ESC}\\"
    assert sanitize_text(f"see {link}!").text == "see Click me!"


def test_osc_terminated_by_bel_is_removed() -> None:
    assert sanitize_text(f"a{ESC}]0;fake title\x07b").text == "ab"


def test_osc52_clipboard_write_is_removed() -> None:
    assert sanitize_text(f"x{ESC}]52;c;cm0gLXJmIH4=\x07y").text == "xy"


def test_dcs_sos_pm_apc_strings_are_removed() -> None:
    for introducer in "PX^_":
        assert sanitize_text(f"a{ESC}{introducer}payload;1{ESC}\\b").text == "ab", introducer


def test_eight_bit_csi_and_osc_are_removed() -> None:
    assert sanitize_text("a\x9b31mb\x9d0;title\x07c").text == "abc"


def test_two_byte_escape_sequences_are_removed() -> None:
    # ESC c (full reset), ESC 7 (save cursor), ESC ( 0 (line-drawing charset)
    assert sanitize_text(f"a{ESC}cb{ESC}7c{ESC}(0d").text == "abcd"


def test_unterminated_sequences_leave_inert_text_without_esc() -> None:
    safe = sanitize_text(f"a{ESC}]8;;https://evil.example")
    assert ESC not in safe.text
    assert safe.text == "a8;;https://evil.example"
    assert sanitize_text(f"end{ESC}").text == "end"
    assert sanitize_text(f"end{ESC}[31").text == "end31"


def test_c0_del_and_c1_controls_are_removed_but_newline_and_tab_kept() -> None:
    safe = sanitize_text("a\x00b\x07c\x08d\x0be\x0cf\x7fg\x85h\x9fi\nj\tk")
    assert safe.text == "abcdefghi\nj   k"
    assert safe.had_controls


def test_carriage_returns_become_newlines_so_nothing_is_overwritten() -> None:
    assert sanitize_text("line1\r\nline2\rfake").text == "line1\nline2\nfake"


def test_nul_bytes_are_removed() -> None:
    assert sanitize_text("in\x00voice.pdf\x00").text == "invoice.pdf"


def test_bidi_controls_are_removed_and_flagged() -> None:
    safe = sanitize_text("invoice\u202egpj.exe \u2066x\u2069 \u200e\u200f\u061c")
    assert safe.text == "invoicegpj.exe x "
    assert safe.had_bidi
    assert not safe.had_controls


def test_lone_surrogates_are_replaced() -> None:
    safe = sanitize_text("a\ud800b")
    assert safe.text == "a\ufffdb"
    assert safe.had_controls
    safe.text.encode("utf-8")  # would raise with a lone surrogate


def test_unicode_line_separators_become_newlines() -> None:
    assert sanitize_text("a\u2028b\u2029c").text == "a\nb\nc"


def test_tabs_expand_to_columns() -> None:
    assert sanitize_text("a\tb\n\tc").text == "a   b\n    c"


def test_single_line_mode_collapses_whitespace() -> None:
    assert sanitize_text("  Re:\n  hello\t\tthere \r\n", multiline=False).text == "Re: hello there"


def test_cap_adds_an_ellipsis_and_flags_truncation() -> None:
    safe = sanitize_text("x" * 50, max_chars=10)
    assert safe.text == "x" * 9 + ELLIPSIS
    assert safe.truncated
    assert not sanitize_text("x" * 10, max_chars=10).truncated


def test_one_megabyte_body_is_capped() -> None:
    body = (f"{ESC}[31m" + "spam " * 20 + "\n") * 10_000
    assert len(body) > 1_000_000
    safe = sanitize_text(body)
    assert len(safe.text) == 100_000
    assert safe.truncated
    assert ESC not in safe.text


def test_sanitize_line_is_one_short_line() -> None:
    line = sanitize_line("Bob\n\x1b[31mSmith\x1b[0m\u202e" + "y" * 500, 20)
    assert "\n" not in line
    assert len(line) == 20
    assert line.startswith("Bob Smith")


def test_none_and_empty_give_empty_text() -> None:
    assert sanitize_text(None) == SafeText("")
    assert sanitize_line(None) == ""


def test_strip_invisible_keeps_one_line_identifier() -> None:
    assert strip_invisible("a\nb\t\x1b[1mc\u202ed\x00") == "abcd"


@given(st.text())
def test_output_never_contains_controls_escapes_or_bidi(text: str) -> None:
    for multiline in (True, False):
        safe = sanitize_text(text, multiline=multiline)
        assert _UNSAFE.search(safe.text) is None
        assert "\r" not in safe.text


@given(st.text(alphabet=st.sampled_from(["\x1b", "[", "]", "\\", "\x07", "8", ";", "a", "m"])))
def test_escape_soup_never_leaves_an_esc(text: str) -> None:
    assert "\x1b" not in sanitize_text(text).text

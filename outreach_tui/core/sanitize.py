"""Make text written by strangers safe to put on a terminal.

Every piece of text that reaches a widget (subjects, bodies, names, file names, campaign
names) goes through :func:`sanitize_text` or :func:`sanitize_line` first. They remove what a
terminal would *execute* or what would make the text lie about itself:

- complete escape sequences: CSI (``ESC [ … final``), OSC (``ESC ] … BEL`` or ``ESC ] … ESC \\``,
  which includes OSC 8 hyperlinks), DCS / SOS / PM / APC strings (``ESC P|X|^|_ … ESC \\``),
  the 8-bit forms (CSI ``U+009B``, OSC ``U+009D``, …) and two-byte ``ESC x`` sequences;
- any ESC left over (an unterminated sequence keeps its payload as inert visible text);
- C0 controls except ``\\n`` and ``\\t`` (CR LF and lone CR become ``\\n``), DEL, C1 controls
  U+0080–U+009F;
- lone surrogates (JSON can carry ``"\\ud800"``; writing one to the terminal raises
  ``UnicodeEncodeError``), replaced by U+FFFD;
- bidi controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C), removed and flagged
  in :attr:`SafeText.had_bidi` so the UI can say "this text contained direction overrides".

What is deliberately NOT done here: Rich / Textual markup is not escaped. Brackets are
ordinary characters in an email. The UI must hand ``.text`` to ``rich.text.Text(...)`` or
``textual.content.Content(...)`` (both treat ``[bold]`` literally), or use ``markup=False``;
it must never pass it to ``Text.from_markup``/``Content.from_markup`` or to a widget that
parses a plain ``str`` as markup (``Label``/``Static``/table cells in Textual 8.2.8 do).
Escaping here would double-escape in the places that already treat text literally.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ELLIPSIS = "…"
DEFAULT_MAX_CHARS = 100_000
DEFAULT_LINE_CHARS = 200
TAB_WIDTH = 4

# Work is bounded even for huge inputs: at most this many times max_chars is scanned.
_SCAN_FACTOR = 2

_ST = r"(?:\x1b\\|\x9c)"  # string terminator, 7-bit or 8-bit
_ESCAPE_SEQUENCE = re.compile(
    "|".join(
        (
            # CSI: parameters, intermediates, one final byte
            r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]",
            # OSC (incl. OSC 8 hyperlinks): ended by BEL or ST
            r"(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|" + _ST + ")",
            # DCS, SOS, PM, APC strings: ended by ST (BEL accepted, as xterm does)
            r"(?:\x1b[PX^_]|[\x90\x98\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|" + _ST + ")",
            # other ESC sequences: optional intermediates then a final byte (ESC ( B, ESC c, …)
            r"\x1b[\x20-\x2f]*[\x30-\x7e]",
        )
    )
)
# After sequences are gone: every C0 control except \t and \n, DEL, C1, lone surrogates.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
# Unicode line / paragraph separators would split lines where Rich does not expect it.
_LINE_SEPARATOR = re.compile(r"[\u2028\u2029]")
_WHITESPACE_RUN = re.compile(r"\s+")
# One scan decides whether anything below needs doing (most text needs nothing).
_NEEDS_WORK = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
    r"\u2028\u2029]"
)


@dataclass(frozen=True, slots=True)
class SafeText:
    """Text cleaned for display, with what was found in it."""

    text: str
    had_controls: bool = False
    had_bidi: bool = False
    truncated: bool = False


def _cap(text: str, max_chars: int) -> tuple[str, bool]:
    if max_chars <= 0:
        return "", bool(text)
    if len(text) <= max_chars:
        return text, False
    return text[: max_chars - 1] + ELLIPSIS, True


def sanitize_text(
    text: str | None, *, multiline: bool = True, max_chars: int = DEFAULT_MAX_CHARS
) -> SafeText:
    """Return ``text`` with escape sequences, controls and bidi overrides removed.

    ``multiline=False`` turns line breaks into spaces and collapses whitespace runs (for
    subjects, names, cells). Tabs become spaces in both modes. The result holds at most
    ``max_chars`` characters; a longer text ends in "…" and is flagged ``truncated``. Only the
    first ``2 * max_chars`` characters of the input are examined, which bounds the work.
    ``None`` gives an empty text.
    """
    if not text:
        return SafeText("")
    truncated = False
    limit = max(max_chars, 1) * _SCAN_FACTOR
    if len(text) > limit:
        text, truncated = text[:limit], True
    had_controls = had_bidi = False
    if _NEEDS_WORK.search(text):
        cleaned, n_sequences = _ESCAPE_SEQUENCE.subn("", text)
        cleaned = cleaned.replace("\r\n", "\n").replace("\r", "\n")
        cleaned = _LINE_SEPARATOR.sub("\n", cleaned)
        cleaned, n_controls = _CONTROL.subn("", cleaned)
        cleaned, n_surrogates = _SURROGATE.subn("\ufffd", cleaned)
        cleaned, n_bidi = _BIDI.subn("", cleaned)
        had_controls = (n_sequences + n_controls + n_surrogates) > 0
        had_bidi = n_bidi > 0
        text = cleaned
    if multiline:
        if "\t" in text:
            text = "\n".join(line.expandtabs(TAB_WIDTH) for line in text.split("\n"))
    else:
        text = _WHITESPACE_RUN.sub(" ", text).strip()
    text, capped = _cap(text, max_chars)
    return SafeText(text, had_controls, had_bidi, truncated or capped)


def sanitize_line(text: str | None, max_chars: int = DEFAULT_LINE_CHARS) -> str:
    """Return ``text`` as one safe line (for list cells, titles, names) of at most ``max_chars``."""
    return sanitize_text(text, multiline=False, max_chars=max_chars).text


def strip_invisible(text: str) -> str:
    """Remove escape sequences, controls and bidi characters without any other change.

    Line breaks and tabs are removed as well: meant for short identifiers such as file names.
    """
    text = _ESCAPE_SEQUENCE.sub("", text)
    text = _CONTROL.sub("", text.replace("\t", "").replace("\n", ""))
    text = _LINE_SEPARATOR.sub("", text)
    text = _SURROGATE.sub("\ufffd", text)
    return _BIDI.sub("", text)

"""The one-line verdicts under the sequence editor's fields, as `Text`.

`check_line` says what the local check found as you type (the first merge-tag error with
its position, variables no lead has, tags the server would unwrap); `problem_line` what
the server said about the variant or its step (a refused edit, a conflict). Server
messages and names are sanitized: they are shown as the characters they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.text import Text

from outreach_tui.core.sanitize import sanitize_line, sanitize_text
from outreach_tui.store import outbox
from outreach_tui.store.outbox import OutboxItem
from outreach_tui.ui.sequences.widgets.template_highlight import TemplateCheck

FIELD_WORDS = {
    "subject": "subject",
    "body_html": "body",
    "enabled": "enabled state",
    "delay_days": "delay",
}
_MAX_LISTED = 4


def editable_text(text: str) -> tuple[str, bool]:
    """`text` as the editor may show it, and whether something had to go.

    A template comes from the server (a colleague, an import): escape sequences, control
    characters and direction overrides would reach the terminal through the TextArea, so
    they are removed (what is saved next is the cleaned text). Clean text is returned
    unchanged, tabs included.
    """
    safe = sanitize_text(text, max_chars=len(text) + 1)
    if safe.had_controls or safe.had_bidi:
        return safe.text, True
    return text, False


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of `offset` in `text`."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def error_message(text: str, check: TemplateCheck) -> str | None:
    """'unclosed …  at line 2, column 7 (offset 31)', or None when the template is valid."""
    error = check.error
    if error is None:
        return None
    line, column = position(text, error.offset)
    return f"{error.message} at line {line}, column {column} (offset {error.offset})"


def _listed(names: Sequence[str]) -> str:
    shown = ", ".join(sanitize_line(name, 30) for name in names[:_MAX_LISTED])
    return shown + (f" and {len(names) - _MAX_LISTED} more" if len(names) > _MAX_LISTED else "")


def check_line(check: TemplateCheck, text: str) -> Text:
    """What the local check of one field found (✓, or the problems in order of weight)."""
    out = Text()
    message = error_message(text, check)
    if message is not None:
        out.append("✗ ", style="bold red")
        out.append(message, style="red")
        out.append(" — the server would refuse it.", style="dim")
    else:
        out.append("✓ merge tags OK", style="green")
    if check.unknown:
        out.append("\n⚠ ", style="bold yellow")
        out.append(f"no lead has: {_listed(check.unknown)}", style="yellow")
    if check.disallowed:
        tags = [f"<{tag.tag}> (line {position(text, tag.offset)[0]})" for tag in check.disallowed]
        out.append("\n⚠ ", style="bold yellow")
        out.append(
            f"the server unwraps {_listed(tags)}: only <b> <i> <u> <a> <img> are kept",
            style="yellow",
        )
    return out


def _what(item: OutboxItem) -> str:
    if item.op == "update":
        return FIELD_WORDS.get(item.field or "", item.field or "change")
    return {"create": "creation", "delete": "deletion"}.get(item.op, item.op)


def problem_line(items: Iterable[OutboxItem]) -> Text:
    """What the server said about the variant or its step (empty when all is well)."""
    out = Text()
    for item in items:
        if out:
            out.append("\n")
        if item.state == outbox.FAILED:
            out.append("✗ The server refused the ", style="bold red")
            out.append(f"{_what(item)}: ", style="bold red")
            out.append(sanitize_line(item.last_error or "no reason given", 200), style="red")
            out.append(
                " — your text is kept: fix it and ctrl+s, r sends it again, ctrl+o lists it.",
                style="dim",
            )
        elif item.state == outbox.CONFLICT:
            out.append(f"? The {_what(item)} was changed on the server ", style="bold yellow")
            out.append("while you edited it: c compares (keep mine / take theirs).", "yellow")
    return out

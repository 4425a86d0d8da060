"""How one message of a thread is shown: header, body, quoted history, links, attachments.

The body is converted (HTML -> markdown, quoted history split off, links with their real
targets) by `core.html_text` off the UI thread (`render_message`), then shown with
Textual's Markdown widget with link opening turned off: the links are listed below the
body with their true target, deceptive ones flagged. Headers are `Text` objects, never
markup. Names that carried bidi controls and bodies that did are flagged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Collapsible, Markdown, Static

from outreach_tui.core.sanitize import sanitize_line, sanitize_text
from outreach_tui.core.timefmt import MONTHS, parse_timestamp, relative_time
from outreach_tui.store.records import MessageRow

if TYPE_CHECKING:
    from outreach_tui.core.links import Link

# The Markdown widget lays out every block on the UI thread (measured: 10,000 characters
# ~0.15 s, 40,000 ~1 s): past this many characters the rest is cut, and the view says so.
MAX_SHOWN_CHARS = 10_000
CUT_NOTE = "*(the rest of this message is too long to show here)*"
BIDI_NOTE = "⚠ hidden text-direction characters removed"
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class RenderedMessage:
    """A message prepared off the UI thread."""

    message: MessageRow
    markdown: str
    quoted: str
    links: tuple[Link, ...]
    flagged_bidi: bool

    @property
    def incoming(self) -> bool:
        """True for a message the lead sent (not ours)."""
        return self.message.direction != "outgoing"


def _cut(markdown: str) -> str:
    if len(markdown) <= MAX_SHOWN_CHARS:
        return markdown
    cut = markdown.rfind("\n", 0, MAX_SHOWN_CHARS)
    shown = markdown[: cut if cut > 0 else MAX_SHOWN_CHARS]
    fences = sum(1 for line in shown.split("\n") if line.lstrip().startswith("```"))
    if fences % 2:
        shown += "\n```"  # close a code block cut in the middle
    return shown + "\n\n" + CUT_NOTE


class QuotedHistory(Collapsible):
    """The quoted history of a message, collapsed; its markdown is laid out on first open
    (a long thread quotes itself over and over: most of it is never read)."""

    def __init__(self, markdown: str) -> None:
        lines = markdown.count("\n") + 1
        super().__init__(title=f"quoted history ({lines} lines)", collapsed=True)
        self.markdown = markdown
        self._shown = False

    def on_collapsible_expanded(self, event: Collapsible.Expanded) -> None:
        if event.collapsible is self and not self._shown:
            self._shown = True
            self.query_one(Collapsible.Contents).mount(Markdown(self.markdown, open_links=False))


def render_message(message: MessageRow) -> RenderedMessage:
    """Convert one message for display (slow on big bodies: call it on a worker)."""
    # Imported here, on the worker: the HTML stack (BeautifulSoup, soupsieve, markdownify)
    # costs ~0.2 s of start-up otherwise.
    from outreach_tui.core.html_text import readable_body
    from outreach_tui.core.links import extract_links

    body = readable_body(message.html_body, message.text_body)
    links = tuple(extract_links(message.html_body)) if message.html_body else ()
    names_bidi = any(
        sanitize_text(str(r.get("name") or ""), multiline=False).had_bidi
        for r in (*message.to_recipients, *message.cc_recipients)
    )
    return RenderedMessage(
        message,
        _cut(body.markdown),
        _cut(body.quoted),
        links,
        body.had_bidi or names_bidi,
    )


def size_text(n: int) -> str:
    """A file size for people: `512 B`, `3.4 KB`, `1.2 MB`."""
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / (1024 * 1024):.1f} MB"


def date_text(stamp: str | None, now: datetime) -> str:
    """`Sun 22 Nov 2026 01:55 (2h)` in local time; the raw (cleaned) text if unparsable."""
    if not stamp:
        return ""
    try:
        when = parse_timestamp(stamp).astimezone()
    except ValueError:
        return sanitize_line(stamp, 40)
    shown = (
        f"{_WEEKDAYS[when.weekday()]} {when.day} {MONTHS[when.month - 1]} {when.year} {when:%H:%M}"
    )
    relative = relative_time(when, now.astimezone())
    if relative in ("now", "yesterday") or relative[-1:] in ("m", "h"):
        shown += f" ({relative})"
    return shown


def recipients_text(recipients: tuple[dict[str, object], ...]) -> str:
    """`Name <email>, email` with every part cleaned."""
    parts = []
    for r in recipients:
        email = sanitize_line(str(r.get("email") or ""), 80)
        name = sanitize_line(str(r.get("name") or ""), 60)
        parts.append(f"{name} <{email}>" if name else email)
    return ", ".join(parts)


def message_header(message: MessageRow, now: datetime, *, bidi: bool) -> Text:
    """The header lines of one message as plain Text."""
    text = Text()
    outgoing = message.direction == "outgoing"
    text.append(
        "→ sent" if outgoing else "← received", style="bold cyan" if outgoing else "bold green"
    )
    text.append(f"  {sanitize_line(message.from_email, 80)}", style="bold")
    text.append(f"  {date_text(message.email_date, now)}", style="dim")
    if message.queued:
        text.append(f"  [{message.outbox_state or 'queued'}: not sent yet]", style="yellow")
    if bidi:
        text.append(f"  {BIDI_NOTE}", style="yellow")
    to = recipients_text(message.to_recipients)
    if to:
        text.append(f"\nto: {to}", style="dim")
    cc = recipients_text(message.cc_recipients)
    if cc:
        text.append(f"\ncc: {cc}", style="dim")
    return text


def link_list(links: tuple[Link, ...]) -> Text:
    """The links of a message, each with its real target; deceptive ones flagged."""
    text = Text()
    for number, link in enumerate(links, start=1):
        if number > 1:
            text.append("\n")
        text.append(f"[{number}] ", style="dim")
        text.append_text(link_text(link))
    return text


def link_text(link: Link, text_chars: int = 60, href_chars: int = 200) -> Text:
    """One link: its text, its real target, and a warning when the text shows another."""
    text = Text(sanitize_line(link.text, text_chars) or "(no text)")
    text.append(" → ")
    text.append(sanitize_line(link.href, href_chars), style="underline")
    if link.deceptive:
        # On a line of its own: a warning cut by a wrap in the middle is read less.
        text.append("\n    ⚠ the text shows a different address", style="bold red")
    return text


def message_widget(item: RenderedMessage, now: datetime) -> Widget:
    """One message as a block of widgets (header, body, quoted history, links, files)."""
    message = item.message
    classes = "message " + message.direction + (" queued" if message.queued else "")
    parts: list[Widget] = [Static(message_header(message, now, bidi=item.flagged_bidi))]
    parts.append(Markdown(item.markdown or "*(empty message)*", open_links=False))
    if item.quoted:
        parts.append(QuotedHistory(item.quoted))
    if item.links:
        parts.append(Static(link_list(item.links), classes="links"))
    if message.attachments:
        text = Text()
        for number, attachment in enumerate(message.attachments):
            if number:
                text.append("\n")
            text.append(f"📎 {sanitize_line(attachment.filename, 80)}")
            text.append(f"  {size_text(attachment.size)}  (s to save)", style="dim")
        parts.append(Static(text, classes="attachments"))
    return Vertical(*parts, classes=classes)

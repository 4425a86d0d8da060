"""The preview pane of the sequence editor: a variant as one lead will receive it, and how
many leads lack each variable the variant needs.

`build_preview` is pure (it runs on a worker): merge tags are filled by
`core.mergetags.render_report` (fallbacks, spintax chosen per lead), then the body's
allowlisted markup (<b> <i> <u> <a> <img>) is drawn as styles, link targets shown in full;
other tags are unwrapped as the server would. Lead values and template text come from
strangers: everything is sanitized and drawn as `rich.text.Text`, never markup.

Choices where the reference is silent: line breaks in a body are kept (the platform's
bodies are written that way); the unsubscribe link previews as
``https://unsubscribe.invalid/<lead id>`` (the server fills in each lead's own URL), and
when the campaign has the unsubscribe option but the body lost its link, the preview
re-adds the block the way the server will.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text

from outreach_tui.core import mergetags
from outreach_tui.core.html_tokens import RawTextToken, TagToken, TextToken, tokenize
from outreach_tui.core.mergetags import InvalidTemplate
from outreach_tui.core.sanitize import sanitize_line, sanitize_text
from outreach_tui.ui.sequences.data import PreviewLead

UNSUBSCRIBE_PREVIEW_URL = "https://unsubscribe.invalid/{lead_id}"
UNSUBSCRIBE_BLOCK = '<a href="{{unsubscribe_url}}">Unsubscribe</a>'
_STYLES = {"b": Style(bold=True), "i": Style(italic=True), "u": Style(underline=True)}
_LINK = Style(underline=True, bold=True)
_DIM = Style(dim=True)
_PREVIEW_CHARS = 50_000  # a preview longer than this is cut (the editor keeps everything)


@dataclass(frozen=True, slots=True)
class PreviewRequest:
    """What to preview: the variant's current text (drafts included) for one lead."""

    subject: str
    body: str
    lead: PreviewLead | None
    lead_index: int
    lead_total: int
    unsubscribe: bool
    leads_note: str = ""  # e.g. "leads are being pulled"


def html_preview(body: str) -> Text:
    """The body's markup drawn as styles: allowlisted tags styled, others unwrapped."""
    out = Text()
    open_tags: list[str] = []
    links: list[tuple[str | None, int]] = []  # (href, where its text starts in `out`)

    def style() -> Style:
        combined = Style()
        for tag in open_tags:
            combined += _LINK if tag == "a" else _STYLES.get(tag, Style())
        return combined

    for token in tokenize(body[:_PREVIEW_CHARS]):
        if isinstance(token, TextToken | RawTextToken):
            text = token.text if isinstance(token, RawTextToken) else html.unescape(token.text)
            out.append(sanitize_text(text).text, style())
        elif isinstance(token, TagToken) and token.name in ("b", "i", "u", "a"):
            if not token.closing:
                open_tags.append(token.name)
                if token.name == "a":
                    href = dict(token.attributes).get("href")
                    links.append((None if href is None else html.unescape(href), len(out)))
                continue
            if token.name not in open_tags:
                continue
            while open_tags:
                tag = open_tags.pop()
                if tag == "a" and links:
                    href, start = links.pop()
                    shown = out.plain[start:]
                    if href and href.strip() != shown.strip():
                        out.append(f" <{sanitize_line(href, 300)}>", _DIM)
                if tag == token.name:
                    break
        elif isinstance(token, TagToken) and token.name == "img" and not token.closing:
            attributes = dict(token.attributes)
            label = attributes.get("alt") or attributes.get("src") or "image"
            out.append(f"[image: {sanitize_line(html.unescape(label), 120)}]", _DIM)
    return out


def _lead_line(request: PreviewRequest) -> Text:
    line = Text(no_wrap=True, overflow="ellipsis")
    lead = request.lead
    if lead is None:
        line.append("No lead to preview with", style="bold")
        line.append(f" — {request.leads_note or 'no leads cached'}; fallbacks shown.", _DIM)
        return line
    line.append(f"Lead {request.lead_index + 1} of {request.lead_total}", style="bold")
    line.append(" (alt+←/→)  ", _DIM)
    name = sanitize_line(lead.name, 40)
    line.append(f"{name} <{sanitize_line(lead.email, 60)}>" if name else sanitize_line(lead.email))
    return line


def build_preview(request: PreviewRequest) -> Text:
    """The whole preview pane for one lead (subject, body, unsubscribe, what is missing)."""
    lead = request.lead
    values: Mapping[str, str] = lead.values if lead is not None else {}
    seed = lead.id if lead is not None else "preview"
    unsubscribe_url = UNSUBSCRIBE_PREVIEW_URL.format(lead_id=seed) if request.unsubscribe else None
    body = request.body
    re_added = False
    out = Text()
    out.append_text(_lead_line(request))
    out.append("\n\n")
    try:
        if request.unsubscribe and mergetags.UNSUBSCRIBE_URL not in mergetags.variables_used(body):
            body = f"{body}\n\n{UNSUBSCRIBE_BLOCK}" if body.strip() else UNSUBSCRIBE_BLOCK
            re_added = True
        subject = mergetags.render_report(
            request.subject, values, seed_key=seed, unsubscribe_url=unsubscribe_url
        )
        rendered = mergetags.render_report(
            body, values, seed_key=seed, unsubscribe_url=unsubscribe_url
        )
    except InvalidTemplate as error:
        out.append(f"Nothing to preview until the merge tag is fixed: {error}.", "bold")
        return out
    out.append("Subject: ", "bold")
    out.append(sanitize_line(subject.text, 300) or "(empty)")
    out.append("\n" + "─" * 40 + "\n", _DIM)
    out.append_text(html_preview(rendered.text) if rendered.text.strip() else Text("(empty body)"))
    out.append("\n")
    if re_added:
        out.append("\n(The server re-adds the unsubscribe link this campaign requires.)\n", _DIM)
    missing = dict.fromkeys((*subject.missing, *rendered.missing))
    if missing and lead is not None:
        out.append("\nThis lead has no value for: ", "bold")
        out.append(", ".join(sanitize_line(key, 40) for key in missing) + " (rendered empty)")
        out.append("\n")
    try:
        combinations = mergetags.spintax_combinations(
            request.subject
        ) * mergetags.spintax_combinations(body)
    except InvalidTemplate:
        combinations = 1
    if combinations > 1:
        out.append(f"\nSpintax: {combinations} distinct versions across leads.\n", _DIM)
    return out


def report_text(report: Mapping[str, int] | None, lead_total: int, pending: bool) -> Text:
    """How many leads lack each variable used without a fallback."""
    out = Text()
    out.append("Missing values", style="bold")
    if report is None:
        out.append(" — waiting for the leads" if pending else " — fix the merge tags first", _DIM)
        return out
    out.append(f" across {lead_total} cached lead{'s' if lead_total != 1 else ''}\n", _DIM)
    if not report:
        out.append("Every variable is covered (by a value or a fallback).", "green")
        return out
    for key, count in report.items():
        style = "bold red" if count == lead_total and lead_total else "yellow" if count else ""
        out.append(f"  {sanitize_line(key, 30)}: ", style or None)
        out.append(f"{count} lack it (no fallback)\n" if count else "all have it\n", style or None)
    return out


def lead_report(
    subject: str, body: str, leads: Sequence[Mapping[str, str]]
) -> dict[str, int] | None:
    """`core.mergetags.missing_variables_report` for both templates; None when invalid."""
    try:
        return mergetags.missing_variables_report([subject, body], leads)
    except InvalidTemplate:
        return None

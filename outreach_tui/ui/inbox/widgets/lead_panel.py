"""The lead beside the thread: who wrote, from which campaign and step, their other
conversations and the blocklist, read from the cache (`store.queries.lead_profile`).

Everything shown comes from strangers (names, variables, subjects): built as `Text`,
never parsed as markup, each value cleaned by `core.sanitize`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from sqlite_utils import Database
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from outreach_tui.core.sanitize import sanitize_line
from outreach_tui.core.timefmt import parse_timestamp, relative_time
from outreach_tui.store.queries.lead_profile import LeadProfile, lead_profile
from outreach_tui.ui.backend import Backend
from outreach_tui.ui.common.cache_view import CacheView

VARIABLES_SHOWN = 12
WIDTH = 33  # text columns inside the panel: lines are cut to fit, not wrapped


class LeadPanel(VerticalScroll):
    """The person behind the open conversation; `show(conversation_id)` switches."""

    DEFAULT_CSS = """
    LeadPanel {
        width: 38; height: 1fr; padding: 0 1;
        border-left: vkey $foreground 20%; background: $surface;
    }
    LeadPanel > Static { height: auto; }
    """

    def __init__(self, backend: Backend, conversation_id: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.backend = backend
        self.conversation_id = conversation_id
        self.profile: LeadProfile | None = None
        self.view = CacheView(self, backend, self._read, self._apply, what="the lead")

    def compose(self) -> ComposeResult:
        yield Static("Loading the lead…", id="lead-text", markup=False)

    def on_mount(self) -> None:
        self.view.start()

    def show(self, conversation_id: str) -> None:
        """Show the lead of another conversation (j/k in the thread)."""
        if conversation_id != self.conversation_id:
            self.conversation_id = conversation_id
            self.view.reload()

    def _read(self, db: Database) -> LeadProfile | None:
        return lead_profile(db, self.conversation_id)

    def _apply(self, profile: LeadProfile | None) -> None:
        if profile is not None and profile.conversation_id != self.conversation_id:
            return  # read for the conversation shown before a j/k
        self.profile = profile
        self.query_one("#lead-text", Static).update(describe(profile))


def describe(profile: LeadProfile | None) -> Text:
    """The panel's text for `profile` (plain, safe; keys named where they act)."""
    text = Text()
    if profile is None:
        text.append("This conversation is no longer in the cache.", style="dim")
        return text
    lead = profile.lead
    name = " ".join(p for p in (lead.first_name, lead.last_name) if p) if lead else ""
    text.append(_cut(name or profile.name or profile.email) + "\n", style="bold")
    if profile.company:
        text.append(_cut(profile.company) + "\n")
    text.append(_cut(profile.email) + "\n", style="dim")
    text.append("\n")
    if profile.campaign_name or profile.campaign_id:
        text.append("Campaign (C opens)\n", style="dim")
        text.append("  " + _cut(profile.campaign_name or profile.campaign_id or "", 2) + "\n")
    else:
        text.append("No campaign known: a manual\n", style="dim")
        text.append("conversation, or its lead is\nnot pulled yet.\n", style="dim")
    if profile.step_answered is not None:
        text.append("Replied   ", style="dim")
        text.append(f"after step {profile.step_answered}\n")
        text.append("          (variant not known)\n", style="dim")
    if lead is not None:
        status = lead.status or "unknown"
        flags = [
            f
            for f, on in (("bounced", lead.is_bounced), ("unsubscribed", lead.is_unsubscribed))
            if on
        ]
        text.append("Status    ", style="dim")
        text.append(_cut(", ".join([status, *flags]), 10) + "\n")
        shown = [(k, v) for k, v in lead.variables.items() if v not in (None, "")]
        if shown:
            text.append("\nVariables\n", style="bold")
            for key, value in shown[:VARIABLES_SHOWN]:
                label = _cut(str(key), WIDTH // 2)
                text.append(f"  {label}: ", style="dim")
                text.append(_cut(str(value), 4 + len(label)) + "\n")
            if len(shown) > VARIABLES_SHOWN:
                text.append(f"  … {len(shown) - VARIABLES_SHOWN} more\n", style="dim")
    text.append("\nBlocklist\n", style="bold")
    if profile.address_blocked:
        text.append("  this address is blocked\n", style="bold")
    else:
        text.append("  address not blocked (b blocks)\n", style="dim")
    if profile.domain:
        entries = profile.domain_entries
        text.append("  " + _cut(f"@{profile.domain}", 2) + "\n", style="dim")
        text.append(
            f"    {entries} address(es) blocked\n" if entries else "    no address blocked\n",
            style="dim",
        )
    text.append("\nOther conversations\n", style="bold")
    if not profile.others:
        text.append("  none with this person or domain\n", style="dim")
    now = datetime.now(UTC)
    for other in profile.others:
        when = _when(other.last_activity, now)
        who = "same person" if other.same_person else other.sender_email
        text.append("  " + _cut(other.subject or "(no subject)", 2) + "\n")
        text.append("    " + _cut(who, 4 + len(when) + 3) + f" · {when}\n", style="dim")
    if profile.other_count > len(profile.others):
        text.append(f"  … {profile.other_count - len(profile.others)} more\n", style="dim")
    return text


def _cut(value: str, used: int = 0) -> str:
    """`value` cleaned and cut with "…" to fit the panel after `used` columns."""
    room = max(WIDTH - used, 4)
    line = sanitize_line(value, 200)
    return line if cell_len(line) <= room else set_cell_size(line, room - 1) + "…"


def _when(stamp: str, now: datetime) -> str:
    try:
        return relative_time(parse_timestamp(stamp), now)
    except ValueError:
        return ""

"""The thread view: every message of a conversation, safe to read, with the triage keys.

Messages are converted on a worker thread and shown by `widgets.message_view`. The title
names the sender and flags a name or subject that carried bidi controls. Attachments are
saved (never opened) under a sanitized name inside a folder the user picks.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from rich.text import Text
from sqlite_utils import Database
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widget import AwaitMount, Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from outreach_tui.core.labels import display_name
from outreach_tui.core.links import Link
from outreach_tui.core.sanitize import sanitize_line, sanitize_text
from outreach_tui.store.edits.leads import block_email
from outreach_tui.store.queries import conversations as conversation_queries
from outreach_tui.store.records import AttachmentRow, ConversationRow, Thread
from outreach_tui.ui.backend import Backend
from outreach_tui.ui.campaigns.screens.detail import CampaignDetailScreen
from outreach_tui.ui.common.cache_view import CacheView
from outreach_tui.ui.common.screens.confirm import ConfirmDialog
from outreach_tui.ui.common.widgets.footer import AppFooter
from outreach_tui.ui.common.widgets.status_bar import StatusBar
from outreach_tui.ui.inbox.screens.link_picker import LinkPicker
from outreach_tui.ui.inbox.screens.triage import QUICK_LABELS, Triage, label_key_bindings
from outreach_tui.ui.inbox.widgets.lead_panel import LeadPanel
from outreach_tui.ui.inbox.widgets.message_view import (
    BIDI_NOTE,
    QuotedHistory,
    RenderedMessage,
    message_widget,
    render_message,
    size_text,
)

LEAD_PANEL_MIN_WIDTH = 100  # below, the lead panel shows only when asked (p)


class ThreadScreen(Screen[None]):
    """One conversation, with the triage keys of the inbox."""

    BINDINGS = [
        Binding("escape,q", "back", "Back", id="thread.back"),
        Binding("j", "next_conversation", "Next", id="thread.next"),
        Binding("k", "previous_conversation", "Previous", id="thread.previous"),
        Binding("l", "label", "Label", id="thread.label"),
        *label_key_bindings("thread"),
        Binding("u", "toggle_read", "Read/unread", id="thread.toggle_read"),
        Binding("r", "reply", "Reply", id="thread.reply"),
        Binding("h", "toggle_quoted", "Quoted history", id="thread.quoted"),
        Binding("g", "links", "Links", id="thread.links"),
        Binding("s", "save_attachment", "Save attachment", id="thread.save"),
        Binding("S", "snooze", "Snooze", id="thread.snooze"),
        Binding("z", "undo", "Undo", id="thread.undo"),
        Binding("p", "toggle_lead", "Lead", id="thread.lead"),
        Binding("b", "block_address", "Block sender", show=False, id="thread.block"),
        Binding("C", "open_campaign", "Open campaign", show=False, id="thread.campaign"),
        Binding("down", "scroll_down", "Scroll", show=False, id="thread.scroll_down"),
        Binding("up", "scroll_up", "Scroll", show=False, id="thread.scroll_up"),
    ]

    HELP_NOTES = (
        "S snoozes this conversation and goes back to the list (s in the inbox). Snoozes"
        " live in this computer's cache only: they survive restarts, not another machine."
    )

    DEFAULT_CSS = """
    ThreadScreen #thread-title { height: auto; padding: 0 1; background: $panel; }
    ThreadScreen #thread-main { height: 1fr; }
    ThreadScreen #thread-body { height: 1fr; width: 1fr; }
    ThreadScreen .message {
        height: auto; margin: 1 1 0 1; padding: 0 1; border-left: thick $primary;
    }
    ThreadScreen .message.outgoing { border-left: thick $secondary; }
    ThreadScreen .message.queued { border-left: thick $warning; }
    ThreadScreen .links, ThreadScreen .attachments { color: $text-muted; height: auto; }
    ThreadScreen Markdown { margin: 0; padding: 0; }
    ThreadScreen Collapsible { margin: 0; padding: 0; }
    ThreadScreen #attachment-picker { display: none; height: auto; max-height: 10; }
    ThreadScreen #attachment-folder { display: none; }
    """

    def __init__(
        self,
        row: ConversationRow,
        backend: Backend,
        triage: Triage,
        navigate: Callable[[ConversationRow, int], ConversationRow | None] | None = None,
    ) -> None:
        """`navigate(row, ±1)` gives the next/previous conversation of the list (j/k)."""
        super().__init__()
        self.row = row
        self.backend = backend
        self.triage = triage
        self.view = CacheView(self, backend, self.read, self._show, what="the conversation")
        self.navigate = navigate
        self.thread: Thread | None = None
        self.links: list[Link] = []
        # A conversation opens on its newest incoming message (the one being triaged).
        self._land_on_newest = True
        self._anchor: Widget | None = None  # the message to land on while layout settles
        self._chosen_attachment: AttachmentRow | None = None

    def compose(self) -> ComposeResult:
        yield Static(self._title(), id="thread-title")
        with Horizontal(id="thread-main"):
            yield VerticalScroll(Static("Loading…", markup=False), id="thread-body")
            yield LeadPanel(self.backend, self.row.id, id="lead-panel")
        yield OptionList(id="attachment-picker")
        yield Input(id="attachment-folder", placeholder="Save into folder")
        yield StatusBar(self.backend.status, id="status")
        yield AppFooter()

    def _title(self) -> Text:
        row = self.row
        subject = sanitize_text(row.subject or "(no subject)", multiline=False, max_chars=150)
        sender = sanitize_text(row.sender_name, multiline=False, max_chars=60)
        text = Text()
        text.append(subject.text, style="bold")
        text.append("\n")
        text.append("from ", style="dim")
        if sender.text:
            text.append(f"{sender.text} ")
        text.append(f"<{sanitize_line(row.sender_email, 80)}>")
        if subject.had_bidi or sender.had_bidi:
            text.append(f"  {BIDI_NOTE}", style="bold yellow")
        text.append("\n")
        label = display_name(row.label)
        if row.overridden:
            label += f" (your override; AI label: {display_name(row.ai_label)})"
        text.append(f"label: {label}", style="dim")
        text.append(f"   {'unread' if not row.is_read else 'read'}", style="dim")
        if row.local_state:
            text.append(f"   [{row.local_state}]", style="yellow")
        return text

    def on_mount(self) -> None:
        self._place_lead_panel()
        body = self.query_one("#thread-body", VerticalScroll)
        self.watch(body, "virtual_size", self._content_resized, init=False)
        self.view.start()

    def show_row(self, row: ConversationRow) -> None:
        """Switch to another conversation (j/k) or refresh this one."""
        changed = row.id != self.row.id
        self.row = row
        self.query_one("#thread-title", Static).update(self._title())
        if changed:
            self._land_on_newest = True
            self.query_one(LeadPanel).show(row.id)
        self.view.reload()

    def read(self, db: Database) -> tuple[Thread, list[RenderedMessage]] | None:
        """The conversation's messages, converted for the screen (on a worker thread)."""
        thread = conversation_queries.thread(db, self.row.id)
        if thread is None:
            return None
        return thread, [render_message(message) for message in thread.messages]

    def _show(self, loaded: tuple[Thread, list[RenderedMessage]] | None) -> None:
        if loaded is None:
            body = self.query_one("#thread-body", VerticalScroll)
            body.remove_children()
            body.mount(Static("This conversation is no longer in the cache.", markup=False))
            return
        thread, rendered = loaded
        if thread.conversation.id != self.row.id:
            return  # j/k moved on while this one was read
        unchanged = self.thread is not None and self.thread.messages == thread.messages
        self.thread = thread
        self.row = thread.conversation
        self.query_one("#thread-title", Static).update(self._title())
        if unchanged:
            return  # only the row changed (label, read state): keep the scroll position
        self.links = [link for item in reversed(rendered) for link in item.links]
        now = datetime.now(UTC)
        body = self.query_one("#thread-body", VerticalScroll)
        body.remove_children()
        widgets = [message_widget(item, now) for item in rendered]
        mounted = body.mount_all(widgets)
        if self._land_on_newest:
            self._land_on_newest = False
            self.call_later(self._land_when_laid_out, mounted, body, widgets, rendered)

    async def _land_when_laid_out(
        self,
        mounted: AwaitMount,
        body: VerticalScroll,
        widgets: list[Widget],
        rendered: list[RenderedMessage],
    ) -> None:
        # The bodies are Markdown, laid out as they mount: their heights are known only
        # after the mount completed and a refresh, and on a busy machine the blocks keep
        # growing for a while. So the landing is repeated each time the content's height
        # changes (`_content_resized`), until the reader presses a key.
        await mounted
        incoming = [w for w, item in zip(widgets, rendered, strict=True) if item.incoming]
        self._anchor = incoming[-1] if incoming else (widgets[-1] if widgets else None)
        self.call_after_refresh(self._scroll_to_anchor, body)

    def _content_resized(self) -> None:
        if self._anchor is not None:
            body = self.query_one("#thread-body", VerticalScroll)
            self.call_after_refresh(self._scroll_to_anchor, body)

    def _scroll_to_anchor(self, body: VerticalScroll) -> None:
        """Put the newest incoming message at the top (older ones above, scrollable)."""
        target = self._anchor
        if target is None or not target.is_mounted:
            return
        body.scroll_to_widget(target, top=True, animate=False)

    def on_key(self) -> None:
        self._anchor = None  # the reader moves on their own: no more landing

    # --- actions: triage keys act on this conversation ---

    def on_resize(self) -> None:
        self._place_lead_panel()

    def _place_lead_panel(self) -> None:
        """The lead panel shows beside the thread from `LEAD_PANEL_MIN_WIDTH` columns, or
        as the user last asked with `p` (kept for the session)."""
        wanted = self.triage.lead_panel
        shown = self.size.width >= LEAD_PANEL_MIN_WIDTH if wanted is None else wanted
        self.query_one(LeadPanel).display = shown

    def action_toggle_lead(self) -> None:
        self.triage.lead_panel = not self.query_one(LeadPanel).display
        self._place_lead_panel()

    def action_block_address(self) -> None:
        """Put the sender's address on the blocklist, after a y/n question."""
        email = self.row.sender_email

        def answered(yes: bool | None) -> None:
            if yes:
                self.backend.edit(
                    lambda db: block_email(db, email),
                    done=f"{sanitize_line(email, 60)} blocked (pushed by the next sync).",
                )

        self.app.push_screen(
            ConfirmDialog(
                "Block this sender?",
                Text(f"{sanitize_line(email, 80)} gets no more email from any campaign."),
                yes="Block",
            ),
            answered,
        )

    def action_open_campaign(self) -> None:
        """Open the campaign of the conversation's lead, when it is known."""
        profile = self.query_one(LeadPanel).profile
        if profile is None or profile.campaign_id is None:
            self.notify("No campaign is known for this conversation.")
            return
        self.app.push_screen(CampaignDetailScreen(self.backend, profile.campaign_id))

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_snooze(self) -> None:
        """Snooze this conversation (`s` in the inbox) and go back to the list."""
        self.triage.pick_snooze([self.row], then=self.action_back)

    def action_next_conversation(self) -> None:
        self._step(+1)

    def action_previous_conversation(self) -> None:
        self._step(-1)

    def _step(self, delta: int) -> None:
        row = self.navigate(self.row, delta) if self.navigate is not None else None
        if row is None:
            self.notify("No more conversations in this direction.")
            return
        self.show_row(row)

    def _after_decision(self) -> None:
        # One key per decision, as on the list: the next conversation opens (if any).
        row = self.navigate(self.row, +1) if self.navigate is not None else None
        if row is not None:
            self.show_row(row)

    def action_label(self) -> None:
        self.triage.pick_label([self.row], then=self._after_decision)

    def action_quick_label(self, key: str) -> None:
        self.triage.set_label([self.row], QUICK_LABELS[key])
        self._after_decision()

    def action_clear_label(self) -> None:
        self.triage.revert_label([self.row])
        self._after_decision()

    def action_toggle_read(self) -> None:
        self.triage.toggle_read([self.row])

    def action_reply(self) -> None:
        self.triage.start_reply(self.row)

    def action_undo(self) -> None:
        self.triage.undo()

    def action_toggle_quoted(self) -> None:
        """Open every quoted history of the thread, or close them all if all are open."""
        quoted = list(self.query(QuotedHistory))
        if not quoted:
            self.notify("No quoted history in this conversation.")
            return
        collapse = all(not q.collapsed for q in quoted)
        for q in quoted:
            q.collapsed = collapse

    def action_links(self) -> None:
        """Pick a link of the thread to open or copy (newest message first)."""
        if not self.links:
            self.notify("No links in this conversation.")
            return
        self.app.push_screen(LinkPicker(self.links))

    def action_scroll_down(self) -> None:
        self.query_one("#thread-body", VerticalScroll).scroll_down()

    def action_scroll_up(self) -> None:
        self.query_one("#thread-body", VerticalScroll).scroll_up()

    # --- attachments ---

    def _attachments(self) -> list[AttachmentRow]:
        if self.thread is None:
            return []
        return [a for m in self.thread.messages for a in m.attachments]

    def action_save_attachment(self) -> None:
        attachments = self._attachments()
        if not attachments:
            self.notify("This conversation has no attachments.")
            return
        picker = self.query_one("#attachment-picker", OptionList)
        picker.clear_options()
        picker.add_options(
            Option(Text(f"{sanitize_line(a.filename, 80)}  ({size_text(a.size)})"), id=a.id)
            for a in attachments
        )
        picker.highlighted = 0
        picker.display = True
        picker.focus()

    @on(OptionList.OptionSelected, "#attachment-picker")
    def _attachment_chosen(self, event: OptionList.OptionSelected) -> None:
        self._chosen_attachment = next(
            (a for a in self._attachments() if a.id == event.option.id), None
        )
        event.option_list.display = False
        folder = self.query_one("#attachment-folder", Input)
        downloads = Path.home() / "Downloads"
        folder.value = str(downloads if downloads.is_dir() else Path.home())
        folder.display = True
        folder.focus()

    @on(Input.Submitted, "#attachment-folder")
    def _folder_chosen(self, event: Input.Submitted) -> None:
        event.input.display = False
        attachment = self._chosen_attachment
        if attachment is None:
            return
        folder = Path(event.value).expanduser()
        if not folder.is_dir():
            self.notify(f"No such folder: {sanitize_line(str(folder), 100)}", severity="error")
            return
        self.triage.save_attachment(self.row.id, attachment, folder)

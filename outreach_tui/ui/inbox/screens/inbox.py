"""The unified inbox: the virtual conversation list, filters, search and one-key triage.

One key per decision: after a labelling key the cursor moves to the next conversation.
Every change is applied locally at once (marked pending) and pushed by the next sync.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from rich.text import Text
from sqlite_utils import Database
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static

from outreach_tui.core.labels import display_name
from outreach_tui.core.sanitize import sanitize_line
from outreach_tui.core.search_syntax import SearchSyntaxError, parse_search
from outreach_tui.store.fields import LABEL_NONE
from outreach_tui.store.queries import campaigns as campaign_queries
from outreach_tui.store.queries import conversations as conversation_queries
from outreach_tui.store.queries import mailboxes as mailbox_queries
from outreach_tui.store.queries.snoozes import count_snoozed
from outreach_tui.store.records import (
    ConversationCursor,
    ConversationFilter,
    ConversationRow,
    LabelCounts,
)
from outreach_tui.store.sort_index import ensure_sort_index, has_sort_index
from outreach_tui.ui.backend import Backend
from outreach_tui.ui.common.cache_view import CacheView
from outreach_tui.ui.common.widgets.footer import AppFooter
from outreach_tui.ui.common.widgets.status_bar import StatusBar
from outreach_tui.ui.inbox.screens.bulk import BulkPicker
from outreach_tui.ui.inbox.screens.filters import FilterScreen
from outreach_tui.ui.inbox.screens.sort_picker import SortPicker, next_sort
from outreach_tui.ui.inbox.screens.thread import ThreadScreen
from outreach_tui.ui.inbox.screens.triage import QUICK_LABELS, Triage, label_key_bindings
from outreach_tui.ui.inbox.widgets.conversation_list import ConversationHeader, ConversationList

SEARCH_DEBOUNCE = 0.25
UNREAD_ONLY = "unread only"
FOLDERS: tuple[str | None, ...] = ("primary", "others", None)


@dataclass(frozen=True)
class Tab:
    """A tab of the filter bar, cycled by `f`: a folder, all of them, or the snoozed."""

    title: str
    folder: str | None = None
    snoozed: bool = False


TABS: tuple[Tab, ...] = (
    *(Tab((folder or "all").capitalize(), folder) for folder in FOLDERS),
    Tab("Snoozed", snoozed=True),
)


class InboxScreen(Screen[None]):
    """The SDR's home: triage replies from the keyboard."""

    # Footer order: what an SDR presses most comes first (the footer cuts the rest).
    BINDINGS = [
        Binding("l", "label", "Label", id="inbox.label"),
        *label_key_bindings("inbox", shown="inm"),
        Binding("u", "toggle_read", "Read/unread", id="inbox.toggle_read"),
        Binding("r", "reply", "Reply", id="inbox.reply"),
        Binding("slash", "search", "Search", id="inbox.search"),
        Binding("v", "filters", "Filters", id="inbox.filters"),
        Binding("V", "clear_filters", "Show all", id="inbox.clear_filters"),
        Binding("s", "snooze", "Snooze", id="inbox.snooze"),
        Binding("z", "undo", "Undo", id="inbox.undo"),
        Binding("space", "next_unread", "Next unread", id="inbox.next_unread"),
        Binding("N", "next_decision", "Next decision", show=False, id="inbox.next_decision"),
        Binding("f", "cycle_folder", "Folder", id="inbox.folder"),
        Binding("c", "compose", "Compose", id="inbox.compose"),
        Binding("U", "toggle_unread_only", "Unread only", show=False, id="inbox.unread_only"),
        Binding("S", "sort", "Sort", show=False, id="inbox.sort"),
        Binding("X", "all_matching", "All matching", show=False, id="inbox.all_matching"),
        Binding("escape", "clear", "Clear", show=False, id="inbox.clear_selection"),
    ]

    HELP_NOTES = (
        "s snoozes: the conversation leaves the list until its time (f shows the Snoozed"
        " tab), then comes back on top, or sooner when a new reply arrives. Snoozes live"
        " in this computer's cache only (Reachkit has no snooze): they survive restarts,"
        " not another machine. Search: is:snoozed."
    )

    DEFAULT_CSS = """
    InboxScreen #filter-bar { height: 1; padding: 0 1; background: $boost; }
    InboxScreen #search { display: none; height: 3; }
    InboxScreen #search.visible { display: block; }
    InboxScreen #search-problem { display: none; height: auto; padding: 0 1; color: $error; }
    InboxScreen #search-problem.visible { display: block; }
    """

    def __init__(self, backend: Backend, triage: Triage, *, mark_read_on_open: bool = True) -> None:
        super().__init__()
        self.backend = backend
        # The list follows the cache itself; this view keeps the names of its columns.
        self.names = CacheView(self, backend, _read_names, self._apply_names, what="names")
        self.triage = triage
        self.mark_read_on_open = mark_read_on_open
        self.filter = ConversationFilter(folder="primary")
        self._search_timer: Timer | None = None
        self._campaign_names: dict[str, str] = {}
        self._inbox_emails: dict[str, str] = {}
        self._unread: dict[str | None, int] = {}
        self._snoozed = 0

    def compose(self) -> ComposeResult:
        yield Static(id="filter-bar")
        yield Input(
            placeholder='Search: words, "a phrase", -word, from: label: is:unread before: …',
            id="search",
        )
        yield Static(id="search-problem", markup=False)
        yield ConversationHeader(id="columns")
        yield ConversationList(self.backend, self.filter, id="conversations")
        yield StatusBar(self.backend.status, id="status")
        yield AppFooter()

    @property
    def conversation_list(self) -> ConversationList:
        return self.query_one(ConversationList)

    def on_mount(self) -> None:
        self.triage.preview = self.conversation_list.patch_rows
        self.names.start()
        self._update_filter_bar()
        self.conversation_list.focus()

    def _apply_names(self, names: ListNames) -> None:
        campaigns, inboxes, linked, unread, snoozed = names
        self._campaign_names, self._inbox_emails = campaigns, inboxes
        if (unread, snoozed) != (self._unread, self._snoozed):
            self._unread, self._snoozed = unread, snoozed
            listed = self.conversation_list
            self._update_filter_bar(listed.total if listed.loaded else None)
        self.conversation_list.set_names(campaigns, inboxes, show_campaigns=linked)
        self.query_one(ConversationHeader).show_campaigns = linked

    # --- filter bar ---------------------------------------------------------------------

    def _update_filter_bar(self, total: int | None = None) -> None:
        flt = self.filter
        text = Text(no_wrap=True, overflow="ellipsis")
        for tab in TABS:
            # Unread per folder; the Snoozed tab counts its conversations.
            count = self._snoozed if tab.snoozed else self._unread.get(tab.folder, 0)
            label = f" {tab.title} {count} " if count else f" {tab.title} "
            text.append(label, style="bold reverse" if tab == _tab_of(flt) else "dim")
        for words in self._filter_words(flt):
            text.append(f"  {words}", style="bold" if words == UNREAD_ONLY else "")
        if total is not None:
            text.append(f"  — {total} conversation{'s' if total != 1 else ''}", style="dim")
        selected = len(self.conversation_list.selected) if self.is_mounted else 0
        if selected:
            text.append(f"  {selected} selected (x)", style="bold")
        self.query_one("#filter-bar", Static).update(text)

    def _set_filter(self, flt: ConversationFilter) -> None:
        narrowed_before = self.filter.narrowed
        only_order = replace(self.filter, sort=flt.sort, sort_reversed=flt.sort_reversed) == flt
        self.filter = flt
        conversation_list = self.conversation_list
        conversation_list.empty_text = (
            f"{ConversationList.EMPTY_TEXT} V clears the filters." if flt.narrowed else None
        )
        # Another order shows the same rows: the cursor stays on its conversation.
        conversation_list.set_filter(flt, keep_cursor=only_order)
        self.query_one(ConversationHeader).sort = (flt.sort, flt.sort_reversed)
        self._update_filter_bar()
        if flt.narrowed != narrowed_before:  # the footer is rebuilt: only when it changes
            self.refresh_bindings()  # "V Show all" shows only while a filter is on

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide "clear filters" when there is nothing to clear."""
        if action == "clear_filters":
            return self.filter.narrowed
        return True

    def action_clear_filters(self) -> None:
        """Back to the whole folder: labels, unread only, campaign, inbox and search off."""
        search = self.query_one("#search", Input)
        search.value = ""
        search.remove_class("visible")
        self._set_filter(self.filter.cleared())

    @on(ConversationList.Loaded)
    def _list_loaded(self, event: ConversationList.Loaded) -> None:
        self._update_filter_bar(event.total)

    @on(ConversationList.Highlighted)
    def _highlighted(self) -> None:
        if self.conversation_list.selected:
            self._update_filter_bar(self.conversation_list.total)

    @on(ConversationList.Opened)
    def _open(self, event: ConversationList.Opened) -> None:
        self.open_thread(event.row)

    def open_thread(self, row: ConversationRow) -> None:
        """Show a conversation; it is marked read when the config says so."""
        if self.mark_read_on_open and not row.is_read:
            self.triage.set_read([row], True)
        self.app.push_screen(ThreadScreen(row, self.backend, self.triage, self.step_from))

    def step_from(self, row: ConversationRow, delta: int) -> ConversationRow | None:
        """The conversation `delta` rows from `row` in the list (for j/k in a thread)."""
        conversation_list = self.conversation_list
        index = conversation_list.cursor + delta
        if not 0 <= index < conversation_list.total:
            return None
        conversation_list.move_cursor(index)
        target = conversation_list.row_at(index)
        if target is not None and self.mark_read_on_open and not target.is_read:
            self.triage.set_read([target], True)
        return target

    # --- actions ------------------------------------------------------------------------

    def _targets(self) -> list[ConversationRow]:
        return self.conversation_list.rows_for_action()

    def _after_decision(self, rows: list[ConversationRow]) -> None:
        """One key per decision: move on to the next conversation, drop the selection."""
        conversation_list = self.conversation_list
        if conversation_list.selected:
            conversation_list.clear_selection()
            self._update_filter_bar(conversation_list.total)
        elif len(rows) == 1:
            conversation_list.move_cursor(conversation_list.cursor + 1)

    def action_label(self) -> None:
        rows = self._targets()
        self.triage.pick_label(rows, then=lambda: self._after_decision(rows))

    def action_quick_label(self, key: str) -> None:
        rows = self._targets()
        if rows:
            self.triage.set_label(rows, QUICK_LABELS[key])
            self._after_decision(rows)

    def action_clear_label(self) -> None:
        rows = self._targets()
        if rows:
            self.triage.revert_label(rows)
            self._after_decision(rows)

    def action_toggle_read(self) -> None:
        # Not a decision: the cursor (and a selection) stay, so a second press restores.
        rows = self._targets()
        if rows:
            self.triage.toggle_read(rows)

    def action_next_unread(self) -> None:
        """Jump to the next unread conversation below the cursor (wrapping to the top)."""
        self._jump(conversation_queries.next_unread, "Nothing unread here.", "unread")

    def action_next_decision(self) -> None:
        """Jump to the next conversation still needing a decision: no label of yours and
        an AI label of interested, meeting requested or question (wrapping to the top)."""
        self._jump(
            conversation_queries.next_needing_decision,
            "Nothing here needs a decision: every interested, meeting or question reply"
            " has your label.",
            "decision",
        )

    def _jump(
        self,
        find: Callable[
            [Database, ConversationFilter, ConversationCursor | None], tuple[str, int] | None
        ],
        nothing: str,
        what: str,
    ) -> None:
        conversation_list = self.conversation_list
        flt, current = conversation_list.filter, conversation_list.current_row
        after = conversation_queries.cursor_of(current, flt) if current is not None else None

        def landed(found: tuple[str, int] | None) -> None:
            if found is None:
                self.notify(nothing)
            elif conversation_list.filter == flt:  # the list still shows the same filter
                conversation_list.move_cursor(found[1])

        self.backend.read(
            self,
            lambda db: find(db, flt, after),
            landed,
            group=f"inbox-next-{what}",
            what=f"the next {what} conversation",
        )

    def action_reply(self) -> None:
        row = self.conversation_list.current_row
        if row is not None:
            self.triage.start_reply(row)

    def action_compose(self) -> None:
        self.triage.start_compose()

    def action_undo(self) -> None:
        self.triage.undo()

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.add_class("visible")
        search.focus()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        text = event.value.strip() or None
        problem = self.query_one("#search-problem", Static)
        try:
            parse_search(text or "")
        except SearchSyntaxError as error:
            # Said where the person types; the list keeps the last search that made sense.
            problem.update(str(error))
            problem.add_class("visible")
            return
        problem.remove_class("visible")
        self._search_timer = self.set_timer(
            SEARCH_DEBOUNCE, lambda: self._set_filter(replace(self.filter, search=text))
        )

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.conversation_list.focus()

    def action_clear(self) -> None:
        """Escape: leave the search box, then clear the search, then the selection."""
        search = self.query_one("#search", Input)
        if search.has_focus:
            self.conversation_list.focus()
            if not search.value:
                search.remove_class("visible")
            return
        if self.filter.search or search.value:
            # A search that never applied (an unknown operator) goes too, with its error.
            search.value = ""
            search.remove_class("visible")
            if self.filter.search:
                self._set_filter(replace(self.filter, search=None))
            return
        conversation_list = self.conversation_list
        if conversation_list.selected:
            conversation_list.clear_selection()
            self._update_filter_bar(conversation_list.total)

    def action_all_matching(self) -> None:
        """Act on every conversation the filter shows: their number first, then the
        choice (label, clear, read, unread), one undo for the batch."""
        flt = self.filter

        def counted(count: int) -> None:
            if count == 0:
                self.notify("No conversations match.")
                return

            def chosen(choice: str | None) -> None:
                if choice is not None:
                    self.triage.act_on_matching(flt, count, choice)

            folder = "snoozed" if flt.snoozed else f"folder: {flt.folder or 'all'}"
            summary = " · ".join([folder, *self._filter_words(flt)])
            self.app.push_screen(BulkPicker(count, summary), chosen)

        self.backend.read(
            self,
            lambda db: conversation_queries.count_conversations(db, flt),
            counted,
            group="inbox-all-matching",
            what="the matching conversations",
        )

    def _filter_words(self, flt: ConversationFilter) -> list[str]:
        """What narrows the list, in words (the filter bar and the bulk dialog)."""
        words = []
        if flt.label_choice:
            names = [display_name(None if lb == LABEL_NONE else lb) for lb in flt.label_choice]
            words.append(f"label{'s' if len(names) > 1 else ''}: {', '.join(names)}")
        if flt.unread:
            words.append(UNREAD_ONLY)
        if flt.campaign_id:
            name = self._campaign_names.get(flt.campaign_id, flt.campaign_id)
            words.append(f"campaign: {sanitize_line(name, 40)}")
        if flt.inbox_id:
            email = self._inbox_emails.get(flt.inbox_id, flt.inbox_id)
            words.append(f"inbox: {sanitize_line(email, 50)}")
        if flt.search:
            words.append(f"search: {sanitize_line(flt.search, 40)!r}")
        return words

    def action_sort(self) -> None:
        """Pick the column the list is sorted by (its key again reverses it)."""

        def chosen(order: tuple[str, bool] | None) -> None:
            if order is not None:
                self._sort_by(*order)

        self.app.push_screen(SortPicker((self.filter.sort, self.filter.sort_reversed)), chosen)

    @on(ConversationHeader.SortClicked)
    def _header_clicked(self, event: ConversationHeader.SortClicked) -> None:
        self._sort_by(*next_sort((self.filter.sort, self.filter.sort_reversed), event.column))

    def _sort_by(self, column: str, reversed_: bool) -> None:
        """Sort by `column`; the first time, its index is built on the writer first
        (about a second at 100,000 conversations: `store.sort_index`)."""
        if has_sort_index(self.backend.reader, column):
            self._set_filter(replace(self.filter, sort=column, sort_reversed=reversed_))
            return
        self.backend.status.say(f"Sorting by {column} (the first time takes a moment)…")

        def built(_: bool) -> None:
            # Folder or filters may have changed meanwhile: keep them, add the order.
            self._set_filter(replace(self.filter, sort=column, sort_reversed=reversed_))
            self.backend.status.say(f"Sorted by {column}.")

        self.backend.edit(lambda db: ensure_sort_index(db, column), on_result=built)

    def action_cycle_folder(self) -> None:
        """The next tab: Primary, Others, All, Snoozed."""
        current = _tab_of(self.filter)
        index = TABS.index(current) if current in TABS else 0
        tab = TABS[(index + 1) % len(TABS)]
        self._set_filter(replace(self.filter, folder=tab.folder, snoozed=tab.snoozed))

    def action_snooze(self) -> None:
        """Snooze the conversation (or the selection) until a preset or typed time; on
        snoozed ones the picker also offers to bring them back now."""
        rows = self._targets()
        conversation_list = self.conversation_list

        def done() -> None:
            # The rows leave this list: the cursor stays on the same line, the next one.
            if conversation_list.selected:
                conversation_list.clear_selection()
                self._update_filter_bar(conversation_list.total)

        self.triage.pick_snooze(rows, then=done)

    def action_toggle_unread_only(self) -> None:
        self._set_filter(replace(self.filter, unread=not self.filter.unread))

    def action_filters(self) -> None:
        flt = self.filter

        def read(db: Database) -> tuple[LabelCounts, dict[str, str], dict[str, str]]:
            # The names are read here too: the dialog may open before the names landed.
            return (conversation_queries.label_counts(db, flt), *_names(db))

        self.backend.read(self, read, self._show_filters, group="inbox-filters", what="filters")

    def _show_filters(self, loaded: tuple[LabelCounts, dict[str, str], dict[str, str]]) -> None:
        counts, campaign_names, inbox_emails = loaded
        campaigns = sorted(campaign_names.items(), key=lambda item: item[1].lower())
        inboxes = sorted(inbox_emails.items(), key=lambda item: item[1].lower())

        def chosen(flt: ConversationFilter | None) -> None:
            if flt is not None:
                self._set_filter(flt)

        self.app.push_screen(FilterScreen(self.filter, counts, campaigns, inboxes), chosen)


def _tab_of(flt: ConversationFilter) -> Tab | None:
    """The tab a filter shows (None: a folder no tab has)."""
    return next((t for t in TABS if (t.folder, t.snoozed) == (flt.folder, flt.snoozed)), None)


# Campaign names, inbox emails, whether any conversation has a campaign, the unread
# count of each folder tab, the number of snoozed conversations.
ListNames = tuple[dict[str, str], dict[str, str], bool, dict[str | None, int], int]


def _read_names(db: Database) -> ListNames:
    """What the list and the tabs show besides the rows (see `ListNames`)."""
    folders = [folder for folder in FOLDERS if folder is not None]
    unread = conversation_queries.unread_by_folder(db, folders)
    linked = conversation_queries.any_campaign_linked(db)
    return (*_names(db), linked, unread, count_snoozed(db))


def _names(db: Database) -> tuple[dict[str, str], dict[str, str]]:
    """Campaign names and sending-inbox emails by id, for the list columns and filters."""
    campaigns = {c.id: c.name for c in campaign_queries.list_campaigns(db)}
    inboxes = {i.id: i.email for i in mailbox_queries.list_inboxes(db)}
    return campaigns, inboxes

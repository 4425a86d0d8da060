"""The inbox's conversation list: a `PagedList` of conversations under a filter.

Textual's DataTable/OptionList/ListView with every row added take tens of seconds at
100,000 rows. `PagedList` is a `ScrollView` with `render_line` (toolong's pattern): only
visible lines are rendered, rows come in pages from the store by keyset query and are
kept in a small LRU; far jumps and reloads are read on a worker thread. This module says
where conversations come from and how one row looks.

Columns: selection mark, unread dot, pending/failed/conflict mark, sender, subject +
snippet, effective label (coloured; `*` marks an override, a dim `—` no label),
campaign (only when some conversation has one), sending inbox (wide terminals, or in
the campaign column's room when there is none), time.

Everything shown comes from strangers: cells go through `core.sanitize` and are drawn as
plain `Segment`s, never parsed as markup. A name or subject that carried bidi controls
is flagged with `⚠` in front of the sender.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from sqlite_utils import Database
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from outreach_tui.core.labels import ColourRole, colour_role, display_name
from outreach_tui.core.sanitize import SafeText, sanitize_text
from outreach_tui.core.snooze_time import describe
from outreach_tui.core.timefmt import parse_timestamp, relative_time
from outreach_tui.store.queries import conversations as conversation_queries
from outreach_tui.store.records import ConversationFilter, ConversationRow
from outreach_tui.ui.backend import Backend
from outreach_tui.ui.common.widgets.paged_list import PagedList

STATE_MARKS = {"pending": "↑", "failed": "!", "conflict": "?"}
BIDI_MARK = "⚠"
NO_LABEL = "—"
SENDER_WIDTH = 22
LABEL_WIDTH = 18
CAMPAIGN_WIDTH = 16
INBOX_WIDTH = 20
TIME_WIDTH = 9
STRIP_CACHE_SIZE = 512  # rendered lines kept (a dozen screens of rows)
# Optional columns appear once the row is this wide (the subject keeps the rest).
# The sending inbox is always known: it shows first once there is room; the campaign
# (known only once leads were pulled) joins it on wide terminals.
INBOX_MIN_WIDTH = 110
CAMPAIGN_MIN_WIDTH = 140
NARROW_WIDTH = 100  # below: narrower sender and label columns, the subject gets the room
NARROW_SENDER_WIDTH = 16
NARROW_LABEL_WIDTH = 12

_LABEL_STYLE = {
    ColourRole.POSITIVE: "positive",
    ColourRole.NEGATIVE: "negative",
    ColourRole.WARNING: "warning",
    ColourRole.NEUTRAL: "neutral",
}


@lru_cache(maxsize=8192)
def _safe(text: str | None, max_chars: int) -> SafeText:
    """One line of stranger's text, cleaned (cached: the same cells repaint often)."""
    return sanitize_text(text or "", multiline=False, max_chars=max_chars)


def _cell(text: str, width: int) -> str:
    """`text` (already safe) padded or cut to exactly `width` columns."""
    return set_cell_size(text, width)


def _fit(text: str, width: int) -> str:
    """`text` cut to `width` columns with an ellipsis when it is longer."""
    return text if cell_len(text) <= width else set_cell_size(text, width - 1) + "…"


def _relative(stamp: str | None, now: datetime) -> str:
    if not stamp:
        return ""
    try:
        return relative_time(parse_timestamp(stamp), now)
    except ValueError:
        return ""


def _until(stamp: str, now: datetime) -> str:
    """When a snooze ends, in the user's local time ("tomorrow 09:00")."""
    try:
        return describe(parse_timestamp(stamp), now.astimezone())
    except ValueError:
        return stamp


class ConversationList(PagedList[ConversationRow]):
    """A scrollable, keyboard-driven list of conversations under a filter."""

    EMPTY_TEXT = "No conversations here."

    # Open and select are in help: the footer's room goes to the triage keys.
    BINDINGS = [
        Binding("enter", "open", "Open", show=False, id="paged_list.open"),
        Binding("x", "toggle_select", "Select", show=False, id="paged_list.select"),
    ]

    COMPONENT_CLASSES = {
        "conversation-list--unread",
        "conversation-list--read",
        "conversation-list--positive",
        "conversation-list--negative",
        "conversation-list--warning",
        "conversation-list--neutral",
        "conversation-list--mark",
    }

    # No scrollbar: at 100,000 rows its thumb is one cell, and it repainted its whole
    # height on every scrolled line (j went from ~7 to ~10 ms). The wheel still scrolls;
    # the filter bar gives the count.
    DEFAULT_CSS = """
    ConversationList { scrollbar-size-vertical: 0; }
    ConversationList > .conversation-list--unread { text-style: bold; }
    ConversationList > .conversation-list--read { }
    ConversationList > .conversation-list--positive { color: $success; }
    ConversationList > .conversation-list--negative { color: $error; }
    ConversationList > .conversation-list--warning { color: $warning; }
    ConversationList > .conversation-list--neutral { color: $text-muted; }
    ConversationList > .conversation-list--mark { color: $warning; text-style: bold; }
    """

    def __init__(
        self,
        backend: Backend,
        flt: ConversationFilter | None = None,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(backend, flt or ConversationFilter(), name=name, id=id, classes=classes)
        self.campaign_names: dict[str, str] = {}
        self.inbox_emails: dict[str, str] = {}
        # Conversations get a campaign only through their lead, and leads are pulled on
        # demand: the column shows once some conversation has one (see InboxScreen).
        self.show_campaigns = False
        self.now = datetime.now(UTC)
        self._strips: OrderedDict[tuple[Any, ...], Strip] = OrderedDict()

    @property
    def filter(self) -> ConversationFilter:
        """The filter the list shows."""
        params: ConversationFilter = self.params
        return params

    def set_filter(self, flt: ConversationFilter, *, keep_cursor: bool = False) -> None:
        """Show another filter; the cursor goes to the top, the selection is cleared
        (both stay with `keep_cursor`: the same rows in another order)."""
        self.set_params(flt, keep_cursor=keep_cursor)

    def set_names(
        self, campaigns: dict[str, str], inboxes: dict[str, str], *, show_campaigns: bool
    ) -> None:
        """Names for the campaign and inbox columns (read by the screen off the UI thread)."""
        if (campaigns, inboxes, show_campaigns) == (
            self.campaign_names,
            self.inbox_emails,
            self.show_campaigns,
        ):
            return
        self.campaign_names = campaigns
        self.inbox_emails = inboxes
        self.show_campaigns = show_campaigns
        self._strips.clear()
        self.refresh()

    def patch_rows(self, ids: Sequence[str], changes: dict[str, Any]) -> None:
        """Show `changes` on the cached rows `ids` now (a decision made a moment ago);
        the reload after the write lands replaces them with the store's rows."""
        wanted = set(ids)
        for rows in self._pages.values():
            for slot, row in enumerate(rows):
                if row.id in wanted:
                    rows[slot] = replace(row, **changes)
        self.refresh()

    # --- the PagedList contract (worker thread, except rows_after/rows_before) ----------

    def count_rows(self, db: Database, params: Any) -> int:
        return conversation_queries.count_conversations(db, params)

    def rows_at(self, db: Database, params: Any, offset: int, limit: int) -> list[ConversationRow]:
        return conversation_queries.conversations_at(db, params, offset=offset, limit=limit)

    def position_of(self, db: Database, params: Any, key: str) -> int | None:
        return conversation_queries.conversation_position(db, key, params)

    def rows_after(
        self, db: Database, params: Any, row: ConversationRow, limit: int
    ) -> list[ConversationRow]:
        cursor = conversation_queries.cursor_of(row, params)
        return conversation_queries.conversation_window(db, params, after=cursor, limit=limit)

    def rows_before(
        self, db: Database, params: Any, row: ConversationRow, limit: int
    ) -> list[ConversationRow]:
        cursor = conversation_queries.cursor_of(row, params)
        return conversation_queries.conversation_window(db, params, before=cursor, limit=limit)

    def row_key(self, row: ConversationRow) -> str:
        return row.id

    def on_paged_list_loaded(self) -> None:
        # Relative times are as of the last load (the message goes on to the screen).
        self.now = datetime.now(UTC)
        self.refresh()

    # --- rendering ----------------------------------------------------------------------

    def _style(self, part: str) -> Style:
        # Partial: a colour or weight laid over the cursor's background, not a background.
        return self.cached_style(f"conversation-list--{part}", partial=True)

    def _dim(self) -> Style:
        return self.cached_style("paged-list--dim", partial=True)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()  # theme or CSS changed

    def render_row(self, row: ConversationRow, index: int, width: int, style: Style) -> Strip:
        # Scrolling by one line repaints every visible line; only the cursor's changed.
        key = (row, width, style, row.id in self.selected, self.now, self.show_campaigns)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._render_row(row, width, style)
            self._strips[key] = strip
            while len(self._strips) > STRIP_CACHE_SIZE:
                self._strips.popitem(last=False)
        else:
            self._strips.move_to_end(key)
        return strip

    def _render_row(self, row: ConversationRow, width: int, style: Style) -> Strip:
        weight = self._style("read" if row.is_read else "unread")
        dim = self._dim()
        mark = self._style("mark")
        layout = RowLayout.for_width(width, self.show_campaigns)
        sender = _safe(row.sender_name or row.sender_email, layout.sender * 2)
        subject = _safe(row.subject or "(no subject)", max(width, 1))
        flagged = sender.had_bidi or subject.had_bidi
        if row.label:
            label_text = display_name(row.label) + ("*" if row.overridden else "")
            label_style = self._style(_LABEL_STYLE[colour_role(row.label)])
        else:
            label_text, label_style = NO_LABEL, dim
        head: list[tuple[str, int, Style]] = [
            ("✓" if row.id in self.selected else " ", 1, mark),
            ("●" if not row.is_read else " ", 1, self._style("warning")),
            (STATE_MARKS.get(row.local_state or "", " "), 1, mark),
            (" ", 1, Style()),
        ]
        if flagged:
            head.append((BIDI_MARK, 2, mark))
            head.append((sender.text, layout.sender - 2, weight))
        else:
            head.append((sender.text, layout.sender, weight))
        head.append((" ", 1, Style()))
        tail: list[tuple[str, int, Style]] = [
            (" ", 1, Style()),
            (_fit(label_text, layout.label), layout.label, label_style),
        ]
        if layout.campaign:
            campaign = self.campaign_names.get(row.campaign_id or "", "")
            tail += [(" ", 1, Style()), (_safe(campaign, 60).text, CAMPAIGN_WIDTH, dim)]
        if layout.inbox:
            inbox = self.inbox_emails.get(row.inbox_id or "", "")
            tail += [(" ", 1, Style()), (_safe(inbox, 80).text, INBOX_WIDTH, dim)]
        tail.append((" ", 1, Style()))
        tail.append((_relative(row.last_activity, self.now).rjust(TIME_WIDTH), TIME_WIDTH, dim))
        rest = layout.subject
        segments = [Segment(_cell(text, w), style + s) for text, w, s in head]
        if row.snoozed_until and rest > 0:  # the Snoozed view (or is:snoozed)
            back = _fit(f"until {_until(row.snoozed_until, self.now)} · ", rest)
            segments.append(Segment(back, style + mark))
            rest -= cell_len(back)
        subject_width = min(cell_len(subject.text), rest)
        segments.append(Segment(_cell(subject.text, subject_width), style + weight))
        if rest > subject_width:
            snippet = _safe(row.snippet, max(rest, 1)).text
            filler = f" — {snippet}" if snippet else ""
            segments.append(Segment(_cell(filler, rest - subject_width), style + dim))
        segments += [Segment(_cell(text, w), style + s) for text, w, s in tail]
        return Strip(segments, width)


@dataclass(frozen=True)
class RowLayout:
    """The column widths of a list row (and of the header above it) at one width."""

    width: int
    sender: int
    label: int
    campaign: bool
    inbox: bool

    MARKS = 4  # selection, unread dot, outbox state, a space

    @classmethod
    def for_width(cls, width: int, show_campaigns: bool) -> RowLayout:
        """Narrow rows get narrower sender and label columns; the sending inbox shows
        first once there is room (always known), the campaign joins it when wide."""
        narrow = width < NARROW_WIDTH
        return cls(
            width=width,
            sender=NARROW_SENDER_WIDTH if narrow else SENDER_WIDTH,
            label=NARROW_LABEL_WIDTH if narrow else LABEL_WIDTH,
            campaign=show_campaigns and width >= CAMPAIGN_MIN_WIDTH,
            inbox=width >= INBOX_MIN_WIDTH,
        )

    @property
    def subject(self) -> int:
        """The subject and snippet's room: what the other columns leave."""
        used = self.MARKS + self.sender + 1 + 1 + self.label + 1 + TIME_WIDTH
        used += (1 + CAMPAIGN_WIDTH if self.campaign else 0) + (
            1 + INBOX_WIDTH if self.inbox else 0
        )
        return max(self.width - used, 0)

    def columns(self) -> list[tuple[str | None, str, int]]:
        """(sort column or None, title, width) of every cell, left to right."""
        cells: list[tuple[str | None, str, int]] = [
            (None, "", self.MARKS),
            ("sender", "Sender", self.sender),
            (None, "", 1),
            ("subject", "Subject", self.subject),
            (None, "", 1),
            ("label", "Label", self.label),
        ]
        if self.campaign:
            cells += [(None, "", 1), (None, "Campaign", CAMPAIGN_WIDTH)]
        if self.inbox:
            cells += [(None, "", 1), (None, "Inbox", INBOX_WIDTH)]
        cells += [(None, "", 1), ("date", "When", TIME_WIDTH)]
        return cells


class ConversationHeader(Widget):
    """The column titles above the conversation list; the sorted one carries ▼ or ▲
    (the direction rows run in), and a click on a sortable title asks to sort by it."""

    DEFAULT_CSS = """
    ConversationHeader { height: 1; background: $boost; color: $text-muted; }
    ConversationHeader > .conversation-header--sorted { color: $text; text-style: bold; }
    """
    COMPONENT_CLASSES = {"conversation-header--sorted"}

    class SortClicked(Message):
        """A sortable column's title was clicked."""

        def __init__(self, column: str) -> None:
            super().__init__()
            self.column = column

    sort: reactive[tuple[str, bool]] = reactive(("date", False))
    show_campaigns: reactive[bool] = reactive(False)

    def render(self) -> Text:
        column, reversed_ = self.sort
        sorted_style = self.get_component_rich_style("conversation-header--sorted", partial=True)
        text = Text(no_wrap=True, overflow="crop", end="")
        for name, title, width in RowLayout.for_width(
            self.size.width, self.show_campaigns
        ).columns():
            if name is not None and name == column:
                # Dates run newest first by default: the arrow shows the rows' direction.
                descending = (name == "date") != reversed_
                title = f"{title} {'▼' if descending else '▲'}"
                cell = title.rjust(width) if name == "date" else title
                text.append(_fit(cell, width).ljust(width), style=sorted_style)
            else:
                cell = title.rjust(width) if name == "date" else title
                text.append(_fit(cell, width).ljust(width) if width else "")
        return text

    def column_at(self, x: int) -> str | None:
        """The sortable column under screen column `x` of this widget, if any."""
        start = 0
        for name, _title, width in RowLayout.for_width(
            self.size.width, self.show_campaigns
        ).columns():
            if start <= x < start + width:
                return name
            start += width
        return None

    def on_click(self, event: events.Click) -> None:
        column = self.column_at(event.x)
        if column is not None:
            self.post_message(self.SortClicked(column))

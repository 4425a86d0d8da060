"""The inbox filter dialog: labels (several at once, with counts), unread only, campaign,
sending inbox, all chosen together and applied with one key."""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, OptionList, SelectionList, Static
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from outreach_tui.core.labels import LABELS, NO_LABEL_NAME
from outreach_tui.core.sanitize import sanitize_line
from outreach_tui.store.fields import LABEL_NONE
from outreach_tui.store.records import ConversationFilter, LabelCounts
from outreach_tui.ui.common.widgets.footer import AppFooter
from outreach_tui.ui.common.widgets.toggles import StateCheckbox, StateSelectionList

ANY = "__any__"


def _option(title: str, key: str, count: int | None = None) -> Option:
    text = Text(title)
    if count is not None:
        text.append(f"  {count}", style="dim")
    return Option(text, id=key)


def _label_selection(title: str, value: str, count: int, chosen: tuple[str, ...]) -> Selection:
    text = Text(title)
    text.append(f"  {count}", style="dim")
    return Selection(text, value, value in chosen, id=value)


HINT = (
    "space ticks labels · tab next list · ↑↓ pick campaign and inbox · enter applies · esc cancels"
)


class FilterScreen(ModalScreen[ConversationFilter | None]):
    """Edit the list's filter: tick labels, pick a campaign and an inbox; enter applies
    everything at once (from any list), escape cancels."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="filters.cancel"),
        # Priority: enter in a list would otherwise only pick (or tick) there.
        Binding("enter,ctrl+s", "apply", "Apply", id="filters.apply", priority=True),
        Binding("ctrl+x", "clear", "Clear all", id="filters.clear", priority=True),
    ]

    DEFAULT_CSS = """
    FilterScreen { align: center middle; }
    FilterScreen > Vertical {
        width: 100; height: 28; max-width: 100%; max-height: 100%;
        border: round $accent; background: $panel; padding: 0 1;
    }
    FilterScreen Horizontal { height: 1fr; }
    FilterScreen OptionList, FilterScreen SelectionList { width: 1fr; height: 1fr; }
    /* One line per choice: a long name or address ends in "…" rather than wrapping. */
    FilterScreen OptionList { text-wrap: nowrap; text-overflow: ellipsis; }
    FilterScreen .title { text-style: bold; }
    FilterScreen .hint { color: $text-muted; height: auto; }
    """

    def __init__(
        self,
        current: ConversationFilter,
        counts: LabelCounts,
        campaigns: list[tuple[str, str]],
        inboxes: list[tuple[str, str]],
    ) -> None:
        super().__init__()
        self.current = current
        self.counts = counts
        self.campaigns = campaigns
        self.inboxes = inboxes

    def compose(self) -> ComposeResult:
        by_label, chosen = self.counts.by_label, self.current.label_choice
        labels = [
            _label_selection(i.display_name, i.value, by_label.get(i.value, 0), chosen)
            for i in LABELS
        ]
        labels.append(
            _label_selection(NO_LABEL_NAME, LABEL_NONE, by_label.get(LABEL_NONE, 0), chosen)
        )
        campaigns = [_option("All campaigns", ANY)] + [
            _option(sanitize_line(name, 40), cid) for cid, name in self.campaigns
        ]
        inboxes = [_option("All inboxes", ANY)] + [
            _option(sanitize_line(email, 40), iid) for iid, email in self.inboxes
        ]
        with Vertical():
            yield Static("Filter (no label ticked: every label)", classes="title")
            yield Static(HINT, classes="hint")
            yield StateCheckbox(
                f"Unread only ({self.counts.unread})", self.current.unread, id="filter-unread"
            )
            with Horizontal():
                yield StateSelectionList[str](*labels, id="filter-label")
                yield OptionList(*campaigns, id="filter-campaign")
                yield OptionList(*inboxes, id="filter-inbox")
        yield AppFooter()

    def on_mount(self) -> None:
        for widget_id, value in (
            ("#filter-campaign", self.current.campaign_id),
            ("#filter-inbox", self.current.inbox_id),
        ):
            options = self.query_one(widget_id, OptionList)
            try:
                options.highlighted = options.get_option_index(value or ANY)
            except Exception:  # a filter value no longer in the lists
                options.highlighted = 0
        labels = self.query_one("#filter-label", SelectionList)
        labels.highlighted = 0
        labels.focus()

    def _chosen(self, widget_id: str) -> str | None:
        options = self.query_one(widget_id, OptionList)
        if options.highlighted is None:
            return None
        option_id = options.get_option_at_index(options.highlighted).id
        return None if option_id == ANY else option_id

    def _result(self) -> ConversationFilter:
        ticked = tuple(self.query_one("#filter-label", SelectionList).selected)
        # One label stays `label` (as the CLI and the filter bar name it); several: `labels`.
        single = ticked[0] if len(ticked) == 1 else None
        return replace(
            self.current,
            label=single,
            labels=() if len(ticked) <= 1 else ticked,
            campaign_id=self._chosen("#filter-campaign"),
            inbox_id=self._chosen("#filter-inbox"),
            unread=self.query_one("#filter-unread", Checkbox).value,
        )

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        # A click on a campaign or inbox picks it (enter applies, a priority binding).
        event.stop()

    def action_clear(self) -> None:
        """Untick every label, unread off, all campaigns and inboxes."""
        self.query_one("#filter-label", SelectionList).deselect_all()
        self.query_one("#filter-unread", Checkbox).value = False
        for widget_id in ("#filter-campaign", "#filter-inbox"):
            self.query_one(widget_id, OptionList).highlighted = 0

    def action_apply(self) -> None:
        self.dismiss(self._result())

    def action_cancel(self) -> None:
        self.dismiss(None)

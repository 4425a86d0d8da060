"""The inbox filter dialog: label (with counts), unread only, campaign, sending inbox."""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, OptionList, Static
from textual.widgets.option_list import Option

from outreach_tui.core.labels import LABELS, NO_LABEL_NAME
from outreach_tui.core.sanitize import sanitize_line
from outreach_tui.store.fields import LABEL_NONE
from outreach_tui.store.records import ConversationFilter, LabelCounts
from outreach_tui.ui.common.widgets.footer import AppFooter

ANY = "__any__"


def _option(title: str, key: str, count: int | None = None) -> Option:
    text = Text(title)
    if count is not None:
        text.append(f"  {count}", style="dim")
    return Option(text, id=key)


class FilterScreen(ModalScreen[ConversationFilter | None]):
    """Edit the list's filter; enter applies, escape cancels."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="filters.cancel"),
        Binding("ctrl+s", "apply", "Apply", id="filters.apply", priority=True),
    ]

    DEFAULT_CSS = """
    FilterScreen { align: center middle; }
    FilterScreen > Vertical {
        width: 96; height: 28; border: round $accent; background: $panel; padding: 0 1;
    }
    FilterScreen Horizontal { height: 1fr; }
    FilterScreen OptionList { width: 1fr; height: 1fr; }
    FilterScreen .title { text-style: bold; }
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
        by_label = self.counts.by_label
        labels = [_option("All labels", ANY, sum(by_label.values()))]
        labels += [_option(i.display_name, i.value, by_label.get(i.value, 0)) for i in LABELS]
        labels.append(_option(NO_LABEL_NAME, LABEL_NONE, by_label.get(LABEL_NONE, 0)))
        campaigns = [_option("All campaigns", ANY)] + [
            _option(sanitize_line(name, 40), cid) for cid, name in self.campaigns
        ]
        inboxes = [_option("All inboxes", ANY)] + [
            _option(sanitize_line(email, 40), iid) for iid, email in self.inboxes
        ]
        with Vertical():
            yield Static("Filter — tab between lists, enter picks, ctrl+s applies", classes="title")
            yield Checkbox(
                f"Unread only ({self.counts.unread})", self.current.unread, id="filter-unread"
            )
            with Horizontal():
                yield OptionList(*labels, id="filter-label")
                yield OptionList(*campaigns, id="filter-campaign")
                yield OptionList(*inboxes, id="filter-inbox")
        yield AppFooter()

    def on_mount(self) -> None:
        for widget_id, value in (
            ("#filter-label", self.current.label),
            ("#filter-campaign", self.current.campaign_id),
            ("#filter-inbox", self.current.inbox_id),
        ):
            options = self.query_one(widget_id, OptionList)
            try:
                options.highlighted = options.get_option_index(value or ANY)
            except Exception:  # a filter value no longer in the lists
                options.highlighted = 0
        self.query_one("#filter-label", OptionList).focus()

    def _chosen(self, widget_id: str) -> str | None:
        options = self.query_one(widget_id, OptionList)
        if options.highlighted is None:
            return None
        option_id = options.get_option_at_index(options.highlighted).id
        return None if option_id == ANY else option_id

    def _result(self) -> ConversationFilter:
        return replace(
            self.current,
            label=self._chosen("#filter-label"),
            campaign_id=self._chosen("#filter-campaign"),
            inbox_id=self._chosen("#filter-inbox"),
            unread=self.query_one("#filter-unread", Checkbox).value,
        )

    @on(OptionList.OptionSelected)
    def _picked(self) -> None:
        self.dismiss(self._result())

    def action_apply(self) -> None:
        self.dismiss(self._result())

    def action_cancel(self) -> None:
        self.dismiss(None)

"""The sequence editor's small dialogs: pick a campaign (and `CampaignChooser`, the flow
that reads the campaigns for it), confirm, unsaved changes, one value (a delay in days, a
new variant's subject).

Each is a ModalScreen that dismisses with the answer (None when cancelled with escape);
every choice has a key. Titles and campaign names come from the cache: shown as `Text`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from outreach_tui.core.sanitize import sanitize_line
from outreach_tui.store.queries import campaigns as campaign_queries
from outreach_tui.store.queries.campaigns import CampaignRow
from outreach_tui.ui.backend import Backend
from outreach_tui.ui.common.screens.confirm import key_hints

_DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: {width}; height: auto; max-height: 80%; padding: 1 2;
    border: round $accent; background: $panel;
}}
{name} .title {{ text-style: bold; margin-bottom: 1; }}
{name} .hint {{ color: $text-muted; margin-top: 1; }}
{name} .problem {{ color: $error; height: auto; }}
"""


class CampaignPicker(ModalScreen[str | None]):
    """Choose the campaign whose sequence to edit; dismisses with its id."""

    # A modal screen stops the app's bindings: the other areas' keys are repeated here so
    # the picker is never a dead end (the picker waits in its area's stack meanwhile).
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="sequences.picker_cancel"),
        Binding("f2", "app.switch_mode('inbox')", "Inbox", show=False),
        Binding("f3", "app.switch_mode('campaigns')", "Campaigns", show=False),
        Binding("f5", "app.switch_mode('warmup')", "Warmup", show=False),
    ]
    DEFAULT_CSS = (
        _DIALOG_CSS.format(name="CampaignPicker", width=72)
        + """
    CampaignPicker OptionList { height: auto; max-height: 24; }
    """
    )

    def __init__(self, campaigns: Sequence[CampaignRow], current: str | None = None) -> None:
        super().__init__()
        self.campaigns = list(campaigns)
        self.current = current

    def compose(self) -> ComposeResult:
        options = []
        for campaign in self.campaigns:
            prompt = Text(no_wrap=True, overflow="ellipsis")
            prompt.append(sanitize_line(campaign.name, 50) or "(no name)")
            prompt.append(
                f"  {campaign.status} · {campaign.sequence_steps} step"
                f"{'s' if campaign.sequence_steps != 1 else ''} · {campaign.leads_count} leads",
                style="dim",
            )
            options.append(Option(prompt, id=campaign.id))
        with Vertical():
            yield Static("Edit the sequence of…", classes="title", markup=False)
            if options:
                yield OptionList(*options, id="campaign-options")
            else:
                yield Static(Text("No campaign cached yet: sync first (ctrl+r)."))
            yield Static(key_hints(("enter", "Open"), ("esc", "Cancel")), classes="hint")

    def on_mount(self) -> None:
        for option_list in self.query(OptionList):
            ids = [c.id for c in self.campaigns]
            if self.current in ids:
                option_list.highlighted = ids.index(self.current)
            option_list.focus()

    @on(OptionList.OptionSelected, "#campaign-options")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class CampaignChooser:
    """F4's flow for a screen: read the campaigns on a worker, show one `CampaignPicker`
    at a time and hand the chosen id to `chosen`. `current()` is the screen's campaign:
    when it changed while the list was read, the picker is not shown."""

    def __init__(
        self,
        node: Widget,
        backend: Backend,
        current: Callable[[], str | None],
        chosen: Callable[[str], None],
    ) -> None:
        self.node = node  # runs the read, pushes the picker
        self.backend = backend
        self.current = current
        self.chosen = chosen
        self.picker: CampaignPicker | None = None
        self.asking = False  # a read or a picker is under way

    def open(self) -> None:
        """Read the campaigns and show the picker (unless one is on its way or up)."""
        if self.asking:
            return
        self.asking, asked_with = True, self.current()

        def show(campaigns: list[CampaignRow]) -> None:
            if self.current() != asked_with:
                self.asking = False  # a campaign was chosen meanwhile
                return
            self.picker = CampaignPicker(campaigns, asked_with)
            self.node.app.push_screen(self.picker, answered)

        def answered(campaign_id: str | None) -> None:
            self.asking, self.picker = False, None
            if campaign_id is not None:
                self.chosen(campaign_id)

        read = campaign_queries.list_campaigns
        self.backend.read(self.node, read, show, group="sequence-campaigns", what="the campaigns")

    def close(self) -> None:
        """Dismiss the picker if it is up (a campaign was chosen another way)."""
        if self.picker is not None and self.picker.is_current:
            self.picker.dismiss(None)


SAVE, DISCARD = "save", "discard"


class UnsavedDialog(ModalScreen[str | None]):
    """The unsaved-changes guard: save, discard, or stay (escape)."""

    BINDINGS = [
        Binding("s", "answer('save')", "Save", id="sequences.unsaved_save"),
        Binding("d", "answer('discard')", "Discard", id="sequences.unsaved_discard"),
        Binding("escape", "answer(None)", "Stay", id="sequences.unsaved_stay"),
    ]
    DEFAULT_CSS = _DIALOG_CSS.format(name="UnsavedDialog", width=64)

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Unsaved changes"), classes="title")
            yield Static(Text(f"{self.what} has changes that are not saved."))
            yield Static(
                key_hints(("s", "Save"), ("d", "Discard"), ("esc", "Keep editing")), classes="hint"
            )

    def action_answer(self, answer: str | None) -> None:
        self.dismiss(answer)


class ValueDialog(ModalScreen[str | None]):
    """Ask for one value; `check(text)` returns a problem (shown, nothing dismissed) or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="sequences.value_cancel")]
    DEFAULT_CSS = _DIALOG_CSS.format(name="ValueDialog", width=70)

    def __init__(
        self,
        title: str,
        detail: str,
        value: str = "",
        check: Callable[[str], str | None] | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.detail = detail
        self.value = value
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.title_text), classes="title")
            yield Static(Text(self.detail))
            yield Input(value=self.value, select_on_focus=False, id="value-input")
            yield Static(Text(), classes="problem", id="value-problem")
            yield Static(key_hints(("enter", "OK"), ("esc", "Cancel")), classes="hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted, "#value-input")
    def _submitted(self, event: Input.Submitted) -> None:
        problem = self.check(event.value) if self.check else None
        if problem:
            self.query_one("#value-problem", Static).update(Text(problem))
            return
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)

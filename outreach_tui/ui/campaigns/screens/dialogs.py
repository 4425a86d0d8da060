"""Small dialogs of the campaign console: create a campaign, delete one (type its name),
add a lead (variables and the `if_exists` choice), a one-line text prompt.

Dialogs return plain values (or None when cancelled); the caller runs the edit. Escape
cancels, enter (or ctrl+s) confirms, and a problem is said in one line inside the dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, RadioSet, Static, TextArea

from outreach_tui.core.sanitize import sanitize_line
from outreach_tui.store.edits.campaigns import MAX_NAME_CHARS, delete_campaign
from outreach_tui.store.queries.campaigns import CampaignRow
from outreach_tui.ui.backend import Backend
from outreach_tui.ui.campaigns.widgets.leads import NewLead
from outreach_tui.ui.common.widgets.toggles import StateRadioButton

_DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 84; height: auto; border: round $accent; background: $panel; padding: 0 1;
}}
{name} .title {{ text-style: bold; }}
{name} .problem {{ color: $error; height: auto; }}
{name} .hint {{ color: $text-muted; }}
"""


class TextPromptScreen(ModalScreen[str | None]):
    """Ask for one line of text (e.g. a new campaign's name, an email to check)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="campaign_dialog.cancel")]
    DEFAULT_CSS = _DIALOG_CSS.format(name="TextPromptScreen")

    def __init__(
        self,
        title: str,
        placeholder: str = "",
        *,
        max_length: int = 0,
        check: Callable[[str], str | None] | None = None,
    ) -> None:
        """`check(value)` returns why the value is refused (shown under the field, the
        dialog stays open with the text) or None to accept it."""
        super().__init__()
        self.title_text = title
        self.placeholder = placeholder
        self.max_length = max_length
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.title_text), classes="title")
            yield Input(placeholder=self.placeholder, max_length=self.max_length, id="prompt")
            yield Static("enter confirms · escape cancels", classes="hint")
            yield Static(classes="problem", id="problem")

    def on_mount(self) -> None:
        self.query_one("#prompt", Input).focus()

    @on(Input.Submitted, "#prompt")
    def _submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        problem = "Type something, or escape to cancel." if not value else None
        if problem is None and self.check is not None:
            problem = self.check(value)
        if problem:
            self.query_one("#problem", Static).update(Text(problem))
            return
        self.dismiss(value)

    @on(Input.Changed, "#prompt")
    def _typing(self) -> None:
        self.query_one("#problem", Static).update("")

    def action_cancel(self) -> None:
        self.dismiss(None)


def create_campaign_prompt() -> TextPromptScreen:
    """The dialog naming a new campaign."""
    return TextPromptScreen(
        "New campaign — its name (a draft is created; sequences, inboxes and leads next)",
        "Q3 outbound — fintech CFOs",
        max_length=MAX_NAME_CHARS,
    )


class DeleteCampaignScreen(ModalScreen[str | None]):
    """Deleting a campaign is permanent on the server: type its name to confirm."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="campaign_dialog.cancel_delete")]
    DEFAULT_CSS = _DIALOG_CSS.format(name="DeleteCampaignScreen")

    def __init__(self, name: str, leads_count: int) -> None:
        super().__init__()
        self.campaign_name = name
        self.leads_count = leads_count

    def compose(self) -> ComposeResult:
        shown = sanitize_line(self.campaign_name, 200)
        with Vertical():
            yield Static(
                Text("Delete campaign — this cannot be undone once synced"), classes="title"
            )
            yield Static(
                Text(
                    f"Its schedule, sequences, variants, sent emails and {self.leads_count:,}"
                    " lead(s) go with it. Type the campaign's name to confirm:"
                )
            )
            yield Static(Text(shown, style="bold"))
            yield Input(placeholder="the campaign's name", id="confirm-name")
            yield Static(classes="problem", id="problem")

    def on_mount(self) -> None:
        self.query_one("#confirm-name", Input).focus()

    @on(Input.Submitted, "#confirm-name")
    def _submitted(self, event: Input.Submitted) -> None:
        # The name as shown counts too: a name with control characters cannot be typed.
        if event.value not in (self.campaign_name, sanitize_line(self.campaign_name, 200)):
            self.query_one("#problem", Static).update(
                "The name does not match (exactly, case included): nothing deleted."
            )
            return
        self.dismiss(self.campaign_name)

    def action_cancel(self) -> None:
        self.dismiss(None)


class VariablesError(ValueError):
    """A variables line the dialog cannot read (the message is one plain line)."""


def parse_variables(text: str) -> dict[str, str]:
    """``"company=Acme\\nrole = VP"`` -> ``{"company": "Acme", "role": "VP"}``.

    One ``name=value`` per line; blank lines are skipped. Raises VariablesError.
    """
    variables: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, sep, value = line.partition("=")
        if not sep or not name.strip():
            raise VariablesError(f"line {number}: write name=value, e.g. company=Acme")
        variables[name.strip()] = value.strip()
    return variables


class AddLeadScreen(ModalScreen[NewLead | None]):
    """Email, names, merge-tag variables, and what to do if the address is already there."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="campaign_dialog.cancel_lead"),
        Binding("ctrl+s", "save", "Add", id="campaign_dialog.add_lead", priority=True),
    ]
    DEFAULT_CSS = (
        _DIALOG_CSS.format(name="AddLeadScreen")
        + """
    AddLeadScreen Horizontal { height: auto; }
    AddLeadScreen Horizontal Input { width: 1fr; }
    AddLeadScreen TextArea { height: 6; }
    AddLeadScreen RadioSet { width: 100%; }
    """
    )

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Add a lead — ctrl+s adds, escape cancels", classes="title")
            yield Input(placeholder="email (required)", id="lead-email")
            with Horizontal():
                yield Input(placeholder="first name", id="lead-first")
                yield Input(placeholder="last name", id="lead-last")
            yield Label("Variables for merge tags, one name=value per line (e.g. company=Acme)")
            yield TextArea(id="lead-variables", soft_wrap=False)
            yield Label("If the address is already a lead of this campaign:")
            with RadioSet(id="lead-if-exists"):
                yield StateRadioButton("fail (tell me)", value=True, id="if-fail")
                yield StateRadioButton("skip it", id="if-skip")
                yield StateRadioButton("update its names and variables", id="if-update")
            yield Static(classes="problem", id="problem")

    def on_mount(self) -> None:
        self.query_one("#lead-email", Input).focus()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        problem = self.query_one("#problem", Static)
        email = self.query_one("#lead-email", Input).value.strip()
        if "@" not in email or len(email.split()) != 1:
            problem.update("Type the lead's email address (name@domain).")
            return
        try:
            variables = parse_variables(self.query_one("#lead-variables", TextArea).text)
        except VariablesError as error:
            problem.update(f"Variables, {error}")
            return
        pressed = self.query_one("#lead-if-exists", RadioSet).pressed_button
        if_exists = (pressed.id or "if-fail").removeprefix("if-") if pressed else "fail"
        first = self.query_one("#lead-first", Input).value.strip() or None
        last = self.query_one("#lead-last", Input).value.strip() or None
        self.dismiss(NewLead(email, first, last, variables, if_exists))

    def action_cancel(self) -> None:
        self.dismiss(None)


def ask_to_delete(app: App[Any], backend: Backend, campaign: CampaignRow) -> None:
    """Ask for the campaign's name, then queue its deletion (the list and the detail)."""

    def confirmed(typed: str | None) -> None:
        if typed is None:
            return
        backend.edit(
            lambda db: delete_campaign(db, campaign.id, confirm_name=typed),
            done=f"Deleted {sanitize_line(campaign.name, 40)} (ctrl+o undoes before the sync)",
        )

    app.push_screen(DeleteCampaignScreen(campaign.name, campaign.leads_count), confirmed)

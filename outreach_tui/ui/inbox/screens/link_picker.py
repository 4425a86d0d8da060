"""The links of a thread, from the keyboard: pick one, open it in the browser or copy it.

Every link shows its real target (what opens is the `href`, never the text), deceptive
ones keep their warning, and only http(s) and mailto targets can be opened; any target can
be copied (Textual's clipboard support: OSC 52, so it works over ssh too).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from outreach_tui.core.links import Link
from outreach_tui.core.sanitize import sanitize_line
from outreach_tui.ui.inbox.widgets.message_view import link_text


class LinkPicker(ModalScreen[None]):
    """Pick a link of the thread: enter (or its number) opens it, `c` copies it."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="link_picker.close"),
        Binding("c", "copy_link", "Copy", id="link_picker.copy"),
    ]

    DEFAULT_CSS = """
    LinkPicker { align: center middle; }
    LinkPicker > Vertical {
        width: 90%; max-width: 110; height: auto; max-height: 80%; padding: 0 1;
        border: round $accent; background: $panel;
    }
    LinkPicker .title { text-style: bold; }
    LinkPicker .hint { color: $text-muted; }
    LinkPicker OptionList { height: auto; max-height: 20; }
    """

    def __init__(self, links: Sequence[Link]) -> None:
        super().__init__()
        self.links = list(links)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Links in this conversation", classes="title")
            yield OptionList(
                *(Option(_link_line(n, link)) for n, link in enumerate(self.links, start=1))
            )
            yield Static("enter or 1-9 open · c copy · esc close", classes="hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0

    def _current(self) -> Link | None:
        index = self.query_one(OptionList).highlighted
        return self.links[index] if index is not None else None

    def on_key(self, event: events.Key) -> None:
        key = event.key
        if key.isdigit() and key != "0" and int(key) <= len(self.links):
            event.stop()
            self.query_one(OptionList).highlighted = int(key) - 1
            self.action_open_link()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open_link()

    def action_open_link(self) -> None:
        link = self._current()
        if link is None:
            return
        if not link.clickable:
            self.notify("Only web and mailto links open; c copies this one.", severity="warning")
            return
        self.app.open_url(link.href)
        self.notify(f"Opened {sanitize_line(link.href, 80)}")
        self.dismiss(None)

    def action_copy_link(self) -> None:
        link = self._current()
        if link is None:
            return
        self.app.copy_to_clipboard(link.href)
        self.notify(f"Copied {sanitize_line(link.href, 80)}")
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)


def _link_line(number: int, link: Link) -> Text:
    text = Text()
    text.append(f"{number:>2} ", style="bold")  # the number only: the link keeps its styles
    text.append_text(link_text(link, 40, 150))
    return text

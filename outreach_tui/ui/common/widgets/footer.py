"""`AppFooter`: the key footer of every screen, with `? Help` always in sight.

Textual's footer lists the active bindings in order (the focused widget's, the screen's,
then the app's) and cuts what does not fit, so on a busy screen the help key fell off the
right end. Here the help key is docked at the right edge (where Textual puts its palette
key; `ctrl+p` still opens the palette and is listed in help), and the rest follows in
order: the screen's own keys first. A key that does not fit whole is left out with all
after it, rather than cut mid-word ("spac▏"): every key is in help (`?`).
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer

HELP_ACTION = "help"  # the app's binding: question_mark / f1


class AppFooter(Footer):
    """A `Footer` whose help key never scrolls out of sight."""

    DEFAULT_CSS = """
    AppFooter FooterKey.-pinned {
        dock: right;
        padding-right: 1;
        border-left: vkey $foreground 20%;
    }
    """

    def __init__(self) -> None:
        super().__init__(show_command_palette=False)
        self._keys: list[Widget] = []

    def compose(self) -> ComposeResult:
        # The keys of this composition (`children` may still hold the last one's).
        self._keys = []
        for widget in super().compose():
            # FooterKey is not public API: recognise the help key by its action.
            if getattr(widget, "action", None) == HELP_ACTION:
                widget.add_class("-pinned")
            self._keys.append(widget)
            yield widget

    async def recompose(self) -> None:
        # Fitted in the same batch as the new keys are mounted: no frame is painted with
        # every key shown (and the last cut at the edge) before the fit.
        async with self.batch():
            await super().recompose()
            self._fit_keys()

    def on_resize(self, event: events.Resize) -> None:
        self._fit_keys()

    def _fit_keys(self) -> None:
        """Show the keys, in order, that fit whole beside the pinned help key."""
        # A resize can land mid-recompose, when the last composition's keys are gone.
        mounted = [key for key in self._keys if key.is_attached]
        keys = [key for key in mounted if not key.has_class("-pinned")]
        pinned = [key for key in mounted if key.has_class("-pinned")]
        room = self.size.width - sum(_width(key) for key in pinned)
        fits = True
        for key in keys:
            room -= _width(key)
            fits = fits and room >= 0
            key.display = fits


def _width(widget: Widget) -> int:
    """Columns `widget` takes in the footer (its text and its own padding), whether it is
    shown now or not."""
    return widget.get_content_width(widget.size, widget.size) + widget.styles.gutter.width

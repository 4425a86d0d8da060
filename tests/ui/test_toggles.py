"""Checkboxes, radio buttons and selection lists show their state in the glyph, not only
in its colour."""

from __future__ import annotations

from textual.app import App, ComposeResult

from outreach_tui.ui.common.widgets.toggles import (
    StateCheckbox,
    StateRadioButton,
    StateSelectionList,
)


class Toggles(App[None]):
    def compose(self) -> ComposeResult:
        yield StateCheckbox("Text only", id="box")
        yield StateRadioButton("skip it", id="radio")
        yield StateSelectionList[str](("Interested", "a", True), ("Referral", "b"), id="list")


def _text(app: App[None], selector: str) -> str:
    widget = app.query_one(selector)
    return "\n".join(widget.render_line(y).text for y in range(widget.size.height))


async def test_the_glyph_says_on_or_off() -> None:
    app = Toggles()
    async with app.run_test(size=(60, 12)) as pilot:
        box = app.query_one("#box", StateCheckbox)
        assert "▐ ▌ Text only" in _text(app, "#box")
        box.toggle()
        await pilot.pause()
        assert "▐X▌ Text only" in _text(app, "#box")
        assert "▐ ▌ skip it" in _text(app, "#radio")
        app.query_one("#radio", StateRadioButton).toggle()
        await pilot.pause()
        assert "▐●▌ skip it" in _text(app, "#radio")
        lines = _text(app, "#list")
        assert "▐X▌ Interested" in lines and "▐ ▌ Referral" in lines
        app.query_one("#list", StateSelectionList).select("b")
        await pilot.pause()
        assert "▐X▌ Referral" in _text(app, "#list")

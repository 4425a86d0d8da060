"""The schedule editor: timezone, default window, per-day enable/start/end.

Times are typed as ``HH:MM`` (``9:05`` is read as ``09:05``) and shown next to each box as
the server will store them: on the 30-minute grid, nearest half hour, ties up, at most
23:30 (`core.schedule`). Those snapped values are what is saved, so the cache and the
server agree once the edit lands. A blank day start/end falls back to the default window.
Nothing is sent while a time is unreadable or a window ends before it starts.
"""

from __future__ import annotations

import re
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from outreach_tui.core.schedule import (
    TIMEZONES,
    WEEKDAYS,
    ScheduleError,
    Window,
    snap_time,
    window_problem,
)
from outreach_tui.store.edits import update_schedule
from outreach_tui.ui.backend import Backend
from outreach_tui.ui.common.widgets.toggles import StateCheckbox

_LOOSE_TIME = re.compile(r"\s*(\d{1,2}):(\d{2})\s*")


def stored_time(text: str) -> str | None:
    """What the server stores for a typed time: ``"9:23"`` -> ``"09:30"``; ``""`` -> None.

    Raises ScheduleError when the text is not a time.
    """
    if not text.strip():
        return None
    match = _LOOSE_TIME.fullmatch(text)
    if match is None:
        raise ScheduleError(f"{text.strip()!r} is not a time: type HH:MM, e.g. 09:30")
    return snap_time(f"{int(match[1]):02d}:{match[2]}")


def _hint(text: str, *, fallback: str | None = None) -> Text:
    try:
        stored = stored_time(text)
    except ScheduleError:
        return Text("not a time", style="bold red")
    if stored is None:
        return Text(f"default {fallback}" if fallback else "required", style="dim")
    typed = text.strip()
    if len(typed) == 4:
        typed = "0" + typed
    if stored == typed:
        return Text(f"✓ {stored}", style="dim")
    return Text(f"→ stored as {stored}", style="bold yellow")


class CampaignSchedule(Vertical):
    """Edit a campaign's sending schedule; ctrl+s (or Save) queues it."""

    DEFAULT_CSS = """
    CampaignSchedule { height: auto; padding: 0 1; }
    CampaignSchedule .sched-row { height: 1; }
    CampaignSchedule #zone-row { height: 3; }
    CampaignSchedule #zone-row Label { padding: 1 1 0 0; }
    CampaignSchedule #schedule-buttons { height: 3; margin-top: 1; }
    CampaignSchedule Label { padding: 0 1 0 0; }
    CampaignSchedule .day { width: 16; }
    CampaignSchedule Input {
        width: 9; height: 1; border: none; padding: 0 1; background: $boost;
    }
    CampaignSchedule Input:focus { border: none; background: $accent 30%; }
    /* The hints share what is left, so both fit at 80 columns. */
    CampaignSchedule .hint { width: 1fr; max-width: 24; padding: 0 1; text-wrap: nowrap; }
    CampaignSchedule Checkbox { width: 10; height: 1; border: none; padding: 0; }
    CampaignSchedule #timezone { width: 32; }
    CampaignSchedule #schedule-problem { height: auto; padding: 0 1; margin-top: 1; }
    CampaignSchedule Button { margin: 0 1 0 0; }
    """

    def __init__(self, backend: Backend, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.backend = backend
        self.campaign_id: str | None = None
        self.schedule: dict[str, Any] = {}
        self.dirty = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="zone-row"):
            yield Label("Timezone")
            yield Select([(zone, zone) for zone in TIMEZONES], id="timezone", allow_blank=False)
        with Horizontal(classes="sched-row"):
            yield Label("Default window", classes="day")
            yield Label("start")
            yield Input(id="default-start", placeholder="09:00")
            yield Static(classes="hint", id="hint-default-start")
            yield Label("end")
            yield Input(id="default-end", placeholder="17:00")
            yield Static(classes="hint", id="hint-default-end")
        yield Static(" ")
        for day in WEEKDAYS:
            with Horizontal(classes="sched-row"):
                yield Label(day.capitalize(), classes="day")
                yield StateCheckbox("send", id=f"{day}-enabled")
                yield Input(id=f"{day}-start", placeholder="default")
                yield Static(classes="hint", id=f"hint-{day}-start")
                yield Input(id=f"{day}-end", placeholder="default")
                yield Static(classes="hint", id=f"hint-{day}-end")
        yield Static(id="schedule-problem")
        with Horizontal(id="schedule-buttons"):
            yield Button("Save schedule (ctrl+s)", id="save-schedule", variant="primary")
            yield Button("Revert", id="revert-schedule")

    def show(self, campaign_id: str, schedule: dict[str, Any] | None) -> None:
        """Load the effective schedule, unless the user is editing it."""
        if self.dirty and campaign_id == self.campaign_id:
            return
        self.campaign_id = campaign_id
        self.schedule = schedule or {}
        self._fill()

    def _fill(self) -> None:
        schedule = self.schedule
        with self.prevent(Input.Changed, Checkbox.Changed, Select.Changed):
            zone = schedule.get("timezone")
            select = self.query_one("#timezone", Select)
            if zone in TIMEZONES:
                select.value = zone
            window = schedule.get("default_window") or {}
            self.query_one("#default-start", Input).value = window.get("start") or ""
            self.query_one("#default-end", Input).value = window.get("end") or ""
            days = schedule.get("days") or {}
            for day in WEEKDAYS:
                settings = days.get(day) or {}
                self.query_one(f"#{day}-enabled", Checkbox).value = bool(
                    settings.get("enabled", True)
                )
                self.query_one(f"#{day}-start", Input).value = settings.get("start") or ""
                self.query_one(f"#{day}-end", Input).value = settings.get("end") or ""
        self.dirty = False
        self._update_hints()

    def _value(self, box: str) -> str:
        return self.query_one(f"#{box}", Input).value

    def _update_hints(self) -> None:
        default_start, default_end = self._value("default-start"), self._value("default-end")
        self.query_one("#hint-default-start", Static).update(_hint(default_start))
        self.query_one("#hint-default-end", Static).update(_hint(default_end))
        fallback = {"start": _safe(default_start), "end": _safe(default_end)}
        for day in WEEKDAYS:
            for end in ("start", "end"):
                hint = _hint(self._value(f"{day}-{end}"), fallback=fallback[end] or "—")
                self.query_one(f"#hint-{day}-{end}", Static).update(hint)
        problem = self.problem()
        self.query_one("#schedule-problem", Static).update(
            Text(problem, style="bold red") if problem else Text("")
        )

    def changes(self) -> dict[str, Any]:
        """The PATCH body the form stands for (snapped times). Raises ScheduleError."""
        start = stored_time(self._value("default-start"))
        end = stored_time(self._value("default-end"))
        if start is None or end is None:
            raise ScheduleError("the default window needs a start and an end")
        days = {}
        for day in WEEKDAYS:
            days[day] = {
                "enabled": self.query_one(f"#{day}-enabled", Checkbox).value,
                "start": stored_time(self._value(f"{day}-start")),
                "end": stored_time(self._value(f"{day}-end")),
            }
        return {
            "timezone": self.query_one("#timezone", Select).value,
            "default_window": {"start": start, "end": end},
            "days": days,
        }

    def problem(self) -> str | None:
        """Why the form cannot be saved as it is (one line), or None."""
        try:
            body = self.changes()
        except ScheduleError as error:
            return str(error)
        default = body["default_window"]
        issue = window_problem(Window(default["start"], default["end"]))
        if issue:
            return f"Default window: {issue}"
        for day, settings in body["days"].items():
            if not settings["enabled"]:
                continue
            window = Window(
                settings["start"] or default["start"], settings["end"] or default["end"]
            )
            issue = window_problem(window)
            if issue:
                return f"{day.capitalize()}: {issue}"
        return None

    @on(Input.Changed)
    @on(Checkbox.Changed)
    @on(Select.Changed)
    def _edited(self) -> None:
        self.dirty = True
        self._update_hints()

    @on(Button.Pressed, "#save-schedule")
    def _save_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.save()

    @on(Button.Pressed, "#revert-schedule")
    def _revert_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self._fill()

    def save(self) -> None:
        """Queue the schedule (snapped) unless something in it is wrong."""
        campaign_id = self.campaign_id
        if campaign_id is None:
            return
        problem = self.problem()
        if problem:
            self.backend.status.say(f"Schedule not saved: {problem}")
            return
        body = self.changes()

        def landed(_: object) -> None:
            self.dirty = False

        self.backend.edit(
            lambda db: update_schedule(db, campaign_id, body),
            done="Schedule saved (syncs next)",
            on_result=landed,
        )


def _safe(text: str) -> str | None:
    try:
        return stored_time(text)
    except ScheduleError:
        return None

"""The Textual application: the shell every area plugs into.

The app builds the `Backend` (the writer thread, the status line, the change signal, the
background sync) and hands it to every screen; screens never import this module. Areas
are modes (inbox, campaigns, sequences, warmup). Messages from the background threads
land here and are handed to the backend. Every binding has an id so users remap keys in
`config.toml` (`[keymap]`); themes are files (see `common/themes.py`).
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database
from textual import events, on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.filter import LineFilter
from textual.screen import Screen

from outreach_tui.config import AppPaths, Config, ConfigError, save_config
from outreach_tui.core.sanitize import sanitize_line
from outreach_tui.core.timefmt import parse_timestamp, relative_time
from outreach_tui.store import outbox, sync_state
from outreach_tui.store.queries import mailboxes as mailbox_queries
from outreach_tui.ui.backend import Backend
from outreach_tui.ui.backend.backend import CHANGE_INTERVAL
from outreach_tui.ui.backend.messages import (
    EditLanded,
    Notice,
    PullFinished,
    StoreChanged,
    SyncFinished,
    SyncProgressed,
)
from outreach_tui.ui.backend.status import StatusInfo
from outreach_tui.ui.backend.writer_thread import ClientFactory, WriterThread
from outreach_tui.ui.campaigns.screens.campaigns import CampaignsScreen
from outreach_tui.ui.campaigns.screens.detail import CampaignDetailScreen
from outreach_tui.ui.common.palette import LegibleText, ansi_theme
from outreach_tui.ui.common.screens.help import HelpScreen, describe_bindings
from outreach_tui.ui.common.screens.welcome import WelcomeScreen, check_api_key
from outreach_tui.ui.common.themes import discover_themes
from outreach_tui.ui.inbox.screens.inbox import InboxScreen
from outreach_tui.ui.inbox.screens.snippets import SnippetsScreen
from outreach_tui.ui.inbox.screens.triage import Triage
from outreach_tui.ui.outbox.screens.outbox import OutboxScreen
from outreach_tui.ui.sequences.screens.dialogs import UnsavedDialog
from outreach_tui.ui.sequences.screens.editor import SequenceScreen
from outreach_tui.ui.warmup.screens.warmup import WarmupScreen

SWITCH_INTERVAL = 0.001  # seconds a thread holds the GIL when another one wants it


@dataclass(frozen=True)
class Launch:
    """What the app is opened on (built by `outreach_tui.commands.tui`)."""

    profile: str
    db_path: Path
    config: Config
    paths: AppPaths
    client_factory: ClientFactory | None
    base_url: str | None = None
    demo: bool = False
    welcome: bool = False  # no key yet: show the welcome screen
    sync_on_start: bool = True
    sync_interval_seconds: float | None = None  # None: from the config
    # How the welcome screen checks a key (tests pass a fake); None: one real request.
    key_checker: Callable[[str, str], Awaitable[None]] | None = None


ANSI_THEMES = ("ansi-dark", "ansi-light")
STATUS_REFRESH_SECONDS = 30  # how often "synced 2m ago" is worked out again
SNOOZE_CHECK_SECONDS = 10.0  # how late a snoozed conversation may come back, at most


class OutreachApp(App[str | None]):
    """outreach-tui: the unified inbox and campaign console."""

    TITLE = "outreach-tui"
    # Toasts sit above the footer and the status bar, not over the status message.
    CSS = """
    ToastRack { margin-bottom: 2; }
    """

    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True, id="app.quit"),
        # Priority: focus moves before the next key is handed to a widget, so keys typed
        # fast after tab land in the new field (without it they queued in the old one).
        Binding("tab", "focus_next", "Next field", show=False, priority=True, id="app.focus_next"),
        Binding(
            "shift+tab",
            "focus_previous",
            "Previous field",
            show=False,
            priority=True,
            id="app.focus_previous",
        ),
        Binding("q", "quit", "Quit", show=False, id="app.quit_q"),
        Binding("question_mark,f1", "help", "Help", id="app.help"),
        Binding("ctrl+r", "sync_now", "Sync", id="app.sync"),
        Binding("ctrl+o", "outbox", "Outbox", id="app.outbox"),
        Binding("f2", "switch_mode('inbox')", "Inbox", show=False, id="app.mode_inbox"),
        Binding("f3", "switch_mode('campaigns')", "Campaigns", id="app.mode_campaigns"),
        Binding("f4", "sequences", "Sequences", id="app.mode_sequences"),
        Binding("f5", "switch_mode('warmup')", "Warmup", id="app.mode_warmup"),
    ]

    def __init__(self, launch: Launch) -> None:
        super().__init__()
        self._legible_text = LegibleText()
        # The ANSI themes take their colours from the terminal, unknown here: nothing
        # could keep their text readable, so the palette does not offer them.
        for name in ANSI_THEMES:
            self.unregister_theme(name)
        # Workers read SQLite row by row and every step gives the GIL up; while the UI
        # thread is busy, taking it back waits the switch interval (5 ms by default):
        # 50 rows could take 300 ms at start-up. 1 ms keeps a page at a few ms.
        sys.setswitchinterval(SWITCH_INTERVAL)
        self.launch = launch
        self.config = launch.config
        writer = WriterThread(
            launch.db_path,
            launch.client_factory,
            on_change=lambda: self.post_message(StoreChanged()),
        )
        writer.start()
        profile = "demo" if launch.demo else launch.profile
        self.backend = Backend(self, launch.db_path, writer, profile)
        self.triage = Triage(self, self.backend)
        self.add_mode(
            "inbox",
            lambda: InboxScreen(
                self.backend, self.triage, mark_read_on_open=self.config.mark_read_on_open
            ),
        )
        self.add_mode("campaigns", lambda: CampaignsScreen(self.backend))
        self._sequence_screen: SequenceScreen | None = None
        self.add_mode("sequences", self._make_sequence_screen)
        self.add_mode("warmup", lambda: WarmupScreen(self.backend))

    def _make_sequence_screen(self) -> SequenceScreen:
        # Kept so that quitting can ask about the editor's unsaved changes (and F4 can
        # make it before its first show, already on a campaign).
        if self._sequence_screen is None:
            self._sequence_screen = SequenceScreen(self.backend)
        return self._sequence_screen

    async def action_sequences(self) -> None:
        """F4: the sequence editor, on the campaign being viewed when there is one."""
        screen = self.screen
        viewing = screen.campaign_id if isinstance(screen, CampaignDetailScreen) else None
        editor = self._make_sequence_screen()
        if viewing is not None and not editor.is_mounted:
            editor.show_campaign(viewing)  # opens with it: no picker
        await self.switch_mode("sequences")
        if viewing is not None:
            # Shown now: the unsaved-changes question, if any, lands in the editor's area.
            editor.show_campaign(viewing)

    @property
    def status_info(self) -> StatusInfo:
        """What the status bar shows now."""
        return self.backend.status.info

    @property
    def syncing(self) -> bool:
        """True while a sync runs."""
        return self.backend.sync.running

    # --- start and stop -----------------------------------------------------------------

    def on_mount(self) -> None:
        themes, problems = discover_themes(self.launch.paths.config_dir / "themes")
        for theme in themes:
            self.register_theme(theme)
        for problem in problems:
            self.notify(f"Theme {problem.path.name} skipped: {problem.reason}", severity="warning")
        if self.config.theme in self.available_themes:
            self.theme = self.config.theme
        self.watch_theme(self.theme)  # the start-up theme too (watchers run on changes)
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if self.config.keymap:
            self.set_keymap(self.config.keymap)
        if self.launch.welcome:
            self.push_screen(
                WelcomeScreen(
                    self.backend,
                    profile=self.launch.profile,
                    config=self.config,
                    paths=self.launch.paths,
                    base_url=self.launch.base_url,
                    checker=self.launch.key_checker or check_api_key,
                )
            )
            return
        self.switch_mode("inbox")
        # What exists after start-up (Textual, CSS, screens) lives as long as the app: kept
        # out of the garbage collector's full passes, which took 50-80 ms of the UI thread.
        self.call_after_refresh(gc.freeze)
        self.backend.changed.subscribe(self, lambda _: self._refresh_status())
        self._refresh_status()
        self.set_interval(CHANGE_INTERVAL, self.backend.flush_changes)
        # "synced 2m ago" ages even when nothing changes.
        self.set_interval(STATUS_REFRESH_SECONDS, self._refresh_status)
        self.triage.wake_due()  # snoozes that ended while the app was closed
        self.set_interval(SNOOZE_CHECK_SECONDS, self.triage.wake_due)
        if self.backend.can_sync:
            interval = self.launch.sync_interval_seconds
            if interval is None:
                interval = self.config.sync_interval_minutes * 60
            if interval > 0:
                self.set_interval(interval, self.action_sync_now)
            if self.launch.sync_on_start:
                self.call_after_refresh(self.action_sync_now)
        else:
            self.backend.status.say("No server configured: working on the cache only.")

    async def on_event(self, event: events.Event) -> None:
        """A key pressed on a screen means its status message has been read."""
        if isinstance(event, events.Key) and self.screen_stack:
            self.backend.status.key_pressed(self.screen)
        await super().on_event(event)

    async def action_quit(self) -> None:
        """Quit (ctrl+q, q); unsaved sequence edits are offered for saving first.

        Quitting again while that question is open quits without saving: the way out of a
        stuck terminal stays one key away.
        """
        editor = self._sequence_screen
        if editor is None or not editor.dirty or isinstance(self.screen, UnsavedDialog):
            self.exit()
            return
        await self.switch_mode("sequences")  # show what is at stake
        editor.guarded(self.exit)

    def exit(self, result: str | None = None, return_code: int = 0, message: Any = None) -> None:
        """Exit the app; background reports arriving from now on are dropped."""
        self.backend.closing = True
        super().exit(result, return_code, message)

    def on_unmount(self) -> None:
        self.backend.close()

    def get_line_filters(self) -> Sequence[LineFilter]:
        """Textual's filters, then `LegibleText`: no text cell below 3.5:1, any theme."""
        return [*super().get_line_filters(), self._legible_text]

    def watch_theme(self, theme_name: str) -> None:
        """Rich's named colours ("green", "red", …) follow the theme, readable on it."""
        theme = self.get_theme(theme_name)
        if theme is not None:
            palette = ansi_theme(theme)
            self.ansi_theme_dark = palette
            self.ansi_theme_light = palette

    def _remember_theme(self, theme: Any) -> None:
        if self.launch.demo or theme.name == self.config.theme:
            return
        self.config = replace(self.config, theme=theme.name)
        try:
            save_config(self.config, self.launch.paths)
        except (OSError, ConfigError) as error:
            self.backend.status.say(f"Could not save the theme choice: {error}")

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: Any = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """A toast whose text is never parsed as markup (it often quotes strangers: file
        names, server errors), whatever the caller asked for."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    # --- messages from the background threads ---------------------------------------------

    @on(StoreChanged)
    def _store_changed(self) -> None:
        self.backend.note_change()  # repainted by the next tick: a sync streams many pages

    @on(EditLanded)
    def _edit_landed(self, message: EditLanded) -> None:
        self.backend.edit_landed(message)

    @on(PullFinished)
    def _pull_finished(self, message: PullFinished) -> None:
        self.backend.pull_finished(message)

    @on(SyncProgressed)
    def _sync_progressed(self, message: SyncProgressed) -> None:
        self.backend.sync.progressed(message)

    @on(SyncFinished)
    def _sync_finished(self, message: SyncFinished) -> None:
        self.backend.sync.finished(message)

    @on(Notice)
    def _notice(self, message: Notice) -> None:
        self.notify(sanitize_line(message.text, 200), severity=message.severity)  # type: ignore[arg-type]
        if message.severity == "error":
            self.backend.status.say(message.text)

    # --- status -------------------------------------------------------------------------

    def _refresh_status(self) -> None:
        self.backend.read(self, _read_status, self._show_status, group="status", what="status")

    def _show_status(self, values: dict[str, Any]) -> None:
        self.backend.status.update(
            **values, rate_remaining=self.backend.writer.rate_limit_remaining
        )

    # --- actions ------------------------------------------------------------------------

    def action_sync_now(self, full: bool = False) -> None:
        """Pull and push now (ctrl+r; also on start and on a timer)."""
        self.backend.sync.start(full)

    def action_help(self) -> None:
        screen = self.screen
        rows = describe_bindings(screen.active_bindings, self.get_key_display)
        title = type(screen).__name__.removesuffix("Screen")
        self.push_screen(HelpScreen(title, rows, getattr(screen, "HELP_NOTES", "")))

    def action_outbox(self) -> None:
        if not isinstance(self.screen, OutboxScreen):
            self.push_screen(OutboxScreen(self.backend))

    def get_system_commands(self, screen: Screen[Any]) -> Any:
        for command in super().get_system_commands(screen):
            if command.title != "Keys":  # Textual's key panel: ours below lists the ids too
                yield command
        yield SystemCommand("Inbox", "The unified inbox", lambda: self.switch_mode("inbox"))
        yield SystemCommand(
            "Campaigns",
            "Campaign console: stats, A/B results, controls, schedule, inboxes, leads",
            lambda: self.switch_mode("campaigns"),
        )
        yield SystemCommand(
            "Sequence editor",
            "Steps, delays, A/B variants, merge tags, preview per lead",
            lambda: self.switch_mode("sequences"),
        )
        yield SystemCommand(
            "Warmup and inbox health",
            "Health scores, ramp-up, warnings, inbox settings",
            lambda: self.switch_mode("warmup"),
        )
        yield SystemCommand("Sync now", "Pull and push now", self.action_sync_now)
        yield SystemCommand(
            "Full sync",
            "Walk every collection and remove deletions",
            lambda: self.action_sync_now(True),
        )
        yield SystemCommand(
            "Outbox and conflicts", "Pending, refused, conflicting", self.action_outbox
        )
        yield SystemCommand("Compose", "Write a new email", self.triage.start_compose)
        yield SystemCommand(
            "Snippets",
            "Saved replies: add, edit, delete (kept in this cache only)",
            lambda: self.push_screen(SnippetsScreen(self.backend)),
        )
        yield SystemCommand("Undo", "Take back the last triage action", self.triage.undo)
        yield SystemCommand("Keys", "The keys of this screen", self.action_help)


def _read_status(db: Database) -> dict[str, Any]:
    """The outbox counts, the last sync and how many inboxes need attention (the warmup
    header's figure), read off the UI thread (the outbox grows with its history; the
    warning rules take ~0.1 ms per inbox)."""
    counts = outbox.state_counts(db)
    last = sync_state.last_sync(db)
    last_text = ""
    if last:
        last_text = relative_time(parse_timestamp(last), datetime.now(UTC))
        last_text = "just now" if last_text == "now" else f"{last_text} ago"
    return {
        "pending": counts[outbox.PENDING] + counts[outbox.IN_FLIGHT],
        "failed": counts[outbox.FAILED],
        "conflict": counts[outbox.CONFLICT],
        "last_synced": last_text,
        "inboxes_needing_attention": mailbox_queries.health_overview(db).attention_count,
    }

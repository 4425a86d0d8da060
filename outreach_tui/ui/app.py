"""The Textual application: the shell every area plugs into.

State lives here, on the UI thread: the writer thread (cache writes + the API client)
posts messages, handlers update the screens. Areas are modes (Inbox now; Campaigns,
Sequences and Warmup plug in with `add_mode`). Every binding has an id so users remap
keys in `config.toml` (`[keymap]`); themes are files (see `themes.py`).
"""

from __future__ import annotations

import concurrent.futures
import gc
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import App, ScreenStackError, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from outreach_tui.config import AppPaths, Config, ConfigError, save_config
from outreach_tui.core.sanitize import sanitize_line
from outreach_tui.core.timefmt import parse_timestamp, relative_time
from outreach_tui.store import outbox, sync_state
from outreach_tui.store.connection import open_reader, read_snapshot
from outreach_tui.store.edits import EditError
from outreach_tui.store.queries import mailboxes as inbox_queries
from outreach_tui.store.records import AttachmentRow
from outreach_tui.sync.progress import SyncReport
from outreach_tui.ui.backend.messages import (
    EditLanded,
    Notice,
    StoreChanged,
)
from outreach_tui.ui.backend.sync_control import SyncControl
from outreach_tui.ui.backend.writer_thread import ClientFactory, WriterThread
from outreach_tui.ui.campaigns.screens.campaigns import CampaignsScreen
from outreach_tui.ui.common.screens.help import HelpScreen, describe_bindings
from outreach_tui.ui.common.screens.welcome import WelcomeScreen, check_api_key
from outreach_tui.ui.common.themes import discover_themes
from outreach_tui.ui.common.widgets.status_bar import StatusBar, StatusInfo
from outreach_tui.ui.common.worker_errors import WorkerErrorsToStatus
from outreach_tui.ui.common.worker_results import deliver
from outreach_tui.ui.inbox.screens.inbox import InboxScreen
from outreach_tui.ui.inbox.triage import Triage
from outreach_tui.ui.outbox.screens.outbox import OutboxScreen
from outreach_tui.ui.sequences.screens.dialogs import UnsavedDialog
from outreach_tui.ui.sequences.screens.editor import SequenceScreen
from outreach_tui.ui.warmup.screens.warmup import WarmupScreen

STORE_REFRESH_INTERVAL = 0.5  # seconds between repaints while a sync streams pages in
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


class OutreachApp(WorkerErrorsToStatus, SyncControl, App[str | None]):
    """outreach-tui: the unified inbox and campaign console."""

    TITLE = "outreach-tui"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True, id="app.quit"),
        Binding("q", "quit", "Quit", show=False, id="app.quit_q"),
        Binding("f1,question_mark", "help", "Help", id="app.help"),
        Binding("ctrl+r", "sync_now", "Sync", id="app.sync"),
        Binding("ctrl+o", "outbox", "Outbox", id="app.outbox"),
        Binding("f2", "switch_mode('inbox')", "Inbox", show=False, id="app.mode_inbox"),
        Binding("f3", "switch_mode('campaigns')", "Campaigns", id="app.mode_campaigns"),
        Binding("f4", "switch_mode('sequences')", "Sequences", id="app.mode_sequences"),
        Binding("f5", "switch_mode('warmup')", "Warmup", id="app.mode_warmup"),
    ]

    def __init__(self, launch: Launch) -> None:
        super().__init__()
        # Workers read SQLite row by row and every step gives the GIL up; while the UI
        # thread is busy, taking it back waits the switch interval (5 ms by default):
        # 50 rows could take 300 ms at start-up. 1 ms keeps a page at a few ms.
        sys.setswitchinterval(SWITCH_INTERVAL)
        self.launch = launch
        self.config = launch.config
        self.status_info = StatusInfo(profile=("demo" if launch.demo else launch.profile))
        self.triage = Triage(self)
        self.writer = WriterThread(
            launch.db_path,
            launch.client_factory,
            on_change=lambda: self.post_message(StoreChanged()),
        )
        self.writer.start()
        self.reader = open_reader(launch.db_path)
        self._sync_future: concurrent.futures.Future[SyncReport] | None = None
        self._store_dirty = False
        self._shutting_down = False
        self._newest_before_sync: str | None = None
        self.add_mode(
            "inbox",
            lambda: InboxScreen(
                launch.db_path, self.triage, mark_read_on_open=self.config.mark_read_on_open
            ),
        )
        self.add_mode("campaigns", lambda: CampaignsScreen(launch.db_path))
        self._sequence_screen: SequenceScreen | None = None
        self.add_mode("sequences", self._make_sequence_screen)
        self.add_mode("warmup", lambda: WarmupScreen(launch.db_path))

    def _make_sequence_screen(self) -> SequenceScreen:
        # Kept so that quitting can ask about the editor's unsaved changes.
        self._sequence_screen = SequenceScreen(self.launch.db_path)
        return self._sequence_screen

    @property
    def mark_read_on_open(self) -> bool:
        return self.config.mark_read_on_open

    # --- start and stop -----------------------------------------------------------------

    def on_mount(self) -> None:
        themes, problems = discover_themes(self.launch.paths.config_dir / "themes")
        for theme in themes:
            self.register_theme(theme)
        for problem in problems:
            self.notify(f"Theme {problem.path.name} skipped: {problem.reason}", severity="warning")
        if self.config.theme in self.available_themes:
            self.theme = self.config.theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if self.config.keymap:
            self.set_keymap(self.config.keymap)
        if self.launch.welcome:
            self.push_screen(
                WelcomeScreen(
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
        self._refresh_status()
        self.set_interval(STORE_REFRESH_INTERVAL, self._flush_store_changes)
        if self.writer.can_sync:
            interval = self.launch.sync_interval_seconds
            if interval is None:
                interval = self.config.sync_interval_minutes * 60
            if interval > 0:
                self.set_interval(interval, self.action_sync_now)
            if self.launch.sync_on_start:
                self.call_after_refresh(self.action_sync_now)
        else:
            self.status("No server configured: working on the cache only.")

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
        self._shutting_down = True
        super().exit(result, return_code, message)

    def on_unmount(self) -> None:
        self._shutting_down = True
        self.writer.stop()
        self.reader.close()

    def _remember_theme(self, theme: Any) -> None:
        if self.launch.demo or theme.name == self.config.theme:
            return
        self.config = replace(self.config, theme=theme.name)
        try:
            save_config(self.config, self.launch.paths)
        except (OSError, ConfigError) as error:
            self.status(f"Could not save the theme choice: {error}")

    # --- status -------------------------------------------------------------------------

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

    def status(self, message: str) -> None:
        """Show one line in the status bar (errors never open a modal)."""
        self._set_status(message=sanitize_line(message, 200))

    def _set_status(self, **changes: Any) -> None:
        self.status_info = replace(self.status_info, **changes)
        screen = self._current_screen()
        if screen is not None:
            for bar in screen.query(StatusBar):
                bar.refresh()

    def _current_screen(self) -> Screen[Any] | None:
        """The active screen; None while the app shuts down (a sync may still report)."""
        if self._shutting_down:
            return None
        try:
            return self.screen
        except ScreenStackError:
            return None

    def _refresh_status(self) -> None:
        self._read_status()
        self._count_inbox_warnings()

    @work(thread=True, exclusive=True, group="status", exit_on_error=False)
    def _read_status(self) -> None:
        # Off the UI thread: the outbox grows with the history it keeps.
        with read_snapshot(self.launch.db_path) as db:
            counts = outbox.state_counts(db)
            last = sync_state.last_sync(db)
        last_text = ""
        if last:
            last_text = relative_time(parse_timestamp(last), datetime.now(UTC))
            last_text = "just now" if last_text == "now" else f"{last_text} ago"
        deliver(
            self,
            self._set_status,
            pending=counts[outbox.PENDING] + counts[outbox.IN_FLIGHT],
            failed=counts[outbox.FAILED],
            conflict=counts[outbox.CONFLICT],
            last_synced=last_text,
            rate_remaining=self.writer.rate_limit_remaining,
        )

    @work(thread=True, exclusive=True, group="inbox-warnings", exit_on_error=False)
    def _count_inbox_warnings(self) -> None:
        # Off the UI thread: the warning rules take ~0.1 ms per inbox (50 ms at 500).
        with read_snapshot(self.launch.db_path) as db:
            count = inbox_queries.health_overview(db).attention_count
        deliver(self, self._set_status, warnings=count)

    # --- edits --------------------------------------------------------------------------

    def run_edit(
        self,
        edit: Callable[[Any], Any],
        *,
        done: str = "",
        on_result: Callable[[Any], None] | None = None,
    ) -> None:
        """Run `edit(db)` on the writer thread; the screens refresh when it lands."""
        future = self.writer.call(edit)

        def landed(f: concurrent.futures.Future[Any]) -> None:
            error = f.exception()
            if error is None:
                self.post_message(EditLanded(f.result(), done, on_result))
            elif isinstance(error, EditError | ValueError):
                self.post_message(Notice(str(error), "error"))
            else:
                self.post_message(Notice(f"{type(error).__name__}: {error}", "error"))

        future.add_done_callback(landed)

    @on(EditLanded)
    def _edit_landed(self, message: EditLanded) -> None:
        if message.on_result is not None:
            message.on_result(message.result)
        if message.done:
            self.notify(message.done, timeout=3)
        self._store_dirty = False
        self._refresh_views()

    @on(Notice)
    def _notice(self, message: Notice) -> None:
        self.notify(sanitize_line(message.text, 200), severity=message.severity)  # type: ignore[arg-type]
        if message.severity == "error":
            self.status(message.text)

    # --- store changes ------------------------------------------------------------------

    @on(StoreChanged)
    def _store_changed(self) -> None:
        self._store_dirty = True  # repainted by the next tick: a sync streams many pages

    def _flush_store_changes(self) -> None:
        if self._store_dirty:
            self._store_dirty = False
            self._refresh_views()

    def _refresh_views(self) -> None:
        # Screens below the top one reload when they are shown again (on_screen_resume).
        screen = self._current_screen()
        if screen is None:
            return
        refresh = getattr(screen, "store_changed", None)
        if refresh is not None:
            refresh()
        self._refresh_status()

    # --- other actions ------------------------------------------------------------------

    def action_help(self) -> None:
        screen = self.screen
        rows = describe_bindings(screen.active_bindings, self.get_key_display)
        self.push_screen(HelpScreen(type(screen).__name__.removesuffix("Screen"), rows))

    def action_outbox(self) -> None:
        if not isinstance(self.screen, OutboxScreen):
            self.push_screen(OutboxScreen(self.launch.db_path, self.run_edit))

    def list_inboxes(self) -> list[inbox_queries.InboxRow]:
        """The cached sending inboxes (for compose)."""
        return inbox_queries.list_inboxes(self.reader)

    def save_attachment(
        self, conversation_id: str, attachment: AttachmentRow, folder: Path
    ) -> None:
        """Download an attachment into `folder` under a sanitized name."""
        if not self.writer.can_sync:
            self.notify("Saving attachments needs the server.", severity="warning")
            return
        future = self.writer.download_attachment(
            conversation_id, attachment.id, attachment.filename, folder
        )

        def saved(f: concurrent.futures.Future[Path]) -> None:
            error = f.exception()
            if error is None:
                self.post_message(Notice(f"Saved {f.result()}"))
            else:
                message = getattr(error, "message", None) or str(error)
                self.post_message(Notice(f"Could not save the attachment: {message}", "error"))

        future.add_done_callback(saved)

    def get_system_commands(self, screen: Screen[Any]) -> Any:
        yield from super().get_system_commands(screen)
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
        yield SystemCommand("Undo", "Take back the last triage action", self.triage.undo)
        yield SystemCommand("Keys", "The keys of this screen", self.action_help)

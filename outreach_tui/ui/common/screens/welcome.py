"""First run without a key: enter an API key (checked, then stored in the keyring or kept
in memory for this session only) or open the demo."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, Static

from outreach_tui.api import AuthenticationError, ReachkitClient, ReachkitError
from outreach_tui.config import AppPaths, Config, ConfigError, save_config, validate_base_url
from outreach_tui.credentials import (
    API_KEY_ENV,
    CredentialStoreError,
    SessionKey,
    store_api_key,
)
from outreach_tui.ui.backend import Backend
from outreach_tui.ui.backend.workers import deliver
from outreach_tui.ui.common.widgets.footer import AppFooter
from outreach_tui.ui.common.widgets.status_bar import StatusBar

RESTART = "restart"
DEMO = "demo"


async def check_api_key(base_url: str, api_key: str) -> None:
    """One cheap authenticated request; raises the client's error when it fails."""
    async with ReachkitClient(base_url=base_url, api_key=api_key) as client:
        await client.list_inboxes(page=1, page_size=1)


class WelcomeScreen(Screen[None]):
    """Connect a workspace or try the demo. Exits the app with RESTART (key stored), a
    `SessionKey` (key for this session only) or DEMO."""

    # Priority: the inputs would take ctrl+d (delete right) first.
    BINDINGS = [Binding("ctrl+d", "demo", "Open the demo", id="welcome.demo", priority=True)]

    DEFAULT_CSS = """
    WelcomeScreen #welcome-body { height: 1fr; align: center middle; }
    WelcomeScreen #welcome-body > Vertical {
        width: 80; height: auto; border: round $accent; padding: 1 2; background: $panel;
    }
    WelcomeScreen .title { text-style: bold; margin-bottom: 1; }
    WelcomeScreen .hint { color: $text-muted; margin-bottom: 1; }
    WelcomeScreen #welcome-error { color: $error; height: auto; }
    WelcomeScreen Horizontal { height: auto; margin-top: 1; }
    WelcomeScreen Button { margin-right: 2; }
    """

    def __init__(
        self,
        backend: Backend,
        *,
        profile: str,
        config: Config,
        paths: AppPaths,
        base_url: str | None,
        checker: Callable[[str, str], object] = check_api_key,
    ) -> None:
        super().__init__()
        self.backend = backend
        self.profile = profile
        self.config = config
        self.paths = paths
        self.base_url = base_url
        self.checker = checker

    def compose(self) -> ComposeResult:
        with Container(id="welcome-body"), Vertical():
            yield Static("Welcome to outreach-tui", classes="title", markup=False)
            yield Static(
                "Connect your Reachkit workspace with an API key (Settings → Integrations in "
                "Reachkit). The key is checked, then kept in your system keyring — never in a "
                "file — or, with 'This session only', in memory until you quit. Or look "
                f"around the demo workspace first. ({API_KEY_ENV} also works.)",
                classes="hint",
                markup=False,
            )
            yield Input(
                self.base_url or "", placeholder="API base URL, e.g. https://…", id="base-url"
            )
            yield Input(placeholder="API key", password=True, id="api-key")
            yield Static("", id="welcome-error", markup=False)
            with Horizontal():
                yield Button("Connect", variant="primary", id="connect")
                yield Button("This session only", id="session")
                yield Button("Open the demo", id="demo")
        yield StatusBar(self.backend.status, id="status")
        yield AppFooter()

    def on_mount(self) -> None:
        target = "#api-key" if self.base_url else "#base-url"
        self.query_one(target, Input).focus()

    def _error(self, message: str) -> None:
        self.query_one("#welcome-error", Static).update(message)

    @on(Button.Pressed, "#demo")
    def action_demo(self) -> None:
        self.app.exit(DEMO)

    @on(Input.Submitted)
    @on(Button.Pressed, "#connect")
    def _connect(self) -> None:
        self._start_check(remember=True)

    @on(Button.Pressed, "#session")
    def _connect_for_this_session(self) -> None:
        self._start_check(remember=False)

    def _start_check(self, *, remember: bool) -> None:
        try:
            base_url = validate_base_url(self.query_one("#base-url", Input).value)
        except ConfigError as error:
            self._error(str(error))
            return
        api_key = self.query_one("#api-key", Input).value.strip()
        if not api_key:
            self.query_one("#api-key", Input).focus()
            self._error("Enter the API key.")
            return
        self._error("Checking the key…")
        self._set_buttons_disabled(True)
        self._check(base_url, api_key, remember)

    def _set_buttons_disabled(self, disabled: bool) -> None:
        for button in self.query("#connect, #session").results(Button):
            button.disabled = disabled

    @work(thread=True, exclusive=True, group="welcome-check", exit_on_error=False)
    def _check(self, base_url: str, api_key: str, remember: bool) -> None:
        try:
            asyncio.run(self.checker(base_url, api_key))  # type: ignore[arg-type]
            if remember:
                store_api_key(self.profile, api_key)
            # The base URL is not a secret: saved either way, so the next start (or a
            # command with REACHKIT_API_KEY set) knows the workspace.
            profile = replace(self.config.profile(self.profile), base_url=base_url)
            save_config(
                replace(self.config.with_profile(profile), active_profile=self.profile), self.paths
            )
        except AuthenticationError:
            deliver(self.app, self._failed, "The server refused this API key.")
        except ReachkitError as error:
            deliver(self.app, self._failed, f"Could not check the key: {error.message}")
        except CredentialStoreError as error:
            deliver(
                self.app,
                self._failed,
                f"{error} — or choose 'This session only' to keep the key in memory.",
            )
        except (ConfigError, OSError) as error:
            deliver(self.app, self._failed, f"Could not save the settings: {error}")
        else:
            deliver(self.app, self.app.exit, RESTART if remember else SessionKey(api_key))

    def _failed(self, message: str) -> None:
        self._error(message)
        self._set_buttons_disabled(False)

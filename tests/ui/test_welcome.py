"""First run without a key: the welcome screen checks the key (a fake checker here),
stores it in the keyring (the in-memory one of the tests) and the base URL in
config.toml, then restarts the app; or it opens the demo."""

from __future__ import annotations

import argparse
from pathlib import Path

import keyring
import keyring.backends.fail
from textual.widgets import Button, Static

from outreach_tui.api import AuthenticationError
from outreach_tui.commands.context import resolve_context
from outreach_tui.commands.tui import _normal_launch
from outreach_tui.config import Config, Profile, app_paths, load_config, save_config
from outreach_tui.credentials import SERVICE_NAME, SessionKey
from outreach_tui.ui.common.screens.welcome import DEMO, RESTART, WelcomeScreen
from tests.conftest import MemoryKeyring

from .conftest import make_app, wait_for, wait_for_screen, wait_for_text

BASE_URL = "https://api.reachkit.example"
GOOD_KEY = "rk_live_good"


async def _checker(base_url: str, api_key: str) -> None:
    if api_key != GOOD_KEY:
        raise AuthenticationError(
            status_code=401, method="GET", path="/api/v1/inboxes", server_message="bad key"
        )


async def test_a_refused_key_is_said_in_one_line_and_a_good_one_is_stored(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    app = make_app(tmp_path / "new.db", welcome=True, key_checker=_checker)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, WelcomeScreen)
        await wait_for_text(pilot, "Welcome to outreach-tui", "○ not connected")
        await pilot.press(*BASE_URL, "tab", *"wrong", "enter")
        await wait_for_text(pilot, "The server refused this API key.")
        assert memory_keyring.passwords == {}
        key = app.screen.query_one("#api-key")
        key.value = ""  # type: ignore[attr-defined]
        key.focus()
        await pilot.press(*GOOD_KEY, "enter")
        await wait_for(pilot, lambda: app.return_value == RESTART)
    assert memory_keyring.passwords == {(SERVICE_NAME, "test"): GOOD_KEY}
    config = load_config(app_paths())
    assert config.active_profile == "test"
    assert config.profile("test").base_url == BASE_URL
    assert GOOD_KEY not in app_paths().config_file.read_text(encoding="utf-8")


async def test_a_plain_http_url_is_refused_before_any_check(tmp_path: Path) -> None:
    checked: list[str] = []

    async def checker(base_url: str, api_key: str) -> None:
        checked.append(base_url)

    app = make_app(tmp_path / "new.db", welcome=True, key_checker=checker)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, WelcomeScreen)
        await pilot.press(*"http://api.example", "tab", *GOOD_KEY, "enter")
        await wait_for_text(pilot, "https")
        assert checked == []


async def test_open_the_demo_button_and_key(tmp_path: Path) -> None:
    app = make_app(tmp_path / "new.db", welcome=True, key_checker=_checker)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, WelcomeScreen)
        await pilot.click("#demo")
        await wait_for(pilot, lambda: app.return_value == DEMO)
    app = make_app(tmp_path / "new.db", welcome=True, key_checker=_checker)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, WelcomeScreen)
        await pilot.press("ctrl+d")
        await wait_for(pilot, lambda: app.return_value == DEMO)


async def test_this_session_only_keeps_the_key_in_memory(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    app = make_app(tmp_path / "new.db", welcome=True, key_checker=_checker)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, WelcomeScreen)
        await pilot.press(*BASE_URL, "tab", *GOOD_KEY)
        await pilot.click("#session")
        await wait_for(pilot, lambda: isinstance(app.return_value, SessionKey))
    assert isinstance(app.return_value, SessionKey)
    assert app.return_value.api_key == GOOD_KEY
    assert GOOD_KEY not in repr(app.return_value)
    assert memory_keyring.passwords == {}  # nothing stored
    config = load_config(app_paths())
    assert config.profile("test").base_url == BASE_URL  # the URL is no secret
    assert GOOD_KEY not in app_paths().config_file.read_text(encoding="utf-8")


async def test_without_a_keyring_connect_offers_this_session_only(tmp_path: Path) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())  # memory_keyring restores it
    app = make_app(tmp_path / "new.db", welcome=True, key_checker=_checker)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, WelcomeScreen)
        await pilot.press(*BASE_URL, "tab", *GOOD_KEY, "enter")
        error = app.screen.query_one("#welcome-error", Static)
        await wait_for(pilot, lambda: "keep the key in memory" in str(error.render()))
        assert "REACHKIT_API_KEY" in str(error.render())
        assert app.return_value is None
        assert not app.screen.query_one("#session", Button).disabled
        await pilot.click("#session")
        await wait_for(pilot, lambda: isinstance(app.return_value, SessionKey))


async def test_a_session_key_opens_the_workspace_without_the_welcome_screen(
    tmp_path: Path,
) -> None:
    paths = app_paths()
    save_config(Config(active_profile="work").with_profile(Profile("work", BASE_URL)), paths)
    context = resolve_context(argparse.Namespace(profile=None, base_url=None))
    assert _normal_launch(context).welcome  # type: ignore[attr-defined]
    launch = _normal_launch(context, SessionKey(GOOD_KEY))
    assert not launch.welcome  # type: ignore[attr-defined]
    client = launch.client_factory()  # type: ignore[attr-defined]
    assert client.base_url.startswith(BASE_URL)
    await client.aclose()

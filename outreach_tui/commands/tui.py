"""`outreach-tui` (no command) and `outreach-tui demo`: the TUI.

The demo runs the whole app on the in-process simulator (httpx's ASGITransport: nothing
leaves the machine) with its own temporary home, and new replies keep arriving.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path

import httpx

from outreach_tui.api import ReachkitClient
from outreach_tui.commands import CommandError
from outreach_tui.commands.context import CommandContext, resolve_context
from outreach_tui.config import Config, app_paths
from outreach_tui.credentials import CredentialStoreError, SessionKey, load_api_key
from outreach_tui.store.cache_file import CacheError

DEMO_API_KEY = "demo-key"
DEMO_LIVE_SECONDS = 15.0
DEMO_SYNC_SECONDS = 20.0


def _launch_app(launch: object) -> str | SessionKey | None:
    # Textual is imported here so the headless commands start fast.
    from outreach_tui.ui.app import OutreachApp

    return OutreachApp(launch).run()  # type: ignore[arg-type]


def _normal_launch(context: CommandContext, session_key: SessionKey | None = None) -> object:
    from outreach_tui.ui.app import Launch

    try:
        api_key = load_api_key(context.profile)
    except CredentialStoreError:
        api_key = None
    if api_key is None and session_key is not None:
        api_key = session_key.api_key
    client_factory = None
    if api_key and context.base_url:
        base_url = context.base_url
        budget = context.config.request_budget

        def client_factory() -> ReachkitClient:
            return ReachkitClient(base_url=base_url, api_key=api_key, requests_per_minute=budget)

    return Launch(
        profile=context.profile,
        db_path=context.db_path,
        config=context.config,
        paths=context.paths,
        client_factory=client_factory,
        base_url=context.base_url,
        welcome=client_factory is None and not context.db_path.exists(),
    )


def run_tui(args: argparse.Namespace) -> int:
    """Open the TUI on the active profile (the welcome screen on first run)."""
    session_key: SessionKey | None = None  # "this session only": in memory, until quit
    while True:
        context = resolve_context(args)
        try:
            result = _launch_app(_normal_launch(context, session_key))
        except CacheError as error:
            # Raised by the writer thread's start, before the screen is taken over: the
            # terminal is still the shell's, so one line says which file and what to do.
            raise CommandError(error.message) from None
        if result == "demo":
            return run_demo(argparse.Namespace(size=300, seed=1))
        if isinstance(result, SessionKey):
            session_key = result
            continue
        if result != "restart":
            return 0


def run_demo(args: argparse.Namespace) -> int:
    """The TUI on a demo workspace served in-process by the simulator."""
    from outreach_tui.simulator import create_app
    from outreach_tui.ui.app import Launch

    home = Path(tempfile.mkdtemp(prefix="outreach-tui-demo-"))
    try:
        os.environ["OUTREACH_TUI_HOME"] = str(home)
        paths = app_paths()
        simulator = create_app(
            api_keys=[DEMO_API_KEY],
            size=getattr(args, "size", 300),
            seed=getattr(args, "seed", 1),
            live_interval=DEMO_LIVE_SECONDS,
        )

        def client_factory() -> ReachkitClient:
            return ReachkitClient(
                base_url="http://127.0.0.1",
                api_key=DEMO_API_KEY,
                transport=httpx.ASGITransport(app=simulator),
                requests_per_minute=None,
            )

        launch = Launch(
            profile="demo",
            db_path=paths.profile_db("demo"),
            config=Config(active_profile="demo"),
            paths=paths,
            client_factory=client_factory,
            demo=True,
            sync_interval_seconds=DEMO_SYNC_SECONDS,
        )
        try:
            _launch_app(launch)
        finally:
            simulator.state.simulator.close()
    except OSError as error:
        raise CommandError(f"cannot start the demo: {error}") from None
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return 0

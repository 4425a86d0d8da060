"""What every command resolves first: the profile, its server, its key and its cache.

Precedence: command-line flag > environment (`REACHKIT_BASE_URL`, `REACHKIT_API_KEY`) >
the profile in config.toml > defaults (the cache file under the data dir).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from outreach_tui.api import ReachkitClient, ReachkitError
from outreach_tui.commands import EXIT_USAGE, CommandError
from outreach_tui.config import (
    BASE_URL_ENV,
    AppPaths,
    Config,
    ConfigError,
    app_paths,
    load_config,
    validate_base_url,
    validate_profile_name,
)
from outreach_tui.credentials import API_KEY_ENV, CredentialStoreError, load_api_key
from outreach_tui.store.cache_file import CacheError, cache_error
from outreach_tui.store.connection import open_for_reading, open_writer


@dataclass(frozen=True)
class CommandContext:
    """The resolved settings of one command invocation."""

    paths: AppPaths
    config: Config
    profile: str
    base_url: str | None
    db_path: Path

    def require_base_url(self) -> str:
        """The server to talk to, or a CommandError saying how to give one."""
        if not self.base_url:
            raise CommandError(
                f"no server for profile '{self.profile}': pass --base-url URL, set "
                f"{BASE_URL_ENV}, or run `outreach-tui login --base-url URL`"
            )
        return self.base_url

    def require_api_key(self) -> str:
        """The profile's API key, or a CommandError saying how to give one."""
        try:
            key = load_api_key(self.profile)
        except CredentialStoreError as error:
            raise CommandError(str(error)) from None
        if not key:
            raise CommandError(
                f"no API key for profile '{self.profile}': run `outreach-tui login` "
                f"or set {API_KEY_ENV}"
            )
        return key

    def client(self, **options: object) -> ReachkitClient:
        """A client for the profile's server (not yet entered: use `async with`)."""
        base_url = self.require_base_url()
        api_key = self.require_api_key()
        options.setdefault("requests_per_minute", self.config.request_budget)
        try:
            return ReachkitClient(base_url=base_url, api_key=api_key, **options)  # type: ignore[arg-type]
        except ReachkitError as error:
            raise CommandError(error.message) from None

    def open_db(self, *, write: bool = True) -> Database:
        """The cache, created and migrated if needed (the writer connection).

        `write=False` is for commands that only read: a current cache is then opened
        without writing anything (read-only files work too). A file that is not a usable
        cache (another application's, newer, damaged, read-only for a writer) ends the
        command with one sentence naming it.
        """
        try:
            return open_writer(self.db_path) if write else open_for_reading(self.db_path)
        except CacheError as error:
            raise CommandError(error.message) from None
        except OSError as error:
            raise CommandError(f"cannot open the cache {self.db_path}: {error.strerror}") from None


def cache_failure(args: argparse.Namespace, error: sqlite3.Error) -> CommandError | None:
    """The one-line failure for an SQLite error met while a command used the cache.

    A query that finds the file damaged, or a write that finds the disk full, surfaces
    wherever the command happened to be; this names the cache file and what to do. None
    when the error says nothing about the file (a programming error stays "unexpected").
    """
    try:
        path = resolve_context(args).db_path
    except CommandError:
        return None
    problem = cache_error(path, error)
    return None if problem is None else CommandError(problem.message)


def resolve_context(args: argparse.Namespace) -> CommandContext:
    """Resolve profile, base URL and cache path from the arguments, environment and config."""
    paths = app_paths()
    try:
        config = load_config(paths)
        profile_name = validate_profile_name(
            getattr(args, "profile", None) or config.active_profile
        )
    except ConfigError as error:
        raise CommandError(str(error), exit_code=EXIT_USAGE) from None
    profile = config.profile(profile_name)
    base_url = getattr(args, "base_url", None) or os.environ.get(BASE_URL_ENV) or profile.base_url
    if base_url:
        try:
            base_url = validate_base_url(base_url)
        except ConfigError as error:
            raise CommandError(str(error), exit_code=EXIT_USAGE) from None
    db = getattr(args, "db", None) or profile.db
    db_path = Path(db).expanduser() if db else paths.profile_db(profile_name)
    return CommandContext(
        paths=paths, config=config, profile=profile_name, base_url=base_url, db_path=db_path
    )

"""`outreach-tui login | logout`: the profile's API key in the OS keyring."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from dataclasses import replace

from outreach_tui.api import AuthenticationError, ReachkitClient, ReachkitError
from outreach_tui.commands import CommandError
from outreach_tui.commands.context import CommandContext, resolve_context
from outreach_tui.config import save_config
from outreach_tui.credentials import (
    API_KEY_ENV,
    CredentialStoreError,
    api_key_from_environment,
    delete_api_key,
    store_api_key,
)


def _read_key() -> str:
    """The key from a hidden prompt on a terminal, else the first line of stdin."""
    if sys.stdin is not None and sys.stdin.isatty():
        try:
            return getpass.getpass("Reachkit API key: ").strip()
        except EOFError:
            return ""
    if sys.stdin is None:
        return ""
    return sys.stdin.readline().strip()


async def _check_key(client: ReachkitClient) -> None:
    """One cheap authenticated request: proves the key before it is stored."""
    async with client:
        await client.list_inboxes(page=1, page_size=1)


def _save_base_url(context: CommandContext, base_url: str) -> None:
    """Write the server into the profile in config.toml (nothing written when unchanged)."""
    profile = context.config.profile(context.profile)
    if profile.base_url == base_url:
        return
    try:
        save_config(context.config.with_profile(replace(profile, base_url=base_url)), context.paths)
    except OSError as error:
        raise CommandError(
            f"cannot save profile '{context.profile}' in {context.paths.config_file}: "
            f"{error.strerror}"
        ) from None


def login(args: argparse.Namespace) -> int:
    """Check the key with one request, then save the profile's server and store the key.

    The server goes to config.toml, the key to the keyring only (never a file, never
    printed). Exit codes: 0 when both are saved; 1 when the key could not be checked
    (nothing is saved) or when no keyring backend works. In that last case the profile's
    server *is* saved, so later commands need no --base-url, and the message says the key
    was not stored and to set REACHKIT_API_KEY. It stays exit 1 because the contract says
    `login` stores the key: a script must not take a login without a key for a complete one.
    """
    context = resolve_context(args)
    base_url = context.require_base_url()
    key = _read_key()
    if not key:
        raise CommandError("no API key given (type it at the prompt or pipe it on stdin)")
    try:
        client = ReachkitClient(base_url=base_url, api_key=key)
        asyncio.run(_check_key(client))
    except AuthenticationError:
        raise CommandError(f"the server at {base_url} refused this API key") from None
    except ReachkitError as error:
        raise CommandError(f"could not check the key: {error.message}") from None
    # The server first: a headless box without a keyring still gets a usable profile.
    _save_base_url(context, base_url)
    try:
        store_api_key(context.profile, key)
    except CredentialStoreError as error:
        raise CommandError(
            f"profile '{context.profile}' saved with server {base_url}, but the API key was"
            f" NOT stored: {error.reason}; set {API_KEY_ENV} in the environment to use it"
        ) from None
    print(f"logged in: profile '{context.profile}' at {base_url} (key stored in the keyring)")
    return 0


def logout(args: argparse.Namespace) -> int:
    """Remove the profile's key from the keyring."""
    context = resolve_context(args)
    try:
        removed = delete_api_key(context.profile)
    except CredentialStoreError as error:
        raise CommandError(str(error)) from None
    if removed:
        print(f"logged out: the key of profile '{context.profile}' was removed from the keyring")
    else:
        print(f"profile '{context.profile}' had no key in the keyring")
    if api_key_from_environment():
        print(f"note: {API_KEY_ENV} is set in the environment and still applies", file=sys.stderr)
    return 0

"""`outreach-tui serve`: the TUI of a profile (or the demo) in a browser tab, behind a token.

Each browser session runs `python -m outreach_tui [--profile P]` (or `... demo`) as its own
process on the same cache, exactly as a terminal would: the command line names the profile
and never holds the API key (`ps` shows command lines to every user); the app finds the key
in the keyring or the environment as the TUI always does. The server lives in
`outreach_tui.serve`.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from outreach_tui.commands import EXIT_USAGE, CommandError
from outreach_tui.commands.context import resolve_context


def app_command(args: argparse.Namespace) -> tuple[list[str], str]:
    """The command line of one session's app and the page title; no secret in either."""
    command = [sys.executable, "-m", "outreach_tui"]
    if args.demo:
        return [*command, "demo", "--size", str(args.size), "--seed", str(args.seed)], "demo"
    context = resolve_context(args)  # a bad config is a usage error here, not in each tab
    command += ["--profile", context.profile]
    if getattr(args, "base_url", None):
        command += ["--base-url", args.base_url]
    if getattr(args, "db", None):
        command += ["--db", args.db]
    return command, context.profile


def check_host(host: str, allow_remote: bool) -> str | None:
    """None for a loopback host; the warning to print for a remote one allowed explicitly.

    Raises CommandError (exit 2) for a remote host without `--allow-remote`.
    """
    from outreach_tui.serve.access import is_loopback

    if not host.strip():
        # bind('') means every interface: never by accident for a server holding a key
        raise CommandError("--host: expected an address, e.g. 127.0.0.1", exit_code=EXIT_USAGE)
    if is_loopback(host):
        return None
    if not allow_remote:
        raise CommandError(
            f"--host {host} lets other machines reach the app and its API key; "
            "add --allow-remote to mean it",
            exit_code=EXIT_USAGE,
        )
    return (
        f"warning: serving on {host}, reachable from other machines; the connection is "
        "plain http (the token and everything on screen cross the network unencrypted) "
        "unless a TLS-terminating proxy is in front"
    )


def run(args: argparse.Namespace) -> int:
    """Serve until SIGINT or SIGTERM; print the tokenized URL once on stdout."""
    warning = check_host(args.host, args.allow_remote)
    argv, title = app_command(args)

    # imported here so other commands do not pay for aiohttp
    from outreach_tui.serve.access import TokenGate, new_token
    from outreach_tui.serve.browser import open_in_browser
    from outreach_tui.serve.server import ServeSettings, bind, public_url, serve

    try:
        sock = bind(args.host, args.port)
    except OSError as error:
        reason = error.strerror or str(error)
        raise CommandError(f"cannot listen on {args.host}:{args.port}: {reason}") from None
    token = new_token()
    gate = TokenGate(token, sock.getsockname()[1])
    base = public_url(sock)
    opened: list[Path] = []

    def announce() -> None:
        # The only line that ever holds the token: stdout, once, for the user to open.
        print(f"{base}/?token={token}", flush=True)
        what = "the demo workspace" if args.demo else f"profile '{title}'"
        holder = "" if args.demo else " with this profile's API key"
        print(
            f"outreach-tui serve: {what} on {base} (at most {args.max_sessions} sessions); "
            f"open the URL above: whoever has it drives the app{holder}. "
            "Ctrl+C stops the server.",
            file=sys.stderr,
            flush=True,
        )
        if warning:
            print(f"outreach-tui serve: {warning}", file=sys.stderr, flush=True)
        if args.open:
            redirect = open_in_browser(f"{base}/?token={token}")
            if redirect is None:
                print("outreach-tui serve: no browser to open", file=sys.stderr, flush=True)
            else:
                opened.append(redirect)

    settings = ServeSettings(
        app_argv=argv, title=f"outreach-tui — {title}", max_sessions=args.max_sessions
    )
    try:
        asyncio.run(serve(settings, sock, gate, announce))
    finally:
        sock.close()
        for path in opened:
            path.unlink(missing_ok=True)
    print("outreach-tui serve: stopped", file=sys.stderr, flush=True)
    return 0

"""Command-line entry point: parses arguments and dispatches to `outreach_tui.commands`.

The commands, flags, `--json` shapes and exit codes are a contract (DESIGN.md, "CLI
contract"): scripts, cron jobs and tests drive them. Extend, never rename.

Exit codes: 0 ok, 1 failure, 2 usage error, 3 a check found problems.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from outreach_tui import __version__
from outreach_tui.commands import CommandError, arguments
from outreach_tui.core.exception_groups import first_error
from outreach_tui.core.labels import parse_label


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line (exit 2), per the CLI contract."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _global_options(*, suppress_defaults: bool) -> argparse.ArgumentParser:
    """The options accepted both before and after the command name.

    The sub-command copies use SUPPRESS so that a value given before the command is not
    overwritten by the sub-parser's default.
    """
    parent = _Parser(add_help=False)
    default = argparse.SUPPRESS if suppress_defaults else None
    parent.add_argument(
        "--profile",
        metavar="NAME",
        type=arguments.profile_name,
        default=default,
        help="profile to use",
    )
    parent.add_argument(
        "--base-url",
        metavar="URL",
        type=arguments.base_url,  # checked before any command runs: exit 2, one line
        default=default,
        help="Reachkit API base URL",
    )
    parent.add_argument(
        "--db", metavar="PATH", type=arguments.file_path, default=default, help="pin the cache file"
    )
    return parent


def _export_format(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--json", action="store_true", help="print JSON")
    group.add_argument("--csv", action="store_true", help="print CSV")


def build_parser() -> argparse.ArgumentParser:
    """Build the full argument parser of the CLI contract."""
    common = _global_options(suppress_defaults=True)
    parser = _Parser(
        prog="outreach-tui",
        description="Unified inbox and campaign console for Reachkit.",
        parents=[_global_options(suppress_defaults=False)],
    )
    parser.add_argument("--version", action="version", version=f"outreach-tui {__version__}")
    parser.set_defaults(handler="outreach_tui.commands.tui:run_tui")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, handler: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, parents=[common], help=help_text)
        sub.set_defaults(handler=handler)
        return sub

    demo = command(
        "demo", "outreach_tui.commands.tui:run_demo", "the TUI on an in-process demo workspace"
    )
    demo.add_argument("--size", type=arguments.size, default=300, help="conversations to seed")
    demo.add_argument("--seed", type=arguments.seed, default=1, help="random seed of the demo data")

    command("login", "outreach_tui.commands.auth:login", "store the API key in the keyring")
    command("logout", "outreach_tui.commands.auth:logout", "remove the API key from the keyring")

    sync = command("sync", "outreach_tui.commands.sync:run", "headless pull + push")
    sync.add_argument("--full", action="store_true", help="full walk (detects deletions)")
    direction = sync.add_mutually_exclusive_group()
    direction.add_argument("--pull-only", action="store_true", help="only pull")
    direction.add_argument("--push-only", action="store_true", help="only push the outbox")
    sync.add_argument("--json", action="store_true", help="print a JSON summary on stdout")
    sync.add_argument(
        "--no-wait",
        action="store_true",
        help="exit 1 at once when another sync of this cache runs (default: wait for it)",
    )

    status = command("status", "outreach_tui.commands.status:run", "cache and outbox counts")
    status.add_argument("--json", action="store_true", help="print JSON")

    sim = command(
        "simulator",
        "outreach_tui.commands.simulator:run",
        "serve the Reachkit simulator on loopback",
    )
    sim.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    sim.add_argument("--port", type=arguments.port, default=8765, help="port (0 picks a free one)")
    sim.add_argument("--size", type=arguments.size, default=300, help="conversations to seed")
    sim.add_argument("--seed", type=arguments.seed, default=1, help="random seed")
    sim.add_argument(
        "--api-key",
        action="append",
        dest="api_keys",
        metavar="KEY",
        help="accepted API key; repeat for more workspaces (default: a generated key)",
    )
    sim.add_argument(
        "--rate-limit",
        metavar="N/min",
        help="e.g. 60/min or 5/s; add ' silent' for 429 + Retry-After only (no X-RateLimit-*)",
    )
    sim.add_argument("--faults", metavar="SPEC", help="e.g. 5xx=0.1,latency=200ms,drop=0.05")
    sim.add_argument(
        "--live",
        metavar="SECONDS",
        type=arguments.live_seconds,
        default=0.0,
        help="every SECONDS a new reply arrives and campaign numbers grow (0: off)",
    )

    serve = command(
        "serve",
        "outreach_tui.commands.serve:run",
        "the TUI in a browser tab, behind a random token",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument(
        "--port", type=arguments.port, default=8088, help="port (default 8088; 0 picks a free one)"
    )
    serve.add_argument("--open", action="store_true", help="open the page in the browser")
    serve.add_argument("--demo", action="store_true", help="serve the demo workspace instead")
    serve.add_argument(
        "--size", type=arguments.size, default=300, help="with --demo: conversations to seed"
    )
    serve.add_argument(
        "--seed", type=arguments.seed, default=1, help="with --demo: random seed of the demo data"
    )
    serve.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a --host other machines can reach (plain http: put TLS in front)",
    )
    serve.add_argument(
        "--max-sessions",
        type=arguments.max_sessions,
        default=2,
        help="browser sessions (app processes) at a time (default 2)",
    )

    inbox = command("inbox", "outreach_tui.commands.inbox:missing_subcommand", "conversations")
    inbox_commands = inbox.add_subparsers(dest="inbox_command", metavar="SUBCOMMAND")

    def inbox_command(name: str, handler: str, help_text: str) -> argparse.ArgumentParser:
        sub = inbox_commands.add_parser(name, parents=[common], help=help_text)
        sub.set_defaults(handler=f"outreach_tui.commands.inbox:{handler}")
        return sub

    inbox_list = inbox_command("list", "list_conversations", "list conversations")
    inbox_list.add_argument("--folder", choices=("primary", "others"))
    inbox_list.add_argument(
        "--label",
        type=_label_argument,
        metavar="LABEL",
        help="a label's value, display name or short name (meeting, ooo), or none",
    )
    inbox_list.add_argument("--unread", action="store_true", help="only unread conversations")
    inbox_list.add_argument(
        "--search",
        metavar="TEXT",
        help='words, "phrases", -word, and from: to: label: campaign: inbox: is: has:'
        " before: after: (see the README)",
    )
    inbox_list.add_argument("--limit", type=arguments.limit, default=50)
    inbox_list.add_argument("--json", action="store_true")

    inbox_show = inbox_command("show", "show_conversation", "show a conversation")
    inbox_show.add_argument("id", metavar="ID")
    inbox_show.add_argument("--json", action="store_true")

    inbox_label = inbox_command("label", "label_conversations", "set or clear the label override")
    inbox_label.add_argument("targets", nargs="+", metavar="ID... LABEL")
    inbox_label.add_argument("--revert", action="store_true", help="clear the override")

    inbox_read = inbox_command("read", "mark_read", "mark conversations read")
    inbox_read.add_argument("ids", nargs="+", metavar="ID")
    inbox_unread = inbox_command("unread", "mark_unread", "mark conversations unread")
    inbox_unread.add_argument("ids", nargs="+", metavar="ID")

    inbox_reply = inbox_command("reply", "reply", "queue a reply")
    inbox_reply.add_argument("id", metavar="ID")
    body = inbox_reply.add_mutually_exclusive_group()
    body.add_argument("--body", metavar="TEXT", help="reply text")
    body.add_argument("--body-file", metavar="PATH", help="read the reply from a file")
    inbox_reply.add_argument(
        "--allow-missing",
        action="store_true",
        help="send a merge tag with no value and no fallback as empty (default: refuse)",
    )

    inbox_snooze = inbox_command(
        "snooze", "snooze", "hide conversations until a time (local to this cache)"
    )
    inbox_snooze.add_argument("ids", nargs="+", metavar="ID")
    inbox_snooze.add_argument(
        "--until",
        required=True,
        metavar="WHEN",
        help="3d, 2h, tomorrow, fri 14:00, mon 9am, 2026-12-24 08:30 (local time)",
    )
    inbox_snooze.add_argument("--json", action="store_true")
    inbox_unsnooze = inbox_command("unsnooze", "unsnooze", "bring snoozed conversations back now")
    inbox_unsnooze.add_argument("ids", nargs="+", metavar="ID")
    inbox_unsnooze.add_argument("--json", action="store_true")

    campaigns = command(
        "campaigns", "outreach_tui.commands.campaigns:missing_subcommand", "campaigns"
    )
    campaign_commands = campaigns.add_subparsers(dest="campaigns_command", metavar="SUBCOMMAND")
    campaigns_list = campaign_commands.add_parser("list", parents=[common], help="list campaigns")
    campaigns_list.set_defaults(handler="outreach_tui.commands.campaigns:list_campaigns")
    _export_format(campaigns_list)
    campaigns_show = campaign_commands.add_parser("show", parents=[common], help="one campaign")
    campaigns_show.set_defaults(handler="outreach_tui.commands.campaigns:show_campaign")
    campaigns_show.add_argument("id", metavar="ID")
    _export_format(campaigns_show)

    inboxes = command(
        "inboxes", "outreach_tui.commands.inboxes:missing_subcommand", "sending inboxes"
    )
    inbox_account_commands = inboxes.add_subparsers(dest="inboxes_command", metavar="SUBCOMMAND")
    inboxes_list = inbox_account_commands.add_parser(
        "list", parents=[common], help="list inboxes with health and warnings"
    )
    inboxes_list.set_defaults(handler="outreach_tui.commands.inboxes:list_inboxes")
    _export_format(inboxes_list)
    inboxes_check = inbox_account_commands.add_parser(
        "check", parents=[common], help="exit 3 when an inbox needs attention"
    )
    inboxes_check.set_defaults(handler="outreach_tui.commands.inboxes:check_inboxes")

    cache = command("cache", "outreach_tui.commands.cache:missing_subcommand", "the cache file")
    cache_commands = cache.add_subparsers(dest="cache_command", metavar="SUBCOMMAND")
    cache_check = cache_commands.add_parser(
        "check", parents=[common], help="integrity + full-text index check (exit 1 if damaged)"
    )
    cache_check.set_defaults(handler="outreach_tui.commands.cache:check")
    _snippet_commands(
        command("snippets", _SNIPPETS + "missing_subcommand", "saved replies"), common
    )
    return parser


_SNIPPETS = "outreach_tui.commands.snippets:"


def _snippet_commands(snippets: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """`snippets list|show NAME|add NAME --body-file F|rm NAME [--json]` (local to the cache)."""
    commands = snippets.add_subparsers(dest="snippets_command", metavar="SUBCOMMAND")

    def snippet_command(name: str, handler: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, parents=[common], help=help_text)
        sub.set_defaults(handler=_SNIPPETS + handler)
        sub.add_argument("--json", action="store_true", help="print JSON")
        return sub

    snippet_command("list", "list_all", "list the saved replies")
    snippet_command("show", "show", "print a snippet's text").add_argument("name", metavar="NAME")
    add = snippet_command("add", "add", "save a snippet (merge tags kept as written)")
    add.add_argument("name", metavar="NAME", type=arguments.snippet_name)
    add.add_argument("--body-file", metavar="PATH", required=True, help="the text; - reads stdin")
    add.add_argument("--force", action="store_true", help="replace a snippet of that name")
    snippet_command("rm", "remove", "delete a snippet").add_argument("name", metavar="NAME")


def _resolve(handler: str) -> Callable[[argparse.Namespace], int | None]:
    module_name, _, function_name = handler.partition(":")
    return getattr(importlib.import_module(module_name), function_name)


def _run(args: argparse.Namespace) -> int:
    """Run the command's handler; an SQLite failure of the cache file becomes a CommandError."""
    handler = _resolve(args.handler)
    try:
        return int(handler(args) or 0)
    except sqlite3.Error as error:
        # A damaged page met by a query, a disk that fills up during a sync: the user
        # reads which file and what to do, not "unexpected error".
        from outreach_tui.commands.context import cache_failure

        failure = cache_failure(args, error)
        if failure is None:
            raise
        raise failure from None


def _run_unwrapped(args: argparse.Namespace) -> int:
    """`_run`, with an exception group replaced by the first error inside it.

    anyio's task groups (httpx, the sync engine) wrap whatever went wrong, Ctrl-C and our
    own CommandError included; unwrapped, each gets its own handling in `main` instead of
    "unhandled errors in a TaskGroup".
    """
    try:
        return _run(args)
    except BaseExceptionGroup as group:
        raise first_error(group) from group


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return _run_unwrapped(args)
    except CommandError as error:
        print(f"outreach-tui: {error}", file=sys.stderr)
        return error.exit_code
    except BrokenPipeError:
        # The reader went away (`... | head`): stop quietly, like other Unix tools.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except KeyboardInterrupt:
        print("outreach-tui: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # the last line of defence: one line, never a traceback
        if os.environ.get("OUTREACH_TUI_DEBUG"):
            raise
        print(
            f"outreach-tui: unexpected error ({type(error).__name__}): {error}"
            " (set OUTREACH_TUI_DEBUG=1 for details)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())


def _label_argument(text: str) -> str:
    """argparse type for `--label`: any spelling `core.labels.parse_label` accepts."""
    try:
        return parse_label(text, allow_none=True)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None

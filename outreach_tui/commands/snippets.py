"""`outreach-tui snippets ...`: saved replies, kept in the cache of the profile.

The API has no snippets: they live in the local cache only, so every command here works
offline and none queues anything for `sync`. Names are unique ignoring case.
"""

from __future__ import annotations

import argparse
import sys

from outreach_tui.commands import EXIT_USAGE, CommandError
from outreach_tui.commands.body_input import read_body_file, read_stdin_body
from outreach_tui.commands.context import resolve_context
from outreach_tui.commands.output import print_json, print_table, safe
from outreach_tui.core.sanitize import sanitize_text
from outreach_tui.store.edits.body import MAX_BODY_BYTES, BodyRejected
from outreach_tui.store.edits.common import EditError
from outreach_tui.store.edits.snippets import SnippetExists, delete_snippet, save_snippet
from outreach_tui.store.queries.snippets import Snippet, get_snippet, list_snippets


def missing_subcommand(args: argparse.Namespace) -> int:
    """`snippets` alone is a usage error."""
    raise CommandError("snippets needs a subcommand: list, show, add, rm", exit_code=EXIT_USAGE)


def _not_found(name: str) -> CommandError:
    return CommandError(f"no snippet {safe(name, 80)!r} in the cache")


def _first_line(body: str) -> str:
    return next((line for line in body.splitlines() if line.strip()), "")


def list_all(args: argparse.Namespace) -> int:
    """`snippets list [--json]`: every snippet, by name."""
    db = resolve_context(args).open_db(write=False)
    try:
        snippets = list_snippets(db)
    finally:
        db.close()
    if args.json:
        print_json([snippet.to_json() for snippet in snippets])
        return 0
    if not snippets:
        print(
            "no snippets in the cache (add one: `outreach-tui snippets add NAME --body-file F`)",
            file=sys.stderr,
        )
        return 0
    rows = [
        [
            safe(s.name, 80),
            safe(s.updated_at[:16].replace("T", " "), 16),
            safe(_first_line(s.body), 60),
        ]
        for s in snippets
    ]
    print_table(rows, ["NAME", "UPDATED", "FIRST LINE"])
    return 0


def _print_body(snippet: Snippet) -> None:
    """The body as it is, minus escape sequences, controls and bidi overrides."""
    text = sanitize_text(snippet.body, max_chars=MAX_BODY_BYTES).text
    print(text, end="" if text.endswith("\n") else "\n")


def show(args: argparse.Namespace) -> int:
    """`snippets show NAME [--json]`: the body (or the whole snippet as JSON)."""
    db = resolve_context(args).open_db(write=False)
    try:
        snippet = get_snippet(db, args.name)
    finally:
        db.close()
    if snippet is None:
        raise _not_found(args.name)
    if args.json:
        print_json(snippet.to_json())
    else:
        _print_body(snippet)
    return 0


def add(args: argparse.Namespace) -> int:
    """`snippets add NAME --body-file F [--force] [--json]` (`-` reads stdin)."""
    try:
        body = (
            read_stdin_body("snippet")
            if args.body_file == "-"
            else read_body_file(args.body_file, "snippet")
        )
    except BodyRejected as error:
        raise CommandError(str(error)) from None
    if not body.strip():
        raise CommandError("the snippet is empty; nothing saved")
    db = resolve_context(args).open_db()
    try:
        snippet = save_snippet(db, args.name, body, overwrite=args.force)
    except EditError as error:
        hint = " (--force replaces it)" if isinstance(error, SnippetExists) else ""
        raise CommandError(safe(str(error), 300) + hint) from None
    finally:
        db.close()
    if args.json:
        print_json(snippet.to_json())
    else:
        print(f"snippet {safe(snippet.name, 80)!r} saved (kept in this cache only)")
    return 0


def remove(args: argparse.Namespace) -> int:
    """`snippets rm NAME [--json]`: delete a snippet (the removed one is printed as JSON)."""
    db = resolve_context(args).open_db()
    try:
        snippet = get_snippet(db, args.name)
        if snippet is None:
            raise _not_found(args.name)
        delete_snippet(db, snippet.name)
    finally:
        db.close()
    if args.json:
        print_json(snippet.to_json())
    else:
        print(f"snippet {safe(snippet.name, 80)!r} removed")
    return 0

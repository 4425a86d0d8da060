"""`outreach-tui cache check`: is the cache file healthy?

Runs SQLite's integrity check and the full-text index's own check without writing the
file (see `store.cache_file.check_cache`). Prints one line per finding on stdout; a
damaged cache ends with exit 1 and one line on stderr saying what to do.
"""

from __future__ import annotations

import argparse

from outreach_tui.commands import EXIT_OK, EXIT_USAGE, CommandError
from outreach_tui.commands.context import resolve_context
from outreach_tui.commands.output import safe
from outreach_tui.store.cache_file import CacheError, CacheKind, check_cache


def missing_subcommand(args: argparse.Namespace) -> int:
    """`cache` alone is a usage error."""
    raise CommandError("cache needs a subcommand: check", exit_code=EXIT_USAGE)


def check(args: argparse.Namespace) -> int:
    """Check the profile's cache: exit 0 when healthy, 1 when damaged or not checkable."""
    path = resolve_context(args).db_path
    try:
        result = check_cache(path)
    except CacheError as error:
        raise CommandError(error.message) from None
    if result.kind is CacheKind.MISSING:
        raise CommandError(f"no cache at {path} yet (`outreach-tui sync` creates it)")
    if result.ok:
        note = " (empty: not filled yet)" if result.kind is CacheKind.EMPTY else ""
        print(f"cache {path}: ok{note}")
        return EXIT_OK
    for problem in result.problems:
        # SQLite's findings quote no email content, but keep a hostile file name harmless.
        print(f"cache {path}: {safe(problem, 300)}")
    raise CommandError(
        f"{path} is damaged ({len(result.problems)} problem(s) found); move it away and "
        "run `outreach-tui sync` to rebuild it"
    )

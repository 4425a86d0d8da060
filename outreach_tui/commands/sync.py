"""`outreach-tui sync`: headless pull + push; progress on stderr, summary on stdout."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from typing import TextIO

from outreach_tui.api import NetworkError
from outreach_tui.commands import EXIT_FAILURE, EXIT_OK, CommandError
from outreach_tui.commands.context import resolve_context
from outreach_tui.commands.output import safe
from outreach_tui.store.sync_lock import SyncBusy, holder_text
from outreach_tui.sync.engine import SyncOptions, run_sync
from outreach_tui.sync.progress import SyncProgress, SyncReport


class ProgressPrinter:
    """Prints sync progress to a stream: rewritten in place on a terminal; otherwise one
    line when a resource starts, at most one every `interval` seconds, and its last state."""

    def __init__(self, stream: TextIO, interval: float = 2.0) -> None:
        self.stream = stream
        self.interactive = stream.isatty()
        self.interval = interval
        self._last_print = 0.0
        self._current: SyncProgress | None = None
        self._shown = True  # whether the current state has been written

    @staticmethod
    def _line(event: SyncProgress) -> str:
        return f"sync: {event.describe()}"

    def __call__(self, event: SyncProgress) -> None:
        previous = self._current
        new_resource = previous is None or previous.resource != event.resource
        if new_resource and previous is not None:
            self._finish_line()
        self._current, self._shown = event, False
        now = time.monotonic()
        if self.interactive:
            self.stream.write("\r\x1b[2K" + self._line(event))
            self.stream.flush()
        elif new_resource or now - self._last_print >= self.interval:
            self._write_current()
            self._last_print = now

    def _write_current(self) -> None:
        assert self._current is not None
        self.stream.write(self._line(self._current) + "\n")
        self.stream.flush()
        self._shown = True

    def _finish_line(self) -> None:
        if self.interactive:
            self.stream.write("\n")
            self.stream.flush()
        elif not self._shown:
            self._write_current()

    def close(self) -> None:
        """End the display with the final state of the last resource."""
        if self._current is not None:
            self._finish_line()
        self._current = None


def _summary_line(report: SyncReport) -> str:
    pulled = ", ".join(f"{n} {name}" for name, n in report.pulled.items() if n) or "nothing new"
    parts = [f"pulled {pulled}", f"pushed {report.pushed}"]
    if report.recovered:
        parts.append(f"{report.recovered} interrupted write(s) found already on the server")
    if report.failed:
        parts.append(f"{report.failed} push(es) refused")
    if report.conflicts:
        parts.append(f"{report.conflicts} conflict(s) to resolve")
    if report.overwritten:
        parts.append(f"{report.overwritten} server value(s) overwritten (see the conflict log)")
    if report.skipped:
        parts.append(f"{len(report.skipped)} malformed record(s) skipped")
    if report.cancelled:
        parts.append("cancelled")
    outcome = "done" if report.ok else "FAILED"
    return f"sync {outcome}: " + "; ".join(parts)


def _error_lines(report: SyncReport, base_url: str) -> list[str]:
    """One line per problem; the error that ended an unreachable run names the server
    (and says "could not be reached" only when the network failed: a server that answered
    with something unusable, such as a proxy's HTML page, was reached)."""
    lines = []
    for index, error in enumerate(report.errors):
        if report.unreachable and index == len(report.errors) - 1:
            what = "could not be reached" if error.startswith(NetworkError.title) else "failed"
            lines.append(f"sync: the server at {base_url} {what}: {error}")
        else:
            lines.append(f"sync: {error}")
    return lines


def run(args: argparse.Namespace) -> int:
    """Pull then push (or one of them); exit 1 when the server was unreachable or a push
    failed, with the reason on stderr (and in the JSON summary).

    Another sync of the same cache is waited for (one line on stderr), or with `--no-wait`
    ends the command at once (exit 1)."""
    context = resolve_context(args)
    options = SyncOptions(pull=not args.push_only, push=not args.pull_only, full=args.full)
    client = context.client()
    db = context.open_db()
    printer = ProgressPrinter(sys.stderr)

    def waiting(pid: int | None) -> None:
        print(f"waiting for another sync of this cache{holder_text(pid)}…", file=sys.stderr)

    async def sync() -> SyncReport:
        async with client:
            return await run_sync(
                client, db, options, on_progress=printer, wait=not args.no_wait, on_wait=waiting
            )

    try:
        report = asyncio.run(sync())
    except SyncBusy as busy:
        raise CommandError(busy.message) from None
    finally:
        printer.close()
        db.close()
    for record in report.skipped:
        # ids and reasons quote the server: printed through `safe`, never raw
        print(
            f"sync: skipped malformed {record['resource']} record"
            f" {safe(record['id'] or '(no id)', 80)}: {safe(record['reason'])}",
            file=sys.stderr,
        )
    for line in _error_lines(report, context.require_base_url()):
        print(safe(line, 1000), file=sys.stderr)
    print(_summary_line(report), file=sys.stderr)
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
    return EXIT_OK if report.ok else EXIT_FAILURE

"""`outreach-tui status`: cache counts, outbox counts, last sync per resource."""

from __future__ import annotations

import argparse
import json

from outreach_tui.commands.context import resolve_context
from outreach_tui.store.status import store_status


def run(args: argparse.Namespace) -> int:
    """Print the status of the profile's cache (works offline)."""
    context = resolve_context(args)
    db = context.open_db(write=False)
    try:
        status = store_status(db)
    finally:
        db.close()
    if args.json:
        print(json.dumps(status, indent=2))
        return 0
    print(f"profile: {context.profile}")
    print(f"server: {context.base_url or '(not set)'}")
    print(f"cache: {context.db_path}")
    counts = ", ".join(f"{n} {name}" for name, n in status["counts"].items())
    print(f"cached: {counts}")
    outbox = ", ".join(f"{n} {state}" for state, n in status["outbox"].items())
    print(f"outbox: {outbox}")
    print(f"last sync: {status['last_sync'] or 'never'}")
    return 0

"""What a person typed for a conversation or a campaign, made into its id (a full id, a
unique start of one, or a campaign's name), or a usage error that says why not."""

from __future__ import annotations

from sqlite_utils import Database

from outreach_tui.commands import EXIT_USAGE, CommandError
from outreach_tui.commands.output import safe
from outreach_tui.store.queries.ids import (
    SHOWN_CANDIDATES,
    campaign_ids_named,
    ids_starting_with,
)


def resolve_id(db: Database, resource: str, typed: str) -> str:
    """The id `typed` names. Unknown: `typed` itself (the caller says "no … in the
    cache"). Ambiguous: a usage error listing some of the candidates."""
    found = ids_starting_with(db, resource, typed.strip())
    by_name = False
    if not found and resource == "campaign":
        found, by_name = campaign_ids_named(db, typed), True
    if len(found) == 1:
        return found[0]
    if not found:
        return typed
    shown = ", ".join(safe(i, 40) for i in found[:SHOWN_CANDIDATES])
    more = " …" if len(found) > SHOWN_CANDIDATES else ""
    if by_name:
        message = f"several campaigns are named {safe(typed, 40)!r}: {shown}{more}; use the id"
    else:
        message = (
            f"{safe(typed, 40)!r} matches several {resource}s: {shown}{more}; type more of the id"
        )
    raise CommandError(message, exit_code=EXIT_USAGE)

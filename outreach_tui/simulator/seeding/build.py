"""Building a whole seeded workspace, deterministically from (seed, key index, size).

Everything (ids, names, texts, numbers, relative dates) follows from the seed; dates are
laid out backwards from the `anchor`, the simulator's start time rounded down to the
minute, so a workspace always looks fresh (the newest threads minutes old, analytics
ending today).
"""

from __future__ import annotations

import gc
import random

from outreach_tui.simulator.blocklist import BlockedEmail
from outreach_tui.simulator.clock import DAY
from outreach_tui.simulator.seeding.accounts import seed_campaigns, seed_inboxes
from outreach_tui.simulator.seeding.people import seed_conversations
from outreach_tui.simulator.workspace import Workspace

_BLOCKED_DEFAULTS = (
    "legal@bigcorp.example",
    "noreply@competitor.example",
    "ceo@do-not-contact.example",
    "Procurement@Globex.example",
    "abuse@spamtrap.example",
)


def build_workspace(seed: int, key_index: int, size: int, anchor: int) -> Workspace:
    """A workspace with `size` conversations; `anchor` is "now" for the seeded dates."""
    workspace = Workspace(seed, key_index, anchor)
    rng = random.Random(f"reachkit-seed:{seed}:{key_index}")
    # hundreds of thousands of small objects: cyclic GC passes would only cost time here,
    # and freezing afterwards keeps later collections from rescanning the seeded data
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        seed_inboxes(workspace, rng, size)
        seed_campaigns(workspace, rng, size)
        seed_conversations(workspace, rng, size)
        _seed_blocklist(workspace, rng)
    finally:
        if was_enabled:
            gc.enable()
    gc.freeze()
    return workspace


def _seed_blocklist(workspace: Workspace, rng: random.Random) -> None:
    unsubscribed = [lead.email for lead in workspace.leads.values() if lead.is_unsubscribed]
    emails = list(_BLOCKED_DEFAULTS) + unsubscribed[: rng.randint(3, 8)]
    start = workspace.anchor - 90 * DAY
    for number, email in enumerate(emails):
        if workspace.blocklist.find(email) is not None:
            continue
        created = start + number * rng.randint(DAY // 2, 8 * DAY)
        workspace.blocklist.add(
            BlockedEmail(workspace.ids.new(), email, min(created, workspace.anchor))
        )

"""Ingest of API-shaped objects into the cache, one transaction per call (= per page).

Every function takes plain mappings exactly as the API returns them (pydantic models
dumped with `model_dump(mode="json")` work too), tolerates missing optional fields and
unknown values, and never clobbers a pending local edit: server columns are updated, the
effective columns keep the local value while an outbox item for the field is active.
"""

from outreach_tui.store.ingest.campaigns import (
    upsert_campaign_analytics,
    upsert_campaign_detail,
    upsert_campaigns,
    upsert_sequences,
)
from outreach_tui.store.ingest.conversations import upsert_conversations
from outreach_tui.store.ingest.leads import upsert_blocklist, upsert_leads
from outreach_tui.store.ingest.mailboxes import (
    upsert_inbox_detail,
    upsert_inboxes,
    upsert_warmup_stats,
)
from outreach_tui.store.ingest.reconcile import remove_missing
from outreach_tui.store.ingest.result import IngestResult

__all__ = [
    "IngestResult",
    "remove_missing",
    "upsert_blocklist",
    "upsert_campaign_analytics",
    "upsert_campaign_detail",
    "upsert_campaigns",
    "upsert_conversations",
    "upsert_inbox_detail",
    "upsert_inboxes",
    "upsert_leads",
    "upsert_sequences",
    "upsert_warmup_stats",
]

"""ReachkitClient: every endpoint of the reference on one async client."""

from __future__ import annotations

from outreach_tui.api.blocklist import BlocklistEndpoints
from outreach_tui.api.campaigns import CampaignEndpoints
from outreach_tui.api.conversations import ConversationEndpoints
from outreach_tui.api.inboxes import InboxEndpoints
from outreach_tui.api.leads import LeadEndpoints
from outreach_tui.api.sequences import SequenceEndpoints


class ReachkitClient(
    ConversationEndpoints,
    CampaignEndpoints,
    InboxEndpoints,
    LeadEndpoints,
    SequenceEndpoints,
    BlocklistEndpoints,
):
    """The typed async client of the Reachkit API; use it as an async context manager.

        async with ReachkitClient(base_url="https://reachkit.example", api_key=key) as client:
            async for conversation in client.iter_conversations(folder="primary"):
                ...

    Keywords: `transport` (an httpx transport, e.g. httpx.ASGITransport(app)),
    `requests_per_minute` (a ceiling on the request rate; default None: the pace is the
    server's, announced in `X-RateLimit-*` or learned from its 429s), `start_rate` (the
    first guess, in requests/s, for a server that announces nothing; None: unpaced until
    it refuses a request), `max_concurrency` (default 4), `connect_timeout` (5 s),
    `read_timeout` (30 s), `retry` (a RetryPolicy),
    `max_response_bytes` and `max_download_bytes` (size caps). The key travels only in
    `Authorization: Bearer`; a non-https base URL is refused unless its host is loopback.
    """

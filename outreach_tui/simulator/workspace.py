"""One API key's workspace: every record it owns, plus the helpers handlers share."""

from __future__ import annotations

import random
from typing import Any

from outreach_tui.simulator import clock, live
from outreach_tui.simulator.blocklist import Blocklist
from outreach_tui.simulator.campaign_stats import compute_stats, summary
from outreach_tui.simulator.campaigns import Campaign, campaign_json
from outreach_tui.simulator.conversations import Conversation, ConversationIndex
from outreach_tui.simulator.errors import not_found
from outreach_tui.simulator.ids import IdFactory
from outreach_tui.simulator.inboxes import Inbox, inbox_summary
from outreach_tui.simulator.leads import Lead
from outreach_tui.simulator.threads import Persona, ThreadRenderer


class Workspace:
    """The data behind one API key, seeded from (seed, key index)."""

    def __init__(self, seed: int, key_index: int, anchor: int) -> None:
        self.seed = seed
        self.key_index = key_index
        self.anchor = anchor
        self.ids = IdFactory(f"reachkit-ids:{seed}:{key_index}")
        self.inboxes: dict[str, Inbox] = {}
        self.campaigns: dict[str, Campaign] = {}
        self.leads: dict[str, Lead] = {}
        self.blocklist = Blocklist()
        self.conversations: dict[str, Conversation] = {}
        self.index = ConversationIndex()
        self.personas: dict[str, Persona] = {}
        self.renderer = ThreadRenderer(self.personas)
        self.live_rng = random.Random(f"reachkit-live:{seed}:{key_index}")
        self.version = 0
        self._stats: dict[str, tuple[tuple[int, int, str], dict[str, Any]]] = {}

    # -- time and change tracking -------------------------------------------------------

    def now(self) -> int:
        """The current time, never before the seeded data's anchor."""
        return max(clock.now(), self.anchor)

    def touch(self) -> None:
        """Record that something changed (invalidates every cached statistic)."""
        self.version += 1

    def touch_conversation(self, conversation: Conversation) -> None:
        """A conversation changed: only its lead's campaign has statistics to redo."""
        lead = self.leads.get(conversation.lead_id or "")
        campaign = self.campaigns.get(lead.campaign_id) if lead else None
        if campaign is not None:
            campaign.revision += 1

    # -- lookups that answer 404 --------------------------------------------------------

    def campaign(self, campaign_id: str) -> Campaign:
        """The campaign with this id, or ApiError 404."""
        campaign = self.campaigns.get(campaign_id)
        if campaign is None:
            raise not_found("campaign")
        return campaign

    def inbox(self, inbox_id: str) -> Inbox:
        """The inbox with this id, or ApiError 404."""
        inbox = self.inboxes.get(inbox_id)
        if inbox is None:
            raise not_found("inbox")
        return inbox

    def conversation(self, conversation_id: str) -> Conversation:
        """The conversation with this id, or ApiError 404."""
        conversation = self.conversations.get(conversation_id)
        if conversation is None:
            raise not_found("conversation")
        return conversation

    # -- projections --------------------------------------------------------------------

    def campaign_stats(self, campaign: Campaign) -> dict[str, Any]:
        """Full statistics of a campaign, cached until something they depend on changes.

        `touch()` invalidates every campaign; a conversation change only its lead's campaign
        (`touch_conversation`), so triaging the inbox does not recount every campaign.
        """
        now = self.now()
        key = (self.version, campaign.revision, clock.day(now))
        cached = self._stats.get(campaign.id)
        if cached is not None and cached[0] == key:
            return cached[1]
        stats = compute_stats(self, campaign, now)
        self._stats[campaign.id] = (key, stats)
        return stats

    def campaign_view(self, campaign: Campaign, *, detail: bool) -> dict[str, Any]:
        """The campaign projection; `detail` adds stats.daily and stats.sequences."""
        stats = self.campaign_stats(campaign)
        inboxes = [inbox_summary(self.inboxes[inbox_id]) for inbox_id in campaign.inbox_ids]
        return campaign_json(campaign, dict(stats) if detail else summary(stats), inboxes)

    def conversation_view(self, conversation: Conversation) -> dict[str, Any]:
        """The conversation projection with every message."""
        return {
            "id": conversation.id,
            "label": conversation.label,
            "is_positive": conversation.is_positive,
            "lead_id": conversation.lead_id,
            "messages": self.renderer.messages(conversation),
            "created_at": clock.iso(conversation.created_at),
            "updated_at": clock.iso(conversation.updated_at),
        }

    # -- conversation changes -----------------------------------------------------------

    def append_message(self, conversation: Conversation, message: dict[str, Any]) -> None:
        """Add a message (with its `_ts`) and move the thread to its new place."""
        self.index.remove(conversation)
        if conversation.extra is None:
            conversation.extra = []
        conversation.extra.append(message)
        conversation.search_text = None
        conversation.updated_at = max(conversation.updated_at, message["_ts"])
        self.index.add(conversation)

    def add_conversation(self, conversation: Conversation) -> None:
        """Store and index a new conversation."""
        self.conversations[conversation.id] = conversation
        self.index.add(conversation)
        self.touch_conversation(conversation)

    def add_incoming_reply(self) -> str:
        """Time moves: a new incoming reply lands; returns the conversation's id."""
        return live.land_incoming_reply(self)

    def grow_campaigns(self) -> None:
        """Time moves: active campaigns send more emails."""
        live.grow_active_campaigns(self)

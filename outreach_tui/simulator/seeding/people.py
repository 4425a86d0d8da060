"""Seeding leads, conversations and the campaign counters that must agree with them.

Every campaign thread belongs to a lead that replied; campaigns also get leads that were
contacted without replying (some bounced) and leads not contacted yet. Variant `sent`
counters are derived from how far each contacted lead got in the sequence, so
sent >= contacted >= replies holds by construction.
"""

from __future__ import annotations

import random
from collections import Counter

from outreach_tui.simulator.campaigns import Campaign
from outreach_tui.simulator.clock import DAY, day
from outreach_tui.simulator.conversations import LABELS, Conversation, folder_for_label
from outreach_tui.simulator.leads import Lead
from outreach_tui.simulator.seeding import hostile, texts
from outreach_tui.simulator.seeding.draws import Weighted, pick
from outreach_tui.simulator.workspace import Workspace

# how often each AI label shows up
_LABELS = Weighted(LABELS, (14, 12, 8, 8, 5, 12, 4, 7, 9, 6, 5))
_MESSAGE_COUNTS = Weighted((2, 3, 4, 5, 6), (30, 30, 20, 12, 8))
# every (first, last, "first.last") pair, so a lead costs one draw for its name
_NAMES = [
    (first, last, f"{first}.{last}".lower())
    for first in texts.FIRST_NAMES
    for last in texts.LAST_NAMES
]
_LEAD_SECONDS = 7  # spacing of lead creation times within a campaign
_MANUAL_SHARE = 0.08


class _LeadMaker:
    """Creates leads with unique emails per campaign and increasing creation times."""

    def __init__(self, workspace: Workspace, rng: random.Random) -> None:
        self.workspace = workspace
        self.rng = rng
        self.counters: dict[str, int] = {}

    def make(
        self,
        campaign: Campaign,
        status: str,
        *,
        first: str | None = None,
        last: str | None = None,
        email: str | None = None,
    ) -> Lead:
        random_number = self.rng.random
        by_email = campaign.leads.by_email
        number = self.counters.get(campaign.id, 0)
        self.counters[campaign.id] = number + 1
        company, domain = texts.COMPANIES[int(random_number() * len(texts.COMPANIES))]
        if first is None or last is None:
            position = int(random_number() * len(_NAMES))
            first, last, local = _NAMES[position]
        else:
            local = f"{first}.{last}".lower()
        if email is None:
            email = f"{local}@{domain}"
            if email in by_email:
                # the running number is unique within the campaign
                email = f"{local}{number}@{domain}"
        variables: dict[str, object] = {
            "company": company,
            "role": texts.ROLES[int(random_number() * len(texts.ROLES))],
            "city": texts.CITIES[int(random_number() * len(texts.CITIES))],
        }
        if random_number() < 0.1:
            variables["loom_url"] = f"https://loom.example/share/{self.rng.getrandbits(40):010x}"
        created = campaign.created_at + DAY + number * _LEAD_SECONDS
        provider = pick(self.rng, texts.EMAIL_PROVIDER_MIX) if random_number() < 0.9 else None
        lead = Lead(
            self.workspace.ids.new(),
            campaign.id,
            email,
            first,
            last,
            status,
            False,
            False,
            provider,
            variables,
            created,
            created,
        )
        campaign.leads.add(lead)
        self.workspace.leads[lead.id] = lead
        return lead


def _label(rng: random.Random, manual: bool) -> str | None:
    if rng.random() < (0.6 if manual else 0.05):
        return None
    return _LABELS.draw(rng)


def _dates(rng: random.Random, count: int, last: int) -> list[int]:
    dates = [last]
    for _ in range(count - 1):
        dates.append(dates[-1] - 1_800 - int(rng.random() * 3 * DAY))
    return dates[::-1]


def _read_mask(rng: random.Random, conv_dates: list[int], first_incoming: bool, now: int) -> int:
    mask = 0
    last = len(conv_dates) - 1
    for index, when in enumerate(conv_dates):
        incoming = first_incoming == (index % 2 == 0)
        if not incoming:
            read = True
        elif index == last and now - when < 4 * DAY:
            read = rng.random() < 0.45
        else:
            read = rng.random() < 0.93
        mask |= read << index
    return mask


def seed_conversations(workspace: Workspace, rng: random.Random, size: int) -> None:
    """`size` conversations, their leads, and each campaign's other leads and counters."""
    anchor = workspace.anchor
    targets = [c for c in workspace.campaigns.values() if c.status != "draft" and c.inbox_ids]
    target_draw = Weighted(targets, [rng.uniform(0.5, 2.0) for _ in targets])
    all_inboxes = list(workspace.inboxes)
    maker = _LeadMaker(workspace, rng)
    conversations: list[Conversation] = []
    for number in range(size):
        showcase = hostile.SHOWCASES[number] if number < len(hostile.SHOWCASES) else None
        manual = showcase is None and rng.random() < _MANUAL_SHARE
        if showcase is not None:
            age = 3 * DAY if showcase.kind == "huge_body" else (number + 1) * 900
            count, label = 2, "needs_more_info"
        else:
            age = min(int(rng.expovariate(1 / (12 * DAY))), 100 * DAY) + 60
            count = rng.randint(1, 4) if manual else _MESSAGE_COUNTS.draw(rng)
            label = _label(rng, manual)
        dates = _dates(rng, count, anchor - age)
        first_incoming = manual and rng.random() < 0.5
        conversation_id = workspace.ids.new()
        if manual:
            first, last = pick(rng, texts.FIRST_NAMES), pick(rng, texts.LAST_NAMES)
            company, domain = pick(rng, texts.COMPANIES)
            peer_email, peer_name = f"{first}.{last}@{domain}".lower(), f"{first} {last}"
            subject = pick(rng, texts.MANUAL_SUBJECTS)
            inbox_id, lead_id = pick(rng, all_inboxes), None
        else:
            campaign = targets[0] if showcase else target_draw.draw(rng)
            if showcase is not None:
                lead = maker.make(
                    campaign,
                    "replied",
                    first=showcase.peer_first_name,
                    last=showcase.peer_last_name,
                    email=f"{showcase.kind.replace('_', '-')}@evil-sender.example",
                )
                subject = showcase.subject
            else:
                lead = maker.make(campaign, "replied")
                company = str(lead.variables["company"])
                subject = pick(rng, texts.THREAD_SUBJECTS).format(company=company)
            lead.conversation_id = conversation_id
            lead.replied_at = dates[1]
            lead.steps_received = 1
            lead.is_unsubscribed = label == "unsubscribe"
            peer_email, peer_name = lead.email, f"{lead.first_name} {lead.last_name}"
            inbox_id, lead_id = pick(rng, campaign.inbox_ids), lead.id
        conversations.append(
            Conversation(
                id=conversation_id,
                seed=rng.getrandbits(48),
                lead_id=lead_id,
                inbox_id=inbox_id,
                peer_email=peer_email,
                peer_name=peer_name,
                subject=subject,
                ai_label=label,
                label_override=None,
                folder=folder_for_label(label),
                first_incoming=first_incoming,
                dates=dates,
                read_mask=_read_mask(rng, dates, first_incoming, anchor),
                created_at=dates[0],
                updated_at=dates[-1],
                showcase=showcase.kind if showcase else None,
            )
        )
    for conversation in conversations:
        workspace.conversations[conversation.id] = conversation
    workspace.index.load(conversations)
    for campaign in workspace.campaigns.values():
        _other_leads(maker, rng, campaign)
        _sent_counters(rng, campaign, anchor)


def _other_leads(maker: _LeadMaker, rng: random.Random, campaign: Campaign) -> None:
    replied = len(campaign.leads)
    if campaign.status == "draft":
        for _ in range(0 if not campaign.inbox_ids else rng.randint(5, 40)):
            maker.make(campaign, "uncontacted")
        return
    steps = len(campaign.steps)
    for _ in range(round(replied * rng.uniform(1.2, 2.2)) + rng.randint(3, 12)):
        lead = maker.make(campaign, "contacted")
        lead.steps_received = 1 + int(rng.random() * steps)
        lead.is_bounced = rng.random() < 0.04
    share = 0.15 if campaign.status == "active" else 0.04
    for _ in range(round(replied * share) + rng.randint(2, 10)):
        maker.make(campaign, "uncontacted")


def _sent_counters(rng: random.Random, campaign: Campaign, anchor: int) -> None:
    """Variant `sent` from each lead's progress, then the daily sent of the last 30 days."""
    if not campaign.steps:
        return
    reached: Counter[int] = Counter()
    first_step = [variant for variant in campaign.steps[0].variants if variant.enabled]
    for lead in campaign.leads.ordered:
        if lead.status == "uncontacted":
            continue
        if lead.status == "replied":
            variant = pick(rng, first_step)
            variant.sent += 1
            lead.reply_variant_id = variant.id
            reached.update(range(1, lead.steps_received))
        else:
            reached.update(range(lead.steps_received))
    for number, step in enumerate(campaign.steps):
        enabled = [variant for variant in step.variants if variant.enabled] or step.variants
        for _ in range(reached[number]):
            pick(rng, enabled).sent += 1
        for variant in step.variants:
            if not variant.enabled and campaign.status != "draft":
                variant.sent += rng.randint(0, 15)  # sends from before it was disabled
    total = campaign.sent_total
    if campaign.status == "draft" or total == 0:
        return
    quiet_days = 0 if campaign.status == "active" else rng.randint(3, 12)
    days = [day(anchor - offset * DAY) for offset in range(quiet_days, 30)]
    budget = total * 2 // 3  # the rest went out before the 30-day window
    per_day = max(1, budget // max(1, len(days)))
    for date in days:
        amount = min(budget, max(0, per_day + rng.randint(-per_day // 3, per_day // 3)))
        campaign.daily_sent[date] = amount
        budget -= amount

"""Seeding inboxes and campaigns (with schedules, steps and variants)."""

from __future__ import annotations

import random

from outreach_tui.simulator.campaigns import Campaign, Step, Variant, default_options
from outreach_tui.simulator.clock import DAY, day
from outreach_tui.simulator.html_body import normalize_body_html, with_unsubscribe_link
from outreach_tui.simulator.inboxes import Inbox, WarmupDay
from outreach_tui.simulator.schedule import SUPPORTED_TIMEZONES, default_schedule
from outreach_tui.simulator.seeding import texts
from outreach_tui.simulator.threads import Persona
from outreach_tui.simulator.workspace import Workspace

SENDER_COMPANY = "Northwind Outreach"
SENDING_DOMAINS = ("northwind-mail.example", "getnorthwind.example", "northwind-team.example")
# inbox slots with a story: 2 fails warmup badly, 3 has a broken connection, 4 is pending,
# 5 is validating and switched off
FAILING_WARMUP, CONNECTION_ERROR, PENDING, VALIDATING = 2, 3, 4, 5
STATUS_PATTERN = (
    "active", "active", "paused", "draft", "active", "paused",
    "draft", "active", "paused", "active", "draft", "active",
)  # fmt: skip
HOSTILE_CAMPAIGN_NAME = "[bold red]Q4 blast[/] \x1b[5mNOW\x1b[0m"

SUBJECTS = (
    "{{SPINTAX|Quick question|An idea|A thought}} for {{company|your team}}",
    "{{firstName|Hi}}, {{SPINTAX|worth a look?|open to this?}}",
    "Re: {{company|your}} outbound",
    "{{First Name|there}} - 15 minutes?",
)
BODIES = (
    "Hi {{first_name|there}},\n\nI noticed {{company|your team}} is "
    "{{SPINTAX|growing fast|hiring SDRs|expanding into new markets}}. We help "
    "<b>{{role|sales leaders}}</b> book more meetings without adding headcount.\n\n"
    '<a href="https://northwind-mail.example/demo">See a 2-minute demo</a>\n\n'
    "Worth a chat?",
    "Hi {{firstName}},\n\nFollowing up in case this got buried. Here is a quick video I "
    "recorded for {{company|you}}: {{LOOM|loom_url|https://northwind-mail.example/video}}"
    "\n\n<i>No pressure</i> either way.",
    "{{first_name|Hello}},\n\nLast note from me. If outbound is not a priority for "
    "{{company}} this quarter, no worries at all.\n\nP.S. templates use \\{{braces}} too.",
    "Hey {{first_name|there}},\n\n<u>One number</u>: teams like {{company|yours}} see a "
    '<b>3x</b> lift in replies. <img src="https://northwind-mail.example/chart.png" '
    'alt="reply chart">\n\nOpen to a quick call?',
)


def seed_inboxes(workspace: Workspace, rng: random.Random, size: int) -> None:
    """Sending inboxes across providers with warmup history of varying health."""
    count = 6 + min(6, size // 20_000)
    anchor = workspace.anchor
    for index in range(count):
        provider = ("google", "microsoft", "other")[index % 3]
        first, last = rng.choice(texts.FIRST_NAMES), rng.choice(texts.LAST_NAMES)
        domain = SENDING_DOMAINS[index % len(SENDING_DOMAINS)]
        email = f"{first}.{last}{index}@{domain}".lower()
        title = rng.choice(texts.SENDER_TITLES)
        status = {CONNECTION_ERROR: "error", PENDING: "pending", VALIDATING: "validating"}.get(
            index, "connected"
        )
        warming = index != PENDING
        created = anchor - (400 - index * 9) * DAY
        inbox = Inbox(
            id=workspace.ids.new(),
            email=email,
            provider=provider,
            connection_type="imap_smtp" if provider == "other" else "oauth",
            connection_status=status,
            first_name=first,
            last_name=last,
            reply_to="" if index % 2 else f"replies@{domain}",
            signature=""
            if index % 4 == 3
            else f"<p>{first} {last}<br>{title}, {SENDER_COMPANY}</p>",
            is_active=index != VALIDATING,
            is_warming=warming,
            daily_campaign_limit=rng.choice((20, 30, 40, 50)),
            daily_warmup_limit=rng.choice((10, 20, 30, 40)),
            created_at=created,
            updated_at=created + rng.randint(0, 30) * DAY,
            ramp_up_progress=0 if index == PENDING else rng.randint(35, 100),
        )
        if warming:
            spam_rate = rng.uniform(0.35, 0.55) if index == FAILING_WARMUP else rng.uniform(0, 0.06)
            for offset in range(7):
                sent = max(0, inbox.daily_warmup_limit - rng.randint(0, 6))
                spam = round(sent * spam_rate * rng.uniform(0.8, 1.2))
                spam = min(sent, spam)
                inbox.warmup[day(anchor - offset * DAY)] = WarmupDay(
                    sent=sent,
                    received=max(0, sent - rng.randint(0, 3)),
                    spam=spam,
                    saved=spam * 2 // 3,
                )
        workspace.inboxes[inbox.id] = inbox
        workspace.personas[inbox.id] = Persona(email, f"{first} {last}", title, SENDER_COMPANY)


def _variant(
    workspace: Workspace, letter: str, subject: str, body: str, unsubscribe: bool
) -> Variant:
    variant = Variant(id=workspace.ids.new(), letter=letter, subject=subject, body_html=None)
    html = normalize_body_html(body)
    variant.set_body(with_unsubscribe_link(html) if unsubscribe else html)
    return variant


def _steps(workspace: Workspace, rng: random.Random, campaign: Campaign, count: int) -> None:
    unsubscribe = campaign.options["unsubscribe_option"]
    for number in range(count):
        step = Step(id=workspace.ids.new(), delay_days=rng.choice((2, 3, 4, 7)))
        variant_count = rng.choice((2, 2, 3)) if number == 0 else rng.choice((1, 2))
        for position in range(variant_count):
            subject = SUBJECTS[(number + position) % len(SUBJECTS)]
            body = BODIES[(number + position) % len(BODIES)]
            variant = _variant(workspace, "ABC"[position], subject, body, unsubscribe)
            # a disabled variant now and then, never the only enabled one
            variant.enabled = not (position == 2 or (position == 1 and rng.random() < 0.15))
            step.variants.append(variant)
        campaign.steps.append(step)


def seed_campaigns(workspace: Workspace, rng: random.Random, size: int) -> None:
    """Campaigns in every status with 3-4 step sequences and attached inboxes."""
    count = 8 + min(4, len(str(size)) - 1)
    inbox_ids = list(workspace.inboxes)
    sendable = [
        inbox.id
        for inbox in workspace.inboxes.values()
        if inbox.connection_status == "connected" and inbox.is_active
    ]
    drafts_seen = 0
    for index in range(count):
        status = STATUS_PATTERN[index]
        created = workspace.anchor - (200 - index * 6) * DAY + rng.randint(0, DAY)
        options = default_options()
        options.update(
            daily_limit=rng.choice((30, 50, 80, 120, 200)),
            stop_on_reply=rng.random() < 0.85,
            stop_on_company_reply=rng.random() < 0.3,
            text_only=rng.random() < 0.1,
            esp_matching=rng.random() < 0.25,
            unsubscribe_option=rng.random() < 0.4,
        )
        schedule = default_schedule()
        schedule["timezone"] = rng.choice(SUPPORTED_TIMEZONES)
        schedule["default_window"] = rng.choice(
            ({"start": "09:00", "end": "17:00"}, {"start": "08:30", "end": "18:00"})
        )
        if rng.random() < 0.5:
            schedule["days"]["friday"].update(start="09:00", end="13:00")
        name = texts.CAMPAIGN_NAMES[index % len(texts.CAMPAIGN_NAMES)]
        if index == 5:
            name = HOSTILE_CAMPAIGN_NAME
        campaign = Campaign(
            id=workspace.ids.new(),
            name=name,
            status=status,
            options=options,
            schedule=schedule,
            created_at=created,
            updated_at=created + rng.randint(1, 20) * DAY,
        )
        if status == "draft":
            drafts_seen += 1
            if drafts_seen == 1:
                # fresh from POST /campaigns: one step, one empty variant, no inbox
                campaign.options["unsubscribe_option"] = False
                step = Step(id=workspace.ids.new(), delay_days=3)
                step.variants.append(
                    Variant(id=workspace.ids.new(), letter="A", subject=None, body_html=None)
                )
                campaign.steps.append(step)
            else:
                _steps(workspace, rng, campaign, rng.choice((2, 3)))
                campaign.inbox_ids = rng.sample(inbox_ids, 1)
        else:
            _steps(workspace, rng, campaign, rng.choice((3, 4)))
            campaign.inbox_ids = rng.sample(sendable, min(len(sendable), rng.randint(1, 3)))
        workspace.campaigns[campaign.id] = campaign

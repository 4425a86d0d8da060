"""Time moves: new incoming replies land and active campaigns keep sending.

Off by default (and in tests): `live_interval > 0` starts a daemon thread that, every
interval, lands one reply and grows each active campaign in every workspace. Tests drive the
same steps by hand with `workspace.add_incoming_reply()`.

A reply lands either in an existing thread (any conversation, uniformly) or, one time in
four when one can be found, as a new thread from a lead that was contacted but had not
replied, whose status then becomes replied. Growth sends 1-3 emails per active campaign:
first contacts for uncontacted leads while there are any, follow-ups otherwise; every
email sent counts in the variant, the campaign total and today's daily number together, so
sent >= contacted >= replies and the daily sums keep holding.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from outreach_tui.simulator.clock import DAY, day, iso
from outreach_tui.simulator.conversations import LABELS, Conversation, folder_for_label
from outreach_tui.simulator.seeding import texts
from outreach_tui.simulator.seeding.draws import pick

if TYPE_CHECKING:
    from outreach_tui.simulator.campaigns import Campaign
    from outreach_tui.simulator.leads import Lead
    from outreach_tui.simulator.workspace import Workspace

_SAMPLE_TRIES = 25


def _sample_lead(
    workspace: Workspace, campaign: Campaign, wanted: Callable[[Lead], bool]
) -> Lead | None:
    leads = campaign.leads.ordered
    for _ in range(_SAMPLE_TRIES if leads else 0):
        lead = pick(workspace.live_rng, leads)
        if wanted(lead):
            return lead
    return None


def land_incoming_reply(workspace: Workspace) -> str:
    """Land one incoming reply; returns the id of the conversation it landed in."""
    rng = workspace.live_rng
    campaigns = [c for c in workspace.campaigns.values() if c.status != "draft" and c.inbox_ids]
    if campaigns and (rng.random() < 0.25 or not workspace.conversations):
        campaign = pick(rng, campaigns)
        lead = _sample_lead(
            workspace,
            campaign,
            lambda lead: lead.status == "contacted" and not lead.is_bounced,
        )
        if lead is not None:
            return _new_thread(workspace, campaign, lead).id
    if not workspace.conversations:
        raise LookupError("no conversation to reply to")
    count = workspace.index.count(None)
    position = int(rng.random() * count)
    conversation = workspace.conversations[
        workspace.index.slice_ids(None, position, position + 1)[0]
    ]
    _append_reply(workspace, conversation)
    return conversation.id


def land_reply_in(workspace: Workspace, conversation_id: str) -> None:
    """Land an incoming reply in one conversation (tests and demos that need a reply
    to a thread they chose). Raises KeyError for an unknown id."""
    _append_reply(workspace, workspace.conversations[conversation_id])


def _reply_text(workspace: Workspace, label: str | None, peer_name: str) -> tuple[str, str]:
    line = pick(workspace.live_rng, texts.REPLIES.get(label or "", texts.UNLABELLED_REPLIES))
    first = peer_name.split(" ")[0] if peer_name else ""
    markup = f"<p>{html.escape(line)}</p><p>Thanks,<br>{html.escape(first)}</p>"
    return markup, f"{line}\n\nThanks,\n{first}"


def _append_reply(workspace: Workspace, conversation: Conversation) -> None:
    persona = workspace.personas.get(conversation.inbox_id)
    inbox = workspace.inboxes.get(conversation.inbox_id)
    inbox_email = persona.email if persona else (inbox.email if inbox else "")
    inbox_name = persona.name if persona else ""
    when = max(workspace.now(), conversation.last_activity)
    markup, text = _reply_text(workspace, conversation.ai_label, conversation.peer_name)
    subject = conversation.subject
    message = {
        "direction": "incoming",
        "inbox_id": conversation.inbox_id,
        "subject": subject if subject[:3].lower() == "re:" else f"Re: {subject}",
        "text_body": text,
        "html_body": markup,
        "from_email": conversation.peer_email,
        "to_recipients": [{"email": inbox_email, "name": inbox_name}],
        "cc_recipients": [],
        "bcc_recipients": [],
        "email_date": iso(when),
        "is_read": False,
        "attachments": [],
        "_ts": when,
    }
    workspace.append_message(conversation, message)
    workspace.touch_conversation(conversation)


def _new_thread(workspace: Workspace, campaign: Campaign, lead: Lead) -> Conversation:
    rng = workspace.live_rng
    now = workspace.now()
    label = pick(rng, LABELS)
    sent_at = now - DAY - int(rng.random() * 4 * DAY)
    conversation = Conversation(
        id=workspace.ids.new(),
        seed=rng.getrandbits(48),
        lead_id=lead.id,
        inbox_id=pick(rng, campaign.inbox_ids),
        peer_email=lead.email,
        peer_name=f"{lead.first_name} {lead.last_name}".strip(),
        subject=pick(rng, texts.THREAD_SUBJECTS).format(
            company=lead.variables.get("company") or "your team"
        ),
        ai_label=label,
        label_override=None,
        folder=folder_for_label(label),
        first_incoming=False,
        dates=[sent_at, now],
        read_mask=0b01,  # the outgoing email is read, the reply is not
        created_at=sent_at,
        updated_at=now,
    )
    lead.status = "replied"
    lead.conversation_id = conversation.id
    lead.replied_at = now
    lead.updated_at = now
    lead.is_unsubscribed = lead.is_unsubscribed or label == "unsubscribe"
    if campaign.steps:
        enabled = [v for v in campaign.steps[0].variants if v.enabled]
        lead.reply_variant_id = pick(rng, enabled).id if enabled else None
    workspace.add_conversation(conversation)
    return conversation


def grow_active_campaigns(workspace: Workspace) -> None:
    """Every active campaign sends 1-3 more emails."""
    rng = workspace.live_rng
    today = day(workspace.now())
    for campaign in workspace.campaigns.values():
        if campaign.status != "active" or not campaign.steps:
            continue
        steps = len(campaign.steps)

        def can_follow_up(lead: Lead, steps: int = steps) -> bool:
            return lead.status == "contacted" and lead.steps_received < steps

        for _ in range(1 + int(rng.random() * 3)):
            lead = _sample_lead(workspace, campaign, lambda lead: lead.status == "uncontacted")
            if lead is not None:
                lead.status, lead.steps_received, lead.updated_at = "contacted", 1, workspace.now()
                step_number = 0
            else:
                lead = _sample_lead(workspace, campaign, can_follow_up)
                if lead is None:
                    continue
                step_number = lead.steps_received
                lead.steps_received += 1
            variants = campaign.steps[step_number].variants
            enabled = [v for v in variants if v.enabled] or variants
            if not enabled:
                continue
            pick(rng, enabled).sent += 1
            campaign.daily_sent[today] = campaign.daily_sent.get(today, 0) + 1
        workspace.touch()


class LiveTicker:
    """A daemon thread that makes time move every `interval` seconds."""

    def __init__(
        self, interval: float, lock: threading.RLock, workspaces: Callable[[], list[Workspace]]
    ) -> None:
        self.interval = interval
        self._lock = lock
        self._workspaces = workspaces
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="reachkit-live", daemon=True)

    def start(self) -> None:
        """Start ticking."""
        self._thread.start()

    def stop(self) -> None:
        """Stop ticking (returns once the thread is done)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            with self._lock:
                for workspace in self._workspaces():
                    workspace.add_incoming_reply()
                    workspace.grow_campaigns()

"""Every endpoint of the reference, called through the client against the simulator.

The simulator is an independent implementation of the contract (it shares no code with
the client), so agreement here means both read the reference the same way.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from outreach_tui.api import (
    AuthenticationError,
    Campaign,
    Conversation,
    Label,
    NotFoundError,
    ReachkitClient,
    ReachkitError,
    ServerValidationError,
)
from outreach_tui.simulator import create_app
from tests.api.factories import FAST_RETRIES

KEY = "sim-key-0123456789"


@pytest.fixture
def app():
    """A fresh seeded simulator per test (writes in one test never leak into another)."""
    return create_app(api_keys=[KEY], size=300, seed=7, rate_limit=None, faults=None)


@pytest.fixture
async def client(app) -> AsyncIterator[ReachkitClient]:
    """The client wired to the simulator in-process."""
    async with ReachkitClient(
        base_url="http://127.0.0.1",
        api_key=KEY,
        transport=httpx.ASGITransport(app=app),
        requests_per_minute=None,
        start_rate=None,
        retry=FAST_RETRIES,
    ) as client:
        yield client


async def _first_campaign(client: ReachkitClient) -> Campaign:
    page = await client.list_campaigns(page_size=5)
    assert page.items, "the seeded simulator has campaigns"
    return page.items[0]


# --- conversations -------------------------------------------------------------------------


async def test_conversation_walk_yields_every_conversation_once(client: ReachkitClient) -> None:
    first = await client.list_conversations(page=1, page_size=100)
    total = first.metadata.total_count
    ids = [c.id async for c in client.iter_conversations()]
    assert total and len(ids) == total == len(set(ids))
    assert [page.skipped async for page in client.iter_conversation_pages() if page.skipped] == []


async def test_folders_partition_the_inbox(client: ReachkitClient) -> None:
    everything = {c.id async for c in client.iter_conversations()}
    primary = {c.id async for c in client.iter_conversations(folder="primary")}
    others = {c.id async for c in client.iter_conversations(folder="others")}
    assert primary and others
    assert primary | others == everything and not primary & others


async def test_search_narrows_the_list(client: ReachkitClient) -> None:
    sample = (await client.list_conversations(page_size=1)).items[0]
    word = next(w for w in (sample.messages[0].subject or "").split() if len(w) > 3)
    found = [c async for c in client.iter_conversations(search=word)]
    assert found and len(found) < (await client.list_conversations()).metadata.total_count


async def test_get_conversation_matches_the_list_item(client: ReachkitClient) -> None:
    listed = (await client.list_conversations(page_size=3)).items[2]
    shown = await client.get_conversation(listed.id)
    assert shown.id == listed.id and len(shown.messages) == len(listed.messages)
    with pytest.raises(NotFoundError):
        await client.get_conversation("no-such-conversation")


async def test_label_override_sets_and_clears(client: ReachkitClient) -> None:
    conversation = (await client.list_conversations(page_size=1)).items[0]
    new_label = Label.REFERRAL if conversation.label != Label.REFERRAL else Label.QUESTION
    updated = await client.update_conversation(conversation.id, label_override=new_label)
    assert updated.label == new_label
    reverted = await client.update_conversation(conversation.id, label_override=None)
    assert reverted.label == conversation.label


async def test_read_state_applies_to_every_message(client: ReachkitClient) -> None:
    conversation = (await client.list_conversations(page_size=1)).items[0]
    unread = await client.update_conversation(conversation.id, is_read=False)
    assert all(not m.is_read for m in unread.messages)
    read = await client.update_conversation(conversation.id, is_read=True)
    assert all(m.is_read for m in read.messages)


async def test_reply_adds_an_outgoing_message(client: ReachkitClient) -> None:
    conversation = (await client.list_conversations(page_size=1)).items[0]
    message = await client.reply_to_conversation(
        conversation.id, "<p>Tuesday works.</p>", idempotency_key="reply-test-1"
    )
    assert message.direction == "outgoing"
    after = await client.get_conversation(conversation.id)
    assert len(after.messages) == len(conversation.messages) + 1


async def test_create_conversation_sends_a_first_email(client: ReachkitClient) -> None:
    active = [i async for i in client.iter_inboxes() if i.is_active]
    inbox = active[0]
    created = await client.create_conversation(
        to=["new.prospect@example.com"],
        subject="Hello",
        content="<p>Hi there</p>",
        inbox_id=inbox.id,
    )
    assert isinstance(created, Conversation) and created.lead_id is None
    assert created.messages and created.messages[0].subject == "Hello"
    assert (await client.get_conversation(created.id)).id == created.id


async def test_attachment_download(client: ReachkitClient, tmp_path: Path) -> None:
    found = None
    async for conversation in client.iter_conversations():
        for message in conversation.messages:
            if message.attachments:
                found = (conversation.id, message.attachments[0])
                break
        if found:
            break
    assert found, "the seeded simulator has at least one attachment"
    conversation_id, attachment = found
    target = tmp_path / "attachment.bin"
    result = await client.download_attachment(conversation_id, attachment.id, target)
    assert target.exists() and result.size == target.stat().st_size > 0
    if attachment.size is not None:
        assert result.size == attachment.size


# --- campaigns ------------------------------------------------------------------------------


async def test_campaign_list_show_and_analytics(client: ReachkitClient) -> None:
    campaigns = [c async for c in client.iter_campaigns()]
    assert campaigns and len({c.id for c in campaigns}) == len(campaigns)
    campaign = campaigns[0]
    shown = await client.get_campaign(campaign.id)
    assert shown.id == campaign.id and shown.name == campaign.name
    analytics = await client.get_campaign_analytics(campaign.id)
    assert len(analytics.daily) == 30
    assert analytics.sent == shown.stats.sent


async def test_campaign_create_update_delete(client: ReachkitClient) -> None:
    created = await client.create_campaign("Client test campaign")
    assert created.status == "draft" and created.name == "Client test campaign"
    updated = await client.update_campaign(
        created.id, name="Renamed", daily_limit=25, stop_on_reply=True
    )
    assert (updated.name, updated.options.daily_limit, updated.options.stop_on_reply) == (
        "Renamed",
        25,
        True,
    )
    await client.delete_campaign(created.id)
    with pytest.raises(NotFoundError):
        await client.get_campaign(created.id)


async def test_attach_and_detach_inboxes(client: ReachkitClient) -> None:
    created = await client.create_campaign("Inbox juggling")
    inbox_ids = [i.id async for i in client.iter_inboxes()][:2]
    attached = await client.attach_inboxes(created.id, inbox_ids)
    assert {i.id for i in attached} == set(inbox_ids)
    again = await client.attach_inboxes(created.id, inbox_ids[:1])
    assert {i.id for i in again} == set(inbox_ids)
    remaining = await client.detach_inboxes(created.id, inbox_ids[:1])
    assert {i.id for i in remaining} == set(inbox_ids[1:])
    with pytest.raises(NotFoundError):
        await client.attach_inboxes(created.id, ["no-such-inbox"])


async def test_schedule_update_rounds_to_the_grid(client: ReachkitClient) -> None:
    campaign = await _first_campaign(client)
    schedule = await client.update_schedule(
        campaign.id,
        timezone="Europe/Berlin",
        default_window={"start": "09:23", "end": "17:00"},
        days={"sunday": {"enabled": False, "start": None, "end": None}},
    )
    assert schedule.timezone == "Europe/Berlin"
    assert schedule.default_window is not None
    assert schedule.default_window.start == "09:30"
    assert schedule.days["sunday"].enabled is False


# --- inboxes --------------------------------------------------------------------------------


async def test_inbox_list_show_update_and_warmup(client: ReachkitClient) -> None:
    inboxes = [i async for i in client.iter_inboxes()]
    assert inboxes
    inbox = await client.get_inbox(inboxes[0].id)
    assert inbox.email == inboxes[0].email
    updated = await client.update_inbox(inbox.id, daily_campaign_limit=42, signature="-- Sam")
    assert (updated.daily_campaign_limit, updated.signature) == (42, "-- Sam")
    warmup = await client.get_warmup_stats(inbox.id)
    assert len(warmup.daily) == 7
    assert warmup.health_score is None or 0 <= warmup.health_score <= 100


# --- leads ----------------------------------------------------------------------------------


async def test_leads_list_show_create_delete(client: ReachkitClient) -> None:
    campaign = await _first_campaign(client)
    leads = [lead async for lead in client.iter_leads(campaign.id)]
    assert len({lead.id for lead in leads}) == len(leads)
    created = await client.create_lead(
        campaign.id,
        email="fresh.lead@example.com",
        first_name="Fresh",
        variables={"company": "Acme"},
    )
    assert created.variables.get("company") == "Acme"
    assert (await client.get_lead(campaign.id, created.id)).email == "fresh.lead@example.com"
    with pytest.raises(ReachkitError):
        await client.create_lead(campaign.id, email="fresh.lead@example.com")
    skipped = await client.create_lead(
        campaign.id, email="fresh.lead@example.com", if_exists="skip"
    )
    assert skipped.id == created.id
    await client.delete_lead(campaign.id, created.id)
    with pytest.raises(NotFoundError):
        await client.get_lead(campaign.id, created.id)


# --- sequences and variants -----------------------------------------------------------------


async def test_sequences_and_variants(client: ReachkitClient) -> None:
    created = await client.create_campaign("Sequence test")
    steps = await client.list_sequences(created.id)
    assert len(steps) == 1 and len(steps[0].variants) == 1
    second = await client.create_sequence(created.id, delay_days=2)
    assert second.step == 2 and second.delay_days is None
    first = await client.update_sequence(created.id, steps[0].id, 5)
    assert first.delay_days == 5
    variant = await client.create_variant(
        created.id, second.id, subject="Hi {{first_name|there}}", body_html="<b>Hello</b>"
    )
    assert variant.subject == "Hi {{first_name|there}}"
    edited = await client.update_variant(created.id, variant.id, subject="Follow-up")
    assert edited.subject == "Follow-up"
    with pytest.raises(ServerValidationError) as caught:
        await client.update_variant(created.id, variant.id, body_html="Hi {{first_name")
    assert caught.value.field == "body_html" and caught.value.offset == 3
    await client.delete_variant(created.id, variant.id)
    await client.delete_sequence(created.id, second.id)
    assert [s.id for s in await client.list_sequences(created.id)] == [steps[0].id]


async def test_deleting_the_last_enabled_variant_is_refused(client: ReachkitClient) -> None:
    created = await client.create_campaign("Last variant")
    only = (await client.list_sequences(created.id))[0].variants[0]
    with pytest.raises(ServerValidationError):
        await client.delete_variant(created.id, only.id)


# --- blocklist ------------------------------------------------------------------------------


async def test_blocklist_add_check_list_delete(client: ReachkitClient) -> None:
    assert await client.check_blocklist("blocked.person@example.com") is False
    entry = await client.add_to_blocklist("blocked.person@example.com")
    assert entry.email == "blocked.person@example.com"
    assert await client.check_blocklist("blocked.person@example.com") is True
    assert entry.id in {e.id async for e in client.iter_blocklist()}
    await client.delete_blocklist_entry(entry.id)
    assert await client.check_blocklist("blocked.person@example.com") is False


# --- auth -----------------------------------------------------------------------------------


async def test_a_wrong_key_is_an_authentication_error(app) -> None:
    async with ReachkitClient(
        base_url="http://127.0.0.1",
        api_key="wrong-key",
        transport=httpx.ASGITransport(app=app),
        requests_per_minute=None,
        start_rate=None,
        retry=FAST_RETRIES,
    ) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.list_campaigns()
    assert "wrong-key" not in caught.value.message

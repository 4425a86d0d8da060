"""Models: lenient on what comes in, and dumping back to the API's own JSON shape."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from outreach_tui.api import (
    Campaign,
    Conversation,
    Direction,
    Inbox,
    Label,
    Lead,
    Schedule,
    Sequence,
    WarmupStats,
)
from tests.api.factories import conversation_json


def test_conversation_dump_gives_back_the_reference_shape() -> None:
    raw = conversation_json()
    dumped = Conversation.model_validate(raw).model_dump(mode="json")
    assert set(dumped) == set(raw)
    assert set(dumped["messages"][0]) == set(raw["messages"][0])
    assert dumped["label"] == "interested"
    assert dumped["messages"][0]["email_date"] == "2024-05-01T10:00:00Z"
    assert dumped["messages"][0]["attachments"][0] == raw["messages"][0]["attachments"][0]


def test_known_label_becomes_the_enum_and_an_unknown_one_stays_a_string() -> None:
    known = Conversation.model_validate(conversation_json(label="meeting_requested"))
    new = Conversation.model_validate(conversation_json(label="asked_for_pricing"))
    assert known.label is Label.MEETING_REQUESTED
    assert new.label == "asked_for_pricing"
    assert not isinstance(new.label, Label)
    assert new.model_dump(mode="json")["label"] == "asked_for_pricing"


def test_unknown_direction_and_null_label_are_kept() -> None:
    raw = conversation_json(label=None)
    raw["messages"][0]["direction"] = "internal_note"
    conversation = Conversation.model_validate(raw)
    assert conversation.label is None
    assert conversation.messages[0].direction == "internal_note"
    assert conversation.messages[1].direction is Direction.INCOMING


def test_non_string_label_is_a_validation_error() -> None:
    with pytest.raises(ValidationError):
        Conversation.model_validate(conversation_json(label=7))


def test_unknown_extra_fields_are_ignored() -> None:
    raw = conversation_json(sentiment_score=0.9, snoozed_until=None)
    conversation = Conversation.model_validate(raw)
    assert "sentiment_score" not in conversation.model_dump()


def test_conversation_without_id_does_not_validate() -> None:
    raw = conversation_json()
    del raw["id"]
    with pytest.raises(ValidationError):
        Conversation.model_validate(raw)


def test_timestamps_parse_to_aware_datetimes() -> None:
    conversation = Conversation.model_validate(conversation_json())
    assert conversation.updated_at == datetime(2024, 5, 2, 9, tzinfo=UTC)


def test_campaign_with_stats_schedule_and_inboxes_round_trips() -> None:
    raw = {
        "id": "camp-1",
        "name": "Q3 outbound",
        "status": "active",
        "progress": 40,
        "options": {
            "daily_limit": 50,
            "stop_on_reply": True,
            "stop_on_company_reply": False,
            "text_only": False,
            "esp_matching": True,
            "unsubscribe_option": True,
        },
        "schedule": {
            "timezone": "Europe/Paris",
            "default_window": {"start": "09:00", "end": "17:00"},
            "days": {
                "monday": {"enabled": True, "start": None, "end": None},
                "sunday": {"enabled": False, "start": None, "end": None},
            },
        },
        "stats": {
            "progress": 40,
            "sequence_steps": 2,
            "leads_count": 10,
            "sent": 8,
            "contacted": 6,
            "replies": 2,
            "reply_rate": 33.3,
            "positive_replies": 1,
            "positive_reply_rate": 16.7,
            "bounced": 0,
            "bounce_rate": 0.0,
            "daily": [{"date": "2024-05-01", "sent": 3, "replies": 1}],
            "sequences": [
                {
                    "id": "seq-1",
                    "step": 1,
                    "variants": [
                        {
                            "id": "var-1",
                            "enabled": True,
                            "sent": 8,
                            "replies": 2,
                            "reply_rate": 25.0,
                            "positive_replies": 1,
                            "positive_reply_rate": 12.5,
                        }
                    ],
                }
            ],
        },
        "inboxes": [
            {
                "id": "inbox-1",
                "email": "a@sender.test",
                "provider": "fastmail",
                "is_active": True,
                "connection_status": "connected",
            }
        ],
        "created_at": "2024-04-01T00:00:00Z",
        "updated_at": "2024-05-01T00:00:00Z",
    }
    campaign = Campaign.model_validate(raw)
    assert campaign.inboxes[0].provider == "fastmail"
    dumped = campaign.model_dump(mode="json")
    assert dumped["schedule"] == raw["schedule"]
    assert dumped["stats"] == raw["stats"]
    assert dumped["options"] == raw["options"]


def test_campaign_with_new_status_is_kept() -> None:
    campaign = Campaign.model_validate(
        {
            "id": "c",
            "name": "n",
            "status": "archived",
            "created_at": "2024-01-01T00:00:00Z",
            "updated_at": "2024-01-01T00:00:00Z",
        }
    )
    assert campaign.status == "archived"


def test_lead_with_pending_provider_and_variables() -> None:
    lead = Lead.model_validate(
        {
            "id": "l",
            "email": "x@y.test",
            "first_name": None,
            "last_name": None,
            "status": "uncontacted",
            "is_bounced": False,
            "is_unsubscribed": False,
            "provider": None,
            "variables": {"company": "Acme", "seats": 12},
            "created_at": "2024-01-01T00:00:00Z",
            "updated_at": "2024-01-01T00:00:00Z",
        }
    )
    assert lead.provider is None
    assert lead.variables == {"company": "Acme", "seats": 12}


def test_inbox_sequence_schedule_warmup_parse() -> None:
    inbox = Inbox.model_validate(
        {
            "id": "i",
            "email": "a@b.test",
            "provider": "google",
            "connection_type": "oauth",
            "connection_status": "connected",
            "is_active": True,
            "is_warming": True,
            "daily_campaign_limit": 30,
            "daily_warmup_limit": 20,
            "campaigns": [
                {
                    "id": "c",
                    "name": "n",
                    "status": "paused",
                    "created_at": "2024-01-01T00:00:00Z",
                    "updated_at": "2024-01-01T00:00:00Z",
                }
            ],
            "created_at": "2024-01-01T00:00:00Z",
            "updated_at": "2024-01-01T00:00:00Z",
        }
    )
    assert inbox.campaigns[0].status == "paused"
    sequence = Sequence.model_validate(
        {
            "id": "s",
            "step": 1,
            "delay_days": None,
            "variants": [
                {
                    "id": "v",
                    "letter": "A",
                    "subject": None,
                    "body_html": None,
                    "body_text": None,
                    "enabled": True,
                }
            ],
        }
    )
    assert sequence.delay_days is None and sequence.variants[0].subject is None
    schedule = Schedule.model_validate(
        {
            "timezone": "Asia/Tokyo",
            "default_window": {"start": "08:00", "end": "18:30"},
            "days": {"friday": {"enabled": True, "start": "10:00", "end": None}},
        }
    )
    assert schedule.days["friday"].start == "10:00"
    warmup = WarmupStats.model_validate(
        {
            "sent": 10,
            "received": 9,
            "saved_from_spam": 1,
            "health_score": 90,
            "ramp_up_progress": 50,
            "daily": [{"date": "2024-05-01", "sent": 2, "spam_count": 0}],
        }
    )
    assert warmup.daily[0].spam_count == 0


def test_label_enum_spells_the_labels_core_knows_in_the_same_order() -> None:
    from outreach_tui.api import Label
    from outreach_tui.core.labels import LABEL_VALUES

    assert tuple(Label) == LABEL_VALUES


def test_the_outgoing_label_literal_spells_the_labels_core_knows() -> None:
    from typing import get_args

    from outreach_tui.api.payloads import LabelValue
    from outreach_tui.core.labels import LABEL_VALUES

    assert get_args(LabelValue) == LABEL_VALUES

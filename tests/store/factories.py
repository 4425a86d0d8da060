"""API-shaped objects for store tests (exactly the reference's JSON shapes)."""

from __future__ import annotations

from typing import Any


def message(
    direction: str = "incoming",
    *,
    text: str = "Hello there",
    subject: str = "Quick question",
    from_email: str = "lead@acme.test",
    to: list[dict[str, Any]] | None = None,
    date: str = "2024-05-01T10:00:00Z",
    is_read: bool = True,
    inbox_id: str = "inbox-1",
    attachments: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """One message of a thread."""
    return {
        "direction": direction,
        "inbox_id": inbox_id,
        "subject": subject,
        "text_body": text,
        "html_body": f"<p>{text}</p>",
        "from_email": from_email,
        "to_recipients": to if to is not None else [{"email": "me@sender.test", "name": "Me"}],
        "cc_recipients": [],
        "bcc_recipients": [],
        "email_date": date,
        "is_read": is_read,
        "attachments": attachments or [],
    }


def conversation(
    cid: str,
    *,
    label: str | None = "interested",
    is_read: bool = True,
    day: int = 1,
    lead_id: str | None = None,
    sender: str = "lead@acme.test",
    sender_name: str = "Lee Lead",
    subject: str = "Quick question",
    text: str = "Sounds interesting, tell me more",
    updated_at: str | None = None,
    inbox_id: str = "inbox-1",
) -> dict[str, Any]:
    """A three-message thread: outgoing, incoming reply, outgoing follow-up."""
    date = f"2024-05-{day:02d}T10:00:00Z"
    return {
        "id": cid,
        "label": label,
        "is_positive": label in ("interested", "meeting_requested"),
        "lead_id": lead_id,
        "messages": [
            message(
                "outgoing",
                text="Hi, are you the right person?",
                subject=subject,
                from_email="me@sender.test",
                to=[{"email": sender, "name": sender_name}],
                date=f"2024-04-{day:02d}T09:00:00Z",
                inbox_id=inbox_id,
            ),
            message(
                "incoming",
                text=text,
                subject=f"Re: {subject}",
                from_email=sender,
                date=date,
                is_read=is_read,
                inbox_id=inbox_id,
            ),
        ],
        "created_at": f"2024-04-{day:02d}T09:00:00Z",
        "updated_at": updated_at or date,
    }


def campaign(cid: str = "camp-1", *, name: str = "Spring outreach", detail: bool = False) -> dict:
    """A campaign list item (or a detail, with daily and per-sequence stats)."""
    stats: dict[str, Any] = {
        "progress": 40,
        "sequence_steps": 2,
        "leads_count": 100,
        "sent": 80,
        "contacted": 60,
        "replies": 6,
        "reply_rate": 10.0,
        "positive_replies": 3,
        "positive_reply_rate": 5.0,
        "bounced": 1,
        "bounce_rate": 1.25,
    }
    if detail:
        stats["daily"] = [{"date": "2024-05-01", "sent": 10, "replies": 1}]
        stats["sequences"] = [
            {
                "id": "seq-1",
                "step": 1,
                "variants": [
                    {
                        "id": "var-a",
                        "enabled": True,
                        "sent": 40,
                        "replies": 4,
                        "reply_rate": 10.0,
                        "positive_replies": 2,
                        "positive_reply_rate": 5.0,
                    }
                ],
            }
        ]
    return {
        "id": cid,
        "name": name,
        "status": "active",
        "progress": 40,
        "options": {
            "daily_limit": 50,
            "stop_on_reply": True,
            "stop_on_company_reply": False,
            "text_only": False,
            "esp_matching": False,
            "unsubscribe_option": True,
        },
        "schedule": {
            "timezone": "Europe/Paris",
            "default_window": {"start": "09:00", "end": "17:00"},
            "days": {"monday": {"enabled": True, "start": None, "end": None}},
        },
        "stats": stats,
        "inboxes": [
            {
                "id": "inbox-1",
                "email": "me@sender.test",
                "provider": "google",
                "is_active": True,
                "connection_status": "connected",
            }
        ],
        "created_at": "2024-04-01T00:00:00Z",
        "updated_at": "2024-04-02T00:00:00Z",
    }


def sequences() -> list[dict[str, Any]]:
    """Two steps; the first has two variants."""
    return [
        {
            "id": "seq-1",
            "step": 1,
            "delay_days": 3,
            "variants": [
                {
                    "id": "var-a",
                    "letter": "A",
                    "subject": "Hello {{first_name}}",
                    "body_html": "<p>Body A</p>",
                    "body_text": "Body A",
                    "enabled": True,
                },
                {
                    "id": "var-b",
                    "letter": "B",
                    "subject": "Hi {{first_name}}",
                    "body_html": "<p>Body B</p>",
                    "body_text": "Body B",
                    "enabled": True,
                },
            ],
        },
        {
            "id": "seq-2",
            "step": 2,
            "delay_days": None,
            "variants": [
                {
                    "id": "var-c",
                    "letter": "A",
                    "subject": "Following up",
                    "body_html": "<p>Body C</p>",
                    "body_text": "Body C",
                    "enabled": True,
                }
            ],
        },
    ]


def inbox(iid: str = "inbox-1", *, email: str = "me@sender.test", detail: bool = False) -> dict:
    """An inbox list item (or a detail with its campaigns)."""
    item: dict[str, Any] = {
        "id": iid,
        "email": email,
        "domain": email.split("@")[1],
        "provider": "google",
        "connection_type": "oauth",
        "connection_status": "connected",
        "first_name": "Mia",
        "last_name": "Sender",
        "reply_to": "",
        "signature": "-- Mia",
        "is_active": True,
        "is_warming": True,
        "daily_campaign_limit": 40,
        "daily_warmup_limit": 20,
        "created_at": "2024-01-01T00:00:00Z",
        "updated_at": "2024-01-02T00:00:00Z",
    }
    if detail:
        item["campaigns"] = [
            {
                "id": "camp-1",
                "name": "Spring outreach",
                "status": "active",
                "created_at": "2024-04-01T00:00:00Z",
                "updated_at": "2024-04-02T00:00:00Z",
            }
        ]
    return item


def lead(lid: str, *, email: str | None = None) -> dict[str, Any]:
    """A lead."""
    return {
        "id": lid,
        "email": email or f"{lid}@acme.test",
        "first_name": "Lee",
        "last_name": "Lead",
        "status": "contacted",
        "is_bounced": False,
        "is_unsubscribed": False,
        "provider": None,
        "variables": {"company": "Acme"},
        "created_at": "2024-04-03T00:00:00Z",
        "updated_at": "2024-04-03T00:00:00Z",
    }

"""The search language in the store: each operator alone, combined, negated, with words
and phrases, against a reference computed here from what was seeded."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest
from sqlite_utils import Database

from outreach_tui.core.search_syntax import SearchSyntaxError, parse_search
from outreach_tui.store.edits import conversations as edits
from outreach_tui.store.ingest import (
    upsert_campaigns,
    upsert_conversations,
    upsert_inboxes,
    upsert_leads,
)
from outreach_tui.store.queries.conversations import conversation_window, count_conversations
from outreach_tui.store.records import ConversationFilter
from tests.store import factories

N = 48
SENDERS = ("ann@acme.example", "bob@acme.example", "cy@globex.example", "di@initech.example")
TEXTS = ("pricing for next quarter", "send the budget", "pricing call tomorrow", "not now")


@dataclass
class Seeded:
    id: str
    sender: str
    label: str | None
    is_read: bool
    day: int
    text: str
    inbox: str
    campaign: str | None
    attachment: bool
    pending: bool = False


@pytest.fixture
def seeded(db: Database) -> tuple[Database, list[Seeded]]:
    rng = random.Random(5)
    upsert_inboxes(
        db,
        [
            factories.inbox("inbox-1", email="sales@ours.example"),
            factories.inbox("inbox-2", email="team@ours.example"),
        ],
    )
    upsert_campaigns(
        db,
        [
            factories.campaign("camp-1", name="Spring outreach"),
            factories.campaign("camp-2", name="Fintech push"),
        ],
    )
    upsert_leads(db, "camp-1", [factories.lead(f"lead-{i}") for i in range(0, N, 3)])
    upsert_leads(db, "camp-2", [factories.lead(f"lead-{i}") for i in range(1, N, 3)])
    seeded, page = [], []
    for i in range(N):
        row = Seeded(
            id=f"conv-{i:03d}",
            sender=rng.choice(SENDERS),
            label=rng.choice(("interested", "question", None)),
            is_read=rng.random() < 0.5,
            day=1 + rng.randrange(20),
            text=rng.choice(TEXTS),
            inbox=rng.choice(("inbox-1", "inbox-2")),
            campaign={0: "camp-1", 1: "camp-2"}.get(i % 3),
            attachment=i % 5 == 0,
        )
        item = factories.conversation(
            row.id,
            sender=row.sender,
            sender_name=row.sender.split("@")[0].title(),
            label=row.label,
            is_read=row.is_read,
            day=row.day,
            text=row.text,
            inbox_id=row.inbox,
            lead_id=f"lead-{i}" if row.campaign else None,
        )
        if row.attachment:
            item["messages"][1]["attachments"] = [
                {
                    "id": f"att-{i}",
                    "filename": "deck.pdf",
                    "content_type": "application/pdf",
                    "size": 10,
                }
            ]
        seeded.append(row)
        page.append(item)
    upsert_conversations(db, page, "primary")
    edits.mark_unread(db, ["conv-000"])  # a queued change: is:pending
    seeded[0].is_read, seeded[0].pending = False, True
    return db, seeded


def _found(db: Database, search: str) -> set[str]:
    flt = ConversationFilter(search=search)
    rows = conversation_window(db, flt, limit=1000)
    assert count_conversations(db, flt) == len(rows)
    return {r.id for r in rows}


def _date(day: int) -> str:
    return f"2024-05-{day:02d}"


CASES = {
    "from:acme.example": lambda r: r.sender.endswith("@acme.example"),
    "from:Cy": lambda r: r.sender.startswith("cy@"),  # the name, any case
    "to:team@ours": lambda r: r.inbox == "inbox-2",
    "label:interested": lambda r: r.label == "interested",
    "label:none": lambda r: r.label is None,
    "label:Question": lambda r: r.label == "question",  # display name
    "campaign:spring": lambda r: r.campaign == "camp-1",
    "inbox:sales@": lambda r: r.inbox == "inbox-1",
    "is:unread": lambda r: not r.is_read,
    "is:read": lambda r: r.is_read,
    "is:pending": lambda r: r.pending,
    "has:attachment": lambda r: r.attachment,
    "before:2024-05-10": lambda r: r.day < 10,
    "after:2024-05-10": lambda r: r.day >= 10,
    "pricing": lambda r: "pricing" in r.text,
    '"pricing call"': lambda r: "pricing call" in r.text,
    "-pricing": lambda r: "pricing" not in r.text,
    "-label:interested": lambda r: r.label != "interested",
    "label:interested is:unread from:acme.example": (
        lambda r: r.label == "interested" and not r.is_read and r.sender.endswith("@acme.example")
    ),
    "pricing -from:globex campaign:fintech": (
        lambda r: "pricing" in r.text and "globex" not in r.sender and r.campaign == "camp-2"
    ),
    'budget after:2024-05-05 -"not now"': lambda r: "budget" in r.text and r.day >= 5,
}


@pytest.mark.parametrize("search", list(CASES))
def test_each_operator_alone_and_combined(
    seeded: tuple[Database, list[Seeded]], search: str
) -> None:
    db, rows = seeded
    expected = {r.id for r in rows if CASES[search](r)}
    assert expected, f"the fixture should give {search!r} some matches"
    assert _found(db, search) == expected


def test_words_that_look_like_operators_stay_words() -> None:
    terms = parse_search("Re: 10:30 https://x.example/a:b")
    assert [t.operator for t in terms] == [None, None, None]
    assert [t.value for t in terms] == ["Re:", "10:30", "https://x.example/a:b"]


@pytest.mark.parametrize(
    ("search", "message"),
    [
        ("subject:renewal", "unknown operator subject:"),
        ("is:starred", "is: takes unread, read, pending"),
        ("label:maybe", "label: unknown label 'maybe'"),
        ("before:last-week", "before: takes a date as YYYY-MM-DD"),
        ("has:link", "has: takes attachment"),
    ],
)
def test_a_bad_operator_is_a_sentence_not_an_empty_list(
    seeded: tuple[Database, list[Seeded]], search: str, message: str
) -> None:
    db, _rows = seeded
    with pytest.raises(SearchSyntaxError, match=message.replace("(", r"\(")):
        conversation_window(db, ConversationFilter(search=search))

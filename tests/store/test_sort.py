"""The inbox's sort columns: every read path (windows both ways, offsets, positions,
next unread) agrees with one reference order for each column and direction."""

from __future__ import annotations

import random

import pytest
from sqlite_utils import Database

from outreach_tui.core.labels import display_name
from outreach_tui.store.ingest import upsert_conversations
from outreach_tui.store.queries.conversations import (
    conversation_position,
    conversation_window,
    conversations_at,
    count_conversations,
    cursor_of,
    next_unread,
)
from outreach_tui.store.records import SORT_COLUMNS, ConversationFilter, ConversationRow
from outreach_tui.store.sort_index import ensure_sort_index, has_sort_index
from tests.store import factories

# Case variants and blanks on purpose: the order ignores ASCII case, "" sorts first.
SENDERS = (("Ann Archer", "ann@a.test"), ("ann archer", "ann2@a.test"), ("", "zed@z.test"))
SENDERS += (("Bob", "bob@b.test"), ("carla", "carla@c.test"))
SUBJECTS = ("Pricing", "pricing", "", "Re: budget", "About us")
LABEL_CHOICES = ("interested", "question", "not_interested", "made_up_label", None)
N = 120


@pytest.fixture
def sorted_db(db: Database) -> Database:
    rng = random.Random(11)
    page = []
    for i in range(N):
        name, email = rng.choice(SENDERS)
        page.append(
            factories.conversation(
                f"conv-{i:04d}",
                label=rng.choice(LABEL_CHOICES),
                is_read=rng.random() < 0.5,
                day=1 + rng.randrange(6),  # many ties on the date as well
                sender=email,
                sender_name=name,
                subject=rng.choice(SUBJECTS),
                text=rng.choice(("about pricing", "about the budget")),
            )
        )
    upsert_conversations(db, page, "primary")
    return db


def _reference(db: Database, flt: ConversationFilter) -> list[str]:
    # The rows come from the default order (search included), the order from here.
    shown = ConversationFilter(folder=flt.folder, search=flt.search)
    rows = conversation_window(db, shown, limit=10_000)
    if flt.unread:
        rows = [r for r in rows if not r.is_read]
    # Newest first, then a stable sort on the column: equals keep newest on top.
    rows.sort(key=lambda r: (r.last_activity, r.id), reverse=True)
    if flt.sort == "date":
        if flt.sort_reversed:
            rows.reverse()
        return [r.id for r in rows]

    def value(row: ConversationRow) -> tuple[int, str]:
        if flt.sort == "sender":
            return (0, (row.sender_name or row.sender_email).lower())
        if flt.sort == "subject":
            return (0, row.subject.lower())
        return (1, "") if row.label is None else (0, display_name(row.label).lower())

    rows.sort(key=value, reverse=flt.sort_reversed)
    return [r.id for r in rows]


ORDERS = [
    ConversationFilter(folder="primary", sort=sort, sort_reversed=reversed_, unread=unread)
    for sort in SORT_COLUMNS
    for reversed_ in (False, True)
    for unread in (False, True)
] + [
    # Search text in another order: the matches are read through the filter and sorted
    # (the recency walk of the full-text index serves the default order only).
    ConversationFilter(folder="primary", sort=sort, sort_reversed=reversed_, search="pricing")
    for sort in SORT_COLUMNS
    for reversed_ in (False, True)
]


@pytest.mark.parametrize("indexed", [False, True], ids=["sorting", "indexed"])
@pytest.mark.parametrize(
    "flt", ORDERS, ids=lambda f: f"{f.sort}-{f.sort_reversed}-{f.unread}-{f.search}"
)
def test_every_read_path_follows_the_order(
    sorted_db: Database, flt: ConversationFilter, indexed: bool
) -> None:
    if indexed:
        ensure_sort_index(sorted_db, flt.sort)
    expected = _reference(sorted_db, flt)
    assert len(expected) > 20 if flt.search is None else len(expected) > 10
    forward: list[ConversationRow] = []
    page = conversation_window(sorted_db, flt, limit=7)
    while page:
        forward.extend(page)
        page = conversation_window(sorted_db, flt, after=cursor_of(page[-1], flt), limit=7)
    assert [r.id for r in forward] == expected
    backward: list[ConversationRow] = []
    page = conversation_window(sorted_db, flt, before=cursor_of(forward[-1], flt), limit=5)
    while page:
        backward = page + backward
        page = conversation_window(sorted_db, flt, before=cursor_of(page[0], flt), limit=5)
    assert [r.id for r in backward] == expected[:-1]
    assert count_conversations(sorted_db, flt) == len(expected)
    at = conversations_at(sorted_db, flt, offset=9, limit=6)
    assert [r.id for r in at] == expected[9:15]
    for index in (0, 1, len(expected) // 2, len(expected) - 1):
        assert conversation_position(sorted_db, expected[index], flt) == index


@pytest.mark.parametrize("sort", SORT_COLUMNS)
def test_next_unread_follows_the_order(sorted_db: Database, sort: str) -> None:
    flt = ConversationFilter(folder="primary", sort=sort)
    listed = conversation_window(sorted_db, flt, limit=10_000)
    unread = [r.id for r in listed if not r.is_read]
    start = listed[len(listed) // 3]
    below = [r.id for r in listed[len(listed) // 3 + 1 :] if not r.is_read]
    found = next_unread(sorted_db, flt, cursor_of(start, flt))
    assert found is not None
    wanted = below[0] if below else unread[0]
    assert found == (wanted, [r.id for r in listed].index(wanted))


@pytest.mark.parametrize("sort", ["sender", "label", "subject"])
def test_a_sorted_window_walks_the_columns_index_once_built(sorted_db: Database, sort: str) -> None:
    flt = ConversationFilter(sort=sort)
    first = conversation_window(sorted_db, flt, limit=5)
    sql_plan = _plan_of(sorted_db, flt, first[-1])
    assert "USE TEMP B-TREE FOR ORDER BY" in sql_plan  # every row sorted
    assert not has_sort_index(sorted_db, sort)
    assert ensure_sort_index(sorted_db, sort) is True
    assert ensure_sort_index(sorted_db, sort) is False  # built once
    assert has_sort_index(sorted_db, sort)
    sql_plan = _plan_of(sorted_db, flt, first[-1])
    assert f"conversations_sort_{sort}" in sql_plan
    assert "USE TEMP B-TREE FOR ORDER BY" not in sql_plan
    assert conversation_window(sorted_db, flt, limit=5) == first


def _plan_of(db: Database, flt: ConversationFilter, after: ConversationRow) -> str:
    """SQLite's plan for the window after `after` (what `conversation_window` runs)."""
    captured: list[str] = []
    db.conn.set_trace_callback(captured.append)
    try:
        conversation_window(db, flt, after=cursor_of(after, flt), limit=5)
    finally:
        db.conn.set_trace_callback(None)
    sql = next(
        q
        for q in captured
        if q.lstrip().startswith("SELECT") and "FROM conversations" in q and "LIMIT" in q
    )
    rows = db.conn.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall()
    return "\n".join(row[-1] for row in rows)


def test_an_unknown_sort_column_is_refused() -> None:
    with pytest.raises(ValueError, match="sort must be one of"):
        ConversationFilter(sort="size")


def test_clearing_filters_keeps_the_order() -> None:
    flt = ConversationFilter(folder="others", unread=True, sort="label", sort_reversed=True)
    cleared = flt.cleared()
    assert (cleared.sort, cleared.sort_reversed, cleared.unread) == ("label", True, False)
    assert not flt.cleared().narrowed

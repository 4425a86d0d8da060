"""The outbox state machine, conflicts and the conflict log."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from outreach_tui.store import edits, outbox
from outreach_tui.store.fields import Policy
from outreach_tui.store.ingest import (
    upsert_campaigns,
    upsert_conversations,
    upsert_sequences,
)
from outreach_tui.store.outbox.conflicts import conflict_log
from outreach_tui.store.queries.campaigns import sequences, variant_versions
from outreach_tui.store.queries.conversations import get_conversation
from tests.store import factories


@pytest.fixture
def seeded(db: Database) -> Database:
    upsert_campaigns(db, [factories.campaign()])
    upsert_sequences(db, "camp-1", factories.sequences())
    upsert_conversations(
        db,
        [factories.conversation(f"c{i}", label="neutral", is_read=False) for i in range(3)],
        "primary",
    )
    return db


def _variant(db: Database, vid: str = "var-a"):
    for step in sequences(db, "camp-1"):
        for variant in step.variants:
            if variant.id == vid:
                return variant
    raise AssertionError(vid)


def test_claim_takes_pending_items_in_order_and_counts_attempts(seeded: Database) -> None:
    a = edits.mark_read(seeded, "c0")[0]
    b = edits.mark_read(seeded, "c1")[0]
    c = edits.mark_read(seeded, "c2")[0]
    claimed = outbox.claim_next(seeded, limit=2)
    assert [i.id for i in claimed] == [a.id, b.id]
    assert all(i.state == "in_flight" and i.attempts == 1 for i in claimed)
    assert outbox.state_counts(seeded) == {
        "pending": 1,
        "in_flight": 2,
        "done": 0,
        "failed": 0,
        "conflict": 0,
    }
    assert [i.id for i in outbox.in_flight_items(seeded)] == [a.id, b.id]
    requeued = outbox.requeue(seeded, a.id, "connection reset")
    assert requeued.state == "pending" and requeued.last_error == "connection reset"
    again = outbox.claim_next(seeded, limit=5)
    assert [i.id for i in again] == [a.id, c.id]
    assert again[0].attempts == 2
    assert again[0].idempotency_key == a.idempotency_key  # fixed at enqueue


def test_transitions_refused_from_the_wrong_state(seeded: Database) -> None:
    [item] = edits.mark_read(seeded, "c0")
    with pytest.raises(outbox.OutboxError, match="not been pushed"):
        outbox.revert(seeded, item.id)
    outbox.claim_next(seeded)
    with pytest.raises(outbox.OutboxError):
        outbox.withdraw(seeded, item.id)  # already on its way
    with pytest.raises(outbox.OutboxError):
        outbox.discard(seeded, item.id)  # not failed: nothing to discard
    with pytest.raises(outbox.OutboxError):
        outbox.get_item(seeded, 9999)


def test_a_repeat_of_what_already_happened_is_a_no_op(seeded: Database) -> None:
    [item] = edits.mark_read(seeded, "c0")
    # Pending already: requeue, retry and keep mine have nothing left to do.
    assert outbox.requeue(seeded, item.id) is None
    assert outbox.retry(seeded, item.id) is None
    assert outbox.keep_mine(seeded, item.id) is None
    assert outbox.get_item(seeded, item.id).state == "pending"


def test_engine_transitions_after_a_lost_race_are_counted_no_ops(seeded: Database) -> None:
    """A killed run left the item in flight; the value reached the server, the recovery
    marked it done: the interrupted push's own transitions must not raise."""
    [item] = edits.mark_read(seeded, "c0")
    [claimed] = outbox.claim_next(seeded)
    done = outbox.mark_done(seeded, claimed.id)
    assert done is not None and done.state == "done"
    assert outbox.mark_done(seeded, claimed.id) is None
    assert outbox.requeue(seeded, claimed.id, "late") is None
    assert outbox.mark_failed(seeded, claimed.id, "late") is None
    assert outbox.put_in_conflict(seeded, claimed.id, "late") is None
    after = outbox.get_item(seeded, item.id)
    assert after.state == "done" and after.last_error is None


def test_engine_transitions_on_a_withdrawn_item_are_no_ops(seeded: Database) -> None:
    [item] = edits.set_label(seeded, "c0", "interested")
    outbox.withdraw(seeded, item.id)
    assert outbox.mark_done(seeded, item.id) is None
    assert outbox.requeue(seeded, item.id) is None
    outbox.log_overwrite(seeded, item.id, "not_interested")  # gone: nothing logged
    assert conflict_log(seeded) == []
    # Withdrawing twice is a repeat, not an error.
    outbox.withdraw(seeded, item.id)


def test_retry_sends_a_failed_item_again(seeded: Database) -> None:
    [item] = edits.mark_read(seeded, "c0")
    outbox.claim_next(seeded)
    outbox.mark_failed(seeded, item.id, "server said no")
    retried = outbox.retry(seeded, item.id)
    assert retried.state == "pending" and retried.last_error is None
    assert get_conversation(seeded, "c0").local_state == "pending"  # type: ignore[union-attr]


def test_editing_a_failed_field_again_puts_it_back_to_pending(seeded: Database) -> None:
    edits.set_label(seeded, "c0", "interested")
    [item] = outbox.claim_next(seeded)
    outbox.mark_failed(seeded, item.id, "nope")
    [again] = edits.set_label(seeded, "c0", "referral")
    assert again.id == item.id and again.state == "pending" and again.value == "referral"


def test_triage_overwrite_is_recorded_in_the_conflict_log(seeded: Database) -> None:
    [item] = edits.set_label(seeded, "c0", "interested")
    assert item.policy is Policy.OVERWRITE
    [claimed] = outbox.claim_next(seeded)
    # The engine saw the server label changed to something else: latest action wins.
    outbox.log_overwrite(seeded, claimed.id, "not_interested")
    outbox.mark_done(seeded, claimed.id)
    [entry] = conflict_log(seeded)
    assert (entry.resource_id, entry.field, entry.base, entry.theirs, entry.mine) == (
        "c0",
        "label_override",
        "neutral",
        "not_interested",
        "interested",
    )
    assert entry.resolution == "overwritten"
    assert get_conversation(seeded, "c0").label == "interested"  # type: ignore[union-attr]


def test_long_text_conflict_keeps_both_versions_until_resolved(seeded: Database) -> None:
    [item] = edits.update_variant(seeded, "var-a", body_html="<p>Mine</p>")
    assert item.policy is Policy.ASK and item.base == "<p>Body A</p>"
    [claimed] = outbox.claim_next(seeded)
    conflict = outbox.put_in_conflict(seeded, claimed.id, "<p>Theirs</p>")
    assert conflict.state == "conflict" and conflict.theirs == "<p>Theirs</p>"
    variant = _variant(seeded)
    assert variant.body_html == "<p>Mine</p>" and variant.local_state == "conflict"
    versions = variant_versions(seeded, "var-a")
    assert versions is not None
    assert versions["mine"]["body_html"] == "<p>Mine</p>"
    assert versions["theirs"]["body_html"] == "<p>Theirs</p>"
    # A pull meanwhile does not resolve anything.
    upsert_sequences(seeded, "camp-1", factories.sequences())
    assert _variant(seeded).body_html == "<p>Mine</p>"
    assert outbox.get_item(seeded, item.id).state == "conflict"
    # Nothing is claimed while it waits.
    assert outbox.claim_next(seeded) == []


def test_keep_mine_requeues_with_theirs_as_base(seeded: Database) -> None:
    [item] = edits.update_variant(seeded, "var-a", subject="Mine")
    outbox.claim_next(seeded)
    outbox.put_in_conflict(seeded, item.id, "Theirs")
    kept = outbox.keep_mine(seeded, item.id)
    assert (kept.state, kept.base, kept.value, kept.theirs) == ("pending", "Theirs", "Mine", None)
    assert _variant(seeded).subject == "Mine"
    assert conflict_log(seeded)[0].resolution == "kept_mine"


def test_take_theirs_makes_the_server_text_local(seeded: Database) -> None:
    [item] = edits.update_variant(seeded, "var-a", subject="Mine")
    outbox.claim_next(seeded)
    outbox.put_in_conflict(seeded, item.id, "Theirs")
    outbox.take_theirs(seeded, item.id)
    variant = _variant(seeded)
    assert variant.subject == "Theirs" and variant.local_state is None
    assert outbox.list_items(seeded) == []
    [entry] = conflict_log(seeded)
    assert (entry.resolution, entry.mine, entry.theirs) == ("took_theirs", "Mine", "Theirs")


def test_editing_during_a_conflict_updates_mine_but_keeps_waiting(seeded: Database) -> None:
    [item] = edits.update_variant(seeded, "var-a", subject="Mine")
    outbox.claim_next(seeded)
    outbox.put_in_conflict(seeded, item.id, "Theirs")
    [again] = edits.update_variant(seeded, "var-a", subject="Mine v2")
    assert again.id == item.id and again.state == "conflict" and again.value == "Mine v2"


def test_revert_of_a_pushed_field_edit_goes_back_to_its_base(seeded: Database) -> None:
    [item] = edits.update_variant(seeded, "var-a", subject="New subject")
    outbox.claim_next(seeded)
    outbox.mark_done(seeded, item.id, {"id": "var-a", "subject": "New subject"})
    [back] = outbox.revert(seeded, item.id)
    assert (back.value, back.base) == ("Hello {{first_name}}", "New subject")
    assert _variant(seeded).subject == "Hello {{first_name}}"


def test_replies_and_deletes_cannot_be_reverted(seeded: Database) -> None:
    item = edits.queue_reply(seeded, "c0", "hi")
    outbox.claim_next(seeded)
    outbox.mark_done(seeded, item.id)
    with pytest.raises(outbox.OutboxError, match="cannot be reverted"):
        outbox.revert(seeded, item.id)


def test_done_items_are_pruned_by_age(seeded: Database) -> None:
    [item] = edits.mark_read(seeded, "c0")
    edits.mark_read(seeded, "c1")
    outbox.claim_next(seeded)
    outbox.mark_done(seeded, item.id)
    assert outbox.prune_done(seeded, "1970-01-01T00:00:00Z") == 0
    assert outbox.prune_done(seeded, "9999-01-01T00:00:00Z") == 1
    assert [i.state for i in outbox.list_items(seeded)] == ["pending"]


def test_outbox_rows_survive_a_new_connection(db_path, seeded: Database) -> None:
    from outreach_tui.store.connection import open_writer

    [item] = edits.set_label(seeded, "c0", "interested")
    outbox.claim_next(seeded)  # crash while in flight
    again = open_writer(db_path)
    try:
        [found] = outbox.in_flight_items(again)
        assert found.idempotency_key == item.idempotency_key
        assert get_conversation(again, "c0").label == "interested"  # type: ignore[union-attr]
    finally:
        again.close()

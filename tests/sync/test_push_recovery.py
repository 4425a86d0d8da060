"""Writes that could duplicate (replies) when their outcome is unknown, and recovery of
items a crash left in flight. The simulator ignores Idempotency-Key here, as a real server
may: only the engine's look-before-resend keeps a reply from going out twice."""

from __future__ import annotations

import asyncio

from sqlite_utils import Database
from starlette.applications import Starlette

from outreach_tui.api import ReachkitClient
from outreach_tui.store import edits, outbox
from outreach_tui.sync import push
from outreach_tui.sync.engine import run_sync
from tests.sync.conftest import KEY, client_for
from tests.sync.interception import InterceptingTransport, Rule
from tests.sync.sim_state import outgoing_with_text, server_conversation, workspace

TEXT = "Tuesday at 10 works for me, talk soon"


def _a_conversation(db: Database) -> str:
    return db.conn.execute("SELECT id FROM conversations ORDER BY id LIMIT 1").fetchone()[0]


async def _prepared(client: ReachkitClient, db: Database) -> str:
    assert (await run_sync(client, db)).ok
    return _a_conversation(db)


def _relabel(db: Database, cid: str) -> list[outbox.OutboxItem]:
    """Queue a label change (to a label the conversation does not have)."""
    current = db.conn.execute("SELECT label FROM conversations WHERE id = ?", [cid]).fetchone()
    label = "question" if current[0] != "question" else "referral"
    items = edits.set_label(db, cid, label)
    assert items
    return items


def _reply_posts(app: Starlette) -> int:
    return sum(
        1 for r in app.state.simulator.requests if r.method == "POST" and r.path.endswith("/reply")
    )


def _misbehaving(app: Starlette, *rules: Rule) -> tuple[ReachkitClient, InterceptingTransport]:
    transport = InterceptingTransport(app, list(rules))
    return client_for(app, transport=transport), transport


async def test_reply_whose_answer_was_lost_is_found_not_resent(
    app: Starlette, client: ReachkitClient, db: Database
) -> None:
    cid = await _prepared(client, db)
    edits.queue_reply(db, cid, f"<p>{TEXT}</p>")
    flaky, _ = _misbehaving(app, Rule("POST", "/reply", "apply_then_drop", times=1))
    async with flaky:
        report = await run_sync(flaky, db)
    assert report.ok and report.pushed == 1 and report.recovered == 1
    assert outgoing_with_text(app, KEY, cid, TEXT) == 1
    assert outbox.state_counts(db)["done"] == 1


async def test_reply_that_never_arrived_is_sent_again(
    app: Starlette, client: ReachkitClient, db: Database
) -> None:
    cid = await _prepared(client, db)
    edits.queue_reply(db, cid, f"<p>{TEXT}</p>")
    flaky, _ = _misbehaving(app, Rule("POST", "/reply", "drop", times=1))
    async with flaky:
        report = await run_sync(flaky, db)
    assert report.ok and report.pushed == 1 and report.recovered == 0
    assert outgoing_with_text(app, KEY, cid, TEXT) == 1


async def test_reply_failing_every_time_is_tried_a_bounded_number_of_times(
    app: Starlette, client: ReachkitClient, db: Database
) -> None:
    cid = await _prepared(client, db)
    reply = edits.queue_reply(db, cid, f"<p>{TEXT}</p>")
    later = _relabel(db, cid)
    posts = _reply_posts(app)
    broken, _ = _misbehaving(app, Rule("POST", "/reply", "5xx"))
    async with broken:
        report = await asyncio.wait_for(run_sync(broken, db), timeout=30)
    assert not report.ok and report.unreachable
    assert any("will try again next sync" in e for e in report.errors)
    assert _reply_posts(app) == posts  # the 500s never reached the simulator
    assert outbox.get_item(db, reply.id).state == outbox.PENDING
    assert outbox.get_item(db, later[0].id).state == outbox.PENDING  # the push stopped
    assert outgoing_with_text(app, KEY, cid, TEXT) == 0
    report = await run_sync(client, db)
    assert report.ok and outgoing_with_text(app, KEY, cid, TEXT) == 1


async def test_in_flight_reply_already_on_the_server_is_marked_done(
    app: Starlette, client: ReachkitClient, db: Database
) -> None:
    cid = await _prepared(client, db)
    item = edits.queue_reply(db, cid, f"<p>{TEXT}</p>")
    [claimed] = outbox.claim_next(db)
    assert claimed.id == item.id
    await client.reply_to_conversation(cid, item.value["content"])  # then the crash
    report = await run_sync(client, db)
    assert report.ok and report.recovered == 1 and report.pushed == 0
    assert outgoing_with_text(app, KEY, cid, TEXT) == 1
    assert outbox.get_item(db, item.id).state == outbox.DONE
    # the thread shows the reply once: the local copy was replaced by the server's
    html = [
        row[0]
        for row in db.conn.execute(
            "SELECT html_body FROM messages WHERE conversation_id = ?", [cid]
        )
    ]
    assert sum(TEXT in (body or "") for body in html) == 1


async def test_in_flight_reply_missing_on_the_server_is_sent_once(
    app: Starlette, client: ReachkitClient, db: Database
) -> None:
    cid = await _prepared(client, db)
    edits.queue_reply(db, cid, f"<p>{TEXT}</p>")
    outbox.claim_next(db)  # the crash came before the request left
    report = await run_sync(client, db)
    assert report.ok and report.recovered == 0 and report.pushed == 1
    assert outgoing_with_text(app, KEY, cid, TEXT) == 1


async def test_two_identical_replies_are_both_sent_and_never_a_third(
    app: Starlette, client: ReachkitClient, db: Database
) -> None:
    cid = await _prepared(client, db)
    edits.queue_reply(db, cid, "<p>Thanks!</p>")
    assert (await run_sync(client, db)).ok
    second = edits.queue_reply(db, cid, "<p>Thanks!</p>")
    outbox.claim_next(db)  # crash before sending the second one
    assert (await run_sync(client, db)).ok
    assert outgoing_with_text(app, KEY, cid, "Thanks!") == 2
    assert outbox.get_item(db, second.id).state == outbox.DONE
    # and once both are on the server, a leftover in-flight state finds the second one
    third = edits.queue_reply(db, cid, "<p>Thanks!</p>")
    outbox.claim_next(db)
    await client.reply_to_conversation(cid, "<p>Thanks!</p>")
    assert (await run_sync(client, db)).ok
    assert outgoing_with_text(app, KEY, cid, "Thanks!") == 3
    assert outbox.get_item(db, third.id).state == outbox.DONE


async def test_a_reply_with_the_inbox_signature_appended_counts_as_ours(
    app: Starlette, client: ReachkitClient, db: Database
) -> None:
    cid = await _prepared(client, db)
    item = edits.queue_reply(db, cid, f"<p>{TEXT}</p>")
    outbox.claim_next(db)
    await client.reply_to_conversation(cid, item.value["content"])
    # the server appended the sending inbox's signature (as the reference says it does)
    message = server_conversation(app, KEY, cid).extra[-1]
    signature = workspace(app, KEY).inboxes[message["inbox_id"]].signature
    assert signature
    message["html_body"] += f"<br><br>{signature}"
    report = await run_sync(client, db)
    assert report.ok and report.recovered == 1
    assert outgoing_with_text(app, KEY, cid, TEXT) == 1


async def test_a_longer_message_containing_our_text_is_not_taken_for_ours(
    app: Starlette, client: ReachkitClient, db: Database
) -> None:
    cid = await _prepared(client, db)
    await client.reply_to_conversation(cid, "<p>Thanks! See you on Tuesday then.</p>")
    item = edits.queue_reply(db, cid, "<p>Thanks!</p>")
    outbox.claim_next(db)
    report = await run_sync(client, db)
    assert report.ok and report.recovered == 0 and report.pushed == 1
    assert outbox.get_item(db, item.id).state == outbox.DONE
    assert outgoing_with_text(app, KEY, cid, "<p>Thanks!</p>") == 1


async def test_a_reply_interrupted_by_task_cancellation_stays_in_flight_then_is_found(
    app: Starlette, client: ReachkitClient, db: Database
) -> None:
    cid = await _prepared(client, db)
    item = edits.queue_reply(db, cid, f"<p>{TEXT}</p>")
    stuck, transport = _misbehaving(app, Rule("POST", "/reply", "apply_then_hang"))
    async with stuck:
        task = asyncio.create_task(run_sync(stuck, db))
        await transport.hanging.wait()
        assert outgoing_with_text(app, KEY, cid, TEXT) == 1
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    # the outcome is unknown: it must not go back to pending (a plain resend)
    assert outbox.get_item(db, item.id).state == outbox.IN_FLIGHT
    report = await run_sync(client, db)
    assert report.ok and report.recovered == 1
    assert outgoing_with_text(app, KEY, cid, TEXT) == 1


async def test_a_label_interrupted_by_task_cancellation_goes_back_to_pending(
    app: Starlette, client: ReachkitClient, db: Database
) -> None:
    cid = await _prepared(client, db)
    [item] = _relabel(db, cid)
    stuck, transport = _misbehaving(app, Rule("PATCH", cid, "hang"))
    async with stuck:
        task = asyncio.create_task(run_sync(stuck, db))
        await transport.hanging.wait()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert outbox.get_item(db, item.id).state == outbox.PENDING
    assert (await run_sync(client, db)).ok
    assert server_conversation(app, KEY, cid).label_override == item.value


def test_sends_per_run_are_bounded() -> None:
    assert 1 <= push.MAX_SENDS_PER_RUN <= 5


async def test_in_flight_reply_to_a_thread_deleted_on_the_server_fails_visibly(
    app: Starlette, client: ReachkitClient, db: Database
) -> None:
    cid = await _prepared(client, db)
    other = db.conn.execute(
        "SELECT id FROM conversations WHERE id != ? ORDER BY id LIMIT 1", [cid]
    ).fetchone()[0]
    item = edits.queue_reply(db, cid, f"<p>{TEXT}</p>")
    outbox.claim_next(db)
    [label] = _relabel(db, other)
    ws = workspace(app, KEY)
    ws.index.remove(ws.conversations[cid])
    del ws.conversations[cid]
    report = await run_sync(client, db)
    # the reply can never go out: failed with the server's word, the rest still syncs
    assert report.failed == 1 and not report.unreachable and report.pushed == 1
    failed = outbox.get_item(db, item.id)
    assert failed.state == outbox.FAILED and "404" in (failed.last_error or "")
    assert server_conversation(app, KEY, other).label_override == label.value


async def test_a_new_conversation_whose_answer_was_lost_is_found_not_created_twice(
    app: Starlette, client: ReachkitClient, db: Database
) -> None:
    await _prepared(client, db)
    subject = "Partnership idea for Q3 (crash-safe)"
    item = edits.compose_conversation(
        db,
        to=[{"email": "dana@prospect.test", "name": "Dana"}],
        subject=subject,
        content="<p>Hi Dana, a quick idea for Q3.</p>",
    )
    flaky, _ = _misbehaving(app, Rule("POST", "/unibox/conversations", "apply_then_drop", times=1))
    async with flaky:
        report = await run_sync(flaky, db)
    assert report.ok and report.recovered == 1
    created = [c for c in workspace(app, KEY).conversations.values() if c.subject == subject]
    assert len(created) == 1
    # the placeholder became the server's conversation
    assert outbox.get_item(db, item.id).state == outbox.DONE
    ids = [
        r[0] for r in db.conn.execute("SELECT id FROM conversations WHERE subject = ?", [subject])
    ]
    assert ids == [created[0].id]


async def test_an_uncertain_reply_that_cannot_be_checked_stays_in_flight(
    app: Starlette, client: ReachkitClient, db: Database
) -> None:
    cid = await _prepared(client, db)
    item = edits.queue_reply(db, cid, f"<p>{TEXT}</p>")
    flaky, _ = _misbehaving(
        app,
        Rule("POST", "/reply", "apply_then_drop", times=1),
        Rule("GET", f"/conversations/{cid}", "drop"),  # and the look fails as well
    )
    async with flaky:
        report = await run_sync(flaky, db)
    assert report.unreachable and not report.ok
    # not pending: a plain resend next time could duplicate it
    assert outbox.get_item(db, item.id).state == outbox.IN_FLIGHT
    report = await run_sync(client, db)
    assert report.ok and report.recovered == 1
    assert outgoing_with_text(app, KEY, cid, TEXT) == 1

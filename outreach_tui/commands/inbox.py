"""`outreach-tui inbox ...`: list, show and triage conversations from the cache.

Reads work offline on the cache; writes (label, read, unread, reply) only apply locally
and enqueue into the outbox — `outreach-tui sync` pushes them. A reply's merge tags are
rendered for the conversation's lead before it is queued, as in the TUI.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

from sqlite_utils import Database

from outreach_tui.commands import EXIT_USAGE, CommandError
from outreach_tui.commands.body_input import read_body_file, read_stdin_body
from outreach_tui.commands.context import resolve_context
from outreach_tui.commands.lookup import resolve_id
from outreach_tui.commands.output import print_json, print_table, safe
from outreach_tui.core.draft_tags import finish
from outreach_tui.core.html_text import markdown_to_plain, readable_body
from outreach_tui.core.labels import display_name, parse_label
from outreach_tui.core.mergetags import InvalidTemplate
from outreach_tui.core.plain_html import text_to_html
from outreach_tui.core.search_syntax import SearchSyntaxError, parse_search
from outreach_tui.core.snooze_time import SnoozeTimeError, describe, parse_snooze
from outreach_tui.core.timefmt import parse_timestamp, relative_time
from outreach_tui.store.codec import sortable_time
from outreach_tui.store.edits import EditError
from outreach_tui.store.edits import conversations as edits
from outreach_tui.store.edits import snooze as snooze_edits
from outreach_tui.store.edits.body import BodyRejected, check_body
from outreach_tui.store.outbox import OutboxItem
from outreach_tui.store.queries import conversations
from outreach_tui.store.queries.leads import conversation_variables
from outreach_tui.store.queries.snoozes import next_wake
from outreach_tui.store.records import ConversationFilter, ConversationRow

_MARKERS = {None: " ", "pending": "~", "failed": "!", "conflict": "?"}


def missing_subcommand(args: argparse.Namespace) -> int:
    """`inbox` alone is a usage error."""
    raise CommandError(
        "inbox needs a subcommand: list, show, label, read, unread, reply, snooze, unsnooze",
        exit_code=EXIT_USAGE,
    )


def _when(row: ConversationRow, now: datetime) -> str:
    if not row.last_activity:
        return ""
    try:
        return relative_time(parse_timestamp(row.last_activity), now)
    except ValueError:
        return safe(row.last_activity, 20)


def list_conversations(args: argparse.Namespace) -> int:
    """Print the conversations of the cache, newest activity first."""
    if args.search:
        try:
            parse_search(args.search)  # operators and their values, before the cache
        except SearchSyntaxError as error:
            raise CommandError(f"--search: {error}", exit_code=EXIT_USAGE) from None
    context = resolve_context(args)
    db = context.open_db(write=False)
    if _snooze_due(db):
        # Snoozes whose time came while no app ran come back first (a write: done only
        # when one is due, so a listing of a read-only cache still works otherwise).
        db.close()
        writer = context.open_db()
        try:
            snooze_edits.wake_due(writer, datetime.now(UTC).isoformat())
        finally:
            writer.close()
        db = context.open_db(write=False)
    flt = ConversationFilter(
        folder=args.folder, label=args.label, unread=args.unread, search=args.search
    )
    try:
        rows = conversations.conversation_window(db, flt, limit=args.limit)
    finally:
        db.close()
    if args.json:
        print_json([row.to_json() for row in rows])
        return 0
    now = datetime.now(UTC)
    table = [
        [
            _MARKERS.get(row.local_state, "?") + ("•" if not row.is_read else " "),
            row.id,
            safe(row.sender_name or row.sender_email, 28),
            safe(display_name(row.label) + ("*" if row.overridden else ""), 20),
            _when(row, now),
            safe(row.subject, 70),
        ]
        for row in rows
    ]
    print_table(table, ["", "ID", "FROM", "LABEL", "WHEN", "SUBJECT"])
    if not rows:
        print("no conversations match (run `outreach-tui sync` to fill the cache)", file=sys.stderr)
    return 0


def _snooze_due(db: Database) -> bool:
    due = next_wake(db)
    return due is not None and due <= sortable_time(datetime.now(UTC).isoformat())


def snooze(args: argparse.Namespace) -> int:
    """`inbox snooze ID... --until WHEN`: hide them until then (local to the cache)."""
    now = datetime.now().astimezone()  # typed times are the user's local time
    try:
        until = parse_snooze(args.until, now)
    except SnoozeTimeError as error:
        raise CommandError(f"--until: {error}", exit_code=EXIT_USAGE) from None
    context = resolve_context(args)
    db = context.open_db()
    try:
        ids = list(dict.fromkeys(_require_conversation(db, typed).id for typed in args.ids))
        snooze_edits.snooze(db, ids, until.astimezone(UTC).isoformat(), now.isoformat())
    finally:
        db.close()
    stamp = sortable_time(until.isoformat())
    if args.json:
        print_json({"snoozed": ids, "until": stamp})
        return 0
    print(
        f"snoozed {len(ids)} conversation(s) until {describe(until, now)}"
        " (in this cache only; `inbox unsnooze` brings them back sooner)"
    )
    return 0


def unsnooze(args: argparse.Namespace) -> int:
    """`inbox unsnooze ID...`: back on top of the inbox now."""
    context = resolve_context(args)
    db = context.open_db()
    try:
        ids = list(dict.fromkeys(_require_conversation(db, typed).id for typed in args.ids))
        woken = snooze_edits.wake(db, ids, datetime.now(UTC).isoformat())
    finally:
        db.close()
    if args.json:
        print_json({"unsnoozed": woken})
        return 0
    print(f"unsnoozed {woken} conversation(s)" if woken else "none of them was snoozed")
    return 0


def _require_conversation(db: Database, typed: str) -> ConversationRow:
    """The conversation `typed` names: its id or a unique start of it."""
    row = conversations.get_conversation(db, resolve_id(db, "conversation", typed))
    if row is None:  # deleted between the two reads (another process synced)
        raise CommandError(f"no conversation {safe(typed, 80)} in the cache")
    return row


def show_conversation(args: argparse.Namespace) -> int:
    """Print one thread: headers and readable bodies (quoted history folded away)."""
    context = resolve_context(args)
    db = context.open_db(write=False)
    try:
        conversation_id = _require_conversation(db, args.id).id
        thread = conversations.thread(db, conversation_id)
    finally:
        db.close()
    if thread is None:  # deleted between the two reads (another process synced)
        raise CommandError(f"no conversation {safe(args.id, 80)} in the cache")
    if args.json:
        data = thread.conversation.to_json()
        data["messages"] = [
            {
                "direction": m.direction,
                "inbox_id": m.inbox_id,
                "subject": m.subject,
                "text_body": m.text_body,
                "html_body": m.html_body,
                "from_email": m.from_email,
                "to_recipients": list(m.to_recipients),
                "cc_recipients": list(m.cc_recipients),
                "bcc_recipients": list(m.bcc_recipients),
                "email_date": m.email_date,
                "is_read": m.is_read,
                "attachments": [a.__dict__ for a in m.attachments],
                "pending": m.outbox_state if m.queued else None,
            }
            for m in thread.messages
        ]
        print_json(data)
        return 0
    conversation = thread.conversation
    print(f"Subject: {safe(conversation.subject, 200)}")
    label = display_name(conversation.label)
    if conversation.overridden:
        label += f" (override; AI label: {display_name(conversation.ai_label)})"
    print(f"Label: {safe(label)}")
    for message in thread.messages:
        print()
        arrow = "→" if message.direction == "outgoing" else "←"
        queued = f" [{message.outbox_state or 'queued'}]" if message.queued else ""
        print(f"{arrow} {safe(message.from_email, 80)}  {safe(message.email_date, 40)}{queued}")
        recipients = ", ".join(safe(r.get("email"), 80) for r in message.to_recipients)
        if recipients:
            print(f"  to: {recipients}")
        body = readable_body(message.html_body, message.text_body)
        for line in markdown_to_plain(body.markdown).splitlines():
            print(f"  {line}" if line else "")
        if body.quoted:
            print(f"  [{len(body.quoted.splitlines())} quoted lines hidden]")
        for attachment in message.attachments:
            print(f"  attachment: {safe(attachment.filename, 100)} ({attachment.size} bytes)")
    return 0


def _apply(args: argparse.Namespace, ids: list[str], edit: str) -> list[OutboxItem]:
    """Check every id exists, then apply the edit to all of them (one transaction)."""
    context = resolve_context(args)
    db = context.open_db()
    try:
        # Two ways of typing one conversation (its id and a start of it) count once.
        ids[:] = dict.fromkeys(_require_conversation(db, typed).id for typed in ids)
        try:
            if edit == "revert":
                return edits.revert_label(db, ids)
            if edit == "read":
                return edits.mark_read(db, ids)
            if edit == "unread":
                return edits.mark_unread(db, ids)
            return edits.set_label(db, ids, edit)
        except EditError as error:
            raise CommandError(str(error)) from None
    finally:
        db.close()


def _report_queued(items: list[OutboxItem], ids: list[str], what: str) -> None:
    if items:
        print(
            f"{what}: {len(ids)} conversation(s); {len(items)} change(s) queued"
            " (run `outreach-tui sync` to push)"
        )
    else:
        print(f"{what}: nothing to change")


def label_conversations(args: argparse.Namespace) -> int:
    """`inbox label ID... LABEL` or `inbox label ID... --revert`."""
    targets = list(args.targets)
    if args.revert:
        items = _apply(args, targets, "revert")
        _report_queued(items, targets, "label reverted to the AI label")
        return 0
    if len(targets) < 2:
        raise CommandError(
            "usage: inbox label ID... LABEL (or ID... --revert)", exit_code=EXIT_USAGE
        )
    *ids, typed = targets
    try:
        label = parse_label(typed)
    except ValueError as error:
        raise CommandError(str(error), exit_code=EXIT_USAGE) from None
    items = _apply(args, ids, label)
    _report_queued(items, ids, f"labelled {label}")
    return 0


def mark_read(args: argparse.Namespace) -> int:
    """`inbox read ID...`."""
    ids = list(args.ids)
    items = _apply(args, ids, "read")
    _report_queued(items, ids, "marked read")
    return 0


def mark_unread(args: argparse.Namespace) -> int:
    """`inbox unread ID...`."""
    ids = list(args.ids)
    items = _apply(args, ids, "unread")
    _report_queued(items, ids, "marked unread")
    return 0


def _read_body(args: argparse.Namespace) -> str:
    """The reply text from --body, --body-file or stdin, under the one body rule."""
    if args.body is not None:
        # POSIX argv bytes that are not UTF-8 arrive as lone surrogates (surrogateescape):
        # check_body reports them as the bytes os.fsencode would give back. (Re-encoding
        # the whole argument would misjudge valid text under a non-UTF-8 locale.)
        check_body(args.body, "reply")
        return args.body
    if args.body_file is not None:
        return read_body_file(args.body_file, "reply")
    if sys.stdin is None:
        raise CommandError("no reply text: pass --body TEXT or --body-file PATH")
    return read_stdin_body("reply")


def _rendered(db: Database, conversation_id: str, text: str, allow_missing: bool) -> str:
    """The reply with its merge tags rendered for the conversation's lead (its cached lead,
    else its sender); `CommandError` for an invalid tag, or a variable with no value and
    no fallback unless `allow_missing` (then it renders empty)."""
    try:
        result = finish(text, conversation_variables(db, conversation_id), seed_key=conversation_id)
    except InvalidTemplate as error:
        problem = error.error
        raise CommandError(
            f"merge tag at character {problem.offset + 1}: {problem.message}"
            " (write \\{{ for a literal {{); nothing queued"
        ) from None
    if result.missing and not allow_missing:
        names = ", ".join(result.missing)
        raise CommandError(
            f"no value for {safe(names, 200)} in this conversation: add a fallback"
            " ({{name|fallback}}) or pass --allow-missing to send it empty; nothing queued"
        )
    return result.text


def reply(args: argparse.Namespace) -> int:
    """`inbox reply ID [--body TEXT | --body-file PATH] [--allow-missing]` (stdin when
    neither); merge tags are rendered for the conversation's lead before it is queued."""
    try:
        text = _read_body(args)
    except BodyRejected as error:
        raise CommandError(str(error)) from None
    if not text.strip():
        raise CommandError("the reply is empty; nothing queued")
    context = resolve_context(args)
    db = context.open_db()
    try:
        conversation_id = _require_conversation(db, args.id).id
        text = _rendered(db, conversation_id, text, args.allow_missing)
        try:
            item = edits.queue_reply(db, conversation_id, text_to_html(text))
        except EditError as error:
            raise CommandError(str(error)) from None
    finally:
        db.close()
    print(f"reply queued (outbox item {item.id}); run `outreach-tui sync` to send it")
    return 0

"""Unibox endpoints: list, show, update (label override, read), reply, compose, attachments.

Choices where the reference is silent:
- `search` matches the subject and the participants (email addresses and names) of the
  thread, plus the text of messages added after seeding; seeded bodies are rendered on
  demand and are not searched (it would cost seconds at 100,000 threads).
- Every message carries `inbox_id`, on show too (the reference lists it on list, update
  and reply; its absence on show reads as an omission).
- A reply goes out through the inbox of the thread's latest message, to the thread's
  other party, with the subject "Re: <thread subject>"; it is read and has no
  attachments. Its body is stored as submitted (the inbox signature is not appended).
- Composing: `to` needs at least one recipient with a valid email (name optional, shown as
  "" when absent); `subject` and `content` are required and non-empty; an unknown
  `inbox_id` is 404 like any foreign id, an inactive one 422; without `inbox_id` the first
  active inbox (by creation) is used, 422 when there is none. The new thread lands in
  primary with no label and no lead.
- Attachment downloads answer the bytes with the attachment's content type and
  `Content-Disposition: attachment` carrying the filename as sent (an ASCII-safe copy
  plus the exact name in `filename*`); making it safe to save is the client's job.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.responses import Response

from outreach_tui.simulator.bodies import MISSING, BodyCheck, is_plausible_email
from outreach_tui.simulator.clock import iso
from outreach_tui.simulator.conversations import FOLDERS, LABELS, Conversation
from outreach_tui.simulator.errors import ApiError, not_found, validation_error
from outreach_tui.simulator.html_body import email_text_from_html
from outreach_tui.simulator.paging import page_metadata, page_request
from outreach_tui.simulator.routes import ApiCall, Route, listing, ok
from outreach_tui.simulator.threads import attachment_bytes
from outreach_tui.simulator.workspace import Workspace


def _search_text(workspace: Workspace, conversation: Conversation) -> str:
    if conversation.search_text is not None:
        return conversation.search_text
    persona = workspace.personas.get(conversation.inbox_id)
    texts = [conversation.subject, conversation.peer_email, conversation.peer_name]
    if persona is not None:
        texts += [persona.email, persona.name]
    for message in conversation.extra or ():
        texts.append(message["text_body"])
        texts.extend(r["email"] for r in message["to_recipients"])
        texts.extend(r["name"] for r in message["to_recipients"])
    # kept on the conversation: 100,000 threads are then searched in a few milliseconds
    conversation.search_text = "\n".join(texts).casefold()
    return conversation.search_text


def list_conversations(call: ApiCall) -> Response:
    """GET /unibox/conversations: latest activity first; folder and search filters."""
    workspace = call.workspace
    folder = call.query.get("folder") or None
    errors = {}
    if folder is not None and folder not in FOLDERS:
        errors["folder"] = "must be primary or others"
    try:
        request = page_request(call.query, default_size=20)
    except ApiError as error:
        errors.update(error.details or {})
    if errors:
        raise validation_error(errors)
    needle = (call.query.get("search") or "").strip().casefold()
    if needle:
        conversations = workspace.conversations
        matches = [
            conversation_id
            for conversation_id in workspace.index.ordered_ids(folder)
            if needle in _search_text(workspace, conversations[conversation_id])
        ]
        total = len(matches)
        ids = matches[request.offset : request.offset + request.page_size]
    else:
        total = workspace.index.count(folder)
        ids = workspace.index.slice_ids(folder, request.offset, request.offset + request.page_size)
    data = [workspace.conversation_view(workspace.conversations[i]) for i in ids]
    return listing(data, page_metadata(request, total))


def show_conversation(call: ApiCall) -> Response:
    """GET /unibox/conversations/:id with every message."""
    workspace = call.workspace
    return ok(workspace.conversation_view(workspace.conversation(call.params["conversation_id"])))


def update_conversation(call: ApiCall) -> Response:
    """PATCH /unibox/conversations/:id: label_override (label or null) and is_read."""
    workspace = call.workspace
    conversation = workspace.conversation(call.params["conversation_id"])
    check = BodyCheck(call.body(), ("label_override", "is_read"))
    override = check.body.get("label_override", MISSING)
    if override is not MISSING and override is not None and override not in LABELS:
        check.fail("label_override", f"must be null or one of: {', '.join(LABELS)}")
    is_read = check.boolean("is_read")
    check.raise_if_invalid()
    changed = False
    if override is not MISSING and override != conversation.label_override:
        conversation.label_override = override
        changed = True
    if is_read is not MISSING:
        changed = conversation.set_read(is_read) or changed
    if changed:
        conversation.updated_at = max(conversation.updated_at, workspace.now())
        workspace.touch_conversation(conversation)
    return ok(workspace.conversation_view(conversation))


def _public(message: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in message.items() if key != "_ts"}


def _outgoing(
    inbox_id: str,
    from_email: str,
    to: list[dict[str, str]],
    subject: str,
    content: str,
    when: int,
) -> dict[str, Any]:
    return {
        "direction": "outgoing",
        "inbox_id": inbox_id,
        "subject": subject,
        "text_body": email_text_from_html(content),
        "html_body": content,
        "from_email": from_email,
        "to_recipients": to,
        "cc_recipients": [],
        "bcc_recipients": [],
        "email_date": iso(when),
        "is_read": True,
        "attachments": [],
        "_ts": when,
    }


def reply(call: ApiCall) -> Response:
    """POST /unibox/conversations/:id/reply: an outgoing message through the thread's inbox."""
    workspace = call.workspace
    conversation = workspace.conversation(call.params["conversation_id"])
    check = BodyCheck(call.body(), ("content",))
    content = check.string("content", required=True, non_empty=True)
    check.raise_if_invalid()
    latest_inbox = (
        conversation.extra[-1]["inbox_id"] if conversation.extra else conversation.inbox_id
    )
    inbox = workspace.inbox(latest_inbox)
    subject = conversation.subject
    if subject[:3].lower() != "re:":
        subject = f"Re: {subject}"
    when = max(workspace.now(), conversation.last_activity)
    to = [{"email": conversation.peer_email, "name": conversation.peer_name}]
    message = _outgoing(inbox.id, inbox.email, to, subject, content, when)
    workspace.append_message(conversation, message)
    workspace.touch_conversation(conversation)
    return ok(_public(message))


def _recipients(check: BodyCheck) -> list[dict[str, str]]:
    raw = check.body.get("to", MISSING)
    if raw is MISSING:
        check.fail("to", "is required")
        return []
    if not isinstance(raw, list) or not raw:
        check.fail("to", "must be a non-empty list of recipients")
        return []
    recipients = []
    for position, item in enumerate(raw):
        field = f"to[{position}]"
        if not isinstance(item, dict):
            check.fail(field, 'must be an object {"email": ..., "name": ...}')
            continue
        email, name = item.get("email"), item.get("name")
        if not is_plausible_email(email.strip() if isinstance(email, str) else email):
            check.fail(f"{field}.email", "must be a valid email address")
        elif name is not None and not isinstance(name, str):
            check.fail(f"{field}.name", "must be a string or null")
        else:
            recipients.append({"email": email.strip(), "name": name or ""})
    return recipients


def create_conversation(call: ApiCall) -> Response:
    """POST /unibox/conversations: a new thread with its first (outgoing) email."""
    workspace = call.workspace
    check = BodyCheck(call.body(), ("inbox_id", "to", "subject", "content"))
    inbox_id = check.string("inbox_id", nullable=True)
    recipients = _recipients(check)
    subject = check.string("subject", required=True, non_empty=True)
    content = check.string("content", required=True, non_empty=True)
    check.raise_if_invalid()
    if inbox_id not in (MISSING, None):
        inbox = workspace.inbox(inbox_id)
        if not inbox.is_active:
            raise validation_error({"inbox_id": "the inbox is not active"})
    else:
        inbox = next((i for i in workspace.inboxes.values() if i.is_active), None)
        if inbox is None:
            raise validation_error({"inbox_id": "the workspace has no active inbox"})
    when = workspace.now()
    conversation = Conversation(
        id=workspace.ids.new(),
        seed=0,
        lead_id=None,
        inbox_id=inbox.id,
        peer_email=recipients[0]["email"],
        peer_name=recipients[0]["name"],
        subject=subject,
        ai_label=None,
        label_override=None,
        folder="primary",
        first_incoming=False,
        dates=[],
        read_mask=0,
        created_at=when,
        updated_at=when,
        extra=[_outgoing(inbox.id, inbox.email, recipients, subject, content, when)],
    )
    workspace.add_conversation(conversation)
    return ok(workspace.conversation_view(conversation))


def _content_disposition(filename: str) -> str:
    fallback = "".join(
        char if 32 <= ord(char) < 127 and char not in '"\\' else "_" for char in filename
    )
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def download_attachment(call: ApiCall) -> Response:
    """GET /unibox/conversations/:id/attachments/:id: the file's bytes."""
    workspace = call.workspace
    conversation = workspace.conversation(call.params["conversation_id"])
    wanted = call.params["attachment_id"]
    for message in workspace.renderer.messages(conversation):
        for attachment in message["attachments"]:
            if attachment["id"] == wanted:
                return Response(
                    attachment_bytes(attachment),
                    media_type=attachment["content_type"],
                    headers={"Content-Disposition": _content_disposition(attachment["filename"])},
                )
    raise not_found("attachment")


ROUTES: list[Route] = [
    ("GET", "/unibox/conversations", list_conversations),
    ("POST", "/unibox/conversations", create_conversation),
    ("GET", "/unibox/conversations/{conversation_id}", show_conversation),
    ("PATCH", "/unibox/conversations/{conversation_id}", update_conversation),
    ("POST", "/unibox/conversations/{conversation_id}/reply", reply),
    (
        "GET",
        "/unibox/conversations/{conversation_id}/attachments/{attachment_id}",
        download_attachment,
    ),
]

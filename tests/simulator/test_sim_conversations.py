"""Unibox conversations: order, folders, labels, read flags, replies, compose, attachments."""

from __future__ import annotations

import itertools
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from tests.simulator.calls import KEY, assert_error, call, data

LABELS = {
    "interested",
    "not_interested",
    "needs_more_info",
    "meeting_requested",
    "wrong_person",
    "out_of_office",
    "referral",
    "question",
    "neutral",
    "unsubscribe",
    "left_company",
}


async def _all(client: httpx.AsyncClient, **params: Any) -> list[dict[str, Any]]:
    return await data(client, "GET", "/unibox/conversations", params={"page_size": 100, **params})


def _latest(conversation: dict[str, Any]) -> str:
    return max(message["email_date"] for message in conversation["messages"])


async def test_conversations_are_listed_latest_activity_first(client: httpx.AsyncClient) -> None:
    conversations = await _all(client)
    keys = [(_latest(c), c["id"]) for c in conversations]
    for (date, ident), (next_date, next_ident) in itertools.pairwise(keys):
        assert date > next_date or (date == next_date and ident < next_ident)


async def test_folders_split_the_inbox_and_unknown_folder_is_422(
    client: httpx.AsyncClient,
) -> None:
    everything = {c["id"] for c in await _all(client)}
    primary = {c["id"] for c in await _all(client, folder="primary")}
    others = {c["id"] for c in await _all(client, folder="others")}
    assert primary and others and primary | others == everything and not primary & others
    body = assert_error(
        await call(client, "GET", "/unibox/conversations", params={"folder": "spam"}), 422
    )
    assert "folder" in body["details"]


async def test_label_override_sets_the_effective_label_and_null_reverts(
    client: httpx.AsyncClient,
) -> None:
    conversation = next(c for c in await _all(client) if c["label"] not in (None, "referral"))
    path = f"/unibox/conversations/{conversation['id']}"
    overridden = await data(client, "PATCH", path, json={"label_override": "referral"})
    assert overridden["label"] == "referral" and overridden["is_positive"] is True
    assert (await data(client, "GET", path))["label"] == "referral"
    reverted = await data(client, "PATCH", path, json={"label_override": None})
    assert reverted["label"] == conversation["label"]


@pytest.mark.parametrize("label", ["spam", "Interested", "", 3])
async def test_label_override_must_be_one_of_the_11_labels(
    client: httpx.AsyncClient, label: object
) -> None:
    conversation = (await _all(client))[0]
    response = await call(
        client,
        "PATCH",
        f"/unibox/conversations/{conversation['id']}",
        json={"label_override": label},
    )
    assert "label_override" in assert_error(response, 422)["details"]


async def test_seeded_labels_are_from_the_11_or_null(client: httpx.AsyncClient) -> None:
    labels = {c["label"] for c in await _all(client)}
    assert labels <= LABELS | {None}


async def test_is_read_marks_every_message(client: httpx.AsyncClient) -> None:
    conversation = next(c for c in await _all(client) if len(c["messages"]) > 1)
    path = f"/unibox/conversations/{conversation['id']}"
    unread = await data(client, "PATCH", path, json={"is_read": False})
    assert [m["is_read"] for m in unread["messages"]] == [False] * len(unread["messages"])
    read = await data(client, "PATCH", path, json={"is_read": True})
    assert all(m["is_read"] for m in read["messages"])
    assert_error(await call(client, "PATCH", path, json={"is_read": "yes"}), 422)


async def test_conversation_update_bumps_updated_at(client: httpx.AsyncClient) -> None:
    conversation = (await _all(client))[-1]
    path = f"/unibox/conversations/{conversation['id']}"
    changed = await data(client, "PATCH", path, json={"label_override": "question"})
    assert changed["updated_at"] > conversation["updated_at"]


async def test_reply_appends_an_outgoing_message_through_the_threads_inbox(
    client: httpx.AsyncClient,
) -> None:
    conversations = await _all(client)
    conversation = conversations[-1]
    last = conversation["messages"][-1]
    path = f"/unibox/conversations/{conversation['id']}"
    message = await data(client, "POST", f"{path}/reply", json={"content": "<p>Thanks!</p>"})
    assert message["direction"] == "outgoing" and message["inbox_id"] == last["inbox_id"]
    assert message["subject"].startswith("Re: ") and "Re: Re:" not in message["subject"]
    assert message["html_body"] == "<p>Thanks!</p>" and message["text_body"] == "Thanks!"
    assert message["attachments"] == [] and message["is_read"] is True
    inbox = await data(client, "GET", f"/inboxes/{last['inbox_id']}")
    assert message["from_email"] == inbox["email"]
    shown = await data(client, "GET", path)
    assert (
        shown["messages"][-1] == message
        and len(shown["messages"]) == len(conversation["messages"]) + 1
    )
    assert (await _all(client))[0]["id"] == conversation["id"]


@pytest.mark.parametrize("body", [{}, {"content": ""}, {"content": "  "}, {"content": 1}])
async def test_reply_content_is_required(client: httpx.AsyncClient, body: dict[str, Any]) -> None:
    conversation = (await _all(client))[0]
    response = await call(
        client, "POST", f"/unibox/conversations/{conversation['id']}/reply", json=body
    )
    assert "content" in assert_error(response, 422)["details"]


async def test_create_uses_the_first_active_inbox(client: httpx.AsyncClient) -> None:
    inboxes = await data(client, "GET", "/inboxes", params={"page_size": 100})
    first_active = next(i for i in inboxes if i["is_active"])
    created = await data(
        client,
        "POST",
        "/unibox/conversations",
        json={
            "to": [{"email": "new@x.example", "name": None}],
            "subject": "Hi",
            "content": "<p>Yo</p>",
        },
    )
    assert created["lead_id"] is None and created["label"] is None
    (message,) = created["messages"]
    assert (
        message["inbox_id"] == first_active["id"] and message["from_email"] == first_active["email"]
    )
    assert message["to_recipients"] == [{"email": "new@x.example", "name": ""}]
    assert message["direction"] == "outgoing" and message["subject"] == "Hi"
    assert (await _all(client))[0]["id"] == created["id"]


async def test_create_with_an_explicit_inbox_and_several_recipients(
    client: httpx.AsyncClient,
) -> None:
    inboxes = await data(client, "GET", "/inboxes", params={"page_size": 100})
    chosen = [i for i in inboxes if i["is_active"]][-1]
    to = [{"email": "a@x.example", "name": "A"}, {"email": "b@x.example", "name": "B"}]
    created = await data(
        client,
        "POST",
        "/unibox/conversations",
        json={"inbox_id": chosen["id"], "to": to, "subject": "Hi", "content": "x"},
    )
    assert created["messages"][0]["inbox_id"] == chosen["id"]
    assert created["messages"][0]["to_recipients"] == to


async def test_create_without_an_active_inbox_is_422(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    workspace = app.state.simulator.workspace(KEY)
    for inbox in workspace.inboxes.values():
        inbox.is_active = False
    response = await call(
        client,
        "POST",
        "/unibox/conversations",
        json={"to": [{"email": "a@x.example"}], "subject": "s", "content": "c"},
    )
    assert "inbox_id" in assert_error(response, 422)["details"]


@pytest.mark.parametrize(
    "to",
    [
        None,
        [],
        [{"name": "No email"}],
        [{"email": "bad"}],
        "a@x.example",
        [{"email": "ok@x.example", "name": 4}],
    ],
)
async def test_create_needs_recipients_with_valid_emails(
    client: httpx.AsyncClient, to: object
) -> None:
    body: dict[str, Any] = {"subject": "s", "content": "c"}
    if to is not None:
        body["to"] = to
    response = await call(client, "POST", "/unibox/conversations", json=body)
    assert any(key.startswith("to") for key in assert_error(response, 422)["details"])


async def test_create_with_an_unknown_inbox_is_404(client: httpx.AsyncClient) -> None:
    response = await call(
        client,
        "POST",
        "/unibox/conversations",
        json={"inbox_id": "nope", "to": [{"email": "a@x.example"}], "subject": "s", "content": "c"},
    )
    assert_error(response, 404)


async def test_attachment_download_returns_the_bytes_and_type(client: httpx.AsyncClient) -> None:
    conversations = await _all(client)
    conversation, attachment = next(
        (c, a) for c in conversations for m in c["messages"] for a in m["attachments"]
    )
    response = await call(
        client, "GET", f"/unibox/conversations/{conversation['id']}/attachments/{attachment['id']}"
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(attachment["content_type"])
    assert len(response.content) == attachment["size"]
    assert response.headers["content-disposition"].startswith("attachment;")
    again = await call(
        client, "GET", f"/unibox/conversations/{conversation['id']}/attachments/{attachment['id']}"
    )
    assert again.content == response.content
    missing = await call(
        client, "GET", f"/unibox/conversations/{conversation['id']}/attachments/nope"
    )
    assert_error(missing, 404)


async def test_conversation_search_matches_subject_and_participants(
    client: httpx.AsyncClient,
) -> None:
    conversations = await _all(client)
    target = conversations[10]
    found = await _all(client, search=target["messages"][0]["to_recipients"][0]["email"].upper())
    assert target["id"] in {c["id"] for c in found} and len(found) < len(conversations)
    by_subject = await _all(client, search="invoice overdue")
    assert by_subject and all("invoice overdue" in c["messages"][0]["subject"] for c in by_subject)


async def test_message_shape_follows_the_reference(client: httpx.AsyncClient) -> None:
    conversation = (await _all(client))[0]
    assert set(conversation) == {
        "id",
        "label",
        "is_positive",
        "lead_id",
        "messages",
        "created_at",
        "updated_at",
    }
    assert set(conversation["messages"][0]) == {
        "direction",
        "inbox_id",
        "subject",
        "text_body",
        "html_body",
        "from_email",
        "to_recipients",
        "cc_recipients",
        "bcc_recipients",
        "email_date",
        "is_read",
        "attachments",
    }

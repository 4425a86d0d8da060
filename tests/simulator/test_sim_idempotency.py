"""Idempotency-Key: ignored by default (the reference does not promise it), optional replay."""

from __future__ import annotations

from outreach_tui.simulator import create_app
from tests.simulator.calls import KEY, call, client_for, data


async def _reply_twice(honour: bool) -> tuple[list[dict], int]:
    app = create_app(api_keys=[KEY], size=10, seed=2, honour_idempotency=honour)
    async with client_for(app) as client:
        conversation = (await data(client, "GET", "/unibox/conversations"))[0]
        path = f"/unibox/conversations/{conversation['id']}"
        headers = {"Idempotency-Key": "reply-1"}
        answers = [
            (
                await call(client, "POST", f"{path}/reply", json={"content": "Hi"}, headers=headers)
            ).json()
            for _ in range(2)
        ]
        shown = await data(client, "GET", path)
    return answers, len(shown["messages"]) - len(conversation["messages"])


async def test_idempotency_key_is_ignored_by_default() -> None:
    _, added = await _reply_twice(honour=False)
    assert added == 2


async def test_idempotency_key_replays_the_first_answer_when_honoured() -> None:
    answers, added = await _reply_twice(honour=True)
    assert added == 1 and answers[0] == answers[1]

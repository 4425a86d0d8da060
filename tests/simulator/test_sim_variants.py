"""Variants: letters, required subject, HTML allowlist, merge tags, enabled rules,
unsubscribe link."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.simulator.calls import assert_error, call, data, new_campaign

UNSUBSCRIBE = '<a href="{{unsubscribe_url}}">'


async def _step(client: httpx.AsyncClient) -> tuple[str, str]:
    campaign = await new_campaign(client)
    step = (await data(client, "GET", f"/campaigns/{campaign['id']}/sequences"))[0]
    return campaign["id"], step["id"]


async def _create(
    client: httpx.AsyncClient, campaign_id: str, step_id: str, **body: Any
) -> httpx.Response:
    body.setdefault("subject", "Hello")
    return await call(
        client, "POST", f"/campaigns/{campaign_id}/sequences/{step_id}/variants", json=body
    )


async def test_variant_letters_follow_creation_order(client: httpx.AsyncClient) -> None:
    campaign_id, step_id = await _step(client)
    for _ in range(3):
        assert (await _create(client, campaign_id, step_id)).status_code == 200
    steps = await data(client, "GET", f"/campaigns/{campaign_id}/sequences")
    assert [v["letter"] for v in steps[0]["variants"]] == ["A", "B", "C", "D"]


async def test_created_variant_answers_the_documented_fields(client: httpx.AsyncClient) -> None:
    campaign_id, step_id = await _step(client)
    variant = (await _create(client, campaign_id, step_id, body_html="<b>Hi</b>")).json()["data"]
    assert set(variant) == {"id", "subject", "body_html", "body_text", "enabled"}
    assert variant["enabled"] is True and variant["body_text"] == "Hi"


@pytest.mark.parametrize("subject", [None, "", "  ", 7])
async def test_variant_subject_is_required_non_empty_on_create(
    client: httpx.AsyncClient, subject: object
) -> None:
    campaign_id, step_id = await _step(client)
    body: dict[str, Any] = {} if subject is None else {"subject": subject}
    response = await call(
        client, "POST", f"/campaigns/{campaign_id}/sequences/{step_id}/variants", json=body
    )
    assert "subject" in assert_error(response, 422)["details"]


@pytest.mark.parametrize(
    ("submitted", "stored"),
    [
        ("<p>Hi <b>there</b></p>", "Hi <b>there</b>"),
        ("<div><i>a</i><u>b</u><span>c</span></div>", "<i>a</i><u>b</u>c"),
        (
            '<a href="https://x.example" onclick="evil()" class="c">x</a>',
            '<a href="https://x.example">x</a>',
        ),
        (
            '<img src="https://x.example/p.png" alt="pic" width="5">',
            '<img src="https://x.example/p.png" alt="pic">',
        ),
        ('<a href="javascript:alert(1)">click</a>', "<a>click</a>"),
        ('<a href=" JaVa\tScript:alert(1)">x</a>', "<a>x</a>"),
        ("<script>alert(1)</script>", "alert(1)"),
        ("<B>bold</B>", "<b>bold</b>"),
        ("<b>unclosed", "<b>unclosed</b>"),
        ("a &amp; b &lt; c", "a &amp; b &lt; c"),
    ],
)
async def test_body_html_is_reduced_to_the_allowlist(
    client: httpx.AsyncClient, submitted: str, stored: str
) -> None:
    campaign_id, step_id = await _step(client)
    variant = (await _create(client, campaign_id, step_id, body_html=submitted)).json()["data"]
    assert variant["body_html"] == stored


async def test_body_text_is_derived_from_body_html(client: httpx.AsyncClient) -> None:
    campaign_id, step_id = await _step(client)
    body = (
        'Hi {{first_name}},\n<b>Look</b> at <a href="https://x.example/demo">the demo</a>'
        " &amp; more"
    )
    variant = (await _create(client, campaign_id, step_id, body_html=body)).json()["data"]
    assert (
        variant["body_text"]
        == "Hi {{first_name}},\nLook at the demo (https://x.example/demo) & more"
    )


@pytest.mark.parametrize(
    ("field", "value", "offset"),
    [
        ("body_html", "Hello {{first_name", 6),
        ("body_html", "Hi {{a {{b}} }}", 3),
        ("body_html", "x {{  }}", 2),
        ("body_html", "{{SPINTAX}}", 0),
        ("body_html", "ok {{name}} then {{LOOM|}}", 17),
        ("subject", "Re: {{ |fallback}}", 4),
    ],
)
async def test_invalid_merge_tag_is_422_with_field_and_offset(
    client: httpx.AsyncClient, field: str, value: str, offset: int
) -> None:
    campaign_id, step_id = await _step(client)
    response = await _create(client, campaign_id, step_id, **{field: value})
    body = assert_error(response, 422)
    assert body["details"] == {"field": field, "offset": offset, "code": "invalid_merge_tag"}


async def test_subject_merge_tags_are_checked_before_body(client: httpx.AsyncClient) -> None:
    campaign_id, step_id = await _step(client)
    response = await _create(client, campaign_id, step_id, subject="{{", body_html="{{")
    assert assert_error(response, 422)["details"]["field"] == "subject"


async def test_valid_merge_tags_and_escapes_are_accepted(client: httpx.AsyncClient) -> None:
    campaign_id, step_id = await _step(client)
    body = "{{firstName|there}} {{SPINTAX|a|}} {{LOOM|video|none}} \\{{literal}} and }} alone"
    variant = (await _create(client, campaign_id, step_id, body_html=body)).json()["data"]
    assert variant["body_html"] == body


async def test_variant_patch_merge_tags_offset_is_on_the_submitted_text(
    client: httpx.AsyncClient,
) -> None:
    campaign_id, step_id = await _step(client)
    variant = (await _create(client, campaign_id, step_id)).json()["data"]
    response = await call(
        client,
        "PATCH",
        f"/campaigns/{campaign_id}/variants/{variant['id']}",
        json={"body_html": "<p>ab</p>{{x"},
    )
    assert assert_error(response, 422)["details"]["offset"] == 9


async def test_last_enabled_variant_cannot_be_disabled(client: httpx.AsyncClient) -> None:
    campaign_id, step_id = await _step(client)
    variant_a = (await data(client, "GET", f"/campaigns/{campaign_id}/sequences"))[0]["variants"][0]
    path = f"/campaigns/{campaign_id}/variants/{variant_a['id']}"
    body = assert_error(await call(client, "PATCH", path, json={"enabled": False}), 422)
    assert "enabled" in body["details"]
    await _create(client, campaign_id, step_id)
    assert (await data(client, "PATCH", path, json={"enabled": False}))["enabled"] is False


async def test_deleting_the_last_enabled_variant_is_cannot_delete_last_variant(
    client: httpx.AsyncClient,
) -> None:
    campaign_id, step_id = await _step(client)
    variants = (await data(client, "GET", f"/campaigns/{campaign_id}/sequences"))[0]["variants"]
    response = await call(
        client, "DELETE", f"/campaigns/{campaign_id}/variants/{variants[0]['id']}"
    )
    assert assert_error(response, 422)["error"] == "cannot_delete_last_variant"
    disabled = (await _create(client, campaign_id, step_id, enabled=False)).json()["data"]
    response = await call(
        client, "DELETE", f"/campaigns/{campaign_id}/variants/{variants[0]['id']}"
    )
    assert assert_error(response, 422)["error"] == "cannot_delete_last_variant"
    gone = await call(client, "DELETE", f"/campaigns/{campaign_id}/variants/{disabled['id']}")
    assert gone.status_code == 204


async def test_variant_patch_is_all_or_nothing(client: httpx.AsyncClient) -> None:
    campaign_id, step_id = await _step(client)
    variant = (await _create(client, campaign_id, step_id, subject="Keep me")).json()["data"]
    path = f"/campaigns/{campaign_id}/variants/{variant['id']}"
    assert_error(await call(client, "PATCH", path, json={"subject": "New", "enabled": "no"}), 422)
    steps = await data(client, "GET", f"/campaigns/{campaign_id}/sequences")
    assert steps[0]["variants"][1]["subject"] == "Keep me"


async def test_variant_of_another_campaign_is_404(client: httpx.AsyncClient) -> None:
    campaign_id, step_id = await _step(client)
    variant = (await _create(client, campaign_id, step_id)).json()["data"]
    other = await new_campaign(client, "other")
    response = await call(
        client, "PATCH", f"/campaigns/{other['id']}/variants/{variant['id']}", json={}
    )
    assert_error(response, 404)


async def _unsubscribe(client: httpx.AsyncClient, campaign_id: str, on: bool) -> None:
    await data(client, "PATCH", f"/campaigns/{campaign_id}", json={"unsubscribe_option": on})


async def test_unsubscribe_option_adds_the_link_to_every_variant_and_removes_it(
    client: httpx.AsyncClient,
) -> None:
    campaign_id, step_id = await _step(client)
    await _create(client, campaign_id, step_id, body_html="Hello <b>you</b>")
    await _unsubscribe(client, campaign_id, True)
    variants = (await data(client, "GET", f"/campaigns/{campaign_id}/sequences"))[0]["variants"]
    assert all(UNSUBSCRIBE in v["body_html"] for v in variants)
    assert variants[1]["body_html"].startswith("Hello <b>you</b>")
    await _unsubscribe(client, campaign_id, False)
    variants = (await data(client, "GET", f"/campaigns/{campaign_id}/sequences"))[0]["variants"]
    assert all(UNSUBSCRIBE not in (v["body_html"] or "") for v in variants)
    assert variants[1]["body_html"] == "Hello <b>you</b>"


async def test_unsubscribe_link_is_re_added_when_removed(client: httpx.AsyncClient) -> None:
    campaign_id, step_id = await _step(client)
    await _unsubscribe(client, campaign_id, True)
    variant = (await _create(client, campaign_id, step_id, body_html="No link here")).json()["data"]
    assert UNSUBSCRIBE in variant["body_html"]
    path = f"/campaigns/{campaign_id}/variants/{variant['id']}"
    edited = await data(client, "PATCH", path, json={"body_html": "Still none"})
    assert edited["body_html"].startswith("Still none") and UNSUBSCRIBE in edited["body_html"]
    kept = await data(
        client, "PATCH", path, json={"body_html": 'Bye <a href="{{unsubscribe_url}}">stop</a>'}
    )
    assert kept["body_html"] == 'Bye <a href="{{unsubscribe_url}}">stop</a>'


async def test_new_step_carries_the_unsubscribe_block_when_the_option_is_on(
    client: httpx.AsyncClient,
) -> None:
    campaign_id, _ = await _step(client)
    await _unsubscribe(client, campaign_id, True)
    step = await data(client, "POST", f"/campaigns/{campaign_id}/sequences")
    assert UNSUBSCRIBE in step["variants"][0]["body_html"]

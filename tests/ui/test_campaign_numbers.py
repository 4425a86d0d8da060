"""The campaign console's arithmetic: A/B rows with Wilson intervals and verdicts, rates,
bounce levels, schedule snapping, lead variables, list sorting, launch refusals."""

from __future__ import annotations

import pytest
from textual.app import App
from textual.widgets import Input

from outreach_tui.core.ab_results import StepResult, interval_text, step_result, trials_for
from outreach_tui.core.abstats import VerdictKind
from outreach_tui.core.figures import percent
from outreach_tui.core.schedule import ScheduleError
from outreach_tui.store.queries.campaigns import CampaignRow, SequenceRow, VariantRow
from outreach_tui.ui.campaigns.screens.campaigns import visible_campaigns
from outreach_tui.ui.campaigns.screens.dialogs import (
    DeleteCampaignScreen,
    VariablesError,
    parse_variables,
)
from outreach_tui.ui.campaigns.widgets.inboxes import link_changes
from outreach_tui.ui.campaigns.widgets.numbers import bounce_level, progress_bar
from outreach_tui.ui.campaigns.widgets.schedule import stored_time
from outreach_tui.ui.campaigns.widgets.settings import launch_refusal


def _variant(
    letter: str,
    sent: int,
    replies: int,
    positive: int = 0,
    *,
    enabled: bool = True,
    positive_rate: float | None = None,
) -> VariantRow:
    reply_rate = round(100 * replies / sent, 2) if sent else 0.0
    if positive_rate is None:
        positive_rate = round(100 * positive / replies, 2) if replies else 0.0
    return VariantRow(
        id=f"v-{letter}",
        letter=letter,
        subject=f"Subject {letter}",
        body_html=None,
        body_text=None,
        enabled=enabled,
        server_subject=None,
        server_body_html=None,
        local_state=None,
        is_local=False,
        sent=sent,
        replies=replies,
        reply_rate=reply_rate,
        positive_replies=positive,
        positive_reply_rate=positive_rate,
    )


def _step(*variants: VariantRow) -> SequenceRow:
    return SequenceRow("s-1", 1, 3, None, False, variants)


def _result(step: SequenceRow) -> StepResult[SequenceRow, VariantRow]:
    return step_result(step, step.variants)


def test_variant_rows_carry_wilson_intervals_of_known_value() -> None:
    # Newcombe (1998), Table I: 81/263 -> 0.2553-0.3662; 15/148 -> 0.0624-0.1605.
    result = _result(_step(_variant("A", 263, 81), _variant("B", 148, 15)))
    a, b = result.variants
    assert interval_text(a.reply_interval) == "25.5–36.6%"
    assert round(a.reply_interval.low, 4) == 0.2553 and round(a.reply_interval.high, 4) == 0.3662
    assert round(b.reply_interval.low, 4) == 0.0624 and round(b.reply_interval.high, 4) == 0.1605
    # 81/263 = 30.80 % vs 15/148 = 10.14 %: a clear leader.
    assert result.replies.kind is VerdictKind.LEADER
    assert result.replies.text.startswith("A leads (p")


def test_a_two_proportion_verdict_of_known_value() -> None:
    # 45/100 vs 30/100: z = 2.19089, p = 0.02846 (by hand, see tests/core/test_abstats.py).
    result = _result(_step(_variant("A", 100, 30), _variant("B", 100, 45)))
    assert result.replies.kind is VerdictKind.LEADER
    assert result.replies.leader == "B"
    assert result.replies.text == "B leads (p = 0.028)"


def test_small_samples_give_not_enough_data_and_close_ones_no_clear_difference() -> None:
    small = _result(_step(_variant("A", 40, 20), _variant("B", 40, 2)))
    assert small.replies.kind is VerdictKind.NOT_ENOUGH_DATA
    assert small.replies.text == "not enough data"
    close = _result(_step(_variant("A", 500, 50), _variant("B", 500, 55)))
    assert close.replies.kind is VerdictKind.NO_CLEAR_DIFFERENCE
    assert close.replies.leader is None


def test_disabled_variants_keep_their_row_but_not_the_verdict() -> None:
    result = _result(
        _step(_variant("A", 300, 30), _variant("B", 20, 1, enabled=False), _variant("C", 300, 9))
    )
    assert len(result.variants) == 3
    assert result.replies.kind is VerdictKind.LEADER and result.replies.leader == "A"
    single = _result(_step(_variant("A", 300, 30), _variant("B", 300, 3, enabled=False)))
    assert single.replies.kind is VerdictKind.SINGLE
    assert single.replies.text == "only A enabled"
    alone = _result(_step(_variant("A", 300, 30)))
    assert alone.replies.text == "single variant"


def test_positive_interval_uses_the_denominator_that_gives_the_api_rate() -> None:
    per_reply = _variant("A", 200, 20, 5)  # API rate 25.0 = 5 / 20 replies
    assert trials_for(5, per_reply.positive_reply_rate, (20, 200)) == 20
    per_send = _variant("A", 200, 20, 5, positive_rate=2.5)  # 5 / 200 sends
    assert trials_for(5, 2.5, (20, 200)) == 200
    row = _result(_step(per_send)).variants[0]
    assert row.positive_trials == 200
    assert row.positive_interval.low < 0.025 < row.positive_interval.high


def test_inconsistent_cached_counts_do_not_crash() -> None:
    odd = _result(_step(_variant("A", 5, 9), _variant("B", 0, 0)))
    assert interval_text(odd.variants[0].reply_interval) == "0.0–100.0%"


def test_rates_progress_and_bounce_levels() -> None:
    assert percent(4.1666) == "4.17%" and percent(30.3) == "30.30%" and percent(None) == "—"
    assert [bounce_level(r) for r in (0.0, 3.0, 3.01, 5.0, 5.01)] == [
        "ok",
        "ok",
        "warn",
        "warn",
        "alarm",
    ]
    assert progress_bar(50, width=8).plain == "████      50%"
    assert progress_bar(0, width=4).plain == "       0%"
    assert progress_bar(140, width=4).plain == "████ 100%"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("09:23", "09:30"),
        ("9:14", "09:00"),
        ("09:15", "09:30"),  # ties round up
        ("09:45", "10:00"),
        ("23:50", "23:30"),  # at most 23:30
        ("00:10", "00:00"),
        ("", None),
    ],
)
def test_schedule_times_are_stored_on_the_half_hour_grid(typed: str, stored: str | None) -> None:
    assert stored_time(typed) == stored


@pytest.mark.parametrize("typed", ["25:00", "9", "nine", "09:60", "12:5"])
def test_unreadable_times_are_refused(typed: str) -> None:
    with pytest.raises(ScheduleError):
        stored_time(typed)


def test_lead_variables_are_name_value_lines() -> None:
    assert parse_variables("company=Acme\n\n role = VP Sales \nurl=a=b") == {
        "company": "Acme",
        "role": "VP Sales",
        "url": "a=b",
    }
    with pytest.raises(VariablesError, match="line 2"):
        parse_variables("company=Acme\nno equals sign")


def test_launch_refusals_name_what_is_missing() -> None:
    assert launch_refusal("draft", ["an enabled variant", "an inbox"]) == (
        "Cannot launch: the campaign needs an enabled variant and an inbox."
    )
    assert launch_refusal("paused", ["an inbox"]) == "Cannot resume: the campaign needs an inbox."
    assert launch_refusal("draft", []) is None
    assert link_changes({"a", "b"}, {"b", "c"}) == (["c"], ["a"])


def _campaign(name: str, status: str, sent: int, reply_rate: float) -> CampaignRow:
    return CampaignRow(
        id=name.lower(),
        name=name,
        status=status,
        progress=0,
        daily_limit=None,
        stop_on_reply=None,
        stop_on_company_reply=None,
        text_only=None,
        esp_matching=None,
        unsubscribe_option=None,
        schedule=None,
        sequence_steps=1,
        leads_count=0,
        sent=sent,
        contacted=0,
        replies=0,
        reply_rate=reply_rate,
        positive_replies=0,
        positive_reply_rate=0.0,
        bounced=0,
        bounce_rate=0.0,
        created_at=None,
        updated_at=None,
        local_state=None,
    )


def test_list_filters_searches_and_sorts_by_any_column() -> None:
    rows = [
        _campaign("beta", "active", 10, 5.0),
        _campaign("Alpha", "paused", 30, 1.0),
        _campaign("gamma", "active", 20, 9.0),
    ]
    names = lambda chosen: [c.name for c in chosen]  # noqa: E731
    assert names(
        visible_campaigns(rows, {}, status=None, search=None, sort="name", descending=False)
    ) == [
        "Alpha",
        "beta",
        "gamma",
    ]
    assert names(
        visible_campaigns(rows, {}, status="active", search=None, sort="sent", descending=True)
    ) == [
        "gamma",
        "beta",
    ]
    assert names(
        visible_campaigns(rows, {}, status=None, search="AM", sort="reply_rate", descending=True)
    ) == ["gamma"]
    by_inboxes = visible_campaigns(
        rows, {"beta": 3, "gamma": 1}, status=None, search=None, sort="inboxes", descending=True
    )
    assert names(by_inboxes) == ["beta", "gamma", "Alpha"]


async def test_a_name_with_control_characters_is_confirmed_as_it_is_shown() -> None:
    hostile = "[bold red]Q4 blast[/] \x1b[5mNOW"
    results: list[str | None] = []

    class DialogApp(App[None]):
        def on_mount(self) -> None:
            self.push_screen(DeleteCampaignScreen(hostile, 3), results.append)

    app = DialogApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        field = app.screen.query_one(Input)
        field.value = "[bold red]Q4 blast[/] NOW"  # what the dialog shows, typeable
        await pilot.press("enter")
        await pilot.pause()
    assert results == [hostile]  # the edit gets the real name to check

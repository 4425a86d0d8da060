"""Warmup warnings with known inputs, one rule at a time."""

from __future__ import annotations

from outreach_tui.core.warmup import (
    CampaignInboxes,
    HealthBand,
    InboxHealth,
    Severity,
    WarmupDay,
    all_warnings,
    attention_text,
    campaign_warnings,
    health_band,
    inbox_warnings,
    needs_attention,
    spam_rate,
    spam_trend,
    workspace_warnings,
)


def _days(spam: list[int], sent: int = 10) -> tuple[WarmupDay, ...]:
    return tuple(WarmupDay(f"2025-03-0{i + 1}", sent, s) for i, s in enumerate(spam))


def _inbox(**changes: object) -> InboxHealth:
    base = {
        "inbox_id": "i1",
        "email": "sdr@acme.example",
        "connection_status": "connected",
        "is_active": True,
        "health_score": 95,
        "ramp_up_progress": 100,
        "daily": _days([0] * 7),
    }
    base.update(changes)
    return InboxHealth(**base)  # type: ignore[arg-type]


def _codes(inbox: InboxHealth, campaigns: tuple[CampaignInboxes, ...] = ()) -> list[str]:
    return [w.code for w in inbox_warnings(inbox, campaigns)]


def test_healthy_inbox_has_no_warning() -> None:
    assert _codes(_inbox()) == []


def test_health_bands() -> None:
    assert health_band(90) is HealthBand.GOOD
    assert health_band(89) is HealthBand.FAIR
    assert health_band(80) is HealthBand.FAIR
    assert health_band(79) is HealthBand.POOR
    assert health_band(None) is HealthBand.UNKNOWN


def test_low_health_below_80() -> None:
    assert _codes(_inbox(health_score=80)) == []
    warnings = inbox_warnings(_inbox(health_score=79))
    assert [w.code for w in warnings] == ["low_health"]
    assert warnings[0].message == "sdr@acme.example: health score 79 is below 80"
    assert _codes(_inbox(health_score=None)) == []


def test_connection_error_and_pending() -> None:
    error = inbox_warnings(_inbox(connection_status="error"))
    assert [(w.code, w.severity) for w in error] == [("connection_error", Severity.ERROR)]
    assert "sdr@acme.example" in error[0].message
    pending = inbox_warnings(_inbox(connection_status="pending"))
    assert [(w.code, w.severity) for w in pending] == [("connection_pending", Severity.NOTICE)]
    assert _codes(_inbox(connection_status="validating")) == []


def test_spam_rising_needs_two_points_and_volume() -> None:
    # first 3 days 1/30 = 3.3 %, last 3 days 3/30 = 10 %: +6.7 points
    rising = _inbox(daily=_days([0, 1, 0, 0, 1, 1, 1]))
    warnings = inbox_warnings(rising)
    assert [w.code for w in warnings] == ["spam_rising"]
    assert "3.3 %" in warnings[0].message and "10.0 %" in warnings[0].message
    # exactly +2 points (0/50 -> 1/50) counts
    sent = [17, 17, 16, 10, 17, 17, 16]
    exact = tuple(WarmupDay(f"2025-03-0{i + 1}", n, int(i == 6)) for i, n in enumerate(sent))
    assert _codes(_inbox(daily=exact)) == ["spam_rising"]
    # +1.7 points does not
    assert _codes(_inbox(daily=_days([0, 0, 0, 0, 0, 0, 1], sent=20))) == []
    # falling spam is fine
    assert _codes(_inbox(daily=_days([1, 1, 1, 0, 0, 0, 0]))) == []
    # too little volume: 3 emails per block
    assert _codes(_inbox(daily=_days([0, 0, 0, 0, 1, 1, 1], sent=1))) == []
    # fewer than 6 days
    assert _codes(_inbox(daily=_days([0, 0, 5, 5, 5]))) == []


def test_spam_trend_sorts_by_date() -> None:
    days = tuple(reversed(_days([0, 0, 0, 0, 3, 3, 3])))
    trend = spam_trend(days)
    assert trend is not None
    assert trend.first_rate == 0.0
    assert trend.last_rate == 0.3
    assert spam_rate(days) == 9 / 70
    assert spam_rate(()) is None


def test_ramping_inbox_in_an_active_campaign() -> None:
    active = CampaignInboxes("c1", "Q2 outbound", "active", ("i1",))
    paused = CampaignInboxes("c2", "Paused one", "paused", ("i1",))
    ramping = _inbox(ramp_up_progress=40)
    warnings = inbox_warnings(ramping, (active, paused))
    assert [w.code for w in warnings] == ["ramping_in_campaign"]
    assert "40 %" in warnings[0].message and "Q2 outbound" in warnings[0].message
    assert "Paused one" not in warnings[0].message
    assert _codes(ramping, (paused,)) == []
    assert _codes(_inbox(ramp_up_progress=40, is_active=False), (active,)) == []
    assert _codes(_inbox(ramp_up_progress=100), (active,)) == []


def test_campaign_whose_inboxes_are_all_unhealthy() -> None:
    bad1 = _inbox(inbox_id="i1", health_score=60)
    bad2 = _inbox(inbox_id="i2", email="b@acme.example", connection_status="error")
    good = _inbox(inbox_id="i3", email="c@acme.example")
    campaign = CampaignInboxes("c1", "Launch", "active", ("i1", "i2"))
    warnings = campaign_warnings(campaign, [bad1, bad2, good])
    assert [(w.code, w.severity) for w in warnings] == [
        ("campaign_unhealthy_inboxes", Severity.ERROR)
    ]
    assert "Launch" in warnings[0].message and "all 2 inboxes" in warnings[0].message
    with_good = CampaignInboxes("c1", "Launch", "active", ("i1", "i3"))
    assert campaign_warnings(with_good, [bad1, good]) == []
    paused = CampaignInboxes("c2", "Later", "paused", ("i1",))
    assert campaign_warnings(paused, [bad1])[0].severity is Severity.WARNING
    assert campaign_warnings(CampaignInboxes("c3", "Empty", "active"), [bad1]) == []


def test_all_warnings_worst_first_and_attention() -> None:
    inboxes = [
        _inbox(inbox_id="i1", connection_status="pending"),
        _inbox(inbox_id="i2", email="b@acme.example", connection_status="error"),
    ]
    warnings = all_warnings(inboxes, [CampaignInboxes("c1", "Solo", "active", ("i2",))])
    assert [w.severity for w in warnings] == sorted((w.severity for w in warnings), reverse=True)
    assert {w.code for w in warnings} == {
        "connection_pending",
        "connection_error",
        "campaign_unhealthy_inboxes",
    }
    assert needs_attention(warnings)
    assert not needs_attention(inbox_warnings(inboxes[0]))


def test_workspace_warnings_count_inboxes_that_need_attention() -> None:
    inboxes = [
        # a warning and a notice: one inbox needing attention, two warnings shown
        _inbox(inbox_id="i1", connection_status="pending", health_score=40),
        _inbox(inbox_id="i2", email="b@acme.example", health_score=50),
        # a notice alone: shown, but no attention needed
        _inbox(inbox_id="i3", email="c@acme.example", connection_status="pending"),
        _inbox(inbox_id="i4", email="d@acme.example"),
    ]
    campaigns = [CampaignInboxes("c1", "Launch", "paused", ("i1", "i2"))]
    found = workspace_warnings(inboxes, campaigns)
    assert [i.inbox_id for i in found.inboxes] == ["i1", "i2", "i3", "i4"]
    # a campaign's warning shows on each of its inboxes, after their own (worst first)
    assert [w.code for w in found.of("i1")] == [
        "low_health",
        "campaign_unhealthy_inboxes",
        "connection_pending",
    ]
    assert [w.code for w in found.of("i2")] == ["low_health", "campaign_unhealthy_inboxes"]
    assert [w.code for w in found.of("i3")] == ["connection_pending"]
    assert found.of("i4") == () and found.of("nope") == ()
    assert [i.worst for i in found.inboxes] == [
        Severity.WARNING,
        Severity.WARNING,
        Severity.NOTICE,
        None,
    ]
    # inboxes, not warnings: i1 and i2 (6 warnings shown, 5 distinct ones)
    assert found.attention_count == 2
    assert sum(len(i.warnings) for i in found.inboxes) == 6
    assert [w.code for w in found.campaigns] == ["campaign_unhealthy_inboxes"]
    assert len(found.all) == 5
    assert list(found.all) == all_warnings(inboxes, campaigns)
    assert [w.severity for w in found.all] == sorted((w.severity for w in found.all), reverse=True)


def test_attention_text_says_what_is_counted() -> None:
    assert attention_text(1) == "1 inbox needs attention"
    assert attention_text(5) == "5 inboxes need attention"


def test_hostile_email_and_campaign_name_are_sanitized() -> None:
    inbox = _inbox(email="x@y.example\x1b]8;;https://e\x07\n", health_score=10)
    campaign = CampaignInboxes("c", "[bold]Q\x1b[2J\u202e", "active", ("i1",))
    for warning in [*inbox_warnings(inbox), *campaign_warnings(campaign, [inbox])]:
        assert "\x1b" not in warning.message
        assert "\n" not in warning.message
        assert "\u202e" not in warning.message


def test_low_health_without_warmup_traffic_says_so() -> None:
    idle = inbox_warnings(_inbox(health_score=0, warmup_sent=0, daily=_days([0] * 7, sent=0)))
    assert [w.message for w in idle] == [
        "sdr@acme.example: health score 0 is below 80 (no warmup email sent in 7 days)"
    ]
    busy = inbox_warnings(_inbox(health_score=70, warmup_sent=140))
    assert busy[0].reason == "health score 70 is below 80"


def test_warning_names_who_and_why_and_serializes() -> None:
    warning = inbox_warnings(_inbox(connection_status="error"))[0]
    assert warning.subject == "sdr@acme.example"
    assert warning.message == f"sdr@acme.example: {warning.reason}"
    assert warning.to_json() == {
        "code": "connection_error",
        "severity": "error",
        "message": warning.message,
        "inbox_id": "i1",
        "campaign_id": None,
    }
    campaign = campaign_warnings(
        CampaignInboxes("c9", "Solo", "paused", ("i1",)), [_inbox(health_score=50)]
    )[0]
    assert campaign.subject == "campaign Solo"
    assert campaign.reason == "its only inbox is unhealthy (connection error or health below 80)"
    assert campaign.to_json()["severity"] == "warning"


def test_ramping_lists_at_most_three_campaigns() -> None:
    campaigns = tuple(CampaignInboxes(f"c{n}", f"C{n}", "active", ("i1",)) for n in range(5))
    warning = inbox_warnings(_inbox(ramp_up_progress=99), campaigns)[0]
    assert warning.reason.endswith("campaign C0, C1, C2 and 2 more")
    assert "99 %" in warning.reason


def test_unknown_stats_raise_no_warning() -> None:
    unknown = _inbox(health_score=None, ramp_up_progress=None, daily=())
    active = CampaignInboxes("c1", "Live", "active", ("i1",))
    assert _codes(unknown, (active,)) == []
    assert campaign_warnings(active, [unknown]) == []

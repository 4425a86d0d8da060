"""Inbox-health warnings, computed from plain inputs the store fills in.

Rules (the thresholds are module constants, the reasons are written in the messages):

- ``low_health`` (warning): health score below 80 (when no warmup email went out in the
  window the message says so: such a score is not evidence of spam, but it is what the
  platform reports and an inbox without warmup traffic is not ready to send either);
- ``spam_rising`` (warning): over the 7-day window, the spam rate of the last 3 days exceeds
  the spam rate of the first 3 days by at least 2 percentage points, each 3-day block having
  at least 20 warmup emails sent (fewer is noise);
- ``connection_error`` (error): connection status ``error``;
  ``connection_pending`` (notice): status ``pending`` (``validating`` is transient: no warning);
- ``ramping_in_campaign`` (warning): the inbox is active, attached to an active campaign, and
  its warmup ramp-up is below 100 %;
- ``campaign_unhealthy_inboxes`` (error for an active campaign, warning otherwise): every
  inbox attached to the campaign is unhealthy (connection error or health below 80).

Inputs with unknown numbers (warmup stats not pulled yet) raise no warning about them.
A warning names who (``subject``: the inbox's email or the campaign) and why (``reason``);
``message`` is both on one line. Names and emails go through
:func:`~outreach_tui.core.sanitize.sanitize_line`.

:func:`workspace_warnings` is the one computation every view shows, so they agree:

- an inbox's warnings are its own and those of each campaign it sends for (a campaign's
  warning shows on every inbox attached to it), worst first: the warmup list's Warn column
  (the worst severity's mark and how many), the panel under it, the detail screen,
  ``inboxes list`` and ``inboxes check`` (every one of them, notices marked);
- an inbox *needs attention* when one of its warnings is at least a WARNING (a notice
  alone is not): ``inboxes check`` exits 3 when one does;
- :attr:`WorkspaceWarnings.attention_count` counts inboxes (never warnings) that need
  attention: the warmup header and the status bar both show it, worded by
  :func:`attention_text` ("5 inboxes need attention").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from typing import Final

from outreach_tui.core.sanitize import sanitize_line

HEALTHY_SCORE: Final = 80
GOOD_SCORE: Final = 90
SPAM_RISE_POINTS: Final = 0.02
SPAM_WINDOW_DAYS: Final = 3
SPAM_MIN_SENT: Final = 20


class Severity(IntEnum):
    """How urgent a warning is; higher is worse (sortable)."""

    NOTICE = 1
    WARNING = 2
    ERROR = 3


class HealthBand(StrEnum):
    """Colour band of a health score: >= 90 good, 80–89 fair, < 80 poor."""

    GOOD = "good"
    FAIR = "fair"
    POOR = "poor"
    UNKNOWN = "unknown"


def health_band(score: int | None) -> HealthBand:
    """Return the colour band of a health score (unknown when there is no score)."""
    if score is None:
        return HealthBand.UNKNOWN
    if score >= GOOD_SCORE:
        return HealthBand.GOOD
    if score >= HEALTHY_SCORE:
        return HealthBand.FAIR
    return HealthBand.POOR


@dataclass(frozen=True, slots=True)
class WarmupDay:
    """One day of warmup stats."""

    date: str  # YYYY-MM-DD
    sent: int
    spam_count: int


@dataclass(frozen=True, slots=True)
class InboxHealth:
    """What the rules need to know about one inbox."""

    inbox_id: str
    email: str
    connection_status: str
    is_active: bool = True
    health_score: int | None = None
    ramp_up_progress: int | None = None
    daily: tuple[WarmupDay, ...] = ()
    warmup_sent: int | None = None  # warmup emails sent in the window; None: unknown


@dataclass(frozen=True, slots=True)
class CampaignInboxes:
    """A campaign, its status and the inboxes attached to it."""

    campaign_id: str
    name: str
    status: str  # draft, active, paused
    inbox_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class HealthWarning:
    """One warning: a stable code, a severity, who it is about and why (both one line)."""

    code: str
    severity: Severity
    subject: str  # the inbox's email, or "campaign <name>"
    reason: str
    inbox_id: str | None = None
    campaign_id: str | None = None

    @property
    def message(self) -> str:
        """Who and why on one line, e.g. ``a@b.example: health score 62 is below 80``."""
        return f"{self.subject}: {self.reason}"

    def to_json(self) -> dict[str, str | None]:
        """The warning as a JSON object (CLI output)."""
        return {
            "code": self.code,
            "severity": self.severity.name.lower(),
            "message": self.message,
            "inbox_id": self.inbox_id,
            "campaign_id": self.campaign_id,
        }


@dataclass(frozen=True, slots=True)
class SpamTrend:
    """Spam rate at the start and at the end of the window."""

    first_rate: float
    last_rate: float
    first_sent: int = field(default=0)
    last_sent: int = field(default=0)

    @property
    def rise(self) -> float:
        """Increase of the spam rate, in proportion points (0.02 = 2 points)."""
        return self.last_rate - self.first_rate


def spam_rate(days: Iterable[WarmupDay]) -> float | None:
    """Return spam / sent over ``days``; None when nothing was sent."""
    days = list(days)
    sent = sum(d.sent for d in days)
    return sum(d.spam_count for d in days) / sent if sent else None


def spam_trend(daily: Sequence[WarmupDay], window: int = SPAM_WINDOW_DAYS) -> SpamTrend | None:
    """Compare the first and last ``window`` days (by date); None with too few days."""
    days = sorted(daily, key=lambda d: d.date)
    if len(days) < 2 * window:
        return None
    first, last = days[:window], days[-window:]
    first_rate, last_rate = spam_rate(first), spam_rate(last)
    if first_rate is None or last_rate is None:
        return None
    return SpamTrend(first_rate, last_rate, sum(d.sent for d in first), sum(d.sent for d in last))


def is_unhealthy(inbox: InboxHealth) -> bool:
    """True for a connection error or a health score below 80."""
    return inbox.connection_status == "error" or (
        inbox.health_score is not None and inbox.health_score < HEALTHY_SCORE
    )


def _pct(rate: float) -> str:
    return f"{rate * 100:.1f} %"


def inbox_warnings(
    inbox: InboxHealth, campaigns: Iterable[CampaignInboxes] = ()
) -> list[HealthWarning]:
    """Return the warnings of one inbox, worst first."""
    email = sanitize_line(inbox.email, 120)
    found: list[HealthWarning] = []

    def add(code: str, severity: Severity, why: str) -> None:
        found.append(HealthWarning(code, severity, email, why, inbox_id=inbox.inbox_id))

    if inbox.connection_status == "error":
        add("connection_error", Severity.ERROR, "connection error: reconnect it to send again")
    elif inbox.connection_status == "pending":
        add("connection_pending", Severity.NOTICE, "connection pending: not yet validated")
    if inbox.health_score is not None and inbox.health_score < HEALTHY_SCORE:
        idle = " (no warmup email sent in 7 days)" if inbox.warmup_sent == 0 else ""
        add(
            "low_health",
            Severity.WARNING,
            f"health score {inbox.health_score} is below {HEALTHY_SCORE}{idle}",
        )
    trend = spam_trend(inbox.daily)
    if (
        trend is not None
        and min(trend.first_sent, trend.last_sent) >= SPAM_MIN_SENT
        and trend.rise >= SPAM_RISE_POINTS - 1e-12
    ):
        add(
            "spam_rising",
            Severity.WARNING,
            f"spam rate rising: {_pct(trend.first_rate)} in the first 3 days, "
            f"{_pct(trend.last_rate)} in the last 3",
        )
    if inbox.is_active and inbox.ramp_up_progress is not None and inbox.ramp_up_progress < 100:
        active = [c for c in campaigns if c.status == "active" and inbox.inbox_id in c.inbox_ids]
        if active:
            names = ", ".join(sanitize_line(c.name, 60) for c in active[:3])
            more = f" and {len(active) - 3} more" if len(active) > 3 else ""
            add(
                "ramping_in_campaign",
                Severity.WARNING,
                f"warmup ramp-up at {inbox.ramp_up_progress} % while sending in active "
                f"campaign {names}{more}",
            )
    return sorted(found, key=lambda w: -w.severity)


def campaign_warnings(
    campaign: CampaignInboxes, inboxes: Iterable[InboxHealth]
) -> list[HealthWarning]:
    """Return the warnings of one campaign: all its attached inboxes unhealthy."""
    by_id = {inbox.inbox_id: inbox for inbox in inboxes}
    attached = [by_id[i] for i in campaign.inbox_ids if i in by_id]
    if not attached or not all(is_unhealthy(inbox) for inbox in attached):
        return []
    severity = Severity.ERROR if campaign.status == "active" else Severity.WARNING
    count = "its only inbox is" if len(attached) == 1 else f"all {len(attached)} inboxes are"
    return [
        HealthWarning(
            "campaign_unhealthy_inboxes",
            severity,
            f"campaign {sanitize_line(campaign.name, 60)}",
            f"{count} unhealthy (connection error or health below {HEALTHY_SCORE})",
            campaign_id=campaign.campaign_id,
        )
    ]


@dataclass(frozen=True, slots=True)
class InboxWarnings:
    """The warnings one inbox shows, worst first: its own, then those of the campaigns it
    sends for."""

    inbox_id: str
    warnings: tuple[HealthWarning, ...]

    @property
    def worst(self) -> Severity | None:
        """The worst severity among the warnings; None without any."""
        return max((w.severity for w in self.warnings), default=None)

    @property
    def needs_attention(self) -> bool:
        """True when a warning is at least a WARNING (a notice alone is not)."""
        return needs_attention(self.warnings)


@dataclass(frozen=True, slots=True)
class WorkspaceWarnings:
    """Every inbox's warnings (in the order the inboxes were given) and every campaign
    warning once. The figures of the UI and the CLI are read from here, nowhere else."""

    inboxes: tuple[InboxWarnings, ...]
    campaigns: tuple[HealthWarning, ...]

    @property
    def attention_count(self) -> int:
        """How many inboxes need attention (inboxes, not warnings: the header and the
        status bar show this figure)."""
        return sum(1 for inbox in self.inboxes if inbox.needs_attention)

    @property
    def all(self) -> tuple[HealthWarning, ...]:
        """Every warning once, worst first (stable within a severity): the inboxes' own
        warnings, then the campaigns' (each once, however many inboxes show it)."""
        own = [w for inbox in self.inboxes for w in inbox.warnings if w.campaign_id is None]
        return tuple(sorted([*own, *self.campaigns], key=lambda w: -w.severity))

    def of(self, inbox_id: str) -> tuple[HealthWarning, ...]:
        """The warnings one inbox shows (empty for an unknown inbox)."""
        return next((i.warnings for i in self.inboxes if i.inbox_id == inbox_id), ())


def workspace_warnings(
    inboxes: Sequence[InboxHealth], campaigns: Sequence[CampaignInboxes]
) -> WorkspaceWarnings:
    """Return what every view of a workspace shows: each inbox's warnings, worst first
    (its own, then those of each campaign it is attached to, in ``campaigns`` order), and
    the campaign warnings once each."""
    per_campaign = {c.campaign_id: campaign_warnings(c, inboxes) for c in campaigns}
    rows = []
    for inbox in inboxes:
        own = inbox_warnings(inbox, campaigns)
        of_campaigns = [
            w
            for c in campaigns
            if inbox.inbox_id in c.inbox_ids
            for w in per_campaign[c.campaign_id]
        ]
        rows.append(
            InboxWarnings(
                inbox.inbox_id, tuple(sorted([*own, *of_campaigns], key=lambda w: -w.severity))
            )
        )
    found = [w for c in campaigns for w in per_campaign[c.campaign_id]]
    return WorkspaceWarnings(tuple(rows), tuple(sorted(found, key=lambda w: -w.severity)))


def all_warnings(
    inboxes: Sequence[InboxHealth], campaigns: Sequence[CampaignInboxes]
) -> list[HealthWarning]:
    """Return every warning of a workspace once, worst first (stable within a severity)."""
    return list(workspace_warnings(inboxes, campaigns).all)


def needs_attention(warnings: Iterable[HealthWarning]) -> bool:
    """True when a warning is at least WARNING (notices alone do not fail a check)."""
    return any(w.severity >= Severity.WARNING for w in warnings)


def attention_text(count: int) -> str:
    """What the header and the status bar say: ``1 inbox needs attention``,
    ``5 inboxes need attention``."""
    return f"{count} inbox needs attention" if count == 1 else f"{count} inboxes need attention"

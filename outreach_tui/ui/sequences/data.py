"""What the sequence editor reads, in one worker-thread load: the campaign, its steps and
variants (effective values), the outbox items the server refused or found in conflict,
and the cached leads as the preview and the missing-values report need them.

Everything here runs on a worker with its own reader connection; the screen gets
immutable results (`SequenceData`, `LeadSample`) and never queries on the UI thread.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlite_utils import Database

from outreach_tui.core.mergetags import BUILT_IN_VARIABLES, lead_variables
from outreach_tui.store import outbox, sync_state
from outreach_tui.store.outbox import OutboxItem
from outreach_tui.store.queries import campaigns as campaign_queries
from outreach_tui.store.queries import leads as lead_queries
from outreach_tui.store.queries.campaigns import CampaignRow, SequenceRow, VariantRow


@dataclass(frozen=True, slots=True)
class PreviewLead:
    """A lead as the preview needs it: who, and the values templates can read."""

    id: str
    email: str
    name: str
    values: Mapping[str, str]  # normalized keys (core.mergetags.lead_variables)


@dataclass(frozen=True)
class RowTarget:
    """What a row of the step list stands for: a step, and one of its variants (or none)."""

    step: SequenceRow
    number: int  # 1-based position of the step
    variant: VariantRow | None


# The outbox states the editor shows on a step or variant (pending ones show as a marker).
PROBLEM_STATES = (outbox.FAILED, outbox.CONFLICT)


@dataclass(frozen=True)
class LeadSample:
    """The campaign's cached leads for previews: in the lead list's order, values
    normalized; `known` is every variable name some lead (or the platform) offers, or
    None while no lead is cached (then nothing can be called unknown)."""

    leads: tuple[PreviewLead, ...]
    known: frozenset[str] | None
    pulled: bool  # the campaign's leads were pulled at least once

    @property
    def values(self) -> list[Mapping[str, str]]:
        """Each lead's template values (for `missing_variables_report`)."""
        return [lead.values for lead in self.leads]


@dataclass(frozen=True)
class SequenceData:
    """One campaign's sequence as the editor shows it."""

    campaign: CampaignRow
    steps: tuple[SequenceRow, ...]
    problems: dict[str, tuple[OutboxItem, ...]] = field(default_factory=dict)
    lead_count: int = 0

    def problems_of(self, target: RowTarget | None) -> tuple[OutboxItem, ...]:
        """The refused or conflicting edits of `target`'s step, then of its variant."""
        if target is None:
            return ()
        ids = [target.step.id] + ([target.variant.id] if target.variant else [])
        return tuple(item for key in ids for item in self.problems.get(key, ()))


def load_sequence(db: Database, campaign_id: str) -> SequenceData | None:
    """The campaign's steps, variants and their refused or conflicting edits (None when
    the campaign is not cached)."""
    campaign = campaign_queries.get_campaign(db, campaign_id)
    if campaign is None:
        return None
    steps = tuple(campaign_queries.sequences(db, campaign_id))
    ids = {step.id for step in steps} | {v.id for step in steps for v in step.variants}
    problems: dict[str, list[OutboxItem]] = {}
    for resource in ("sequence", "variant"):
        for item in outbox.list_items(db, PROBLEM_STATES, resource=resource):
            if item.resource_id in ids:
                problems.setdefault(item.resource_id, []).append(item)
    return SequenceData(
        campaign=campaign,
        steps=steps,
        problems={key: tuple(items) for key, items in problems.items()},
        lead_count=lead_queries.count_leads(db, campaign_id),
    )


def load_editor(
    db: Database, campaign_id: str, sample: LeadSample | None, *, leads_pulling: bool
) -> tuple[SequenceData | None, LeadSample | None]:
    """The campaign's sequence, and its leads when they changed since `sample` was read.
    While a pull streams lead pages in (`leads_pulling`) the leads are read once, when it
    ends: `sample` is returned as it is (the same object: the editor sees no change)."""
    data = load_sequence(db, campaign_id)
    if (
        data is not None
        and not leads_pulling
        and (sample is None or len(sample.leads) != data.lead_count or not sample.pulled)
    ):
        sample = load_leads(db, campaign_id)
    return data, sample


def load_leads(db: Database, campaign_id: str) -> LeadSample:
    """The campaign's cached leads with their template values (a full read: a worker's)."""
    leads: list[PreviewLead] = []
    known: set[str] = set(BUILT_IN_VARIABLES)
    for row in lead_queries.lead_merge_rows(db, campaign_id):
        values = lead_variables(
            email=row.email,
            first_name=row.first_name,
            last_name=row.last_name,
            variables=row.variables,
        )
        known.update(values)
        name = " ".join(part for part in (row.first_name, row.last_name) if part)
        leads.append(PreviewLead(row.id, row.email, name, values))
    pulled = sync_state.get_sync_state(db, "leads", campaign_id).last_pulled_at is not None
    return LeadSample(tuple(leads), frozenset(known) if leads else None, pulled)

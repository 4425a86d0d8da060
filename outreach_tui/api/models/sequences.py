"""Sequence models: the steps of a campaign and their A/B variants."""

from __future__ import annotations

from pydantic import Field

from outreach_tui.api.models.common import ApiModel


class Variant(ApiModel):
    """One variant of a step; `letter` is absent from create/update answers."""

    id: str
    letter: str | None = None
    subject: str | None = None
    body_html: str | None = None
    body_text: str | None = None
    enabled: bool = True


class Sequence(ApiModel):
    """A step of a campaign's sequence; `delay_days` is None on the last step."""

    id: str
    step: int
    delay_days: int | None = None
    variants: list[Variant] = Field(default_factory=list)

"""Sequence endpoints: the steps of a campaign and their variants."""

from __future__ import annotations

from outreach_tui.api.models import Sequence, Variant
from outreach_tui.api.parsing import parse_item, parse_list, parse_nothing
from outreach_tui.api.payloads import (
    UNSET,
    SequenceCreate,
    SequenceUpdate,
    UnsetType,
    VariantCreate,
    VariantUpdate,
    build_body,
    path_segment,
)
from outreach_tui.api.retries import RequestKind
from outreach_tui.api.session import ApiSession


def _campaign(campaign_id: str) -> str:
    return f"/campaigns/{path_segment(campaign_id, 'campaign_id')}"


class SequenceEndpoints(ApiSession):
    """Methods for /campaigns/:id/sequences and /campaigns/:id/variants."""

    async def list_sequences(self, campaign_id: str) -> list[Sequence]:
        """Every step of a campaign with its variants, ordered by step."""
        return await self._call(
            "GET",
            f"{_campaign(campaign_id)}/sequences",
            kind=RequestKind.READ,
            parse=lambda raw: parse_list(raw, Sequence),
        )

    async def create_sequence(
        self,
        campaign_id: str,
        delay_days: int | None = None,
        *,
        idempotency_key: str | None = None,
    ) -> Sequence:
        """Append a step (with one empty variant); `delay_days` defaults to 3 server-side."""
        body = build_body(SequenceCreate, delay_days=delay_days)
        return await self._call(
            "POST",
            f"{_campaign(campaign_id)}/sequences",
            kind=RequestKind.CREATE,
            json=body,
            idempotency_key=idempotency_key,
            parse=lambda raw: parse_item(raw, Sequence),
        )

    async def update_sequence(
        self,
        campaign_id: str,
        sequence_id: str,
        delay_days: int,
        *,
        idempotency_key: str | None = None,
    ) -> Sequence:
        """Set a step's gap to the next step, in days."""
        body = build_body(SequenceUpdate, delay_days=delay_days)
        return await self._call(
            "PATCH",
            f"{_campaign(campaign_id)}/sequences/{path_segment(sequence_id, 'sequence_id')}",
            kind=RequestKind.IDEMPOTENT,
            json=body,
            idempotency_key=idempotency_key,
            parse=lambda raw: parse_item(raw, Sequence),
        )

    async def delete_sequence(
        self, campaign_id: str, sequence_id: str, *, idempotency_key: str | None = None
    ) -> None:
        """Delete a step and its variants; later steps move up."""
        await self._call(
            "DELETE",
            f"{_campaign(campaign_id)}/sequences/{path_segment(sequence_id, 'sequence_id')}",
            kind=RequestKind.IDEMPOTENT,
            idempotency_key=idempotency_key,
            gone_is_done=True,
            parse=parse_nothing,
        )

    async def create_variant(
        self,
        campaign_id: str,
        sequence_id: str,
        *,
        subject: str,
        body_html: str | None = None,
        enabled: bool | None = None,
        idempotency_key: str | None = None,
    ) -> Variant:
        """Add a variant to a step (non-empty subject; merge tags checked by the server)."""
        body = build_body(VariantCreate, subject=subject, body_html=body_html, enabled=enabled)
        return await self._call(
            "POST",
            f"{_campaign(campaign_id)}/sequences/"
            f"{path_segment(sequence_id, 'sequence_id')}/variants",
            kind=RequestKind.CREATE,
            json=body,
            idempotency_key=idempotency_key,
            parse=lambda raw: parse_item(raw, Variant),
        )

    async def update_variant(
        self,
        campaign_id: str,
        variant_id: str,
        *,
        subject: str | UnsetType = UNSET,
        body_html: str | UnsetType = UNSET,
        enabled: bool | UnsetType = UNSET,
        idempotency_key: str | None = None,
    ) -> Variant:
        """Change a variant's subject, body and/or enabled flag.

        A merge-tag problem comes back as ServerValidationError with `.field`/`.offset`.
        """
        body = build_body(
            VariantUpdate, require_any=True, subject=subject, body_html=body_html, enabled=enabled
        )
        return await self._call(
            "PATCH",
            f"{_campaign(campaign_id)}/variants/{path_segment(variant_id, 'variant_id')}",
            kind=RequestKind.IDEMPOTENT,
            json=body,
            idempotency_key=idempotency_key,
            parse=lambda raw: parse_item(raw, Variant),
        )

    async def delete_variant(
        self, campaign_id: str, variant_id: str, *, idempotency_key: str | None = None
    ) -> None:
        """Delete a variant (422 when it is the step's last enabled one)."""
        await self._call(
            "DELETE",
            f"{_campaign(campaign_id)}/variants/{path_segment(variant_id, 'variant_id')}",
            kind=RequestKind.IDEMPOTENT,
            idempotency_key=idempotency_key,
            gone_is_done=True,
            parse=parse_nothing,
        )

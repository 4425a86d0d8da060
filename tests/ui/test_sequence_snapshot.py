"""A snapshot of the sequence editor at 120x40: steps, a variant with highlighted merge tags,
and the preview for the campaign's first lead with the missing-values report (frozen clock
and seeded simulator: the same on every run).

A sync test on purpose: `snap_compare` runs the app in its own event loop.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from textual.pilot import Pilot

from outreach_tui.ui.sequences.screens.editor import SequenceScreen
from outreach_tui.ui.sequences.widgets.steps import VARIANT_PREFIX

from .conftest import client_factory_for, make_app, settle, wait_for
from .test_sequence_support import campaign_where, highlight, open_editor, text_of

SIZES = [(120, 40), (80, 24)]
SIZE_IDS = ["120x40", "80x24"]


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_sequence_editor_with_preview_snapshot(
    synced_db: Path, simulator: Starlette, snap_compare: Any, size: tuple[int, int]
) -> None:
    campaign = campaign_where(synced_db, lambda c: bool(c.unsubscribe_option))

    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        screen = await open_editor(app, pilot, campaign.id)  # type: ignore[arg-type]
        assert isinstance(screen, SequenceScreen) and screen.data is not None
        # the last step's A: {{company}} without a fallback, so the report has numbers
        variant = screen.data.steps[-1].variants[0]
        await highlight(pilot, screen, VARIANT_PREFIX + variant.id)
        await wait_for(pilot, lambda: "Lead 1 of" in text_of(screen, "#preview-body"))
        await wait_for(pilot, lambda: "company:" in text_of(screen, "#preview-report"))
        await settle(pilot)

    app = make_app(synced_db, client_factory_for(simulator))
    assert snap_compare(app, terminal_size=size, run_before=run_before)

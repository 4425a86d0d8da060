"""The steps of a campaign's sequence and their variants, as one keyboard list.

One row per step ("Step 2 · then wait 3 days"; the last step has no delay) followed by a
row per variant ("B ● subject…", ● enabled, ○ disabled). Steps are numbered by position,
so deleting one renumbers the later ones at once (the server does the same). Markers:
``↑`` waiting for the sync, ``!`` refused by the server, ``?`` conflict, ``*`` unsaved.
Subjects come from the cache (strangers can write them): sanitized, drawn as `Text`.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from outreach_tui.core.sanitize import sanitize_line
from outreach_tui.store.queries.campaigns import SequenceRow, VariantRow
from outreach_tui.ui.sequences.data import RowTarget

STEP_PREFIX, VARIANT_PREFIX = "step:", "variant:"
_MARKS = {
    "pending": ("↑", "bold cyan"),
    "failed": ("!", "bold red"),
    "conflict": ("?", "bold yellow"),
}


def target_label(target: RowTarget) -> str:
    """'Step 2 · B' (or 'Step 2' for a step row without a variant)."""
    if target.variant is None:
        return f"Step {target.number}"
    return f"Step {target.number} · {target.variant.letter or '?'}"


def delay_text(step: SequenceRow, is_last: bool) -> str:
    """How the step's delay reads ("then wait 3 days"; the last step has none)."""
    if is_last:
        return "last step"
    if step.delay_days is None:
        return "then wait ? days (set by the server)"
    return f"then wait {step.delay_days} day{'s' if step.delay_days != 1 else ''}"


def _mark(state: str | None) -> Text:
    symbol, style = _MARKS.get(state or "", (" ", ""))
    return Text(symbol, style=style)


def _step_prompt(step: SequenceRow, number: int, is_last: bool) -> Text:
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append_text(_mark(step.local_state))
    text.append(f"Step {number}", style="bold")
    text.append(f" · {delay_text(step, is_last)}", style="dim")
    if step.is_local:
        text.append(" (new)", style="italic")
    if not step.variants:
        text.append(" — no variant yet", style="dim")
    return text


def _variant_prompt(variant: VariantRow, dirty: bool) -> Text:
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append_text(_mark(variant.local_state))
    text.append(" ")
    text.append(f"{variant.letter or '?'} ", style="bold")
    text.append("● " if variant.enabled else "○ ", style="green" if variant.enabled else "dim")
    text.append("*" if dirty else "", style="bold magenta")
    subject = sanitize_line(variant.subject, 80) or "(no subject)"
    text.append(subject, style="" if variant.enabled else "dim")
    return text


def _nearest(steps: Sequence[SequenceRow], near: RowTarget | None) -> str | None:
    """The row at `near`'s position (same step number, same variant position), as near as
    `steps` allow; None when there is nothing to be near."""
    if near is None or not steps:
        return None
    step = steps[min(near.number - 1, len(steps) - 1)]
    if near.variant is not None and step.variants:
        position = next((i for i, v in enumerate(near.step.variants) if v.id == near.variant.id), 0)
        return VARIANT_PREFIX + step.variants[min(position, len(step.variants) - 1)].id
    return STEP_PREFIX + step.id


class StepList(OptionList):
    """Steps and variants; `targets` maps each row id to what it stands for."""

    DEFAULT_CSS = """
    StepList, StepList:focus { height: 1fr; border: none; padding: 0; }
    /* One line per step and variant at any width: long subjects end in "…". */
    StepList { text-wrap: nowrap; text-overflow: ellipsis; }
    """

    ROW_WIDTH = 30  # the steps pane is 32 columns wide; a row is cut, never wrapped

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.targets: dict[str, RowTarget] = {}
        self.steps: tuple[SequenceRow, ...] = ()
        self.dirty_variant: str | None = None  # the variant whose row shows "*"
        self._expected: str | None = None  # a row just added: highlighted once listed

    def expect(self, row_id: str) -> None:
        """Highlight `row_id` when a rebuild first lists it (a step or variant just added)."""
        self._expected = row_id

    def show_steps(
        self,
        steps: Sequence[SequenceRow],
        *,
        dirty_variant: str | None = None,
        keep: str | None = None,
        near: RowTarget | None = None,
    ) -> None:
        """Rebuild the rows. The highlight goes to a row announced with `expect`, else to
        row id `keep` when it is still there, else as near `near`'s position as the list
        allows (its row vanished: a placeholder got its server id, a step was deleted)."""
        row_ids = {STEP_PREFIX + s.id for s in steps}
        row_ids |= {VARIANT_PREFIX + v.id for s in steps for v in s.variants}
        if self._expected in row_ids:
            keep, self._expected = self._expected, None
        elif keep not in row_ids:
            keep = _nearest(steps, near)
        self.steps, self.dirty_variant = tuple(steps), dirty_variant
        options: list[Option] = []
        targets: dict[str, RowTarget] = {}
        for number, step in enumerate(steps, start=1):
            is_last = number == len(steps)
            row_id = STEP_PREFIX + step.id
            targets[row_id] = RowTarget(step, number, step.variants[0] if step.variants else None)
            prompt = _step_prompt(step, number, is_last)
            prompt.truncate(self.ROW_WIDTH, overflow="ellipsis")
            options.append(Option(prompt, id=row_id))
            for variant in step.variants:
                row_id = VARIANT_PREFIX + variant.id
                targets[row_id] = RowTarget(step, number, variant)
                prompt = _variant_prompt(variant, variant.id == dirty_variant)
                prompt.truncate(self.ROW_WIDTH, overflow="ellipsis")
                options.append(Option(prompt, id=row_id))
        with self.prevent(OptionList.OptionHighlighted):
            self.clear_options()
            self.add_options(options)
            self.targets = targets
            ids = list(targets)
            if keep in targets:
                self.highlighted = ids.index(keep)
            elif ids:
                self.highlighted = 0

    @property
    def current(self) -> RowTarget | None:
        """The highlighted row's target."""
        index = self.highlighted
        if index is None:
            return None
        option_id = self.get_option_at_index(index).id
        return self.targets.get(option_id or "")

    @property
    def current_id(self) -> str | None:
        """The highlighted row's id."""
        index = self.highlighted
        return None if index is None else self.get_option_at_index(index).id

    def highlight_id(self, row_id: str) -> None:
        """Move the highlight to a row without announcing it (used to undo a move)."""
        ids = list(self.targets)
        if row_id in ids:
            with self.prevent(OptionList.OptionHighlighted):
                self.highlighted = ids.index(row_id)

    def mark_dirty(self, variant_id: str | None) -> None:
        """Redraw the variant rows so only `variant_id` shows the unsaved mark."""
        if variant_id == self.dirty_variant or not self.steps:
            return
        self.dirty_variant = variant_id
        for step in self.steps:
            for variant in step.variants:
                row_id = VARIANT_PREFIX + variant.id
                if row_id in self.targets:
                    prompt = _variant_prompt(variant, variant.id == variant_id)
                    prompt.truncate(self.ROW_WIDTH, overflow="ellipsis")
                    self.replace_option_prompt(row_id, prompt)

"""A campaign's leads as a virtual list (campaigns can hold 100,000 leads).

Built on `PagedList`: rows come from `store.queries.leads` (newest first) a page at a
time; with no filter, a page next to a cached one is read by keyset on the UI thread (an
index walk of 50 rows), with a filter every page is read on a worker (a rare status could
make a keyset scan long). Names, emails and variables come from strangers: every cell
goes through `core.sanitize` and is drawn as a plain `Segment`.
"""

from __future__ import annotations

from functools import lru_cache

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from sqlite_utils import Database
from textual.strip import Strip

from outreach_tui.core.sanitize import sanitize_line
from outreach_tui.store.queries import leads as lead_queries
from outreach_tui.store.queries.leads import LeadFilter, LeadRow
from outreach_tui.ui.backend import Backend
from outreach_tui.ui.common.widgets.paged_list import PagedList

_STATE_MARKS = {"pending": "↑", "failed": "!", "conflict": "?"}
_PLAIN = Style()
_BOLD = Style(bold=True)


@lru_cache(maxsize=4096)
def _cell(text: str | None, width: int) -> str:
    """A sanitized cell of exactly `width` columns."""
    return set_cell_size(sanitize_line(text or "", max_chars=max(width * 2, 1)), width)


def lead_name(row: LeadRow) -> str:
    """First and last name, as one line."""
    return " ".join(part for part in (row.first_name, row.last_name) if part)


def lead_flags(row: LeadRow) -> str:
    """``"bounced"``, ``"unsub"``, both, or nothing."""
    return " ".join(
        flag for flag, on in (("bounced", row.is_bounced), ("unsub", row.is_unsubscribed)) if on
    )


def variables_text(row: LeadRow) -> str:
    """The lead's merge-tag values as ``key=value`` pairs."""
    return ", ".join(f"{key}={value}" for key, value in sorted(row.variables.items()))


class LeadList(PagedList[LeadRow]):
    """The leads of one campaign under a `LeadFilter`."""

    EMPTY_TEXT = "No leads here (p pulls them from the server)."

    COMPONENT_CLASSES = {"lead-list--mark", "lead-list--warning", "lead-list--status"}

    DEFAULT_CSS = """
    LeadList > .lead-list--mark { color: $warning; text-style: bold; }
    LeadList > .lead-list--warning { color: $error; }
    LeadList > .lead-list--status { color: $text-muted; }
    """

    def __init__(
        self,
        backend: Backend,
        campaign_id: str,
        flt: LeadFilter | None = None,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(backend, flt or LeadFilter(), name=name, id=id, classes=classes)
        self.campaign_id = campaign_id

    @property
    def lead_filter(self) -> LeadFilter:
        """The filter shown."""
        return self.params if isinstance(self.params, LeadFilter) else LeadFilter()

    # --- the PagedList contract ---------------------------------------------------------

    def count_rows(self, db: Database, params: LeadFilter) -> int:
        return lead_queries.count_leads(db, self.campaign_id, params)

    def rows_at(self, db: Database, params: LeadFilter, offset: int, limit: int) -> list[LeadRow]:
        return lead_queries.leads_at(db, self.campaign_id, params, offset=offset, limit=limit)

    def position_of(self, db: Database, params: LeadFilter, key: str) -> int | None:
        return lead_queries.lead_position(db, self.campaign_id, key, params)

    def rows_after(
        self, db: Database, params: LeadFilter, row: LeadRow, limit: int
    ) -> list[LeadRow] | None:
        if not params.is_plain:
            return None
        after = (row.created_at or "", row.id)
        return lead_queries.leads_page(db, self.campaign_id, params, after=after, limit=limit)

    def rows_before(
        self, db: Database, params: LeadFilter, row: LeadRow, limit: int
    ) -> list[LeadRow] | None:
        if not params.is_plain:
            return None
        before = (row.created_at or "", row.id)
        return lead_queries.leads_page(db, self.campaign_id, params, before=before, limit=limit)

    def row_key(self, row: LeadRow) -> str:
        return row.id

    def render_row(self, row: LeadRow, index: int, width: int, style: Style) -> Strip:
        mark = self.cached_style("lead-list--mark", partial=True)
        dim = self.cached_style("lead-list--status", partial=True)
        warning = self.cached_style("lead-list--warning", partial=True)
        columns: list[tuple[str, int, Style]] = [
            ("✓" if row.id in self.selected else " ", 1, mark),
            (_STATE_MARKS.get(row.local_state or "", " "), 1, mark),
            (" ", 1, _PLAIN),
            (row.email, 34, _BOLD),
            (" ", 1, _PLAIN),
            (lead_name(row), 22, _PLAIN),
            (" ", 1, _PLAIN),
            (row.status or "", 11, dim),
            (" ", 1, _PLAIN),
            (lead_flags(row), 13, warning),
            (" ", 1, _PLAIN),
            (row.provider or "—", 9, dim),
            (" ", 1, _PLAIN),
            ((row.created_at or "")[:10], 10, dim),
            (" ", 1, _PLAIN),
        ]
        used = sum(w for _, w, _ in columns)
        columns.append((variables_text(row), max(width - used, 0), dim))
        segments = [Segment(_cell(text, w), style + extra) for text, w, extra in columns if w]
        return Strip(segments).adjust_cell_length(width, style)

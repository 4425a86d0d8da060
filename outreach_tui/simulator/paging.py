"""List endpoints: page/page_size, sort_by/sort_order and search.

Rules: page and page_size must be integers >= 1 (else 422); page_size above 100 is clamped
to 100 and the metadata echoes the effective value; a page past the end is `data: []` with
correct metadata; total_pages = ceil(total_count / page_size), 0 when empty.
sort_by must be in the resource's allowlist and sort_order asc|desc (else 422); the id breaks
ties so paging is stable. search is a case-insensitive substring match.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from outreach_tui.simulator.errors import validation_error

T = TypeVar("T")
MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class PageRequest:
    """The effective page number and size of a list request."""

    page: int
    page_size: int

    @property
    def offset(self) -> int:
        """Index of the first item of the page."""
        return (self.page - 1) * self.page_size


def _positive(query: Mapping[str, str], name: str, default: int, errors: dict[str, str]) -> int:
    raw = query.get(name)
    if raw is None:
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        errors[name] = "must be an integer >= 1"
        return default
    if value < 1:
        errors[name] = "must be an integer >= 1"
    return value


def page_request(query: Mapping[str, str], default_size: int) -> PageRequest:
    """Parse page/page_size; raises ApiError 422."""
    errors: dict[str, str] = {}
    page = _positive(query, "page", 1, errors)
    size = _positive(query, "page_size", default_size, errors)
    if errors:
        raise validation_error(errors)
    return PageRequest(page, min(size, MAX_PAGE_SIZE))


def page_metadata(request: PageRequest, total: int) -> dict[str, int]:
    """The `metadata` object of a list answer."""
    pages = -(-total // request.page_size)
    return {
        "page": request.page,
        "page_size": request.page_size,
        "total_count": total,
        "total_pages": pages,
    }


def page_of(items: Sequence[T], request: PageRequest) -> list[T]:
    """The items of the requested page."""
    return list(items[request.offset : request.offset + request.page_size])


def sorted_items(
    items: Sequence[T],
    query: Mapping[str, str],
    keys: Mapping[str, Callable[[T], Any]],
    identity: Callable[[T], str],
    already_sorted_by: str = "created_at",
) -> Sequence[T]:
    """Sort by `sort_by`/`sort_order` from the allowlist `keys`; raises ApiError 422.

    `items` must already be in `already_sorted_by` ascending order (id tie-break), which
    spares a sort for the default order.
    """
    errors: dict[str, str] = {}
    sort_by = query.get("sort_by") or already_sorted_by
    order = (query.get("sort_order") or "asc").lower()
    if sort_by not in keys:
        errors["sort_by"] = f"must be one of: {', '.join(sorted(keys))}"
    if order not in ("asc", "desc"):
        errors["sort_order"] = "must be asc or desc"
    if errors:
        raise validation_error(errors)
    if sort_by == already_sorted_by:
        return items if order == "asc" else items[::-1]
    key = keys[sort_by]
    return sorted(
        items,
        key=lambda item: (_comparable(key(item)), identity(item)),
        reverse=order == "desc",
    )


def _comparable(value: Any) -> Any:
    # case-insensitive text order; None sorts first
    if value is None:
        return (0, "")
    if isinstance(value, str):
        return (1, value.casefold())
    return (1, value)


def search_filter(
    items: Sequence[T], query: Mapping[str, str], texts: Callable[[T], Sequence[str | None]]
) -> Sequence[T]:
    """Items where `search` occurs (case-insensitively) in one of `texts(item)`."""
    needle = (query.get("search") or "").strip().casefold()
    if not needle:
        return items
    return [
        item for item in items if any(needle in (text or "").casefold() for text in texts(item))
    ]

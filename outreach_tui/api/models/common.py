"""Shared pieces of every model: the lenient base class, list metadata and pages."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field


class ApiModel(BaseModel):
    """Base of every response model: unknown fields are ignored, field names are the API's."""

    model_config = ConfigDict(extra="ignore")


class ListMetadata(ApiModel):
    """The `metadata` block of a list response; every field is None when the server omits it."""

    page: int | None = None
    page_size: int | None = None
    total_count: int | None = None
    total_pages: int | None = None


class SkippedRecord(ApiModel):
    """A record of a list response that failed validation and was left out of the page.

    `id` is the record's id when it had a readable one, `index` its position in the
    response's `data` array, `reason` a one-line explanation.
    """

    id: str | None = None
    index: int
    reason: str


T = TypeVar("T", bound=ApiModel)


class Page(BaseModel, Generic[T]):
    """One page of a list endpoint: the valid items, the metadata, and what was skipped."""

    items: list[T] = Field(default_factory=list)
    metadata: ListMetadata = Field(default_factory=ListMetadata)
    skipped: list[SkippedRecord] = Field(default_factory=list)

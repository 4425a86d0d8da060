"""HTTP handlers, one module per resource; each exports ROUTES as (method, path, handler).

Handlers are plain functions of an `ApiCall` returning a Starlette response; they run under
the simulator's lock, and raise `ApiError` for every expected failure.

Choices shared by every handler: successful creates answer 200 (the reference documents
status codes only where they are not 200, e.g. "Returns 204" on deletes), deletes answer
204 with no body.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from starlette.responses import Response

from outreach_tui.simulator.bodies import parse_json_object
from outreach_tui.simulator.errors import json_response
from outreach_tui.simulator.workspace import Workspace


@dataclass
class ApiCall:
    """What a handler gets: the workspace of the key, path parameters, query and body."""

    workspace: Workspace
    params: Mapping[str, str]
    query: Mapping[str, str]
    raw_body: bytes

    def body(self) -> dict[str, Any]:
        """The body as a JSON object (400 when it is not one; empty counts as {})."""
        return parse_json_object(self.raw_body)


Handler = Callable[[ApiCall], Response]
Route = tuple[str, str, Handler]


def ok(data: Any) -> Response:
    """200 with the `data` envelope."""
    return json_response({"data": data})


def listing(data: list[Any], metadata: dict[str, int]) -> Response:
    """200 with `data` and pagination `metadata`."""
    return json_response({"data": data, "metadata": metadata})


def no_content() -> Response:
    """204 without a body."""
    return Response(status_code=204)

"""Fixtures for the simulator tests: an in-process app and an httpx client on it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from starlette.applications import Starlette

from outreach_tui.simulator import create_app
from tests.simulator.calls import KEY, OTHER_KEY, client_for


@pytest.fixture
def app() -> Iterator[Starlette]:
    """A small seeded simulator with two keys (two workspaces), fresh for every test."""
    application = create_app(api_keys=[KEY, OTHER_KEY], size=80, seed=7)
    yield application
    application.state.simulator.close()


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client on `app` authenticated with KEY."""
    async with client_for(app) as http:
        yield http

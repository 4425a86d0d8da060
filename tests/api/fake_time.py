"""A clock for the pacer's tests: time moves only when someone sleeps on it."""

from __future__ import annotations

import asyncio


class FakeTime:
    """`clock` and `sleep` for a `RequestPacer`. A sleeper yields to the event loop first,
    so concurrent sleepers take turns; the clock then moves to the latest wake-up asked
    for (never back). `sleeps` records every sleep asked for."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        target = self.now + seconds
        await asyncio.sleep(0)
        self.now = max(self.now, target)

"""Fast random draws for bulk seeding (random.choice/choices cost too much at 100k rows)."""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Sequence
from typing import Generic, TypeVar

T = TypeVar("T")


def pick(rng: random.Random, items: Sequence[T]) -> T:
    """One item, uniformly."""
    return items[int(rng.random() * len(items))]


class Weighted(Generic[T]):
    """Draws items with fixed weights."""

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    def draw(self, rng: random.Random) -> T:
        """One item according to the weights."""
        position = bisect.bisect_right(self.cumulative, rng.random() * self.total)
        return self.items[min(position, len(self.items) - 1)]

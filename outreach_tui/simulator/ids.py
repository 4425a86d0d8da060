"""Deterministic UUIDs: every id comes from a seeded RNG, in creation order."""

from __future__ import annotations

import random

_VERSION_MASK = ~(0xF000 << 64) & ~(0xC000 << 48)
_VERSION_BITS = (0x4000 << 64) | (0x8000 << 48)


def uuid_from_bits(bits: int) -> str:
    """A version-4 UUID string from 128 random bits (what `str(uuid.UUID(int=..., version=4))`
    gives, formatted by hand because uuid.UUID is several times slower and ids are made in
    bulk)."""
    text = f"{bits & _VERSION_MASK | _VERSION_BITS:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


class IdFactory:
    """Makes version-4 UUID strings from a seeded RNG (the same text `uuid.UUID` gives)."""

    def __init__(self, seed: str) -> None:
        self._bits = random.Random(seed).getrandbits

    def new(self) -> str:
        """The next id."""
        return uuid_from_bits(self._bits(128))

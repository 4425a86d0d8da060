"""Cache files in odd states for tests: another application's, damaged, read-only."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path

import pytest

GARBAGE = b"\xde\xad\xbe\xef"


@dataclass(frozen=True)
class Fingerprint:
    """What must not change when a file is refused: bytes, journal mode, tables, id."""

    sha256: str
    journal_mode: str
    tables: tuple[str, ...]
    application_id: int


def fingerprint(path: Path) -> Fingerprint:
    """The file's hash, then (read-only) its journal mode, tables and application id."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        journal = conn.execute("PRAGMA journal_mode").fetchone()[0]
        tables = tuple(
            row[0] for row in conn.execute("SELECT name FROM sqlite_master ORDER BY name")
        )
        application_id = conn.execute("PRAGMA application_id").fetchone()[0]
    finally:
        conn.close()
    return Fingerprint(digest, journal, tables, application_id)


def foreign_database(path: Path, *, application_id: int = 0) -> Path:
    """Another application's SQLite file: a `notes` table with a row, rollback journal."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('buy milk')")
    if application_id:
        conn.execute(f"PRAGMA application_id = {application_id}")
    conn.commit()
    conn.close()
    return path


def overwrite_tail(path: Path) -> None:
    """Write a fixed garbage pattern over the second half of the file (pages, not header)."""
    data = bytearray(path.read_bytes())
    half = len(data) // 2
    data[half:] = (GARBAGE * (len(data) // len(GARBAGE) + 1))[: len(data) - half]
    path.write_bytes(bytes(data))


def truncate_half(path: Path) -> None:
    """Cut the file to half its size, as an interrupted copy would."""
    os.truncate(path, path.stat().st_size // 2)


def deny_writes(monkeypatch: pytest.MonkeyPatch, *paths: Path) -> None:
    """Make `paths` (files or folders) read-only for this process.

    chmod takes the write bits away. root (with CAP_DAC_OVERRIDE) ignores them, so when
    the process can still write, `os.access` is made to answer from the mode bits, as it
    would for the files' owner.
    """
    for path in paths:
        mode = stat.S_IMODE(path.stat().st_mode)
        path.chmod(mode & ~0o222)
    if not any(os.access(path, os.W_OK) for path in paths):
        return  # the kernel enforces the bits: nothing to emulate
    denied = {os.path.realpath(path) for path in paths}
    real_access = os.access

    def access(target: str | os.PathLike[str], mode: int, **kwargs: object) -> bool:
        if mode & os.W_OK and os.path.realpath(target) in denied:
            return False
        return real_access(target, mode, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)


def restore_writes(*paths: Path) -> None:
    """Give the owner its write bit back (so that pytest can clean the folder up)."""
    for path in paths:
        path.chmod(stat.S_IMODE(path.stat().st_mode) | 0o200)

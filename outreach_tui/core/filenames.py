"""Attachment file names from strangers, made safe to save inside one chosen folder.

:func:`safe_filename` keeps only the last path component (``../../.bashrc`` -> ``bashrc``),
drops control and bidi characters (``invoice\\u202egpj.exe`` shows its real ``.exe``), replaces
characters Windows refuses, strips leading dots (no hidden files) and trailing dots/spaces,
prefixes Windows reserved device names, caps the length in UTF-8 bytes while keeping the
extension, and is never empty.

:func:`safe_destination` picks a path inside the folder that does not exist yet
(``name (1).ext``, ``name (2).ext``, …). Between that check and the write another process
could create the file: callers open it with ``open(path, "xb")`` and ask again on
``FileExistsError``.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Final

from outreach_tui.core.sanitize import strip_invisible

DEFAULT_NAME: Final = "attachment"
MAX_NAME_BYTES: Final = 200  # below the common 255-byte limit, leaving room for " (123)"
MAX_EXTENSION_CHARS: Final = 16
MAX_ATTEMPTS: Final = 10_000

_FORBIDDEN = re.compile(r'[<>:"|?*]')
_WHITESPACE_RUN = re.compile(r"\s+")
_RESERVED: Final = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{i}" for i in range(1, 10)}
    | {f"lpt{i}" for i in range(1, 10)}
    | {"com¹", "com²", "com³", "lpt¹", "lpt²", "lpt³", "conin$", "conout$"}
)


def _last_component(name: str) -> str:
    parts = [p for p in re.split(r"[/\\]", name) if p.strip() not in ("", ".", "..")]
    return parts[-1] if parts else ""


def _split_extension(name: str) -> tuple[str, str]:
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem or not extension or len(extension) > MAX_EXTENSION_CHARS:
        return name, ""
    return stem, "." + extension


def _fit_bytes(text: str, limit: int) -> str:
    encoded = text.encode("utf-8", "replace")
    if len(encoded) <= limit:
        return text
    return encoded[:limit].decode("utf-8", "ignore")


def safe_filename(name: str | None, *, max_bytes: int = MAX_NAME_BYTES) -> str:
    """Return a file name that is safe to create inside a folder; never empty."""
    text = unicodedata.normalize("NFC", strip_invisible(name or ""))
    text = _last_component(text)
    text = _FORBIDDEN.sub("_", text)
    text = _WHITESPACE_RUN.sub(" ", text)
    text = text.lstrip(". ").rstrip(". ")
    stem, extension = _split_extension(text)
    if stem.split(".")[0].strip().lower() in _RESERVED:
        stem = "_" + stem
    extension = _fit_bytes(extension, max_bytes // 4)
    stem = _fit_bytes(stem, max_bytes - len(extension.encode("utf-8"))).rstrip(". ")
    if not stem:
        stem = DEFAULT_NAME
    return stem + extension


def safe_destination(
    folder: Path,
    name: str | None,
    *,
    exists: Callable[[Path], bool] = os.path.lexists,
) -> Path:
    """Return a path for ``name`` inside ``folder`` that does not exist yet.

    The path is resolved and guaranteed to sit directly inside ``folder`` (also resolved).
    ``exists`` is injectable for tests; by default a dangling symlink counts as existing.
    Raises ValueError when no free name is found (after 10,000 tries).
    """
    base = folder.resolve()
    filename = safe_filename(name)
    stem, extension = _split_extension(filename)
    for attempt in range(MAX_ATTEMPTS):
        candidate_name = filename if attempt == 0 else f"{stem} ({attempt}){extension}"
        candidate = base / candidate_name
        if exists(candidate):
            continue
        # A symlinked candidate would already "exist"; this guards against any name that
        # still manages to leave the folder.
        if candidate.resolve().parent != base:
            raise ValueError("attachment name escapes the destination folder")
        return candidate
    raise ValueError(f"no free file name for {filename!r} in the destination folder")

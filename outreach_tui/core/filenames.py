"""Attachment file names from strangers, made safe to save inside one chosen folder.

:func:`safe_filename` keeps only the last path component (``../../.bashrc`` -> ``bashrc``),
drops control and bidi characters (``invoice\\u202egpj.exe`` shows its real ``.exe``), replaces
characters Windows refuses, strips leading dots (no hidden files) and trailing dots/spaces,
prefixes Windows reserved device names, caps the length in UTF-8 bytes while keeping the
extension, and is never empty.

:func:`safe_target` is that name inside the chosen folder (it may exist);
:func:`numbered_names` gives it and its free-name alternatives (``name (1).ext``,
``name (2).ext``, …); :func:`safe_destination` picks the first of them that does not exist
yet. A check is only a guess: between it and the write another download (or process) can
take the name. Whoever writes therefore creates the file exclusively (``O_EXCL``, like
``open(path, "xb")``) and moves on to the next name on ``FileExistsError``; the attachment
download does (``api.wire.save_body``), so no save ever replaces a file.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Iterator
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


def safe_target(folder: Path, name: str | None) -> Path:
    """Return ``folder`` (resolved) / the sanitized ``name``: the path a save asks for.

    The file may exist already; the writer then takes the next of :func:`numbered_names`.
    Raises ValueError if the name would leave the folder (a symlink named like it is
    not followed by an exclusive create: it counts as taken).
    """
    base = folder.resolve()
    target = base / safe_filename(name)
    if target.parent != base:
        raise ValueError("attachment name escapes the destination folder")
    return target


def numbered_names(path: Path) -> Iterator[Path]:
    """``path``, then ``stem (1).ext``, ``stem (2).ext``, … in the same folder.

    At most 10,000 names: a caller that finds all of them taken gives up.
    """
    stem, extension = _split_extension(path.name)
    yield path
    for attempt in range(1, MAX_ATTEMPTS):
        yield path.with_name(f"{stem} ({attempt}){extension}")


def safe_destination(
    folder: Path,
    name: str | None,
    *,
    exists: Callable[[Path], bool] = os.path.lexists,
) -> Path:
    """Return a path for ``name`` inside ``folder`` that does not exist yet.

    The path is resolved and guaranteed to sit directly inside ``folder`` (also resolved).
    ``exists`` is injectable for tests; by default a dangling symlink counts as existing.
    Raises ValueError when no free name is found (after 10,000 tries). The name can be
    taken before it is written: create the file exclusively (see the module docstring).
    """
    target = safe_target(folder, name)
    base = target.parent
    for candidate in numbered_names(target):
        if exists(candidate):
            continue
        # A symlinked candidate would already "exist"; this guards against any name that
        # still manages to leave the folder.
        if candidate.resolve().parent != base:
            raise ValueError("attachment name escapes the destination folder")
        return candidate
    raise ValueError(f"no free file name for {target.name!r} in the destination folder")

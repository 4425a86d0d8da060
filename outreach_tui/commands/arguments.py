"""Value types for the CLI's flags: every number bounded, the base URL checked up front.

Each type raises `argparse.ArgumentTypeError`, which the parser turns into one usage line
and exit 2 — before any command runs, so a bad value never reaches SQLite ("Python int
too large to convert"), a socket ("port must be 0-65535") or a seeding loop that would
run for years.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable

from outreach_tui.config import ConfigError, validate_base_url, validate_profile_name
from outreach_tui.store.edits.common import EditError
from outreach_tui.store.edits.snippets import check_name as check_snippet_name

# `inbox list --limit`: far above any real cache, far below SQLite's 64-bit integers.
MAX_LIMIT = 10_000_000
# `demo` / `simulator --size`: the simulator holds its workspace in memory (about 10 KB a
# conversation); 100,000 is the benchmark size, ten times that is the ceiling.
MAX_SIZE = 1_000_000
# `--seed`: any value a 64-bit signed integer holds (what a script is likely to pass).
SEED_RANGE = (-(2**63), 2**63 - 1)
# `simulator --live`: one new reply a day is the slowest "live" that still means anything.
MAX_LIVE_SECONDS = 86_400.0
# `serve --max-sessions`: each session is a whole app process; dozens would starve a laptop.
MAX_SESSIONS = 32
_SHOWN_CHARS = 24


def _shown(text: str) -> str:
    """`text` quoted for a usage line, cut short: a 5,000-digit number is not worth echoing."""
    if len(text) <= _SHOWN_CHARS:
        return repr(text)
    return repr(text[:_SHOWN_CHARS] + "…") + f" ({len(text):,} characters)"


def bounded_int(minimum: int, maximum: int) -> Callable[[str], int]:
    """An argparse type: a whole number from `minimum` to `maximum`, both included."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:  # also a number past Python's 4,300-digit conversion limit
            raise argparse.ArgumentTypeError(
                f"expected a whole number, got {_shown(text)}"
            ) from None
        if value < minimum:
            raise argparse.ArgumentTypeError(
                f"expected a number of at least {minimum:,}, got {_shown(text.strip())}"
            )
        if value > maximum:
            raise argparse.ArgumentTypeError(
                f"expected a number of at most {maximum:,}, got {_shown(text.strip())}"
            )
        return value

    parse.__name__ = "whole number"  # argparse names the type in some of its own messages
    return parse


limit = bounded_int(1, MAX_LIMIT)
size = bounded_int(1, MAX_SIZE)
seed = bounded_int(*SEED_RANGE)
max_sessions = bounded_int(1, MAX_SESSIONS)


def port(text: str) -> int:
    """An argparse type: a TCP port to listen on, 0 (the system picks one) to 65535."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {_shown(text)}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"port out of range: {_shown(text.strip())}")
    return value


def live_seconds(text: str) -> float:
    """An argparse type: 0 (off) or a finite number of seconds up to MAX_LIVE_SECONDS."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):  # "nan" and "inf" parse as floats but mean nothing here
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {_shown(text)}")
    if value < 0:
        raise argparse.ArgumentTypeError(
            f"expected 0 (off) or a positive number of seconds, got {_shown(text)}"
        )
    if value > MAX_LIVE_SECONDS:
        raise argparse.ArgumentTypeError(
            f"expected at most {MAX_LIVE_SECONDS:,.0f} seconds, got {_shown(text)}"
        )
    return value


def base_url(text: str) -> str:
    """An argparse type: an http(s) URL with a host and a valid port (see validate_base_url)."""
    try:
        return validate_base_url(text)
    except ConfigError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def profile_name(text: str) -> str:
    """An argparse type: a profile name (an explicit '' is a mistake, not "the default")."""
    try:
        return validate_profile_name(text)
    except ConfigError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def file_path(text: str) -> str:
    """An argparse type: a non-empty path (an empty --db would quietly mean "the default")."""
    if not text.strip():
        raise argparse.ArgumentTypeError(f"expected a file path, got {text!r}")
    return text


def snippet_name(text: str) -> str:
    """An argparse type: a snippet name, 1-80 printable characters once trimmed."""
    try:
        return check_snippet_name(text)
    except EditError as error:
        raise argparse.ArgumentTypeError(str(error)) from None

"""Reading a text body from a file or stdin under the one body rule (`store.edits.body`).

Shared by `inbox reply --body-file` / stdin and `snippets add --body-file` (`-` is stdin).
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from pathlib import Path
from typing import BinaryIO

from outreach_tui.commands import CommandError
from outreach_tui.store.edits.body import (
    MAX_BODY_BYTES,
    BodyRejected,
    check_body,
    decode_body,
    too_large,
)


def read_at_most_the_limit(stream: BinaryIO, what: str = "reply") -> str:
    """Decode a body from `stream`, reading no more than the limit + 1 bytes: enough to
    say "too large" without reading a gigabyte (or /dev/zero) first.

    The full size is known, and reported, when the stream is a regular file.
    """
    size = None
    with contextlib.suppress(OSError, ValueError):  # no file descriptor (a test's BytesIO)
        info = os.fstat(stream.fileno())
        if stat.S_ISREG(info.st_mode):
            size = info.st_size
    return decode_body(stream.read(MAX_BODY_BYTES + 1), what, size=size)


def read_body_file(path_text: str, what: str) -> str:
    """The body in the file `path_text` (`CommandError` naming it when unreadable or refused)."""
    path = Path(path_text).expanduser()
    try:
        with path.open("rb") as file:
            return read_at_most_the_limit(file, what)
    except OSError as error:
        raise CommandError(f"cannot read {path}: {error.strerror}") from None
    except BodyRejected as error:
        raise CommandError(f"{path}: {error}") from None


def read_stdin_body(what: str) -> str:
    """The body on stdin (bytes decoded strictly; a text stream a test put there as is).

    Raises `BodyRejected` for a body the rule refuses, `CommandError` without a stdin.
    """
    if sys.stdin is None:
        raise CommandError(f"no {what} text on stdin")
    if sys.stdin.isatty():
        print(f"Type the {what}; end with Ctrl-D on an empty line.", file=sys.stderr)
    binary = getattr(sys.stdin, "buffer", None)
    if binary is not None:  # the real stdin: bytes, decoded strictly by the body rule
        return read_at_most_the_limit(binary, what)
    text = sys.stdin.read(MAX_BODY_BYTES + 1)  # a text stream put in place of stdin
    if len(text) > MAX_BODY_BYTES:
        raise too_large(what, None)
    check_body(text, what)
    return text

"""The one rule for the body of a reply or a new email: UTF-8 text of at most 1,000,000 bytes.

Every path a body comes from (the CLI's `--body`, `--body-file` and stdin, the TUI's
reply and compose screens) ends in `queue_reply` / `compose_conversation`, which apply
`check_body`; the callers apply the same function earlier only to answer sooner (the CLI
before it has read gigabytes, the TUI before it closes the editor). The size counted is
the UTF-8 size of the text the user wrote, so `wc -c reply.txt` predicts the answer.
"""

from __future__ import annotations

from outreach_tui.store.edits.common import EditError

MAX_BODY_BYTES = 1_000_000
# surrogateescape (how Python decodes argv and file names it cannot read as UTF-8) turns
# byte 0xNN into the lone surrogate U+DCNN; these are the ones it can produce.
_ESCAPED_BYTES = range(0xDC80, 0xDD00)


class BodyRejected(EditError):
    """A body refused by the size or encoding rule; nothing was queued."""


def too_large(what: str, size: int | None) -> BodyRejected:
    """The refusal of a body of `size` bytes (None: more than the limit, exact size unknown)."""
    amount = f"more than {MAX_BODY_BYTES:,}" if size is None else f"{size:,}"
    return BodyRejected(f"the {what} is {amount} bytes; the limit is {MAX_BODY_BYTES:,} bytes")


def not_utf8(what: str, byte: int, position: int) -> BodyRejected:
    """The refusal of a body whose byte at `position` does not decode as UTF-8."""
    return BodyRejected(f"the {what} is not UTF-8 text (byte 0x{byte:02x} at position {position})")


def check_body(text: str, what: str = "reply") -> None:
    """Raise `BodyRejected` unless `text` is valid Unicode text of at most MAX_BODY_BYTES.

    A lone surrogate stands for a byte that was not UTF-8 (argv, a file read with
    surrogateescape): it is reported as that byte at its position in the UTF-8 bytes, the
    same words `decode_body` uses for the raw bytes.
    """
    # ASCII (the common case) is one byte a character: cheap enough for the UI thread.
    size = len(text) if text.isascii() else _utf8_size(text, what)
    if size > MAX_BODY_BYTES:
        raise too_large(what, size)


def _utf8_size(text: str, what: str) -> int:
    """The UTF-8 size of `text`; `BodyRejected` naming the first lone surrogate."""
    try:
        return len(text.encode("utf-8"))  # one pass in C: finds surrogates and the size
    except UnicodeEncodeError as error:
        char = ord(text[error.start])
        position = len(text[: error.start].encode("utf-8"))
        if char in _ESCAPED_BYTES:
            raise not_utf8(what, char - 0xDC00, position) from None
        raise BodyRejected(
            f"the {what} is not UTF-8 text (lone surrogate U+{char:04X} at position {position})"
        ) from None


def decode_body(data: bytes, what: str = "reply", *, size: int | None = None) -> str:
    """Decode a body read as bytes (at most MAX_BODY_BYTES + 1 of them), strictly.

    `size` is the full size when known (a regular file); when `data` holds more than the
    limit and `size` is None, the message says "more than". Raises `BodyRejected`.
    """
    known = size if size is not None and size > MAX_BODY_BYTES else None
    if known is not None or len(data) > MAX_BODY_BYTES:
        raise too_large(what, known)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise not_utf8(what, data[error.start], error.start) from None

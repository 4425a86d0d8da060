"""Which tags of a variant body the server will unwrap (it keeps only b, i, u, a and img).

The editor flags them before saving, so nobody is surprised that ``<p>`` or ``<br>`` lines
were merged by the server. Only opening (and self-closing) tags are reported; their end
tags go with them. Offsets are indexes of the tag's ``<`` in the submitted ``str``. The
markup is read with the linear tokenizer of :mod:`outreach_tui.core.html_tokens`
(``html.parser`` is quadratic on some unterminated input), so comments and the content of
``script``/``style`` hold no tags, and a tag left open at the very end is not reported.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from outreach_tui.core.html_tokens import TagToken, tokenize

ALLOWED_TAGS: Final[frozenset[str]] = frozenset({"b", "i", "u", "a", "img"})


class DisallowedTag(NamedTuple):
    """A tag outside the allowlist: its lowercase name and the offset of its ``<``.

    A named tuple, so ``for tag, offset in disallowed_tags(html)`` works.
    """

    tag: str
    offset: int


def disallowed_tags(html: str) -> list[DisallowedTag]:
    """Return every opening tag of ``html`` outside the allowlist, in document order."""
    if "<" not in html:
        return []
    return [
        DisallowedTag(token.name, token.offset)
        for token in tokenize(html)
        if isinstance(token, TagToken) and not token.closing and token.name not in ALLOWED_TAGS
    ]

"""Parse untrusted HTML with BeautifulSoup in bounded time.

Only the first ``max_chars`` characters (and at most ``MAX_TAGS`` tags) are read, and they
go through
:func:`~outreach_tui.core.html_tokens.canonical_html` (a linear tokenizer) before
``html.parser`` sees them: fed raw, hostile markup makes ``html.parser`` and bs4 quadratic
(see :mod:`outreach_tui.core.html_tokens` for the measurements).
"""

from __future__ import annotations

from bs4 import BeautifulSoup

from outreach_tui.core.html_tokens import canonical_html


def parse_html(html: str, *, max_chars: int) -> tuple[BeautifulSoup, bool]:
    """Parse the first ``max_chars`` characters of ``html``; return (soup, truncated).

    ``truncated`` is True when characters or tags beyond the limits were left out.
    """
    markup, stopped = canonical_html(html[:max_chars])
    return BeautifulSoup(markup, "html.parser"), stopped or len(html) > max_chars

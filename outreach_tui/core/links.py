"""Links of an email body with their real targets, and which of them lie about it.

A link is *deceptive* when its visible text looks like an address (a URL, a domain or an
email address) that points somewhere else than its ``href``: text ``https://bank.example``
with href ``https://evil.example/login``. A subdomain of the shown domain counts as the same
place (``bank.example`` -> ``https://login.bank.example``). A link whose text looks like an
address but whose href is not http(s) or mailto (``javascript:``, ``data:``) is deceptive too.
Text that does not look like an address ("Click here") is never deceptive by itself: the UI
shows the real target next to every link anyway.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final
from urllib.parse import unquote, urlsplit

from outreach_tui.core.html_parse import parse_html
from outreach_tui.core.sanitize import sanitize_line

MAX_LINK_HTML_CHARS: Final = 512 * 1024
MAX_LINKS: Final = 500

# Extensions that are not top-level domains; .zip and .mov are TLDs and stay suspicious.
_FILE_EXTENSIONS: Final = frozenset(
    {"pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "png", "jpg", "jpeg", "gif", "txt"}
    | {"csv", "htm", "html", "ics", "vcf", "eml", "odt", "rtf", "svg", "webp", "heic"}
)
_SAFE_SCHEMES: Final = frozenset({"http", "https", "mailto"})
_URL_LIKE = re.compile(
    r"""^(?:[a-z][a-z0-9+.-]*://)?       # optional scheme
        (?:[^\s/@:]+@)?                  # optional user@ (an email address)
        ([a-z0-9\u00a1-\uffff-]+(?:\.[a-z0-9\u00a1-\uffff-]+)*\.[a-z\u00a1-\uffff]{2,}|
         \[[0-9a-f:.]+\]|\d{1,3}(?:\.\d{1,3}){3})   # domain, [ipv6] or ipv4
        (?::\d+)?(?:[/?#].*)?$""",
    re.IGNORECASE | re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class Link:
    """One ``<a href>``: its visible text (sanitized, one line), its target, and the verdict."""

    text: str
    href: str
    deceptive: bool

    @property
    def clickable(self) -> bool:
        """True for http(s) and mailto targets, the only ones the UI should ever open."""
        return self.href.lower().startswith(("http://", "https://", "mailto:"))


def _host_of_text(text: str) -> str | None:
    """Return the host a link text shows, or None when the text does not look like one."""
    candidate = text.strip().strip("<>()[]\"'").rstrip(".,;:")
    if not candidate or " " in candidate:
        return None
    if candidate.lower().startswith("mailto:"):
        candidate = candidate[len("mailto:") :]
    match = _URL_LIKE.match(candidate)
    if match is None:
        return None
    host = match.group(1)
    # "report.pdf" is a file name, not a domain (unless it is written as a URL).
    if host == candidate and host.rpartition(".")[2].lower() in _FILE_EXTENSIONS:
        return None
    return _normal_host(host)


def _host_of_href(href: str) -> tuple[str | None, str]:
    """Return (host, scheme) of an href; mailto hosts are the address's domain."""
    try:
        parts = urlsplit(href.strip())
    except ValueError:
        return None, ""
    scheme = parts.scheme.lower()
    if scheme == "mailto":
        address = unquote(parts.path).split("?")[0]
        return (_normal_host(address.rpartition("@")[2]) if "@" in address else None), scheme
    try:
        host = parts.hostname
    except ValueError:
        host = None
    return (_normal_host(host) if host else None), scheme


def _normal_host(host: str) -> str:
    host = host.strip("[]").rstrip(".").lower()
    if host.startswith("www."):
        host = host[4:]
    try:
        # Compare IDNs in their ASCII form so "bánk.example" equals "xn--bnk-qla.example".
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def is_deceptive(text: str, href: str) -> bool:
    """Return True when ``text`` shows an address that ``href`` does not lead to."""
    shown = _host_of_text(text)
    if shown is None:
        return False
    target, scheme = _host_of_href(href)
    if scheme and scheme not in _SAFE_SCHEMES:
        return True
    if target is None:
        return True
    return not (target == shown or target.endswith("." + shown))


def extract_links(html: str, *, max_chars: int = MAX_LINK_HTML_CHARS) -> list[Link]:
    """Return the ``<a href>`` links of ``html`` in document order (at most 500).

    Only the first ``max_chars`` characters are parsed. Image-only links get the text
    ``[image: alt]``.
    """
    if not html or "<" not in html:
        return []
    soup, _ = parse_html(html, max_chars=max_chars)
    links: list[Link] = []
    for anchor in soup.find_all("a", href=True):
        href = sanitize_line(str(anchor.get("href", "")), 2000).replace(" ", "%20")
        text = sanitize_line(anchor.get_text(" "), 300)
        if not text:
            image = anchor.find("img")
            if image is not None:
                text = f"[image: {sanitize_line(str(image.get('alt') or ''), 100)}]"
        links.append(Link(text, href, is_deceptive(text, href)))
        if len(links) >= MAX_LINKS:
            break
    return links

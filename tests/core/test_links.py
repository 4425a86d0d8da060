"""extract_links: real targets and deceptive link texts."""

from __future__ import annotations

import pytest

from outreach_tui.core.links import Link, extract_links, is_deceptive


@pytest.mark.parametrize(
    ("text", "href", "deceptive"),
    [
        ("https://bank.example", "https://evil.example/login", True),
        ("bank.example", "https://evil.example/", True),
        ("www.bank.example", "https://bank.example/login", False),
        ("bank.example", "https://login.bank.example/x", False),
        ("https://bank.example", "https://bank.example.evil.example/", True),
        ("https://bank.example/", "https://BANK.example:443/path", False),
        ("Click here", "https://evil.example/", False),
        ("bob@bank.example", "mailto:bob@bank.example", False),
        ("bob@bank.example", "https://evil.example/", True),
        ("https://bank.example", "javascript:alert(1)", True),
        ("https://bank.example", "not a url", True),
        ("report.pdf", "https://files.example/report.pdf", False),
        ("report.zip", "https://evil.example/x", True),  # .zip is a real top-level domain
        ("bánk.example", "https://xn--bnk-ela.example/", False),
        ("v1.2 release", "https://x.example", False),
        ("192.168.0.1", "https://192.168.0.1/admin", False),
    ],
)
def test_is_deceptive(text: str, href: str, deceptive: bool) -> None:
    assert is_deceptive(text, href) is deceptive


def test_extract_links_in_document_order() -> None:
    html = (
        '<p><a href="https://evil.example/login">https://bank.example</a> '
        '<a href="https://acme.example/pricing">our\n  pricing</a> <a name="anchor">no href</a>'
        '<a href="https://acme.example/logo"><img alt="Acme"></a>'
        '<a href="https://x.example/\x1b[31m\u202e">\x1b]8;;x\x07hostile\u202e</a></p>'
    )
    links = extract_links(html)
    assert links[0] == Link("https://bank.example", "https://evil.example/login", True)
    assert links[1] == Link("our pricing", "https://acme.example/pricing", False)
    assert links[2].text == "[image: Acme]"
    assert links[3].text == "hostile"
    assert "\x1b" not in links[3].href and "\u202e" not in links[3].href
    assert len(links) == 4


def test_clickable_only_for_web_and_mail() -> None:
    assert Link("x", "https://a.example", False).clickable
    assert Link("x", "MAILTO:a@b.example", False).clickable
    assert not Link("x", "javascript:alert(1)", False).clickable
    assert not Link("x", "file:///etc/passwd", False).clickable


def test_extract_links_of_nothing() -> None:
    assert extract_links("") == []
    assert extract_links("no html at all") == []

"""Attachment names: sanitized, inside the chosen folder, never overwriting."""

from __future__ import annotations

from pathlib import Path

import pytest

from outreach_tui.core.filenames import DEFAULT_NAME, safe_destination, safe_filename


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("report.pdf", "report.pdf"),
        ("../../.bashrc", "bashrc"),
        ("..\\..\\Windows\\System32\\evil.dll", "evil.dll"),
        ("/etc/passwd", "passwd"),
        ("a/b/..", "b"),
        ("..", DEFAULT_NAME),
        ("", DEFAULT_NAME),
        (None, DEFAULT_NAME),
        ("...", DEFAULT_NAME),
        ("  spaced  name .txt ", "spaced name.txt"),
        ("in\x00voice\x1b[31m.pdf", "invoice.pdf"),
        ("invoice\u202egpj.exe", "invoicegpj.exe"),
        ('what?<is>:this*|".txt', "what__is__this___.txt"),
        ("CON", "_CON"),
        ("con.txt", "_con.txt"),
        ("lpt1.tar.gz", "_lpt1.tar.gz"),
        ("console.txt", "console.txt"),
        ("name.", "name"),
        (".pdf", "pdf"),
        ("line\nbreak.txt", "linebreak.txt"),
    ],
)
def test_safe_filename(name: str | None, safe: str) -> None:
    assert safe_filename(name) == safe


def test_long_names_are_capped_in_bytes_keeping_the_extension() -> None:
    name = "é" * 500 + ".pdf"
    safe = safe_filename(name)
    assert safe.endswith(".pdf")
    assert len(safe.encode("utf-8")) <= 200
    assert safe_filename("x" * 300).startswith("x")
    assert len(safe_filename("x" * 300)) == 200


def test_destination_stays_inside_the_folder(tmp_path: Path) -> None:
    destination = safe_destination(tmp_path, "../../.bashrc")
    assert destination == tmp_path.resolve() / "bashrc"
    assert destination.parent == tmp_path.resolve()


def test_destination_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "report.pdf").write_bytes(b"1")
    (tmp_path / "report (1).pdf").write_bytes(b"2")
    assert safe_destination(tmp_path, "report.pdf") == tmp_path.resolve() / "report (2).pdf"


def test_dangling_symlink_counts_as_taken(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").symlink_to(tmp_path / "missing-target")
    assert safe_destination(tmp_path, "notes.txt").name == "notes (1).txt"


def test_destination_with_injected_existence_check(tmp_path: Path) -> None:
    taken = {"a.txt", "a (1).txt", "a (2).txt"}
    result = safe_destination(tmp_path, "a.txt", exists=lambda p: p.name in taken)
    assert result.name == "a (3).txt"
    with pytest.raises(ValueError, match="no free file name"):
        safe_destination(tmp_path, "a.txt", exists=lambda p: True)

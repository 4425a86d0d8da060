"""MergeTagGate: a draft's tags rendered before queueing; a missing variable asked once."""

from __future__ import annotations

from outreach_tui.ui.inbox.screens.merge_gate import MergeTagGate


def _gate() -> tuple[MergeTagGate, list[str]]:
    said: list[str] = []
    return MergeTagGate(said.append), said


def test_a_complete_draft_is_rendered_at_once() -> None:
    gate, said = _gate()
    assert gate.render("Hi {{first_name|there}}", {}, seed_key="c") == "Hi there"
    assert said == []


def test_a_missing_variable_stops_once_and_typing_asks_again() -> None:
    gate, said = _gate()
    assert gate.render("Hi {{first_name}}", {}, seed_key="c") is None
    assert said == [
        "No value for first_name: edit the tags out, or press ctrl+s again to send them empty."
    ]
    assert gate.render("Hi {{first_name}}", {}, seed_key="c") == "Hi "
    gate.edited()
    assert gate.render("Hi {{first_name}}", {}, seed_key="c") is None


def test_another_missing_variable_is_asked_about_even_after_a_confirmation() -> None:
    gate, said = _gate()
    assert gate.render("{{a}}", {}, seed_key="c") is None
    assert gate.render("{{a}} {{b}}", {}, seed_key="c") is None
    assert said[-1].startswith("No value for a, b")


def test_an_unclosed_tag_names_the_part_and_the_character() -> None:
    gate, said = _gate()
    parts = {"subject": "Hi", "body": "ok {{first_name"}
    assert gate.render_parts(parts, {}, seed_key="c") is None
    assert said == [
        "Merge tag at character 4 of the body: merge tag opened with {{ is never closed"
        " (write \\{{ for a literal {{)."
    ]

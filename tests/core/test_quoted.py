"""split_quoted: where the quoted history of a reply starts."""

from __future__ import annotations

from outreach_tui.core.quoted import split_quoted


def test_on_wrote_attribution() -> None:
    text = "Yes, Tuesday.\n\nOn Mon, 3 Mar 2025 at 10:00, Bob <bob@x.example> wrote:\n> hi"
    assert split_quoted(text) == (
        "Yes, Tuesday.",
        "On Mon, 3 Mar 2025 at 10:00, Bob <bob@x.example> wrote:\n> hi",
    )


def test_attribution_wrapped_over_two_lines() -> None:
    new, quoted = split_quoted(
        "Sure.\nOn Mon, 3 Mar 2025 at 10:00, Bob <bob@x.example>\nwrote:\n> hi"
    )
    assert new == "Sure."
    assert quoted.startswith("On Mon")


def test_other_languages() -> None:
    assert split_quoted("Merci\nLe lun. 3 mars 2025, Bob a écrit :\n> x")[0] == "Merci"
    assert split_quoted("Danke\nAm 03.03.2025 schrieb Bob:\n> x")[0] == "Danke"


def test_original_message_separator() -> None:
    text = "See below.\n-----Original Message-----\nFrom: Bob\nSubject: x"
    assert split_quoted(text) == ("See below.", "-----Original Message-----\nFrom: Bob\nSubject: x")


def test_outlook_header_block() -> None:
    text = "Ok\n\nFrom: Bob Smith <bob@x.example>\nSent: Monday, March 3, 2025\nTo: me\n\nold"
    new, quoted = split_quoted(text)
    assert new == "Ok"
    assert quoted.startswith("From: Bob Smith")


def test_trailing_quote_lines() -> None:
    new, quoted = split_quoted("Thanks!\n\n> old line\n>\n> more\n")
    assert new == "Thanks!"
    assert quoted == "> old line\n>\n> more"


def test_interleaved_replies_are_not_hidden() -> None:
    text = "> question one\nanswer one\n> question two\nanswer two"
    assert split_quoted(text) == (text, "")


def test_quote_lines_right_before_the_attribution_belong_to_the_quote() -> None:
    new, _ = split_quoted("New text\n> stray\nOn Mon, Bob wrote:\n> x")
    assert new == "New text"


def test_nothing_new_means_no_split() -> None:
    text = "-----Original Message-----\nFrom: Bob\n\nforwarded text"
    assert split_quoted(text) == (text, "")
    assert split_quoted("> only a quote") == ("> only a quote", "")


def test_plain_text_is_not_split() -> None:
    text = "On Monday we shipped the release.\nIt went well."
    assert split_quoted(text) == (text, "")

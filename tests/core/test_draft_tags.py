"""Merge tags in a draft: filled with what is known, missing tags kept, escapes kept."""

from __future__ import annotations

import pytest

from outreach_tui.core.draft_tags import fill_known, finish
from outreach_tui.core.mergetags import InvalidTemplate


def test_known_values_and_fallbacks_fill_and_missing_tags_stay_as_written() -> None:
    filled = fill_known(
        "Hi {{first_name|there}}, how is {{ Company }}? {{last_name|}}",
        {"company": "Acme"},
        seed_key="c1",
    )
    assert filled.text == "Hi there, how is Acme? "
    assert filled.missing == ()
    kept = fill_known("Hi {{first_name}} from {{company}}", {"first_name": "Ann"}, seed_key="c1")
    assert kept.text == "Hi Ann from {{company}}"
    assert kept.missing == ("company",)


def test_an_escape_and_a_value_holding_braces_stay_literal_when_finished() -> None:
    filled = fill_known(r"Use \{{name}} for {{first_name}}", {"first_name": "{{x}}"}, seed_key="k")
    assert filled.text == r"Use \{{name}} for \{{x}}"
    assert finish(filled.text, {}, seed_key="k").text == "Use {{name}} for {{x}}"


def test_spintax_is_chosen_once_and_the_same_for_the_same_seed() -> None:
    one = fill_known("{{SPINTAX|Hi|Hello|Hey}} Ann", {}, seed_key="c1").text
    assert one in {"Hi Ann", "Hello Ann", "Hey Ann"}
    assert fill_known("{{SPINTAX|Hi|Hello|Hey}} Ann", {}, seed_key="c1").text == one


def test_finishing_reports_variables_rendered_empty_and_refuses_an_unclosed_tag() -> None:
    done = finish("Hi {{first_name}},", {"email": "a@b.test"}, seed_key="c")
    assert (done.text, done.missing) == ("Hi ,", ("first_name",))
    with pytest.raises(InvalidTemplate):
        finish("Hi {{first_name", {}, seed_key="c")

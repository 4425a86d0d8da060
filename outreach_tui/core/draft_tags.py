"""Merge tags in a draft: a reply or a new email is a template until it is queued.

A snippet inserted into a draft is filled at once with what is known of the recipient
(:func:`fill_known`): values and fallbacks replace their tags, spintax picks its option, and
a variable with neither stays in the draft as the tag the user wrote, so the person sees it
and the check before queueing (:func:`finish`) names it. The draft therefore stays a valid
template: literal ``{{`` (from an escape in the snippet, or inside a value) is written back
as ``\\{{``, so filling is never applied twice to the same text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from outreach_tui.core.mergetags import (
    ESCAPE,
    OPEN,
    LiteralText,
    LoomTag,
    SpintaxTag,
    VariableTag,
    choose_option,
    normalize_variable_name,
    parse,
    render_report,
)


def escape_literal(text: str) -> str:
    """``text`` written so that a template reads it back literally (``{{`` -> ``\\{{``)."""
    return text.replace(OPEN, ESCAPE)


def _values(variables: Mapping[str, str]) -> dict[str, str]:
    return {normalize_variable_name(k): v for k, v in variables.items() if v}


def fill_known(template: str, variables: Mapping[str, str], *, seed_key: str) -> FilledDraft:
    """Fill ``template`` with ``variables`` but keep the tags that have no value.

    Returns the text (still a valid template) and the keys left unfilled (no value and no
    fallback), in order of first use. Raises InvalidTemplate for an invalid template.
    """
    values = _values(variables)
    out: list[str] = []
    missing: dict[str, None] = {}
    ordinal = 0
    for token in parse(template):
        if isinstance(token, LiteralText):
            out.append(escape_literal(token.text))
        elif isinstance(token, SpintaxTag):
            choice = choose_option(token.options, seed_key=seed_key, ordinal=ordinal)
            out.append(escape_literal(choice))
            ordinal += 1
        elif isinstance(token, VariableTag | LoomTag):
            value = values.get(token.key)
            if value:
                out.append(escape_literal(value))
            elif token.fallback is not None:
                out.append(escape_literal(token.fallback))
            else:
                out.append(template[token.offset : token.end])
                missing.setdefault(token.key, None)
    return FilledDraft("".join(out), tuple(missing))


@dataclass(frozen=True, slots=True)
class FilledDraft:
    """A draft after filling: its text and the variables that had nothing to fill them."""

    text: str
    missing: tuple[str, ...]


def finish(draft: str, variables: Mapping[str, str], *, seed_key: str) -> FilledDraft:
    """The text to queue for ``draft``: every tag rendered, escapes resolved.

    ``missing`` lists the variables rendered empty (no value, no fallback): the caller asks
    before queueing such a text. Raises InvalidTemplate when the draft is not a valid
    template (an unclosed ``{{``): the caller says where, and how to write a literal one.
    """
    result = render_report(draft, variables, seed_key=seed_key)
    return FilledDraft(result.text, result.missing)

"""The search box's language: free words, "quoted phrases", `-` to negate, and operators
(`from:`, `to:`, `label:`, `campaign:`, `inbox:`, `is:`, `has:`, `before:`, `after:`).

`parse_search` turns what a person typed into `SearchTerm`s; the store makes SQL of
them (`store.queries.conversation_plan`). A word that only looks like an operator is
kept as a word: `Re:`, `10:30` and `https://…` search for themselves. An operator the
language does not have, or a value it cannot take, is a `SearchSyntaxError` with a
sentence to show in place of the results, never an empty list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Final

from outreach_tui.core.labels import parse_label
from outreach_tui.core.sanitize import sanitize_line

OPERATORS: Final = ("from", "to", "label", "campaign", "inbox", "is", "has", "before", "after")
IS_VALUES: Final = ("unread", "read", "pending", "snoozed")
HAS_VALUES: Final = ("attachment",)

# `name:value`, the name in letters only; `value` may be "quoted".
_OPERATOR = re.compile(r"^([A-Za-z]{2,}):(.+)$", re.DOTALL)


class SearchSyntaxError(ValueError):
    """What is wrong with a search, in one sentence for the person who typed it."""


@dataclass(frozen=True)
class SearchTerm:
    """One part of a search: a word or phrase (`operator` None) or an operator's value
    (label values are the label's value, "none" for no label; dates are ISO dates)."""

    operator: str | None
    value: str
    negated: bool = False

    @property
    def is_phrase(self) -> bool:
        """True for several words that must appear together."""
        return self.operator is None and " " in self.value


def _tokens(text: str) -> list[tuple[str, bool]]:
    """(token, quoted) pairs: whitespace separates, double quotes group (a quote left
    open runs to the end)."""
    tokens: list[tuple[str, bool]] = []
    current, quoted, in_quotes = "", False, False
    for ch in text:
        if ch == '"':
            in_quotes = not in_quotes
            quoted = True
        elif ch.isspace() and not in_quotes:
            if current or quoted:
                tokens.append((current, quoted))
            current, quoted = "", False
        else:
            current += ch
    if current or quoted:
        tokens.append((current, quoted))
    return tokens


def _date(operator: str, value: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise SearchSyntaxError(
            f"{operator}: takes a date as YYYY-MM-DD, not {sanitize_line(value, 30)!r}"
        ) from None


def _term(operator: str, value: str, negated: bool) -> SearchTerm:
    if operator == "label":
        try:
            value = parse_label(value, allow_none=True)
        except ValueError as error:
            raise SearchSyntaxError(f"label: {error}") from None
    elif operator == "is" and value.lower() not in IS_VALUES:
        raise SearchSyntaxError(
            f"is:{sanitize_line(value, 30)} is not known; is: takes {', '.join(IS_VALUES)}"
            " (snoozing is not in this version)"
        )
    elif operator == "has" and value.lower() not in HAS_VALUES:
        raise SearchSyntaxError(
            f"has:{sanitize_line(value, 30)} is not known; has: takes {', '.join(HAS_VALUES)}"
        )
    elif operator in ("before", "after"):
        value = _date(operator, value)
    if operator in ("is", "has"):
        value = value.lower()
    return SearchTerm(operator, value, negated)


def parse_search(text: str) -> tuple[SearchTerm, ...]:
    """The terms of a search; `SearchSyntaxError` for an unknown operator or a value an
    operator cannot take. Control characters count as spaces."""
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    terms: list[SearchTerm] = []
    for token, quoted in _tokens(text):
        negated = token.startswith("-") and len(token) > 1
        body = token[1:] if negated else token
        match = _OPERATOR.match(body)
        if match and not match.group(2).startswith("//"):  # a URL is a word
            operator, value = match.group(1).lower(), match.group(2).strip()
            if operator not in OPERATORS:
                known = ", ".join(f"{name}:" for name in OPERATORS)
                raise SearchSyntaxError(
                    f"unknown operator {sanitize_line(match.group(1), 20)}:"
                    f" — the search knows {known}"
                )
            terms.append(_term(operator, value, negated))
        elif body.strip():
            terms.append(SearchTerm(None, " ".join(body.split()), negated))
        elif quoted:
            continue  # "" searches for nothing
    return tuple(terms)

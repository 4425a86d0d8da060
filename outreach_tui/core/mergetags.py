"""Merge tags: validation exactly as the server does it, parsing, and rendering for one lead.

This is the public face of merge tags (the UI, the CLI and the contract tests import it):
the grammar lives in :mod:`outreach_tui.core.mergetag_grammar` and is re-exported here, so
``outreach_tui.core.mergetags.validate(text)`` returns None for a valid template and
otherwise a :class:`MergeTagError` whose ``.offset`` is the offset the server reports.

Rendering choices where the reference is silent:

- a variable that is missing or empty uses the tag's fallback; without one it renders as
  ``""`` and is reported (:func:`render_report`);
- a spintax option is chosen from a blake2b hash of the seed key (e.g. the lead id), the
  tag's ordinal among the spintax tags and its options: stable across runs and machines;
- ``\\{{`` renders as ``{{``; values are inserted literally, never parsed as merge tags;
- built-ins: ``first_name``, ``last_name``, ``email``, ``full_name``, ``contact`` (the full
  name, or the email when the lead has none), ``company`` (from the lead's variables) and
  ``unsubscribe_url`` (from the campaign).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from outreach_tui.core.mergetag_grammar import (
    CLOSE,
    ESCAPE,
    OPEN,
    InvalidTemplate,
    LiteralText,
    LoomTag,
    MergeTagError,
    SpintaxTag,
    Token,
    VariableTag,
    normalize_variable_name,
    parse,
    validate,
)

__all__ = [
    "BUILT_IN_VARIABLES",
    "CLOSE",
    "ESCAPE",
    "OPEN",
    "UNSUBSCRIBE_URL",
    "InvalidTemplate",
    "LiteralText",
    "LoomTag",
    "MergeTagError",
    "RenderResult",
    "SpintaxTag",
    "Token",
    "VariableTag",
    "choose_option",
    "lead_variables",
    "missing_variables_report",
    "normalize_variable_name",
    "parse",
    "render",
    "render_report",
    "spintax_combinations",
    "validate",
    "variables_used",
]

UNSUBSCRIBE_URL: Final = "unsubscribe_url"
BUILT_IN_VARIABLES: Final = (
    "first_name",
    "last_name",
    "email",
    "full_name",
    "contact",
    "company",
    UNSUBSCRIBE_URL,
)


def variables_used(text: str) -> list[str]:
    """Return the normalized keys a template reads (variables and LOOM columns), in order."""
    seen: dict[str, None] = {}
    for token in parse(text):
        if isinstance(token, VariableTag | LoomTag):
            seen.setdefault(token.key, None)
    return list(seen)


def spintax_combinations(text: str) -> int:
    """Return how many distinct spintax choices a template allows (1 without spintax)."""
    return math.prod(
        len(set(token.options)) for token in parse(text) if isinstance(token, SpintaxTag)
    )


def choose_option(options: tuple[str, ...], *, seed_key: str, ordinal: int) -> str:
    """Pick one option deterministically from ``seed_key`` (e.g. the lead id).

    ``ordinal`` is the index of the spintax tag among the template's spintax tags, so two
    tags with the same options may choose differently. Uses blake2b: stable across runs,
    unlike Python's salted ``hash()``.
    """
    material = "\x1f".join((seed_key, str(ordinal), *options)).encode("utf-8", "surrogatepass")
    digest = hashlib.blake2b(material, digest_size=8).digest()
    return options[int.from_bytes(digest, "big") % len(options)]


@dataclass(frozen=True, slots=True)
class RenderResult:
    """A rendered template and the variables it needed but the lead lacked (no fallback)."""

    text: str
    missing: tuple[str, ...]


def _normalized(variables: Mapping[str, str]) -> dict[str, str]:
    result: dict[str, str] = {}
    for key, value in variables.items():
        # An exact normalized key wins over a key that only normalizes to it.
        norm = normalize_variable_name(key)
        if norm not in result or key == norm:
            result[norm] = "" if value is None else str(value)
    return result


def render_report(
    template: str,
    variables: Mapping[str, str],
    *,
    seed_key: str,
    unsubscribe_url: str | None = None,
) -> RenderResult:
    """Fill ``template`` for one lead and report the missing variables.

    ``variables`` may use any spelling of the keys (they are normalized). A missing or
    empty value uses the tag's fallback; without one it renders as ``""`` and its key is
    listed in ``missing``. ``unsubscribe_url`` (from the campaign) overrides any variable of
    that name. Values are inserted as they are: they are never parsed as merge tags.
    Raises InvalidTemplate for an invalid template.
    """
    values = _normalized(variables)
    if unsubscribe_url is not None:
        values[UNSUBSCRIBE_URL] = unsubscribe_url
    out: list[str] = []
    missing: dict[str, None] = {}
    ordinal = 0
    for token in parse(template):
        if isinstance(token, LiteralText):
            out.append(token.text)
        elif isinstance(token, SpintaxTag):
            out.append(choose_option(token.options, seed_key=seed_key, ordinal=ordinal))
            ordinal += 1
        else:
            value = values.get(token.key, "")
            if value:
                out.append(value)
            elif token.fallback is not None:
                out.append(token.fallback)
            else:
                missing.setdefault(token.key, None)
    return RenderResult("".join(out), tuple(missing))


def render(
    template: str,
    variables: Mapping[str, str],
    *,
    seed_key: str,
    unsubscribe_url: str | None = None,
) -> str:
    """Return ``template`` filled for one lead (see :func:`render_report`)."""
    return render_report(
        template, variables, seed_key=seed_key, unsubscribe_url=unsubscribe_url
    ).text


def lead_variables(
    *,
    email: str,
    first_name: str | None = None,
    last_name: str | None = None,
    variables: Mapping[str, object] | None = None,
) -> dict[str, str]:
    """Return every variable a lead offers to templates, under normalized keys.

    Built-ins (reference): ``first_name``, ``last_name``, ``email``, ``full_name`` (first
    and last joined by a space) and ``contact`` (not defined by the reference: we use the
    full name, or the email when the lead has no name). Custom ``variables`` (``company``…)
    are added under normalized keys; a non-empty built-in wins over a custom variable with
    the same key. Non-string values are converted with ``str`` (None becomes ``""``).
    """
    result = _normalized(
        {str(k): "" if v is None else str(v) for k, v in (variables or {}).items()}
    )
    first, last = (first_name or "").strip(), (last_name or "").strip()
    full = " ".join(part for part in (first, last) if part)
    built_ins = {
        "first_name": first,
        "last_name": last,
        "email": email,
        "full_name": full,
        "contact": full or email,
    }
    for key, value in built_ins.items():
        if value or key not in result:
            result[key] = value
    return result


def missing_variables_report(
    templates: str | Iterable[str], leads: Iterable[Mapping[str, str]]
) -> dict[str, int]:
    """Count, for each variable used without a fallback, the leads that lack it.

    ``templates`` is one template or several (subject and body); each lead is a mapping of
    its variables (see :func:`lead_variables`). ``unsubscribe_url`` comes from the campaign,
    not the lead, and is never reported. Keys come in order of first use; a key is present
    (possibly with 0) whenever a template uses it without a fallback.
    Raises InvalidTemplate when a template is invalid.
    """
    if isinstance(templates, str):
        templates = [templates]
    needed: dict[str, None] = {}
    for template in templates:
        for token in parse(template):
            if (
                isinstance(token, VariableTag | LoomTag)
                and token.fallback is None
                and token.key != UNSUBSCRIBE_URL
            ):
                needed.setdefault(token.key, None)
    counts = dict.fromkeys(needed, 0)
    if not counts:
        return counts
    for lead in leads:
        normalized: dict[str, str] | None = None
        for key in counts:
            value = lead.get(key)
            if not value:
                # Only a lead that lacks the exact key pays for normalizing all of its keys.
                if normalized is None:
                    normalized = _normalized(lead)
                value = normalized.get(key)
            if not value:
                counts[key] += 1
    return counts

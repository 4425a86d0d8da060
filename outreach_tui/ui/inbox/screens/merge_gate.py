"""`MergeTagGate`: a draft's merge tags are rendered before it is queued, never sent as
`{{first_name}}`.

The draft of a reply or a new email is a template (a snippet leaves the tags it could not
fill in it, and a person may type one). On ctrl+s the gate renders it for the recipient:
an invalid tag (an unclosed `{{`) stops the send with where it is and how to write a
literal `{{`; a
variable with no value and no fallback stops it once, naming the variables; a second
ctrl+s (with the draft unchanged) sends with them empty. Typing re-arms the question, like
`DiscardGuard`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from outreach_tui.core.draft_tags import finish
from outreach_tui.core.mergetags import InvalidTemplate


def missing_sentence(missing: tuple[str, ...]) -> str:
    """`No value for first_name, company` (the names are normalized variable keys)."""
    return "No value for " + ", ".join(missing)


class MergeTagGate:
    """Renders a draft before it is queued; owned by the editor screen."""

    def __init__(self, say: Callable[[str], object]) -> None:
        """`say(line)` shows the reason a send was stopped (the screen's hint line)."""
        self.say = say
        self.confirmed: tuple[str, ...] | None = None

    def render(self, draft: str, variables: Mapping[str, str], *, seed_key: str) -> str | None:
        """The text to queue, or None when the send stops here (the reason was said)."""
        try:
            result = finish(draft, variables, seed_key=seed_key)
        except InvalidTemplate as error:
            problem = error.error
            self.say(
                f"Merge tag at character {problem.offset + 1}: {problem.message}"
                " (write \\{{ for a literal {{)."
            )
            return None
        if result.missing and self.confirmed != result.missing:
            self.confirmed = result.missing
            self.say(
                f"{missing_sentence(result.missing)}: edit the tags out, "
                "or press ctrl+s again to send them empty."
            )
            return None
        return result.text

    def edited(self) -> None:
        """The user typed again: a missing variable is asked about again."""
        self.confirmed = None

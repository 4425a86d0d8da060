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
        rendered = self.render_parts({"": draft}, variables, seed_key=seed_key)
        return None if rendered is None else rendered[""]

    def render_parts(
        self, parts: Mapping[str, str], variables: Mapping[str, str], *, seed_key: str
    ) -> dict[str, str] | None:
        """Render several parts of one email (`{"subject": …, "body": …}`; the key names
        the part in a message), or None when the send stops here (the reason was said).
        The missing variables of all the parts are asked about together."""
        texts: dict[str, str] = {}
        missing: dict[str, None] = {}
        for part, draft in parts.items():
            try:
                result = finish(draft, variables, seed_key=seed_key)
            except InvalidTemplate as error:
                problem = error.error
                where = f" of the {part}" if part else ""
                self.say(
                    f"Merge tag at character {problem.offset + 1}{where}: {problem.message}"
                    " (write \\{{ for a literal {{)."
                )
                return None
            texts[part] = result.text
            missing.update(dict.fromkeys(result.missing))
        found = tuple(missing)
        if found and self.confirmed != found:
            self.confirmed = found
            self.say(
                f"{missing_sentence(found)}: edit the tags out, "
                "or press ctrl+s again to send them empty."
            )
            return None
        return texts

    def edited(self) -> None:
        """The user typed again: a missing variable is asked about again."""
        self.confirmed = None

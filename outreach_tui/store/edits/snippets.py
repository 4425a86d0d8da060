"""Writing snippets (saved replies). Unlike every other edit they queue nothing: the API
has no snippets, so a snippet lives in this cache only and never needs a sync.

A name is 1 to 80 printable characters (trimmed), unique ignoring case; a body follows the
one body rule of replies (`edits.body.check_body`), since it becomes one, and its merge
tags are valid (`core.mergetags.validate`, the server's rule).
"""

from __future__ import annotations

from typing import Final

from sqlite_utils import Database

from outreach_tui.core.mergetags import validate
from outreach_tui.store.codec import now_iso
from outreach_tui.store.connection import write_transaction
from outreach_tui.store.edits.body import check_body
from outreach_tui.store.edits.common import EditError
from outreach_tui.store.queries.snippets import Snippet, get_snippet, snippet_key

MAX_NAME_CHARS: Final = 80


class SnippetNotFound(EditError):
    """No snippet of that name in the cache."""


class SnippetExists(EditError):
    """Another snippet already has that name (ignoring case)."""


def check_name(name: str) -> str:
    """The name trimmed; `EditError` unless it is 1-80 printable characters."""
    name = name.strip()
    if not name:
        raise EditError("a snippet needs a name")
    if len(name) > MAX_NAME_CHARS:
        raise EditError(f"a snippet name is at most {MAX_NAME_CHARS} characters, got {len(name)}")
    if not name.isprintable():
        raise EditError("a snippet name must be printable text (no control characters)")
    return name


def save_snippet(
    db: Database, name: str, body: str, *, replace: str | None = None, overwrite: bool = False
) -> Snippet:
    """Create a snippet, or change one: `replace` names the snippet being edited (it may be
    renamed to `name`). Another snippet of the same name is refused (`SnippetExists`)
    unless `overwrite`. Raises `EditError` (`BodyRejected` for the body, a plain
    `EditError` for an invalid merge tag)."""
    name = check_name(name)
    check_body(body, "snippet")
    problem = validate(body)
    if problem is not None:
        raise EditError(f"merge tag at character {problem.offset + 1}: {problem.message}")
    now = now_iso()
    with write_transaction(db):
        created = now
        if replace is not None:
            old = get_snippet(db, replace)
            if old is None:
                raise SnippetNotFound(f"no snippet {replace!r} in the cache")
            created = old.created_at
        existing = get_snippet(db, name)
        if existing is not None and snippet_key(name) != snippet_key(replace or ""):
            if not overwrite:
                raise SnippetExists(f"a snippet named {existing.name!r} already exists")
            created = existing.created_at
        if replace is not None:
            db.conn.execute("DELETE FROM snippets WHERE key = ?", [snippet_key(replace)])
        db.conn.execute(
            "INSERT OR REPLACE INTO snippets (key, name, body, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [snippet_key(name), name, body, created, now],
        )
    return Snippet(name, body, created, now)


def delete_snippet(db: Database, name: str) -> Snippet:
    """Delete the snippet called `name` (ignoring case) and return it; `SnippetNotFound`."""
    with write_transaction(db):
        snippet = get_snippet(db, name)
        if snippet is None:
            raise SnippetNotFound(f"no snippet {name!r} in the cache")
        db.conn.execute("DELETE FROM snippets WHERE key = ?", [snippet_key(name)])
    return snippet

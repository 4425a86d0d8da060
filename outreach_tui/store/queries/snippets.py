"""Read queries of snippets (saved replies): local to the cache, the API has none."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database


@dataclass(frozen=True)
class Snippet:
    """A named text with merge tags; `name` as the user wrote it, unique ignoring case."""

    name: str
    body: str
    created_at: str
    updated_at: str

    def to_json(self) -> dict[str, str]:
        """The `--json` shape of `snippets show` / `add` (and each item of `list`)."""
        return {"name": self.name, "body": self.body, "updated_at": self.updated_at}


def snippet_key(name: str) -> str:
    """The key a name is unique by: trimmed and case-folded."""
    return name.strip().casefold()


_COLUMNS = "name, body, created_at, updated_at"


def list_snippets(db: Database) -> list[Snippet]:
    """Every snippet, by name ignoring case."""
    return [
        Snippet(*row)
        for row in db.conn.execute(f"SELECT {_COLUMNS} FROM snippets ORDER BY key, name")
    ]


def get_snippet(db: Database, name: str) -> Snippet | None:
    """The snippet called `name` (ignoring case), or None."""
    row = db.conn.execute(
        f"SELECT {_COLUMNS} FROM snippets WHERE key = ?", [snippet_key(name)]
    ).fetchone()
    return None if row is None else Snippet(*row)

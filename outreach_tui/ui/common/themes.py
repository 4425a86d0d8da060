"""Themes are data files: TOML whose keys are the fields of `textual.theme.Theme`.

Bundled themes ship in the wheel (`outreach_tui/_themes`, from the repository's `themes/`);
users add their own in `<config dir>/themes/`. A broken user theme is skipped with a
one-line reason, never a crash.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from textual.theme import Theme

import outreach_tui

_THEME_FIELDS = {f.name for f in fields(Theme)}


@dataclass(frozen=True)
class ThemeProblem:
    """A theme file that could not be used."""

    path: Path
    reason: str


def bundled_theme_dir() -> Path:
    """Where the bundled themes are: inside the installed package, or the checkout's themes/."""
    package = Path(outreach_tui.__file__).resolve().parent
    installed = package / "_themes"
    if installed.is_dir():
        return installed
    return package.parent / "themes"


def load_theme_file(path: Path) -> Theme:
    """Parse one theme file; ValueError with a one-line reason when it is not usable."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ValueError(f"cannot read: {error}") from None
    unknown = sorted(set(data) - _THEME_FIELDS)
    if unknown:
        raise ValueError(f"unknown key {unknown[0]!r}")
    if not isinstance(data.get("name"), str) or not isinstance(data.get("primary"), str):
        raise ValueError("needs at least 'name' and 'primary'")
    try:
        theme = Theme(**data)
        theme.to_color_system()  # validates the colours
    except Exception as error:
        raise ValueError(f"invalid theme: {error}") from None
    return theme


def discover_themes(user_dir: Path | None) -> tuple[list[Theme], list[ThemeProblem]]:
    """Bundled themes, then the user's (a user theme may replace a bundled one by name)."""
    themes: dict[str, Theme] = {}
    problems: list[ThemeProblem] = []
    folders = [bundled_theme_dir()] + ([user_dir] if user_dir is not None else [])
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                theme = load_theme_file(path)
            except ValueError as error:
                problems.append(ThemeProblem(path, str(error)))
                continue
            themes[theme.name] = theme
    return list(themes.values()), problems

"""The layer rules of docs/ARCHITECTURE.md, as import-linter contracts in pyproject.toml.

`lint-imports` reads the imports statically, so an import under `TYPE_CHECKING` or inside
a function counts like any other. The second test proves the contracts bite: a copy of
the package with one violating import per rule must be refused.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint_imports(project: Path) -> subprocess.CompletedProcess[str]:
    # PYTHONPATH first so the package analysed is the one in `project` (not an installed
    # copy); no cache so a copy is read afresh.
    env = {**os.environ, "PYTHONPATH": str(project)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_import_contracts_hold() -> None:
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


# One violation per contract: (file, line appended, name of the contract it breaks).
VIOLATIONS = [
    ("outreach_tui/core/labels.py", "import textual", "The headless layers never import Textual"),
    ("outreach_tui/store/schema.py", "import outreach_tui.sync", "Imports point down the layers"),
    (
        "outreach_tui/simulator/__init__.py",
        "import outreach_tui.core",
        "The simulator imports nothing of the client",
    ),
    (
        "outreach_tui/ui/campaigns/widgets/settings.py",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import outreach_tui.ui.app",
        "Only the app's own module imports ui.app",
    ),
    (
        "outreach_tui/ui/inbox/widgets/message_view.py",
        "import outreach_tui.ui.inbox.screens.thread",
        "Widgets never import screens",
    ),
    (
        "outreach_tui/ui/backend/status.py",
        "import outreach_tui.ui.common",
        "UI layers: the app, then features, then common, then the backend",
    ),
    (
        "outreach_tui/serve/page.py",
        "import outreach_tui.store",
        "serve talks to the app only through a subprocess",
    ),
    (
        "outreach_tui/ui/common/palette.py",
        "import outreach_tui.serve",
        "Imports point down the layers",
    ),
    (
        "outreach_tui/store/codec.py",  # queries.leads imports codec: a circle
        "import outreach_tui.store.queries.leads",
        "No import cycles in ui/ and store/",
    ),
]


@pytest.mark.parametrize(("path", "line", "contract"), VIOLATIONS, ids=[v[2] for v in VIOLATIONS])
def test_a_violating_import_is_refused(tmp_path: Path, path: str, line: str, contract: str) -> None:
    shutil.copytree(ROOT / "outreach_tui", tmp_path / "outreach_tui")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / path
    target.write_text(target.read_text(encoding="utf-8") + "\n" + line + "\n", encoding="utf-8")

    result = _lint_imports(tmp_path)

    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{contract} BROKEN" in result.stdout

"""The layer rules of DESIGN.md, checked by importing each package in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

# Imports every module of a package, then reports which outreach_tui packages got loaded.
_PROBE = textwrap.dedent(
    """
    import importlib, pkgutil, sys

    class Blocker:
        def find_spec(self, name, path=None, target=None):
            if name == "textual" or name.startswith("textual."):
                raise ImportError(f"{{name}} imported from a headless layer")
            return None

    if {block_textual!r}:
        sys.meta_path.insert(0, Blocker())
    package = importlib.import_module({package!r})
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(info.name)
    loaded = sorted({{m.split(".")[1] for m in sys.modules if m.startswith("outreach_tui.")}})
    print(" ".join(loaded))
    """
)


def _loaded_layers(package: str, *, block_textual: bool) -> set[str]:
    code = _PROBE.format(package=package, block_textual=block_textual)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return set(result.stdout.split())


@pytest.mark.parametrize("layer", ["core", "api", "store", "sync"])
def test_headless_layers_never_import_textual(layer: str) -> None:
    _loaded_layers(f"outreach_tui.{layer}", block_textual=True)


def test_simulator_imports_nothing_from_the_client_side() -> None:
    loaded = _loaded_layers("outreach_tui.simulator", block_textual=True)
    assert not loaded & {"api", "store", "sync", "ui", "commands"}, loaded


@pytest.mark.parametrize(
    ("layer", "forbidden"),
    [
        ("core", {"api", "store", "sync", "ui", "simulator"}),
        ("api", {"store", "sync", "ui", "simulator"}),
        ("store", {"sync", "ui", "simulator"}),
        ("sync", {"ui", "simulator"}),
    ],
)
def test_imports_point_down_only(layer: str, forbidden: set[str]) -> None:
    loaded = _loaded_layers(f"outreach_tui.{layer}", block_textual=True)
    assert not loaded & forbidden, loaded

"""CLI handlers: `tui` (not built yet)."""

from __future__ import annotations

import argparse

from outreach_tui.commands import CommandError


def run_tui(args: argparse.Namespace) -> int:
    """Not built yet."""
    raise CommandError("this command is not built yet")


def run_demo(args: argparse.Namespace) -> int:
    """Not built yet."""
    raise CommandError("this command is not built yet")

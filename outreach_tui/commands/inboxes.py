"""CLI handlers: `inboxes` (not built yet)."""

from __future__ import annotations

import argparse

from outreach_tui.commands import CommandError


def missing_subcommand(args: argparse.Namespace) -> int:
    """Not built yet."""
    raise CommandError("this command is not built yet")


def list_inboxes(args: argparse.Namespace) -> int:
    """Not built yet."""
    raise CommandError("this command is not built yet")


def check_inboxes(args: argparse.Namespace) -> int:
    """Not built yet."""
    raise CommandError("this command is not built yet")

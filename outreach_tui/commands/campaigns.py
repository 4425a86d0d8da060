"""CLI handlers: `campaigns` (not built yet)."""

from __future__ import annotations

import argparse

from outreach_tui.commands import CommandError


def missing_subcommand(args: argparse.Namespace) -> int:
    """Not built yet."""
    raise CommandError("this command is not built yet")


def list_campaigns(args: argparse.Namespace) -> int:
    """Not built yet."""
    raise CommandError("this command is not built yet")


def show_campaign(args: argparse.Namespace) -> int:
    """Not built yet."""
    raise CommandError("this command is not built yet")

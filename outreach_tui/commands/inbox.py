"""CLI handlers: `inbox` (not built yet)."""

from __future__ import annotations

import argparse

from outreach_tui.commands import CommandError


def missing_subcommand(args: argparse.Namespace) -> int:
    """Not built yet."""
    raise CommandError("this command is not built yet")


def list_conversations(args: argparse.Namespace) -> int:
    """Not built yet."""
    raise CommandError("this command is not built yet")


def show_conversation(args: argparse.Namespace) -> int:
    """Not built yet."""
    raise CommandError("this command is not built yet")


def label_conversations(args: argparse.Namespace) -> int:
    """Not built yet."""
    raise CommandError("this command is not built yet")


def mark_read(args: argparse.Namespace) -> int:
    """Not built yet."""
    raise CommandError("this command is not built yet")


def mark_unread(args: argparse.Namespace) -> int:
    """Not built yet."""
    raise CommandError("this command is not built yet")


def reply(args: argparse.Namespace) -> int:
    """Not built yet."""
    raise CommandError("this command is not built yet")

"""Handlers for the CLI commands; `outreach_tui.cli` parses arguments and dispatches here.

Each handler takes the parsed `argparse.Namespace` and returns the exit code. A handler
reports an expected failure by raising `CommandError`: the CLI prints its message as one
line on stderr and exits with its code.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_CHECK_FOUND_PROBLEMS = 3


class CommandError(Exception):
    """An expected failure of a command, shown to the user as one line."""

    def __init__(self, message: str, exit_code: int = EXIT_FAILURE) -> None:
        super().__init__(message)
        self.exit_code = exit_code

"""Seeing through exception groups: anyio's task groups wrap the error that matters.

httpx on the anyio backend connects inside a task group, so a socket error can arrive as
"unhandled errors in a TaskGroup (1 sub-exception)". Whoever explains an error to the user
wants the first real one inside.
"""

from __future__ import annotations


def first_error(error: BaseException) -> BaseException:
    """The first leaf of a (possibly nested) exception group; `error` itself otherwise."""
    while isinstance(error, BaseExceptionGroup) and error.exceptions:
        error = error.exceptions[0]
    return error

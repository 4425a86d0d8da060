"""What one attempt meets on the wire: the request, capped bodies, and errors from answers.

`ErrorMapper` turns an httpx exception or an error status into the client's own errors,
scrubbing the API key out of every text it quotes; the body readers enforce the size
caps (counted after decompression, so a gzip bomb stops at the cap too). `save_body`
streams a download into a file without ever replacing one (see there).
"""

from __future__ import annotations

import errno
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import anyio
import httpx

from outreach_tui.api.errors import (
    ApiStatusError,
    MalformedResponseError,
    NetworkError,
    RateLimitedError,
    ReachkitError,
    one_line,
    scrub,
    status_error_class,
)
from outreach_tui.api.models.common import Page
from outreach_tui.api.parsing import parse_error_body
from outreach_tui.api.ratelimit import parse_retry_after
from outreach_tui.api.retries import RequestKind
from outreach_tui.core.filenames import numbered_names

PART_SUFFIX = ".part"
# Exclusive create: fails with FileExistsError on any existing name, symlinks included
# (O_EXCL never follows one), so a file is only ever written by the save that made it.
_EXCLUSIVE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


@dataclass(slots=True)
class ApiRequest:
    """One logical request (possibly sent several times): the same headers every attempt."""

    method: str
    path: str
    kind: RequestKind
    params: dict[str, Any] | None = None
    json: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class AttachmentDownload:
    """Where an attachment was saved, its size in bytes and the server's content type."""

    path: Path
    size: int
    content_type: str | None


class BodyTooLarge(Exception):
    """A body went over its size cap (raised by the readers, mapped by the session)."""


@dataclass(frozen=True, slots=True)
class ErrorMapper:
    """Builds the client's errors from what the wire gave, never quoting `secret`."""

    secret: str

    def mentions_secret(self, exc: BaseException) -> bool:
        """Whether the text of `exc` or of anything chained to it shows the secret."""
        seen: set[int] = set()
        current: BaseException | None = exc
        while current is not None and id(current) not in seen:
            seen.add(id(current))
            if self.secret in str(current) or self.secret in repr(current):
                return True
            current = current.__cause__ or current.__context__
        return False

    def raise_from(self, error: ReachkitError, cause: BaseException) -> NoReturn:
        """Raise `error` chained to `cause`, unless the cause's text shows the secret."""
        if self.mentions_secret(cause):
            raise error from None
        raise error from cause

    def network(
        self, request: ApiRequest, exc: BaseException, *, reading_body: bool = False
    ) -> NetworkError:
        """A NetworkError for an exception raised while sending or reading."""
        never_sent = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
        if isinstance(exc, httpx.ConnectTimeout):
            what = "connection timed out"
        elif isinstance(exc, httpx.ConnectError):
            what = "could not connect"
        elif isinstance(exc, httpx.PoolTimeout):
            what = "no free connection"
        elif isinstance(exc, httpx.TimeoutException):
            what = "timed out waiting for the answer"
        elif reading_body:
            what = "answer cut short"
        else:
            what = "connection dropped"
        detail = one_line(scrub(str(exc), self.secret), 80) or type(exc).__name__
        return NetworkError(
            f"{what} ({detail})",
            method=request.method,
            path=request.path,
            may_have_reached_server=not never_sent,
        )

    def status(
        self,
        request: ApiRequest,
        response: httpx.Response,
        raw: bytes,
        retry_after: float | None,
    ) -> ApiStatusError:
        """The error for a non-2xx answer, with the server's message and details."""
        status = response.status_code
        if 300 <= status < 400:
            message: str | None = "unexpected redirect (not followed)"
            details: dict[str, Any] = {}
        else:
            message, details = parse_error_body(raw)
        common: dict[str, Any] = {
            "status_code": status,
            "method": request.method,
            "path": request.path,
            "server_message": scrub(message, self.secret),
            "details": scrub(details, self.secret),
        }
        error_class = status_error_class(status)
        if error_class is RateLimitedError:
            if retry_after is None:
                retry_after = parse_retry_after(response.headers.get("retry-after"))
            return RateLimitedError(retry_after=retry_after, **common)
        return error_class(**common)

    def malformed(
        self, request: ApiRequest, response: httpx.Response, reason: str, *, transient: bool = True
    ) -> MalformedResponseError:
        """A MalformedResponseError for an unusable success body."""
        return MalformedResponseError(
            scrub(reason, self.secret),
            method=request.method,
            path=request.path,
            status_code=response.status_code,
            transient=transient,
        )

    def scrub_skipped(self, result: Any) -> Any:
        """A page's skip reasons quote server data, which ends up in sync logs: scrub them."""
        if isinstance(result, Page) and result.skipped:
            result.skipped = [
                record.model_copy(
                    update={
                        "id": scrub(record.id, self.secret),
                        "reason": scrub(record.reason, self.secret),
                    }
                )
                for record in result.skipped
            ]
        return result


async def iter_body(
    request: ApiRequest, response: httpx.Response, cap: int, errors: ErrorMapper
) -> AsyncIterator[bytes]:
    """The body's chunks; BodyTooLarge past `cap`, NetworkError when it is cut short."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise BodyTooLarge
    total = 0
    chunks = response.aiter_bytes()
    while True:
        try:
            chunk = await anext(chunks)
        except StopAsyncIteration:
            return
        except Exception as exc:  # a cut body surfaces as many exception types
            errors.raise_from(errors.network(request, exc, reading_body=True), exc)
        total += len(chunk)
        if total > cap:
            raise BodyTooLarge
        yield chunk


async def read_body(
    request: ApiRequest, response: httpx.Response, cap: int, errors: ErrorMapper
) -> bytes:
    """The whole body, at most `cap` bytes."""
    return b"".join([chunk async for chunk in iter_body(request, response, cap, errors)])


def create_exclusive(wanted: Path) -> tuple[int, Path]:
    """Create (mode 0600) the first free name of `wanted`, `wanted (1)`, …; (fd, path).

    Each name is tried with O_EXCL, so a name another save or process took between any
    check and this call is skipped, never truncated.
    """
    for candidate in numbered_names(wanted):
        try:
            return os.open(candidate, _EXCLUSIVE, 0o600), candidate
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free file name", str(wanted))


def publish(part: Path, wanted: Path) -> Path:
    """Give the finished `part` file the first free name of `wanted`, … ; return it.

    `os.link` fails with FileExistsError where `os.replace` would replace, so an existing
    file (someone else's, or a parallel save's) is never touched. Where the file system has
    no hard links, the final name is first created empty and exclusively (so it is ours),
    then the part is moved onto that file.
    """
    for candidate in numbered_names(wanted):
        try:
            os.link(part, candidate)
        except FileExistsError:
            continue
        except OSError:  # no hard links here (FAT, some network shares)
            handle, final = create_exclusive(wanted)
            os.close(handle)
            os.replace(part, final)
            return final
        os.unlink(part)
        return candidate
    raise FileExistsError(errno.EEXIST, "no free file name", str(wanted))


async def save_body(
    request: ApiRequest,
    response: httpx.Response,
    destination: Path,
    cap: int,
    errors: ErrorMapper,
) -> AttachmentDownload:
    """Stream the body into `destination`, or the next free name if that one is taken.

    The body goes to `.NAME.part` beside it (created exclusively, private 0600); when
    complete it is published under `destination` or `name (1).ext`, `name (2).ext`, …
    without replacing any file, and the returned `path` says which. Parallel saves of one
    name therefore each get a file of their own. On any failure the part file is removed;
    no other file is created or changed.
    """
    handle, part = await anyio.to_thread.run_sync(
        create_exclusive, destination.with_name(f".{destination.name}{PART_SUFFIX}")
    )
    size = 0
    try:
        async with await anyio.open_file(handle, "wb") as out:
            async for chunk in iter_body(request, response, cap, errors):
                await out.write(chunk)
                size += len(chunk)
        final = await anyio.to_thread.run_sync(publish, part, destination)
    except BodyTooLarge:
        await anyio.Path(part).unlink(missing_ok=True)
        raise errors.malformed(
            request, response, f"attachment over {cap} bytes", transient=False
        ) from None
    except BaseException:
        await anyio.Path(part).unlink(missing_ok=True)
        raise
    return AttachmentDownload(
        path=final, size=size, content_type=response.headers.get("content-type")
    )

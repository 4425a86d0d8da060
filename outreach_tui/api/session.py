"""The HTTP session under every endpoint: one httpx.AsyncClient, pacing, retries, errors.

`ApiSession._call` is the single path a request takes: validate headers, pace, send,
read the body under a size cap, map the answer to a model or to an error, and retry
what is safe to retry. Endpoint mixins (conversations.py, campaigns.py, ...) only
describe requests.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, NoReturn, Self, TypeVar

import anyio
import httpx
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt

from outreach_tui import __version__
from outreach_tui.api.base_url import api_root
from outreach_tui.api.errors import (
    ApiStatusError,
    MalformedResponseError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    ReachkitError,
    RequestValidationError,
    UncertainWriteError,
    one_line,
    scrub,
    status_error_class,
)
from outreach_tui.api.models.common import Page
from outreach_tui.api.parsing import BodyError, parse_error_body
from outreach_tui.api.ratelimit import RateLimitStatus, RequestPacer, parse_retry_after
from outreach_tui.api.retries import RequestKind, RetryPolicy, outcome_unknown

T = TypeVar("T")

log = logging.getLogger("outreach_tui.api")

USER_AGENT = f"outreach-tui/{__version__}"
DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024
DEFAULT_MAX_DOWNLOAD_BYTES = 100 * 1024 * 1024
_ERROR_BODY_CAP = 64 * 1024
_HEADER_SAFE = re.compile(r"[\x21-\x7e]{1,4096}")


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


class _TooLarge(Exception):
    pass


class ApiSession:
    """Transport, pacing, retries and error mapping shared by every endpoint.

    Use `ReachkitClient` (which adds the endpoints) as an async context manager.
    """

    def __init__(
        self,
        *,
        base_url: str,
        api_key: str,
        transport: httpx.AsyncBaseTransport | None = None,
        requests_per_minute: int | None = 60,
        max_concurrency: int = 4,
        connect_timeout: float = 5.0,
        read_timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        max_download_bytes: int = DEFAULT_MAX_DOWNLOAD_BYTES,
    ) -> None:
        if not isinstance(api_key, str) or not _HEADER_SAFE.fullmatch(api_key[:4097]):
            # Never echo the key: say what is wrong with it, not what it is.
            raise RequestValidationError(
                "API key is empty or has characters an HTTP header cannot carry", field="api_key"
            )
        self._api_key = api_key
        self._root = api_root(base_url)
        self._retry = retry or RetryPolicy()
        self._max_response_bytes = max_response_bytes
        self._max_download_bytes = max_download_bytes
        self._pacer = RequestPacer(
            requests_per_minute=requests_per_minute,
            max_concurrency=max_concurrency,
            max_pause=self._retry.max_retry_after,
        )
        self._http = httpx.AsyncClient(
            base_url=self._root,
            transport=transport,
            headers={
                "Authorization": f"Bearer {api_key}",
                "User-Agent": USER_AGENT,
                "Accept": "application/json",
            },
            timeout=httpx.Timeout(
                connect=connect_timeout, read=read_timeout, write=read_timeout, pool=connect_timeout
            ),
            limits=httpx.Limits(
                max_connections=max_concurrency, max_keepalive_connections=max_concurrency
            ),
            follow_redirects=False,  # a redirect elsewhere must never carry the key
        )

    # --- lifecycle ---------------------------------------------------------------------------

    async def __aenter__(self) -> Self:
        await self._http.__aenter__()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._http.__aexit__(exc_type, exc, tb)

    async def aclose(self) -> None:
        """Close the connection pool (what leaving the `async with` block does)."""
        await self._http.aclose()

    @property
    def base_url(self) -> str:
        """The API root requests go to, e.g. "https://host/api/v1/"."""
        return str(self._root)

    @property
    def rate_limit(self) -> RateLimitStatus:
        """The current request budget as the server and the local pacer see it."""
        return self._pacer.status()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    # --- the one path every request takes -----------------------------------------------------

    async def _call(
        self,
        method: str,
        path: str,
        *,
        kind: RequestKind,
        parse: Callable[[bytes], T],
        params: dict[str, Any] | None = None,
        json: Any = None,
        idempotency_key: str | None = None,
        gone_is_done: bool = False,
    ) -> T:
        """Send a request with retries and return `parse(body)`.

        Writes carry an Idempotency-Key (the caller's, else a fresh one) that stays the
        same on every attempt. With `gone_is_done` (DELETE), a 404 after an attempt whose
        outcome was unknown means the earlier attempt worked, and counts as success.
        """
        request = ApiRequest(method=method, path=path, kind=kind, params=params, json=json)
        if method != "GET":
            key = idempotency_key if idempotency_key is not None else uuid.uuid4().hex
            if len(key) > 255 or not _HEADER_SAFE.fullmatch(key):
                raise RequestValidationError(
                    "idempotency key must be 1-255 printable ASCII characters",
                    field="idempotency_key",
                )
            request.idempotency_key = key
            request.headers["Idempotency-Key"] = key
        policy = self._retry
        earlier_outcome_unknown = False
        retrying = AsyncRetrying(
            stop=stop_after_attempt(policy.attempts(kind)),
            wait=policy.wait,
            retry=retry_if_exception(lambda error: policy.should_retry(kind, error)),
            before_sleep=lambda state: self._log_retry(request, state.outcome),
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                try:
                    return await self._exchange(
                        request, lambda response: self._parse_body(request, response, parse)
                    )
                except NotFoundError:
                    if gone_is_done and earlier_outcome_unknown:
                        return parse(b"")
                    raise
                except ReachkitError as error:
                    if outcome_unknown(error):
                        if kind is RequestKind.CREATE:
                            assert request.idempotency_key is not None
                            raise UncertainWriteError(
                                error, idempotency_key=request.idempotency_key
                            ) from error
                        earlier_outcome_unknown = True
                    raise
        raise AssertionError("tenacity ended without a result or an error")  # pragma: no cover

    async def _download(self, path: str, destination: Path) -> AttachmentDownload:
        """Stream a binary answer into `destination` via a temp file renamed on success."""
        destination = Path(destination)
        if not await anyio.Path(destination.parent).is_dir():
            raise RequestValidationError("download folder does not exist", field="destination")
        request = ApiRequest(method="GET", path=path, kind=RequestKind.READ)
        policy = self._retry
        retrying = AsyncRetrying(
            stop=stop_after_attempt(policy.attempts(RequestKind.READ)),
            wait=policy.wait,
            retry=retry_if_exception(lambda error: policy.should_retry(RequestKind.READ, error)),
            before_sleep=lambda state: self._log_retry(request, state.outcome),
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                return await self._exchange(
                    request, lambda response: self._save_body(request, response, destination)
                )
        raise AssertionError("tenacity ended without a result or an error")  # pragma: no cover

    # --- one attempt ---------------------------------------------------------------------------

    async def _exchange(
        self,
        request: ApiRequest,
        consume: Callable[[httpx.Response], Awaitable[T]],
    ) -> T:
        """Send once, under the pacer; map error statuses; hand a 2xx answer to `consume`."""
        http_request = self._http.build_request(
            request.method,
            request.path,
            params=request.params,
            json=request.json,
            headers=request.headers,
        )
        async with self._pacer.slot():
            started = time.perf_counter()
            try:
                response = await self._http.send(http_request, stream=True)
            except Exception as exc:  # an in-process ASGI app's crash surfaces as anything
                self._raise(self._network_error(request, exc), exc)
            try:
                retry_after = self._pacer.observe(response.status_code, response.headers)
                log.debug(
                    "%s %s -> %d (%.0f ms)",
                    request.method,
                    request.path,
                    response.status_code,
                    (time.perf_counter() - started) * 1000,
                )
                if not 200 <= response.status_code < 300:
                    raw = b""
                    with contextlib.suppress(ReachkitError, _TooLarge):  # the status says enough
                        raw = await self._read_body(request, response, _ERROR_BODY_CAP)
                    raise self._status_error(request, response, raw, retry_after)
                return await consume(response)
            finally:
                await response.aclose()

    async def _iter_body(
        self, request: ApiRequest, response: httpx.Response, cap: int
    ) -> AsyncIterator[bytes]:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise _TooLarge
        total = 0
        chunks = response.aiter_bytes()
        while True:
            try:
                chunk = await anext(chunks)
            except StopAsyncIteration:
                return
            except Exception as exc:  # a cut body surfaces as many exception types
                self._raise(self._network_error(request, exc, reading_body=True), exc)
            total += len(chunk)
            if total > cap:
                raise _TooLarge
            yield chunk

    async def _read_body(self, request: ApiRequest, response: httpx.Response, cap: int) -> bytes:
        return b"".join([chunk async for chunk in self._iter_body(request, response, cap)])

    async def _parse_body(
        self, request: ApiRequest, response: httpx.Response, parse: Callable[[bytes], T]
    ) -> T:
        try:
            raw = await self._read_body(request, response, self._max_response_bytes)
        except _TooLarge:
            raise self._malformed(
                request, response, f"body over {self._max_response_bytes} bytes", transient=False
            ) from None
        try:
            result = parse(raw)
        except BodyError as exc:
            raise self._malformed(request, response, exc.reason) from None
        if isinstance(result, Page) and result.skipped:
            # Skip reasons quote the server's data, which ends up in sync logs.
            result.skipped = [
                record.model_copy(
                    update={
                        "id": scrub(record.id, self._api_key),
                        "reason": scrub(record.reason, self._api_key),
                    }
                )
                for record in result.skipped
            ]
        return result

    async def _save_body(
        self, request: ApiRequest, response: httpx.Response, destination: Path
    ) -> AttachmentDownload:
        # mkstemp: a fresh private file next to the target, so the rename is atomic.
        handle, temp_name = tempfile.mkstemp(
            dir=destination.parent, prefix=f".{destination.name}.", suffix=".part"
        )
        temp = anyio.Path(temp_name)
        size = 0
        try:
            async with await anyio.open_file(handle, "wb") as out:
                async for chunk in self._iter_body(request, response, self._max_download_bytes):
                    await out.write(chunk)
                    size += len(chunk)
            await anyio.to_thread.run_sync(os.replace, temp_name, destination)
        except _TooLarge:
            await temp.unlink(missing_ok=True)
            raise self._malformed(
                request,
                response,
                f"attachment over {self._max_download_bytes} bytes",
                transient=False,
            ) from None
        except BaseException:
            await temp.unlink(missing_ok=True)
            raise
        return AttachmentDownload(
            path=destination, size=size, content_type=response.headers.get("content-type")
        )

    # --- errors --------------------------------------------------------------------------------

    def _mentions_key(self, exc: BaseException) -> bool:
        seen: set[int] = set()
        current: BaseException | None = exc
        while current is not None and id(current) not in seen:
            seen.add(id(current))
            if self._api_key in str(current) or self._api_key in repr(current):
                return True
            current = current.__cause__ or current.__context__
        return False

    def _raise(self, error: ReachkitError, cause: BaseException) -> NoReturn:
        """Raise `error`, chained to `cause` unless the cause's text shows the key."""
        if self._mentions_key(cause):
            raise error from None
        raise error from cause

    def _network_error(
        self, request: ApiRequest, exc: BaseException, *, reading_body: bool = False
    ) -> NetworkError:
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
        detail = one_line(scrub(str(exc), self._api_key), 80) or type(exc).__name__
        return NetworkError(
            f"{what} ({detail})",
            method=request.method,
            path=request.path,
            may_have_reached_server=not never_sent,
        )

    def _status_error(
        self,
        request: ApiRequest,
        response: httpx.Response,
        raw: bytes,
        retry_after: float | None,
    ) -> ApiStatusError:
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
            "server_message": scrub(message, self._api_key),
            "details": scrub(details, self._api_key),
        }
        error_class = status_error_class(status)
        if error_class is RateLimitedError:
            if retry_after is None:
                retry_after = parse_retry_after(response.headers.get("retry-after"))
            return RateLimitedError(retry_after=retry_after, **common)
        return error_class(**common)

    def _malformed(
        self, request: ApiRequest, response: httpx.Response, reason: str, *, transient: bool = True
    ) -> MalformedResponseError:
        return MalformedResponseError(
            scrub(reason, self._api_key),
            method=request.method,
            path=request.path,
            status_code=response.status_code,
            transient=transient,
        )

    def _log_retry(self, request: ApiRequest, outcome: Any) -> None:
        error = outcome.exception() if outcome is not None else None
        log.info(
            "retrying %s %s after %s",
            request.method,
            request.path,
            error.message if isinstance(error, ReachkitError) else type(error).__name__,
        )

"""The HTTP session under every endpoint: one httpx.AsyncClient, pacing, retries, errors.

`ApiSession._call` is the single path a request takes: validate headers, pace, send,
read the body under a size cap, map the answer to a model or to an error, and retry
what is safe to retry. Endpoint mixins (conversations.py, campaigns.py, ...) only
describe requests.
"""

from __future__ import annotations

import contextlib
import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar

import anyio
import httpx
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt

from outreach_tui import __version__
from outreach_tui.api.base_url import api_root
from outreach_tui.api.errors import (
    NotFoundError,
    ReachkitError,
    RequestValidationError,
    UncertainWriteError,
)
from outreach_tui.api.pace import DEFAULT_START_RATE
from outreach_tui.api.parsing import BodyError
from outreach_tui.api.ratelimit import RateLimitStatus, RequestPacer
from outreach_tui.api.retries import RequestKind, RetryPolicy, outcome_unknown
from outreach_tui.api.wire import (
    ApiRequest,
    AttachmentDownload,
    BodyTooLarge,
    ErrorMapper,
    read_body,
    save_body,
)
from outreach_tui.core.exception_groups import first_error

T = TypeVar("T")

log = logging.getLogger("outreach_tui.api")

USER_AGENT = f"outreach-tui/{__version__}"
DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024
DEFAULT_MAX_DOWNLOAD_BYTES = 100 * 1024 * 1024
_ERROR_BODY_CAP = 64 * 1024
_HEADER_SAFE = re.compile(r"[\x21-\x7e]{1,4096}")


def _trust_env_for(root: httpx.URL) -> bool:
    """Whether the client may take proxies (and TLS settings) from the environment.

    Plain http is only allowed to loopback (see base_url.py), and that promise must hold
    whatever the environment says: with HTTP_PROXY / ALL_PROXY set, httpx would send the
    request, Authorization header included, in clear to the proxy. So an http root never
    trusts the environment: no proxy, ever. Over https the key travels inside the TLS
    tunnel a proxy only CONNECTs through, so corporate proxies are honoured there.
    """
    return root.scheme == "https"


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
        requests_per_minute: int | None = None,
        start_rate: float | None = DEFAULT_START_RATE,
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
        self._errors = ErrorMapper(secret=api_key)
        self._root = api_root(base_url)
        self._retry = retry or RetryPolicy()
        self._max_response_bytes = max_response_bytes
        self._max_download_bytes = max_download_bytes
        self._pacer = RequestPacer(
            requests_per_minute=requests_per_minute,
            start_rate=start_rate,
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
            trust_env=_trust_env_for(self._root),
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

    @property
    def pacer(self) -> RequestPacer:
        """The pacer every request of this client goes through (the sync engine reads
        what it learned and hands it the pace an earlier run learned)."""
        return self._pacer

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
        earlier_outcome_unknown = False
        async for attempt in self._retrying(request):
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
        """Stream a binary answer into `destination` (or the next free name) via a part
        file published on success, never replacing a file (`wire.save_body`)."""
        destination = Path(destination)
        if not await anyio.Path(destination.parent).is_dir():
            raise RequestValidationError("download folder does not exist", field="destination")
        request = ApiRequest(method="GET", path=path, kind=RequestKind.READ)
        async for attempt in self._retrying(request):
            with attempt:
                return await self._exchange(
                    request,
                    lambda response: save_body(
                        request, response, destination, self._max_download_bytes, self._errors
                    ),
                )
        raise AssertionError("tenacity ended without a result or an error")  # pragma: no cover

    def _retrying(self, request: ApiRequest) -> AsyncRetrying:
        """Tenacity's loop for `request`: its kind decides what is retried and how often."""
        policy = self._retry
        return AsyncRetrying(
            stop=stop_after_attempt(policy.attempts(request.kind)),
            wait=policy.wait,
            retry=retry_if_exception(lambda error: policy.should_retry(request.kind, error)),
            before_sleep=lambda state: self._log_retry(request, state.outcome),
            reraise=True,
        )

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
        async with self._pacer.slot() as ticket:
            started = time.perf_counter()
            try:
                response = await self._http.send(http_request, stream=True)
            except Exception as exc:  # an in-process ASGI app's crash surfaces as anything
                # Classified by the error inside a task group's wrapper: a ConnectError
                # wrapped in an ExceptionGroup still means "never sent".
                cause = first_error(exc)
                self._errors.raise_from(self._errors.network(request, cause), exc)
            try:
                retry_after = self._pacer.observe(response.status_code, response.headers, ticket)
                log.debug(
                    "%s %s -> %d (%.0f ms)",
                    request.method,
                    request.path,
                    response.status_code,
                    (time.perf_counter() - started) * 1000,
                )
                if not 200 <= response.status_code < 300:
                    raw = b""
                    with contextlib.suppress(ReachkitError, BodyTooLarge):  # status says enough
                        raw = await read_body(request, response, _ERROR_BODY_CAP, self._errors)
                    raise self._errors.status(request, response, raw, retry_after)
                return await consume(response)
            finally:
                await response.aclose()

    async def _parse_body(
        self, request: ApiRequest, response: httpx.Response, parse: Callable[[bytes], T]
    ) -> T:
        cap = self._max_response_bytes
        try:
            raw = await read_body(request, response, cap, self._errors)
        except BodyTooLarge:
            raise self._errors.malformed(
                request, response, f"body over {cap} bytes", transient=False
            ) from None
        try:
            result = parse(raw)
        except BodyError as exc:
            raise self._errors.malformed(
                request, response, exc.reason, transient=exc.transient
            ) from None
        return self._errors.scrub_skipped(result)  # type: ignore[no-any-return]

    def _log_retry(self, request: ApiRequest, outcome: Any) -> None:
        error = outcome.exception() if outcome is not None else None
        log.info(
            "retrying %s %s after %s",
            request.method,
            request.path,
            error.message if isinstance(error, ReachkitError) else type(error).__name__,
        )

"""Nobody without the token gets in: every HTTP and websocket request of `serve` is checked,
and a refused one starts nothing."""

from __future__ import annotations

import asyncio
import signal

import aiohttp
import pytest

from tests.serve.conftest import DEMO, Served, StartServe, read_app_output, wait_until

WRONG = "x" * 43  # as long as a real token: only the content differs


@pytest.fixture
def served(start_serve: StartServe) -> Served:
    return start_serve(DEMO)


async def _get(url: str, headers: dict[str, str] | None = None) -> aiohttp.ClientResponse:
    async with aiohttp.ClientSession() as session:
        response = await session.get(url, headers=headers, allow_redirects=False)
        await response.read()
        return response


async def test_http_requests_without_the_token_are_refused_and_start_nothing(
    served: Served,
) -> None:
    base = served.base
    attempts = [
        (f"{base}/", None),
        (f"{base}/static/js/textual.js", None),
        (f"{base}/static/css/xterm.css", None),
        (f"{base}/ws", None),  # a plain GET of the websocket path
        (f"{base}/no-such-page", None),
        (f"{base}/?token=", None),
        (f"{base}/?token={WRONG}", None),
        (f"{base}/?token={served.token[:-1]}", None),  # all but the last character
        (f"{base}/", served.cookie(WRONG)),
        (f"{base}/static/js/textual.js", served.cookie(WRONG)),
        # a wrong token in the URL is refused even when the cookie is right
        (f"{base}/?token={WRONG}", served.cookie()),
    ]
    for url, headers in attempts:
        response = await _get(url, headers)
        assert response.status == 403, (url.replace(served.token, "<token>"), headers)
        assert "set-cookie" not in response.headers

    assert served.app_pids() == []


@pytest.mark.parametrize(
    "how",
    ["no token", "wrong token in the URL", "wrong cookie", "right cookie, another site's page"],
)
async def test_a_websocket_without_the_token_is_refused_with_403_and_starts_nothing(
    served: Served, how: str
) -> None:
    url, headers, origin = served.ws_url, {}, None
    if how == "wrong token in the URL":
        url += f"?token={WRONG}"
    elif how == "wrong cookie":
        headers = served.cookie(WRONG)
    elif how.startswith("right cookie"):
        headers, origin = served.cookie(), "http://evil.example"

    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await session.ws_connect(url, headers=headers, origin=origin)
    assert refused.value.status == 403

    await asyncio.sleep(0.5)  # a process started by mistake would show by now
    assert served.app_pids() == []


async def test_the_printed_url_sets_a_strict_httponly_cookie_for_the_page_assets(
    served: Served,
) -> None:
    page = await _get(served.url)
    assert page.status == 200
    assert "textual.js" in await page.text()
    cookie = page.headers["Set-Cookie"]
    assert cookie.startswith(f"outreach_tui_serve_{served.port}={served.token};")
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]

    for path in ("/", "/static/js/textual.js", "/static/css/xterm.css"):
        assert (await _get(served.base + path, served.cookie())).status == 200, path
    assert served.app_pids() == []


async def test_the_token_is_printed_once_and_never_logged(served: Served) -> None:
    await _get(served.url)
    await _get(f"{served.base}/?token={WRONG}")
    async with aiohttp.ClientSession() as session:
        websocket = await session.ws_connect(served.ws_url, headers=served.cookie())
        await read_app_output(websocket)
        await websocket.close()
    assert wait_until(lambda: served.app_pids() == [])

    assert served.stop(signal.SIGINT) == 0
    output = served.output()
    assert output.count(served.token) == 1, output.replace(served.token, "<token>")
    assert served.out[0].strip() == served.url
    assert "session 1 started" in output

"""Attachments stream to a temp file beside the target and are renamed only on success."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from outreach_tui.api import (
    MalformedResponseError,
    NetworkError,
    NotFoundError,
    RequestValidationError,
)
from tests.api.factories import MockServer, json_response

CONTENT = bytes(range(256)) * 4000  # ~1 MB of binary


@pytest.fixture
def downloads(tmp_path: Path) -> Path:
    """An empty folder to download into."""
    folder = tmp_path / "downloads"
    folder.mkdir()
    return folder


def _names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def _attachment_server() -> MockServer:
    async def chunks():
        for start in range(0, len(CONTENT), 65536):
            yield CONTENT[start : start + 65536]

    return MockServer(
        lambda r: httpx.Response(
            200,
            content=chunks(),
            headers={
                "content-type": "application/pdf",
                "content-disposition": 'attachment; filename="../../evil.sh"',
            },
        )
    )


async def test_attachment_is_streamed_to_the_chosen_path(downloads: Path) -> None:
    server = _attachment_server()
    target = downloads / "deck.pdf"
    async with server.client() as client:
        result = await client.download_attachment("conv-1", "att-1", target)
    assert target.read_bytes() == CONTENT
    assert (result.path, result.size, result.content_type) == (
        target,
        len(CONTENT),
        "application/pdf",
    )
    assert _names(downloads) == ["deck.pdf"]  # no temp left behind
    assert server.requests[0].url.path == "/api/v1/unibox/conversations/conv-1/attachments/att-1"


async def test_a_cut_download_leaves_no_file_and_keeps_the_old_one(downloads: Path) -> None:
    target = downloads / "deck.pdf"
    target.write_bytes(b"previous version")

    async def cut():
        yield b"x" * 1000
        raise httpx.RemoteProtocolError("peer closed connection")

    server = MockServer(lambda r: httpx.Response(200, content=cut()))
    async with server.client() as client:
        with pytest.raises(NetworkError) as caught:
            await client.download_attachment("conv-1", "att-1", target)
    assert "cut short" in str(caught.value)
    assert target.read_bytes() == b"previous version"
    assert _names(downloads) == ["deck.pdf"]
    assert len(server.requests) == 6  # retried like any read


async def test_a_download_over_the_cap_is_refused(downloads: Path) -> None:
    server = _attachment_server()
    async with server.client(max_download_bytes=100_000) as client:
        with pytest.raises(MalformedResponseError, match="over 100000 bytes"):
            await client.download_attachment("conv-1", "att-1", downloads / "big.bin")
    assert _names(downloads) == []


async def test_a_missing_attachment_is_not_found(downloads: Path) -> None:
    server = MockServer(lambda r: json_response(404, {"error": "Attachment not found"}))
    async with server.client() as client:
        with pytest.raises(NotFoundError, match="Attachment not found"):
            await client.download_attachment("conv-1", "att-9", downloads / "x.pdf")
    assert _names(downloads) == []


async def test_a_missing_folder_is_refused_before_sending(downloads: Path) -> None:
    server = _attachment_server()
    async with server.client() as client:
        with pytest.raises(RequestValidationError):
            await client.download_attachment("c", "a", downloads / "nope" / "x.pdf")
    assert server.requests == []

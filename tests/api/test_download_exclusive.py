"""Saving attachments never replaces a file: parallel saves of one name each get their own.

Each response carries its own content (one byte value repeated), streamed in chunks with a
pause between them so that the saves really are in flight together.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from outreach_tui.api import wire
from outreach_tui.ui.backend.writer_thread import WriterThread
from tests.api.factories import MockServer

CHUNK = 16_384
CHUNKS = 8
SAVES = 10
PREVIOUS = b"the user's own invoice, not to be touched"


def _content(index: int) -> bytes:
    return bytes([index]) * (CHUNK * CHUNKS)


def _server() -> MockServer:
    """Answers the n-th download with `_content(n)`, slowly."""
    counter = itertools.count(1)
    lock = threading.Lock()

    def handler(request: httpx.Request) -> httpx.Response:
        with lock:
            index = next(counter)

        async def chunks() -> AsyncIterator[bytes]:
            body = _content(index)
            for start in range(0, len(body), CHUNK):
                await asyncio.sleep(0.002)
                yield body[start : start + CHUNK]

        return httpx.Response(200, content=chunks(), headers={"content-type": "application/pdf"})

    return MockServer(handler)


@pytest.fixture
def downloads(tmp_path: Path) -> Path:
    """A folder that already holds the user's own `invoice.pdf`."""
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "invoice.pdf").write_bytes(PREVIOUS)
    return folder


def _check_saved(folder: Path, paths: list[Path]) -> None:
    """Every save has its own complete file; the earlier file is untouched; no part left."""
    assert (folder / "invoice.pdf").read_bytes() == PREVIOUS
    assert len(set(paths)) == SAVES
    assert folder / "invoice.pdf" not in paths
    assert sorted(path.name for path in paths) == sorted(
        f"invoice ({n}).pdf" for n in range(1, SAVES + 1)
    )
    contents = sorted(path.read_bytes() for path in paths)
    assert contents == sorted(_content(n) for n in range(1, SAVES + 1))
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["invoice.pdf", *(p.name for p in paths)]
    )  # no .part file, nothing else


async def test_parallel_saves_of_one_name_each_get_a_file(downloads: Path) -> None:
    server = _server()
    async with server.client() as client:
        results = await asyncio.gather(
            *(
                client.download_attachment("conv-1", "att-1", downloads / "invoice.pdf")
                for _ in range(SAVES)
            )
        )
    _check_saved(downloads, [result.path for result in results])
    assert all(result.size == CHUNK * CHUNKS for result in results)


def test_parallel_saves_from_ui_threads_each_get_a_file(downloads: Path, tmp_path: Path) -> None:
    server = _server()
    writer = WriterThread(tmp_path / "cache.db", server.client)
    writer.start()
    try:
        futures: list = []
        barrier = threading.Barrier(SAVES)

        def save() -> None:
            barrier.wait()
            futures.append(writer.download_attachment("conv-1", "att-1", "invoice.pdf", downloads))

        threads = [threading.Thread(target=save) for _ in range(SAVES)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        paths = [future.result(timeout=30) for future in futures]
    finally:
        writer.stop()
    _check_saved(downloads, paths)


def test_a_name_taken_during_the_download_is_not_replaced(
    downloads: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another program creates `report.pdf` after the part file exists, before the
    # publish: the finished download moves on to `report (1).pdf`.
    real_publish = wire.publish

    def publish_after_someone_else(part: Path, wanted: Path) -> Path:
        wanted.write_bytes(b"someone else's")
        return real_publish(part, wanted)

    monkeypatch.setattr(wire, "publish", publish_after_someone_else)
    server = _server()

    async def save() -> Path:
        async with server.client() as client:
            result = await client.download_attachment("c", "a", downloads / "report.pdf")
        return result.path

    path = asyncio.run(save())
    assert path == downloads / "report (1).pdf"
    assert path.read_bytes() == _content(1)
    assert (downloads / "report.pdf").read_bytes() == b"someone else's"
    assert sorted(p.name for p in downloads.iterdir()) == [
        "invoice.pdf",
        "report (1).pdf",
        "report.pdf",
    ]


def test_without_hard_links_the_final_name_is_still_created_exclusively(
    downloads: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        raise PermissionError(1, "Operation not permitted")  # as on FAT / some shares

    monkeypatch.setattr(os, "link", no_links)
    server = _server()

    async def save() -> Path:
        async with server.client() as client:
            result = await client.download_attachment("c", "a", downloads / "invoice.pdf")
        return result.path

    path = asyncio.run(save())
    assert path == downloads / "invoice (1).pdf"
    assert path.read_bytes() == _content(1)
    assert (downloads / "invoice.pdf").read_bytes() == PREVIOUS
    assert sorted(p.name for p in downloads.iterdir()) == ["invoice (1).pdf", "invoice.pdf"]

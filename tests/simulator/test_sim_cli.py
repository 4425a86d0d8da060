"""`outreach-tui simulator` as a real process: prints its URL and key, serves, stops cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import httpx
import pytest


def _start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "outreach_tui", "simulator", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "0"},
    )


def test_simulator_command_serves_on_a_free_port_and_stops_on_sigint() -> None:
    process = _start("--port", "0", "--size", "50", "--seed", "3", "--api-key", "K")
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline().rstrip("\n") for _ in range(3)]
        assert lines[0] == "Reachkit simulator: 50 conversations, seed 3"
        assert lines[1].startswith("Base URL: http://127.0.0.1:")
        assert lines[2] == "API key: K"
        base_url = lines[1].removeprefix("Base URL: ")
        assert not base_url.endswith(":0")
        response = httpx.get(f"{base_url}/api/v1/unibox/conversations", headers={"X-API-Key": "K"})
        assert response.status_code == 200
        assert response.json()["metadata"]["total_count"] == 50
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr


def test_simulator_command_generates_a_key_and_stops_on_sigterm() -> None:
    process = _start("--port", "0", "--size", "5")
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline().rstrip("\n") for _ in range(3)]
        key = lines[2].removeprefix("API key: ")
        assert key and key != lines[2]
        base_url = lines[1].removeprefix("Base URL: ")
        assert httpx.get(f"{base_url}/api/v1/inboxes?api_key={key}").status_code == 200
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0 and "Traceback" not in stderr


@pytest.mark.parametrize(
    "flags", [["--faults", "nonsense"], ["--rate-limit", "5/fortnight"], ["--live", "-1"]]
)
def test_bad_simulator_flags_exit_2_with_one_line(flags: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "outreach_tui", "simulator", "--port", "0", *flags],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == "" and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr

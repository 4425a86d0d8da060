"""`outreach-tui demo` in a real terminal (tmux, 120x40): it shows the inbox, opens a
thread, labels it and quits with q, and with ctrl+q, leaving the terminal as it was (no
alternate screen, no mouse reporting, cursor shown, the shell prompt back).

The app's stderr is not redirected: Textual draws on it. Each run uses its own tmux
server (a socket in the test's temporary folder), so nothing else running tmux is touched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

WIDTH, HEIGHT = 120, 40
PROMPT = "READY>"


class Terminal:
    """A shell in a private tmux server."""

    def __init__(self, home: Path) -> None:
        self.socket = str(home / "tmux.sock")
        self.home = home

    def tmux(self, *args: str) -> str:
        command = ["tmux", "-S", self.socket, "-f", os.devnull, *args]
        return subprocess.run(command, check=True, capture_output=True, text=True).stdout

    def start(self) -> None:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.home),
            "TERM": "xterm-256color",
            "LANG": "C.UTF-8",
            "OUTREACH_TUI_HOME": str(self.home / "outreach"),
        }
        self.tmux(
            "new-session",
            "-d",
            "-x",
            str(WIDTH),
            "-y",
            str(HEIGHT),
            "-s",
            "t",
            *[arg for key, value in env.items() for arg in ("-e", f"{key}={value}")],
            "bash --norc --noprofile",
        )

    def send(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "t", *keys)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "t")

    def flags(self) -> dict[str, str]:
        line = self.tmux(
            "display", "-p", "-t", "t", "#{alternate_on} #{mouse_any_flag} #{cursor_flag}"
        )
        alternate, mouse, cursor = line.split()
        return {"alternate": alternate, "mouse": mouse, "cursor": cursor}

    def wait_for(self, *texts: str, seconds: float = 30) -> str:
        deadline = time.monotonic() + seconds
        shown = ""
        while time.monotonic() < deadline:
            shown = self.screen()
            if all(text in shown for text in texts):
                return shown
            time.sleep(0.1)
        raise AssertionError(f"not on screen: {texts!r}\n{shown}")

    def stop(self) -> None:
        # -S: the socket is a path (-L would name a different, default-folder socket).
        subprocess.run(["tmux", "-S", self.socket, "kill-server"], check=False, capture_output=True)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    term = Terminal(tmp_path)
    term.start()
    yield term
    term.stop()


def _demo_command(exit_marker: str) -> str:
    return f"{sys.executable} -m outreach_tui demo --size 60; echo {exit_marker}=$?"


def test_demo_in_tmux_opens_labels_and_quits_restoring_the_terminal(terminal: Terminal) -> None:
    terminal.send(f"PS1='{PROMPT}'", "Enter")
    terminal.wait_for(PROMPT)
    terminal.send("clear", "Enter")
    terminal.send(_demo_command("FIRST"), "Enter")
    terminal.wait_for(" Primary ", " Others ", " All ", "conversations", "Billing Dept")
    assert terminal.flags()["alternate"] == "1"
    terminal.send("Enter")  # open the first conversation
    terminal.wait_for("URGENT: invoice overdue", "from Billing Dept", "← received")
    terminal.send("l")
    terminal.wait_for("Set label", "Left company")
    terminal.send("1")
    # labelled, and the next conversation opens: one key per decision
    terminal.wait_for("Action required", "from [@click=app.quit]Support")
    terminal.send("Escape")
    screen = terminal.wait_for("Interested*", " Others ", "conversations")
    assert "\x1b" not in screen
    terminal.send("q")
    screen = terminal.wait_for("FIRST=0")
    assert terminal.flags() == {"alternate": "0", "mouse": "0", "cursor": "1"}
    assert "conversations" not in screen  # the shell's own screen is back

    terminal.send("clear", "Enter")
    terminal.send(_demo_command("SECOND"), "Enter")
    terminal.wait_for(" Others ", "conversations", "Billing Dept")
    terminal.send("C-q")
    terminal.wait_for("SECOND=0")
    assert terminal.flags() == {"alternate": "0", "mouse": "0", "cursor": "1"}

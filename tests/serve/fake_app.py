"""A stand-in for an app under Textual's web driver, for `AppProcess` tests.

Run as a script: `fake_app.py obedient|stubborn`. It prints a stray line, the prelude, an
output packet and an `open_url` meta packet, then answers its input: keystroke `r` starts
"another app" (a second prelude), `f` floods the output with 1 MB, a resize meta is
echoed as output, and quit exits (unless stubborn: then it ignores quit and SIGTERM, and
only SIGKILL ends it).
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time


def packet(kind: bytes, payload: bytes) -> None:
    os.write(1, kind + len(payload).to_bytes(4, "big") + payload)


def read_exactly(size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = os.read(0, size - len(data))
        if not chunk:
            sys.exit(0)
        data += chunk
    return data


def main() -> None:
    stubborn = sys.argv[1] == "stubborn"
    if stubborn:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    os.write(1, b"a library's warning before the app starts\n__GANGLION__\n")
    packet(b"D", b"hello from the app")
    packet(b"M", json.dumps({"type": "open_url", "url": "https://example.com/x"}).encode())
    while True:
        kind = read_exactly(1)
        payload = read_exactly(int.from_bytes(read_exactly(4), "big"))
        if kind == b"D" and payload == b"f":  # a flood: far more than a pipe holds
            for _ in range(256):
                packet(b"D", b"x" * 4096)
        elif kind == b"D" and payload == b"r":
            packet(b"M", b'{"type": "exit"}')
            os.write(1, b"__GANGLION__\n")
            packet(b"D", b"another app")
        elif kind == b"M":
            meta = json.loads(payload)
            if meta["type"] == "resize":
                packet(b"D", f"resized {meta['width']}x{meta['height']}".encode())
            elif meta["type"] == "quit":
                if stubborn:
                    time.sleep(0.01)
                    continue
                sys.exit(0)


if __name__ == "__main__":
    main()

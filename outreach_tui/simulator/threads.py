"""Rendering a conversation's seeded messages on demand, deterministically from its seed.

The same conversation always renders the same subjects, bodies, recipients and attachments
(ids included), so nothing but a small LRU cache of recent renders is kept in memory.
Bodies are realistic: greeting, pitch or answer, a signature (sometimes with a logo image),
links, and in replies the previous message quoted Gmail-style.
"""

from __future__ import annotations

import functools
import html
import random
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from outreach_tui.simulator.clock import iso
from outreach_tui.simulator.conversations import Conversation
from outreach_tui.simulator.ids import uuid_from_bits
from outreach_tui.simulator.seeding import hostile, texts
from outreach_tui.simulator.seeding.draws import pick


@dataclass(frozen=True)
class Persona:
    """The sending side of an inbox as it was when the seeded emails went out."""

    email: str
    name: str
    title: str
    company: str


@dataclass(frozen=True)
class _Body:
    html: str
    text: str


@functools.lru_cache(maxsize=4096)
def _escape(text: str) -> str:
    # the same few hundred bank sentences and names come back all the time
    return html.escape(text)


@functools.lru_cache(maxsize=256)
def _signature(persona: Persona, with_logo: bool) -> _Body:
    domain = persona.email.rpartition("@")[2]
    logo = f'<br><img src="https://{domain}/logo.png" alt="{_escape(persona.company)} logo">'
    markup = (
        f"<p>--<br>{_escape(persona.name)}<br>{_escape(persona.title)},"
        f' <a href="https://{domain}">{_escape(persona.company)}</a>'
        f"{logo if with_logo else ''}</p>"
    )
    return _Body(
        markup, f"--\n{persona.name}\n{persona.title}, {persona.company} (https://{domain})"
    )


def _quote(previous: _Body, sender_name: str, sender_email: str, when: int) -> _Body:
    header = f"On {iso(when)}, {sender_name} <{sender_email}> wrote:"
    quoted_text = "\n".join(f"> {line}" for line in previous.text.splitlines())
    markup = (
        f'<div class="gmail_quote"><div>{_escape(header)}</div>'
        f'<blockquote style="margin:0 0 0 .8ex;border-left:1px solid #ccc;padding-left:1ex">'
        f"{previous.html}</blockquote></div>"
    )
    return _Body(markup, f"{header}\n{quoted_text}")


class ThreadRenderer:
    """Renders seeded messages; keeps the most recent renders in an LRU cache."""

    def __init__(self, personas: Mapping[str, Persona], cache_size: int = 2048) -> None:
        self.personas = personas
        self._cache: OrderedDict[str, list[dict[str, Any]]] = OrderedDict()
        self._cache_size = cache_size

    def seeded_messages(self, conv: Conversation) -> list[dict[str, Any]]:
        """The seeded messages of `conv` without their read flags (shared, do not mutate)."""
        cached = self._cache.get(conv.id)
        if cached is not None:
            self._cache.move_to_end(conv.id)
            return cached
        messages = self._render(conv)
        self._cache[conv.id] = messages
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return messages

    def messages(self, conv: Conversation) -> list[dict[str, Any]]:
        """Every message of `conv`, oldest first, as the API shows them."""
        result = []
        for index, message in enumerate(self.seeded_messages(conv)):
            shown = dict(message)
            shown["is_read"] = bool(conv.read_mask >> index & 1)
            result.append(shown)
        for message in conv.extra or ():
            result.append({key: value for key, value in message.items() if key != "_ts"})
        return result

    def _render(self, conv: Conversation) -> list[dict[str, Any]]:
        rng = random.Random(conv.seed)
        persona = self.personas[conv.inbox_id]
        showcase = next((s for s in hostile.SHOWCASES if s.kind == conv.showcase), None)
        peer_first = conv.peer_name.split(" ")[0] if conv.peer_name else "there"
        company = _COMPANY_BY_DOMAIN.get(conv.peer_email.rpartition("@")[2], "your team")
        role = pick(rng, texts.ROLES)
        colleague = f"{pick(rng, texts.FIRST_NAMES)}.{pick(rng, texts.LAST_NAMES)}".lower()
        cc_sometimes = rng.random() < 0.12
        messages: list[dict[str, Any]] = []
        previous: tuple[_Body, str, str, int] | None = None
        first_incoming_done = False
        for index, when in enumerate(conv.dates):
            direction = conv.direction(index)
            if direction == "outgoing":
                own = self._outgoing_body(rng, index, peer_first, company, role, persona)
                sender_name, sender_email = persona.name, persona.email
                to = [{"email": conv.peer_email, "name": conv.peer_name}]
            else:
                own = self._incoming_body(rng, conv, peer_first)
                if showcase is not None and not first_incoming_done:
                    own = self._showcase_body(showcase, own)
                first_incoming_done = True
                sender_name, sender_email = conv.peer_name, conv.peer_email
                to = [{"email": persona.email, "name": persona.name}]
            body = own
            if previous is not None:
                quote = _quote(previous[0], previous[1], previous[2], previous[3])
                body = _Body(f"{own.html}{quote.html}", f"{own.text}\n\n{quote.text}")
            cc = []
            if cc_sometimes and direction == "incoming":
                cc_name = conv.peer_name if conv.showcase == "rtl_override" else colleague
                cc = [
                    {"email": f"{colleague}@{conv.peer_email.rpartition('@')[2]}", "name": cc_name}
                ]
            attachments = self._attachments(rng, conv, direction, index)
            subject = conv.subject if index == 0 else _reply_subject(conv.subject)
            messages.append(
                {
                    "direction": direction,
                    "inbox_id": conv.inbox_id,
                    "subject": subject,
                    "text_body": body.text,
                    "html_body": body.html,
                    "from_email": sender_email,
                    "to_recipients": to,
                    "cc_recipients": cc,
                    "bcc_recipients": [],
                    "email_date": iso(when),
                    "attachments": attachments,
                }
            )
            previous = (own, sender_name, sender_email, when)
        return messages

    def _outgoing_body(
        self,
        rng: random.Random,
        index: int,
        peer_first: str,
        company: str,
        role: str,
        persona: Persona,
    ) -> _Body:
        signature = _signature(persona, with_logo=rng.random() < 0.2)
        domain = persona.email.rpartition("@")[2]
        if index <= 1:
            pitch = pick(rng, texts.PITCHES).format(company=company, role=role)
            cta = pick(rng, texts.CALLS_TO_ACTION)
            link = f"https://{domain}/case-study"
            markup = (
                f"<p>Hi {_escape(peer_first)},</p><p>{_escape(pitch)}"
                f' Here is <a href="{link}">a short case study</a>.</p>'
                f"<p>{_escape(cta)}</p>{signature.html}"
            )
            text = f"Hi {peer_first},\n\n{pitch} Here is a short case study ({link}).\n\n{cta}"
        else:
            line = pick(rng, texts.FOLLOW_UPS)
            link = f"https://cal.{domain}/book"
            markup = (
                f"<p>Hi {_escape(peer_first)},</p><p>{_escape(line)}</p>"
                f'<p><a href="{link}">{link}</a></p>{signature.html}'
            )
            text = f"Hi {peer_first},\n\n{line}\n\n{link}"
        return _Body(markup, f"{text}\n\n{signature.text}")

    def _incoming_body(self, rng: random.Random, conv: Conversation, peer_first: str) -> _Body:
        choices = texts.REPLIES.get(conv.ai_label or "", texts.UNLABELLED_REPLIES)
        line = pick(rng, choices)
        markup = f"<p>{_escape(line)}</p><p>Best,<br>{_escape(peer_first)}</p>"
        return _Body(markup, f"{line}\n\nBest,\n{peer_first}")

    def _showcase_body(self, showcase: hostile.Showcase, default: _Body) -> _Body:
        if showcase.kind == "huge_body":
            markup, text = hostile.huge_body()
            return _Body(markup, text)
        if showcase.body_html is None or showcase.body_text is None:
            return default
        return _Body(showcase.body_html, showcase.body_text)

    def _attachments(
        self, rng: random.Random, conv: Conversation, direction: str, index: int
    ) -> list[dict[str, Any]]:
        # the draws happen for every message so attachments never shift other content
        has_one, kind, size = rng.random(), pick(rng, texts.ATTACHMENT_KINDS), rng.random()
        bits = rng.getrandbits(128)
        if conv.showcase == "path_traversal_attachment" and direction == "incoming":
            return [
                {
                    "id": uuid_from_bits(bits),
                    "filename": hostile.TRAVERSAL_FILENAME,
                    "content_type": "text/plain",
                    "size": len(hostile.TRAVERSAL_CONTENT),
                }
            ]
        if has_one >= 0.07:
            return []
        filename, content_type = kind
        return [
            {
                "id": uuid_from_bits(bits),
                "filename": filename,
                "content_type": content_type,
                "size": 2_000 + int(size * 58_000),
            }
        ]


_COMPANY_BY_DOMAIN = {domain: name for name, domain in texts.COMPANIES}


def _reply_subject(subject: str) -> str:
    return subject if subject[:3].lower() == "re:" else f"Re: {subject}"


_MAGIC = {
    "application/pdf": b"%PDF-1.4\n",
    "image/png": b"\x89PNG\r\n\x1a\n",
    "text/calendar": b"BEGIN:VCALENDAR\r\n",
}


def attachment_bytes(attachment: Mapping[str, Any]) -> bytes:
    """The content of a seeded attachment: deterministic bytes of the advertised size."""
    if attachment["filename"] == hostile.TRAVERSAL_FILENAME:
        return hostile.TRAVERSAL_CONTENT
    size = int(attachment["size"])
    rng = random.Random(attachment["id"])
    if attachment["content_type"].startswith("text/"):
        words = " ".join(pick(rng, texts.PITCHES) for _ in range(size // 40 + 1))
        return words.encode("ascii")[:size].ljust(size, b" ")
    magic = _MAGIC.get(attachment["content_type"], b"PK\x03\x04")
    return magic + rng.randbytes(size - len(magic))

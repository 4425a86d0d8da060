"""A Reachkit server the app has never seen: random but schema-valid answers.

Everything is drawn from one seeded RNG: how many records, odd but valid values (empty
strings, escape sequences, huge numbers, every ISO-8601 flavour, unknown labels and
providers — the reference lists them with "etc." or as open sets), unknown extra fields at
every level, list order, and paging metadata that lies (`total_pages` of 0, 1 or 10**9,
a `total_count` off by any amount, pages repeating past the end). It answers the reads a
sync makes and the writes a push makes, and records every request for the checker in
`reference_endpoints`. It can also slip in record-level invalid items (`invalid_records`).

Use `RandomServer(seed).transport()` in-process, or `.asgi` behind uvicorn.
"""

from __future__ import annotations

import json
import random
import re
import string
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qsl

import httpx

LABELS = (
    "interested",
    "not_interested",
    "needs_more_info",
    "meeting_requested",
    "wrong_person",
    "out_of_office",
    "referral",
    "question",
    "neutral",
    "unsubscribe",
    "left_company",
)
_ODD_TEXT = (
    "",
    " ",
    "Zoë Ångström 👋",
    "\u202eevil.exe\u202c",
    "\x1b[31mred\x1b[0m \x1b]8;;https://evil.test\x07link\x1b]8;;\x07",
    "<b>not markup</b> [bold]rich[/bold]",
    "a" * 5000,
    "line one\nline two\r\n\tend",
    "../../etc/passwd",
    "null",
)


@dataclass
class RecordedRequest:
    """One request as the server saw it."""

    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes


@dataclass
class RandomServer:
    """Seeded random workspace + the paging behaviour of a server nobody documented."""

    seed: int
    invalid_records: bool = False
    requests: list[RecordedRequest] = field(default_factory=list)
    invalid_served: int = 0

    def __post_init__(self) -> None:
        self.rng = random.Random(f"random-server:{self.seed}")
        rng = self.rng
        self.now = datetime(2025, 3, 1, 12, tzinfo=UTC) - timedelta(minutes=rng.randrange(10**5))
        self.order = rng.choice(["desc", "asc", "shuffled", "desc"])
        self.total_pages_mode = rng.choice(["honest", "one", "zero", "huge", "random"])
        self.past_end = rng.choice(["empty", "repeat_last"])
        self.echo_page_size = rng.choice([True, False])
        self.inboxes = [self._inbox(i) for i in range(rng.randrange(0, 8))]
        self.campaigns = [self._campaign(i) for i in range(rng.randrange(0, 6))]
        self.sequences = {c["id"]: self._sequences() for c in self.campaigns}
        self.conversations: dict[str, list[dict[str, Any]]] = {
            folder: [self._conversation(folder, i) for i in range(rng.randrange(0, 260))]
            for folder in ("primary", "others")
        }
        for folder, items in self.conversations.items():
            self.conversations[folder] = self._ordered(items)
        self.by_id = {c["id"]: c for items in self.conversations.values() for c in items}

    # --- odd but valid values ------------------------------------------------------------

    def _text(self, plain: str) -> str:
        return self.rng.choice(_ODD_TEXT) if self.rng.random() < 0.3 else plain

    def _stamp(self, back_minutes: int | None = None) -> str:
        moment = self.now - timedelta(
            minutes=self.rng.randrange(10**6) if back_minutes is None else back_minutes
        )
        style = self.rng.randrange(5)
        if style == 0:
            return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
        if style == 1:
            return moment.isoformat()  # +00:00
        if style == 2:
            return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        if style == 3:
            return moment.astimezone(timezone_plus(5, 30)).isoformat()
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "-08:00"

    def _id(self) -> str:
        style = self.rng.randrange(3)
        if style == 0:
            return "".join(self.rng.choices("0123456789abcdef", k=32))
        if style == 1:
            return str(self.rng.randrange(1, 10**12))
        return "id_" + "".join(self.rng.choices(string.ascii_letters + "-_.", k=20))

    def _int(self, high: int = 1000) -> int:
        return self.rng.choice([0, 1, high, 2**53, self.rng.randrange(high + 1)])

    def _rate(self) -> float:
        return self.rng.choice([0.0, 100.0, 33.333333333, self.rng.random() * 100])

    def _extra(self, record: dict[str, Any]) -> dict[str, Any]:
        """Unknown fields a newer server might add."""
        if self.rng.random() < 0.5:
            record["x_future_field"] = self.rng.choice(
                [None, 1, "text", [1, {"a": None}], {"nested": {"deep": [True]}}]
            )
        if self.rng.random() < 0.2:
            record["links"] = {"self": "https://reachkit.example/x", "label_override": "ignored"}
        return record

    def _email(self) -> str:
        local = self.rng.choice(["sam", "o'brien", "zoë", "a+b", "UPPER", "x" * 60])
        return f"{local}@{self.rng.choice(['acme.test', 'xn--bcher-kva.test', 'sub.a.b.test'])}"

    # --- records ---------------------------------------------------------------------------

    def _inbox(self, index: int) -> dict[str, Any]:
        rng = self.rng
        return self._extra(
            {
                "id": self._id(),
                "email": self._email(),
                "domain": self._text("acme.test"),
                "provider": rng.choice(["google", "microsoft", "other", "yahoo"]),
                "connection_type": rng.choice(["oauth", "imap_smtp", "api"]),
                "connection_status": rng.choice(["pending", "validating", "connected", "error"]),
                "first_name": self._text("Sam"),
                "last_name": self._text("Lee"),
                "reply_to": self._text(""),
                "signature": self._text("<p>--<br>Sam</p>"),
                "is_active": rng.random() < 0.8,
                "is_warming": rng.random() < 0.5,
                "daily_campaign_limit": rng.randrange(1, 501),
                "daily_warmup_limit": rng.randrange(1, 101),
                "created_at": self._stamp(),
                "updated_at": self._stamp(),
            }
        )

    def warmup(self) -> dict[str, Any]:
        rng = self.rng
        return self._extra(
            {
                "sent": self._int(),
                "received": self._int(),
                "saved_from_spam": self._int(),
                "health_score": rng.randrange(101),
                "ramp_up_progress": rng.randrange(101),
                "daily": [
                    self._extra(
                        {
                            "date": (self.now - timedelta(days=d)).date().isoformat(),
                            "sent": self._int(50),
                            "spam_count": self._int(5),
                        }
                    )
                    for d in range(rng.choice([0, 1, 7]))
                ],
            }
        )

    def _stats(self, detail: bool) -> dict[str, Any]:
        stats: dict[str, Any] = {
            "progress": self.rng.randrange(101),
            "sequence_steps": self._int(10),
            "leads_count": self._int(),
            "sent": self._int(),
            "contacted": self._int(),
            "replies": self._int(),
            "reply_rate": self._rate(),
            "positive_replies": self._int(),
            "positive_reply_rate": self._rate(),
            "bounced": self._int(),
            "bounce_rate": self._rate(),
        }
        if detail:
            stats["daily"] = [
                {
                    "date": (self.now - timedelta(days=d)).date().isoformat(),
                    "sent": self._int(),
                    "replies": self._int(),
                }
                for d in range(self.rng.choice([0, 30]))
            ]
            stats["sequences"] = []
        return self._extra(stats)

    def _campaign(self, index: int) -> dict[str, Any]:
        rng = self.rng
        days = {
            day: {
                "enabled": rng.random() < 0.7,
                "start": rng.choice([None, "09:00", "00:00"]),
                "end": rng.choice([None, "17:30", "23:30"]),
            }
            for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
        }
        days["sunday"] = {"enabled": False, "start": None, "end": None}
        return self._extra(
            {
                "id": self._id(),
                "name": self._text(f"Campaign {index}"),
                "status": rng.choice(["draft", "active", "paused", "archived"]),
                "progress": rng.randrange(101),
                "options": self._extra(
                    {
                        "daily_limit": self._int(),
                        "stop_on_reply": rng.random() < 0.5,
                        "stop_on_company_reply": rng.random() < 0.5,
                        "text_only": rng.random() < 0.5,
                        "esp_matching": rng.random() < 0.5,
                        "unsubscribe_option": rng.random() < 0.5,
                    }
                ),
                "schedule": {
                    "timezone": rng.choice(["America/Chicago", "Pacific/Auckland", "Asia/Kolkata"]),
                    "default_window": {"start": "08:00", "end": "18:00"},
                    "days": days,
                },
                "stats": self._stats(detail=False),
                "inboxes": [
                    {
                        "id": inbox["id"],
                        "email": inbox["email"],
                        "provider": inbox["provider"],
                        "is_active": inbox["is_active"],
                        "connection_status": inbox["connection_status"],
                    }
                    for inbox in rng.sample(self.inboxes, k=min(len(self.inboxes), 2))
                ],
                "created_at": self._stamp(),
                "updated_at": self._stamp(),
            }
        )

    def _sequences(self) -> list[dict[str, Any]]:
        rng = self.rng
        steps = []
        count = rng.randrange(0, 4)
        for step in range(1, count + 1):
            variants = [
                self._extra(
                    {
                        "id": self._id(),
                        "letter": string.ascii_uppercase[v],
                        "subject": rng.choice(
                            [None, "", "Hi {{first_name|there}}", self._text("S")]
                        ),
                        "body_html": rng.choice([None, "", "<p>Hello {{company}}</p>"]),
                        "body_text": rng.choice([None, "", "Hello"]),
                        "enabled": v == 0 or rng.random() < 0.5,
                    }
                )
                for v in range(rng.randrange(1, 4))
            ]
            steps.append(
                self._extra(
                    {
                        "id": self._id(),
                        "step": step,
                        "delay_days": None if step == count else rng.randrange(0, 30),
                        "variants": variants,
                    }
                )
            )
        return steps

    def _message(self, index: int) -> dict[str, Any]:
        rng = self.rng
        attachments = [
            self._extra(
                {
                    "id": self._id(),
                    "filename": self._text("deck.pdf"),
                    "content_type": rng.choice(["application/pdf", "", "x/unknown; q=1"]),
                    "size": self._int(10**9),
                }
            )
            for _ in range(rng.choice([0, 0, 0, 1, 3]))
        ]
        recipients = [
            {"email": self._email(), "name": self._text("Pat")} for _ in range(rng.randrange(0, 3))
        ]
        return self._extra(
            {
                "direction": rng.choice(["outgoing", "incoming"]),
                "inbox_id": rng.choice(self.inboxes)["id"] if self.inboxes else self._id(),
                "subject": self._text(f"Re: question {index}"),
                "text_body": self._text("Thanks, Tuesday works."),
                "html_body": self._text("<p>Thanks, <a href='https://x.test'>Tuesday</a>.</p>"),
                "from_email": self._email(),
                "to_recipients": recipients,
                "cc_recipients": recipients[:1],
                "bcc_recipients": [],
                "email_date": self._stamp(),
                "is_read": rng.random() < 0.5,
                "attachments": attachments,
            }
        )

    def _conversation(self, folder: str, index: int) -> dict[str, Any]:
        rng = self.rng
        label = rng.choice([None, *LABELS, "maybe_later"])
        return self._extra(
            {
                "id": self._id(),
                "label": label,
                "is_positive": label in ("interested", "meeting_requested"),
                "lead_id": rng.choice([None, self._id()]),
                "messages": [self._message(i) for i in range(rng.choice([0, 1, 2, 3, 8]))],
                "created_at": self._stamp(),
                "updated_at": self._stamp(back_minutes=index * rng.randrange(1, 50)),
            }
        )

    def _ordered(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if self.order == "shuffled":
            self.rng.shuffle(items)
            return items
        key = [parse_stamp(c["updated_at"]) for c in items]
        ranked = sorted(range(len(items)), key=lambda i: key[i], reverse=self.order == "desc")
        return [items[i] for i in ranked]

    def _invalid(self) -> dict[str, Any]:
        """A record that breaks the schema (only with `invalid_records`)."""
        return self.rng.choice(
            [
                {"id": self._id(), "label": 7, "messages": "nope"},
                {"label": "interested"},  # no id
                {"id": self._id(), "created_at": "yesterday", "updated_at": None},
            ]
        )

    # --- answering -------------------------------------------------------------------------

    def _page(self, items: list[dict[str, Any]], query: dict[str, str]) -> dict[str, Any]:
        size = int(query.get("page_size") or 30)
        number = int(query.get("page") or 1)
        pages = max(1, -(-len(items) // size))
        chunk = items[(number - 1) * size : number * size]
        if not chunk and self.past_end == "repeat_last" and items:
            chunk = items[(pages - 1) * size : pages * size]
        chunk = [dict(record) for record in chunk]
        if self.invalid_records and chunk and self.rng.random() < 0.5:
            chunk.insert(self.rng.randrange(len(chunk)), self._invalid())
            self.invalid_served += 1
        total_pages = {
            "honest": pages,
            "one": 1,
            "zero": 0,
            "huge": 10**9,
            "random": self.rng.randrange(0, pages + 3),
        }[self.total_pages_mode]
        total_count = len(items) if self.rng.random() < 0.7 else self.rng.randrange(0, 10**6)
        return self._extra(
            {
                "data": chunk,
                "metadata": self._extra(
                    {
                        "page": number,
                        "page_size": size if self.echo_page_size else self.rng.choice([20, 30]),
                        "total_count": total_count,
                        "total_pages": total_pages,
                    }
                ),
            }
        )

    def answer(self, method: str, path: str, query: dict[str, str], body: bytes) -> tuple[int, Any]:
        """(status, JSON body) for one request."""
        route = path.removeprefix("/api/v1")
        if method == "GET" and route == "/inboxes":
            return 200, self._page(self.inboxes, query)
        if method == "GET" and re.fullmatch(r"/inboxes/[^/]+/warmup/stats", route):
            return 200, {"data": self.warmup()}
        if method == "GET" and route == "/campaigns":
            return 200, self._page(self.campaigns, query)
        match = re.fullmatch(r"/campaigns/([^/]+)(/sequences)?", route)
        if method == "GET" and match:
            campaign = next((c for c in self.campaigns if c["id"] == match[1]), None)
            if campaign is None:
                return 404, {"error": "not found"}
            if match[2]:
                return 200, {"data": self.sequences[campaign["id"]]}
            return 200, {"data": {**campaign, "stats": self._stats(detail=True)}}
        if method == "GET" and route == "/unibox/conversations":
            folder = query.get("folder")
            items = (
                self.conversations[folder]
                if folder in self.conversations
                else [c for v in self.conversations.values() for c in v]
            )
            return 200, self._page(items, query)
        match = re.fullmatch(r"/unibox/conversations/([^/]+)(/reply)?", route)
        if match and match[1] in self.by_id:
            conversation = self.by_id[match[1]]
            if method == "GET" and not match[2]:
                return 200, {"data": conversation}
            if method == "PATCH" and not match[2]:
                payload = json.loads(body)
                if "label_override" in payload:
                    conversation["label"] = payload["label_override"] or self.rng.choice(LABELS)
                if "is_read" in payload:
                    for message in conversation["messages"]:
                        message["is_read"] = payload["is_read"]
                conversation["updated_at"] = self._stamp(back_minutes=0)
                return 200, {"data": conversation}
            if method == "POST" and match[2]:
                content = json.loads(body)["content"]
                message = {
                    **self._message(0),
                    "direction": "outgoing",
                    "html_body": content,
                    "text_body": re.sub(r"<[^>]*>", " ", content),
                    "email_date": self._stamp(back_minutes=0),
                }
                conversation["messages"].append(message)
                return 200, {"data": message}
        return 404, {"error": "not found"}

    def _respond(
        self, method: str, path: str, raw_query: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, bytes]:
        query = parse_qsl(raw_query, keep_blank_values=True)
        self.requests.append(RecordedRequest(method, path, query, headers, body))
        status, payload = self.answer(method, path, dict(query), body)
        return status, json.dumps(payload).encode()

    def transport(self) -> httpx.MockTransport:
        """An in-process transport answering like this server."""

        def handle(request: httpx.Request) -> httpx.Response:
            status, content = self._respond(
                request.method,
                request.url.path,
                request.url.query.decode(),
                dict(request.headers),
                request.content,
            )
            return httpx.Response(
                status, content=content, headers={"content-type": "application/json"}
            )

        return httpx.MockTransport(handle)

    async def asgi(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """The same server as an ASGI app (for uvicorn on loopback)."""
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        status, content = self._respond(
            scope["method"], scope["path"], scope["query_string"].decode(), headers, body
        )
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(content)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": content})


def timezone_plus(hours: int, minutes: int) -> timezone:
    """A fixed UTC offset."""
    return timezone(timedelta(hours=hours, minutes=minutes))


def parse_stamp(text: str) -> datetime:
    """Parse any of the stamps `_stamp` writes (naive ones never occur)."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))

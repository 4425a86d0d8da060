"""Where files live and what `config.toml` says: profiles, theme, keymap, sync settings.

Paths come from `platformdirs`; `OUTREACH_TUI_HOME` overrides all of them with one folder
(tests use it). The config file is TOML, read with `tomllib` and validated strictly: a
mistake in it is reported as one line naming the file and the key, never a traceback.
API keys are never stored here (see `outreach_tui.credentials`).
"""

from __future__ import annotations

import math
import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import platformdirs
import tomli_w

APP_NAME = "outreach-tui"
HOME_ENV = "OUTREACH_TUI_HOME"
BASE_URL_ENV = "REACHKIT_BASE_URL"
DEFAULT_PROFILE = "default"
DEFAULT_THEME = "reachkit-dark"
_PROFILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


class ConfigError(Exception):
    """The configuration is unusable; the message is one line fit for the user."""


@dataclass(frozen=True)
class AppPaths:
    """The folders the app writes to."""

    config_dir: Path
    data_dir: Path
    cache_dir: Path

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    def profile_db(self, profile: str) -> Path:
        """The default cache database of a profile."""
        return self.data_dir / "profiles" / profile / "cache.db"


def app_paths() -> AppPaths:
    """The app's folders: `OUTREACH_TUI_HOME` when set, otherwise the platform's."""
    home = os.environ.get(HOME_ENV)
    if home:
        root = Path(home).expanduser()
        return AppPaths(config_dir=root, data_dir=root / "data", cache_dir=root / "cache")
    return AppPaths(
        config_dir=Path(platformdirs.user_config_dir(APP_NAME)),
        data_dir=Path(platformdirs.user_data_dir(APP_NAME)),
        cache_dir=Path(platformdirs.user_cache_dir(APP_NAME)),
    )


@dataclass(frozen=True)
class Profile:
    """One workspace: where its API lives and, optionally, a pinned cache file."""

    name: str
    base_url: str | None = None
    db: str | None = None


@dataclass(frozen=True)
class Config:
    """The validated contents of config.toml (defaults when the file does not exist)."""

    active_profile: str = DEFAULT_PROFILE
    profiles: dict[str, Profile] = field(default_factory=dict)
    theme: str = DEFAULT_THEME
    keymap: dict[str, str] = field(default_factory=dict)
    sync_interval_minutes: float = 5.0
    # A ceiling on the request rate the user may set; 0 (the default) = none: the client
    # goes at the server's pace (announced in X-RateLimit-* or learned from its 429s).
    requests_per_minute: int = 0
    mark_read_on_open: bool = True

    @property
    def request_budget(self) -> int | None:
        """`requests_per_minute` as the API client takes it (None: no ceiling)."""
        return self.requests_per_minute or None

    def profile(self, name: str) -> Profile:
        """The named profile, or an empty one (a profile exists once it is used)."""
        return self.profiles.get(name) or Profile(name=name)

    def with_profile(self, profile: Profile) -> Config:
        """A copy with `profile` added or replaced."""
        return replace(self, profiles={**self.profiles, profile.name: profile})


def validate_profile_name(name: str) -> str:
    """Return `name` if it is a usable profile name, else raise ConfigError."""
    if not _PROFILE_NAME.match(name):
        raise ConfigError(
            f"invalid profile name {name!r}: use letters, digits, '.', '_' or '-' (max 64)"
        )
    return name


def validate_base_url(url: str) -> str:
    """Return the URL without a trailing slash; https is required unless the host is loopback.

    Everything the HTTP client would stumble on later is refused here, as one sentence:
    another scheme, no host, a host with spaces, a port outside 1-65535 (httpx would send
    it to the socket layer, which fails inside a task group), credentials, a query.
    """
    text = url.strip()
    shown = _redacted(text)
    try:
        parts = urlsplit(text)
    except ValueError:  # "http://[::1": an IPv6 bracket left open
        parts = None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or any(c.isspace() or not c.isprintable() for c in parts.netloc)
    ):
        raise ConfigError(f"invalid base URL {shown!r}: expected http(s)://host[:port]")
    port = _port_text(parts.netloc)
    if port:  # "host:" with nothing after the colon is the default port
        if not (port.isascii() and port.isdigit()):
            raise ConfigError(f"invalid base URL {shown!r}: port {port!r} is not a number")
        if not 1 <= int(port) <= 65535:
            raise ConfigError(
                f"invalid base URL {shown!r}: port {int(port)} is out of range (1-65535)"
            )
    if "@" in parts.netloc or parts.query or parts.fragment or text.endswith(("?", "#")):
        # A key in the URL would end up in logs; a query would be dropped silently.
        raise ConfigError(
            f"invalid base URL {shown!r}: must not carry credentials, a query or a fragment"
        )
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise ConfigError(f"refusing plain http for {parts.hostname}: use https")
    return text.rstrip("/")


def _redacted(url: str) -> str:
    """`url` with any user:password@ part hidden (the URL is echoed in error messages)."""
    scheme, separator, rest = url.partition("://")
    authority, slash, path = rest.partition("/")
    if "@" in authority:
        authority = "***@" + authority.rpartition("@")[2]
    return scheme + separator + authority + slash + path if separator else url


def _port_text(netloc: str) -> str | None:
    """The port part of `host:port` / `[v6]:port` as written, None when there is none."""
    host = netloc.rpartition("@")[2]
    if host.startswith("["):
        after = host.partition("]")[2]
        return after[1:] if after.startswith(":") else None
    return host.rpartition(":")[2] if ":" in host else None


def is_loopback_host(host: str) -> bool:
    """True for localhost, 127.0.0.0/8 and ::1."""
    host = host.strip("[]").lower()
    return host == "localhost" or host == "::1" or host.startswith("127.")


def _expect(value: Any, kind: type | tuple[type, ...], where: str) -> Any:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    # bool is an int in Python: `interval_minutes = true` is a mistake worth reporting
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        raise ConfigError(f"{where}: unexpected value {value!r}")
    return value


def parse_config(data: dict[str, Any], source: str = "config.toml") -> Config:
    """Validate a parsed TOML document into a Config."""
    known = {"active_profile", "profiles", "theme", "keymap", "sync", "inbox"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(f"{source}: unknown setting {unknown[0]!r}")
    active = validate_profile_name(
        _expect(data.get("active_profile", DEFAULT_PROFILE), str, f"{source}: active_profile")
    )
    profiles: dict[str, Profile] = {}
    for name, table in _expect(data.get("profiles", {}), dict, f"{source}: profiles").items():
        where = f"{source}: profiles.{name}"
        validate_profile_name(name)
        _expect(table, dict, where)
        extra = sorted(set(table) - {"base_url", "db"})
        if extra:
            raise ConfigError(f"{where}: unknown setting {extra[0]!r}")
        base_url = table.get("base_url")
        if base_url is not None:
            try:
                base_url = validate_base_url(_expect(base_url, str, f"{where}.base_url"))
            except ConfigError as error:
                raise ConfigError(f"{where}.base_url: {error}") from None
        db = table.get("db")
        if db is not None:
            _expect(db, str, f"{where}.db")
        profiles[name] = Profile(name=name, base_url=base_url, db=db)
    theme = _expect(data.get("theme", DEFAULT_THEME), str, f"{source}: theme")
    keymap = _expect(data.get("keymap", {}), dict, f"{source}: keymap")
    for binding_id, keys in keymap.items():
        _expect(keys, str, f"{source}: keymap.{binding_id}")
    sync = _expect(data.get("sync", {}), dict, f"{source}: sync")
    interval = _expect(
        sync.get("interval_minutes", 5.0), (int, float), f"{source}: sync.interval_minutes"
    )
    if not math.isfinite(interval):  # TOML has nan and inf; a timer cannot wait either
        raise ConfigError(f"{source}: sync.interval_minutes must be a finite number of minutes")
    if interval < 0:
        raise ConfigError(f"{source}: sync.interval_minutes must be >= 0 (0 turns it off)")
    budget = _expect(sync.get("requests_per_minute", 0), int, f"{source}: sync.requests_per_minute")
    if budget < 0:
        raise ConfigError(f"{source}: sync.requests_per_minute must be >= 0 (0: no ceiling)")
    extra = sorted(set(sync) - {"interval_minutes", "requests_per_minute"})
    if extra:
        raise ConfigError(f"{source}: unknown setting 'sync.{extra[0]}'")
    inbox = _expect(data.get("inbox", {}), dict, f"{source}: inbox")
    mark_read = _expect(
        inbox.get("mark_read_on_open", True), bool, f"{source}: inbox.mark_read_on_open"
    )
    return Config(
        active_profile=active,
        profiles=profiles,
        theme=theme,
        keymap=dict(keymap),
        sync_interval_minutes=float(interval),
        requests_per_minute=budget,
        mark_read_on_open=mark_read,
    )


def load_config(paths: AppPaths | None = None) -> Config:
    """Read config.toml; defaults when it does not exist."""
    path = (paths or app_paths()).config_file
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Config()
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: not valid TOML ({error})") from None
    return parse_config(data, source=str(path))


def config_to_toml(config: Config) -> dict[str, Any]:
    """The TOML document for a Config (only what differs from nothing is written)."""
    profiles: dict[str, dict[str, str]] = {}
    for name, profile in sorted(config.profiles.items()):
        table = {k: v for k, v in (("base_url", profile.base_url), ("db", profile.db)) if v}
        profiles[name] = table
    return {
        "active_profile": config.active_profile,
        "theme": config.theme,
        "profiles": profiles,
        "keymap": dict(sorted(config.keymap.items())),
        "sync": {
            "interval_minutes": config.sync_interval_minutes,
            "requests_per_minute": config.requests_per_minute,
        },
        "inbox": {"mark_read_on_open": config.mark_read_on_open},
    }


def save_config(config: Config, paths: AppPaths | None = None) -> Path:
    """Write config.toml atomically (temp file + rename) and return its path."""
    path = (paths or app_paths()).config_file
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(tomli_w.dumps(config_to_toml(config)), encoding="utf-8")
    os.replace(temporary, path)
    return path

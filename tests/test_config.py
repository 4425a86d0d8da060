"""config.toml parsing, paths and the credential store."""

from __future__ import annotations

from pathlib import Path

import keyring
import keyring.backends.fail
import pytest

from outreach_tui import config as config_module
from outreach_tui import credentials
from outreach_tui.config import Config, ConfigError, Profile, app_paths, load_config, save_config


def test_outreach_tui_home_holds_config_data_and_cache(isolated_home: Path) -> None:
    paths = app_paths()
    assert paths.config_file == isolated_home / "config.toml"
    assert paths.data_dir.is_relative_to(isolated_home)
    assert paths.cache_dir.is_relative_to(isolated_home)
    assert paths.profile_db("work") == isolated_home / "data" / "profiles" / "work" / "cache.db"


def test_missing_config_gives_defaults() -> None:
    config = load_config()
    assert config.active_profile == "default"
    assert config.profiles == {}
    assert config.mark_read_on_open is True
    # no ceiling on the request rate unless the user sets one: the server's pace decides
    assert config.requests_per_minute == 0 and config.request_budget is None


def test_config_round_trips_through_the_file() -> None:
    original = Config(
        active_profile="acme",
        theme="reachkit-light",
        keymap={"inbox.label": "L"},
        sync_interval_minutes=2.5,
        requests_per_minute=90,
        mark_read_on_open=False,
    ).with_profile(Profile(name="acme", base_url="https://api.example.com", db="/tmp/a.db"))
    path = save_config(original)
    assert load_config() == original
    assert "api_key" not in path.read_text()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("theme = [", "not valid TOML"),
        ("colour = 'red'", "unknown setting 'colour'"),
        ("[sync]\ninterval_minutes = true", "sync.interval_minutes"),
        ("[sync]\ninterval_minutes = -1", "must be >= 0"),
        ("[sync]\nrequests_per_minute = 1.5", "sync.requests_per_minute"),
        ("[sync]\nspeed = 3", "unknown setting 'sync.speed'"),
        ("[profiles.x]\nbase_url = 'http://example.com'", "refusing plain http"),
        ("[profiles.x]\napi_key = 'secret'", "unknown setting 'api_key'"),
        ("active_profile = '../etc'", "invalid profile name"),
    ],
)
def test_bad_config_is_one_line_naming_the_problem(text: str, message: str) -> None:
    app_paths().config_file.write_text(text)
    with pytest.raises(ConfigError) as raised:
        load_config()
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_loopback_http_is_allowed_and_trailing_slash_dropped() -> None:
    assert config_module.validate_base_url("http://127.0.0.1:8765/") == "http://127.0.0.1:8765"
    assert config_module.validate_base_url("http://localhost:1") == "http://localhost:1"


def test_environment_key_overrides_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    credentials.store_api_key("default", "from-keyring")
    assert credentials.load_api_key("default") == "from-keyring"
    monkeypatch.setenv("REACHKIT_API_KEY", "from-env")
    assert credentials.load_api_key("default") == "from-env"


def test_keys_are_stored_per_profile() -> None:
    credentials.store_api_key("a", "key-a")
    credentials.store_api_key("b", "key-b")
    assert credentials.load_api_key("a") == "key-a"
    assert credentials.delete_api_key("a") is True
    assert credentials.load_api_key("a") is None
    assert credentials.delete_api_key("a") is False
    assert credentials.load_api_key("b") == "key-b"


def test_no_keyring_backend_points_at_the_environment_variable() -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())
    with pytest.raises(credentials.CredentialStoreError) as raised:
        credentials.store_api_key("default", "sk-secret-123")
    assert "REACHKIT_API_KEY" in str(raised.value)
    assert "sk-secret-123" not in str(raised.value)
    with pytest.raises(credentials.CredentialStoreError):
        credentials.load_api_key("default")

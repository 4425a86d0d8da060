"""`login` / `logout` (keyring per profile) and how --profile, --base-url, --db and the
environment decide which server and which cache a command uses."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import keyring
import keyring.backend
import pytest
from starlette.applications import Starlette

from outreach_tui.config import Config, Profile, app_paths, load_config, save_config
from outreach_tui.credentials import SERVICE_NAME
from tests.cli.conftest import Outcome
from tests.conftest import MemoryKeyring
from tests.sync.conftest import KEY

Run = Callable[..., Outcome]
WRONG_KEY = "rk_wrong_KEY-never-shown-9z"


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def test_login_checks_the_key_with_one_request_and_stores_it(
    run_main: Run,
    served: tuple[Starlette, str],
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    app, base_url = served
    _stdin(monkeypatch, f"{KEY}\n")
    before = len(app.state.simulator.requests)
    outcome = run_main(["--base-url", base_url, "login"])
    assert outcome.code == 0 and "logged in" in outcome.out
    assert len(app.state.simulator.requests) == before + 1
    assert memory_keyring.passwords == {(SERVICE_NAME, "default"): KEY}
    assert load_config().profile("default").base_url == base_url
    # later commands find the server in the config and the key in the keyring
    db = str(tmp_path / "cache.db")
    assert run_main(["--db", db, "sync"]).code == 0


def test_login_with_a_refused_key_stores_nothing(
    run_main: Run,
    served: tuple[Starlette, str],
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, base_url = served
    _stdin(monkeypatch, f"{WRONG_KEY}\n")
    outcome = run_main(["--base-url", base_url, "login"], key=WRONG_KEY)
    assert outcome.code == 1 and "refused this API key" in outcome.err
    assert len(outcome.err.strip().splitlines()) == 1
    assert memory_keyring.passwords == {}


def test_login_without_a_key_on_stdin(
    run_main: Run, served: tuple[Starlette, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, base_url = served
    _stdin(monkeypatch, "")
    outcome = run_main(["--base-url", base_url, "login"])
    assert outcome.code == 1 and "no API key given" in outcome.err


class _BrokenKeyring(keyring.backend.KeyringBackend):
    """A keyring that fails like a headless box without a Secret Service."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise RuntimeError("org.freedesktop.DBus.Error.ServiceUnknown: secret of the bus")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise RuntimeError(f"cannot store {password}")

    def delete_password(self, service: str, username: str) -> None:
        raise RuntimeError("no backend")


def test_a_failing_keyring_gives_a_plain_message_pointing_at_the_env_variable(
    run_main: Run, served: tuple[Starlette, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, base_url = served
    keyring.set_keyring(_BrokenKeyring())
    _stdin(monkeypatch, f"{KEY}\n")
    for argv in (["login"], ["logout"], ["sync"]):
        outcome = run_main(["--base-url", base_url, *argv])
        assert outcome.code == 1
        assert "keyring" in outcome.err and "REACHKIT_API_KEY" in outcome.err
        assert len(outcome.err.strip().splitlines()) == 1
        assert "DBus" not in outcome.err


def test_login_without_a_keyring_saves_the_server_but_never_the_key(
    run_main: Run,
    served: tuple[Starlette, str],
    monkeypatch: pytest.MonkeyPatch,
    isolated_home: Path,
    tmp_path: Path,
) -> None:
    _, base_url = served
    keyring.set_keyring(_BrokenKeyring())  # the autouse memory_keyring fixture restores it
    _stdin(monkeypatch, f"{KEY}\n")
    outcome = run_main(["--base-url", base_url, "login"])
    # exit 1 as before (the key was not stored), but the profile's server was saved
    assert outcome.code == 1 and len(outcome.err.strip().splitlines()) == 1
    assert "not stored" in outcome.err.lower() and "REACHKIT_API_KEY" in outcome.err
    assert "DBus" not in outcome.err
    assert load_config().profile("default").base_url == base_url
    for path in isolated_home.rglob("*"):  # the key went to no file
        assert not path.is_file() or KEY.encode() not in path.read_bytes()
    # later commands need no --base-url: the key comes from the environment
    monkeypatch.setenv("REACHKIT_API_KEY", KEY)
    assert run_main(["--db", str(tmp_path / "cache.db"), "sync"]).code == 0


def test_logout_removes_the_key_of_the_profile(
    run_main: Run, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    memory_keyring.passwords[(SERVICE_NAME, "work")] = KEY
    memory_keyring.passwords[(SERVICE_NAME, "default")] = KEY
    outcome = run_main(["--profile", "work", "logout"])
    assert outcome.code == 0 and "removed" in outcome.out
    assert memory_keyring.passwords == {(SERVICE_NAME, "default"): KEY}
    again = run_main(["logout", "--profile", "work"])
    assert again.code == 0 and "had no key" in again.out
    monkeypatch.setenv("REACHKIT_API_KEY", KEY)
    outcome = run_main(["logout"])
    assert outcome.code == 0 and "REACHKIT_API_KEY" in outcome.err


# --- precedence ---------------------------------------------------------------------------


@pytest.fixture
def profiles(tmp_path: Path) -> dict[str, str]:
    """A config with an active 'work' profile (server + pinned cache) and a 'home' one."""
    work_db = str(tmp_path / "work.db")
    save_config(
        Config(
            active_profile="work",
            profiles={
                "work": Profile("work", base_url="http://127.0.0.1:7001", db=work_db),
                "home": Profile("home", base_url="http://127.0.0.1:7002"),
            },
        )
    )
    return {"work_db": work_db}


def _resolved(run_main: Run, *argv: str) -> dict[str, str]:
    outcome = run_main([*argv])
    assert outcome.code == 0, outcome.err
    lines = dict(line.split(": ", 1) for line in outcome.out.splitlines() if ": " in line)
    return {k: lines[k] for k in ("profile", "server", "cache")}


def test_the_active_profile_decides_by_default(run_main: Run, profiles: dict[str, str]) -> None:
    assert _resolved(run_main, "status") == {
        "profile": "work",
        "server": "http://127.0.0.1:7001",
        "cache": profiles["work_db"],
    }


def test_profile_flag_picks_another_profile_and_its_own_cache(
    run_main: Run, profiles: dict[str, str]
) -> None:
    resolved = _resolved(run_main, "--profile", "home", "status")
    assert resolved == {
        "profile": "home",
        "server": "http://127.0.0.1:7002",
        "cache": str(app_paths().profile_db("home")),
    }
    assert _resolved(run_main, "status", "--profile", "home") == resolved


def test_base_url_flag_beats_environment_beats_profile(
    run_main: Run, profiles: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REACHKIT_BASE_URL", "http://127.0.0.1:7003")
    assert _resolved(run_main, "status")["server"] == "http://127.0.0.1:7003"
    flag = _resolved(run_main, "--base-url", "http://127.0.0.1:7004/", "status")
    assert flag["server"] == "http://127.0.0.1:7004"
    assert _resolved(run_main, "status", "--base-url", "http://localhost:7005")["server"] == (
        "http://localhost:7005"
    )


def test_db_flag_beats_the_profile_cache(
    run_main: Run, profiles: dict[str, str], tmp_path: Path
) -> None:
    pinned = str(tmp_path / "pinned.db")
    assert _resolved(run_main, "--db", pinned, "status")["cache"] == pinned
    assert _resolved(run_main, "status", "--db", pinned)["cache"] == pinned
    assert Path(pinned).exists() and not Path(profiles["work_db"]).exists()


def test_a_bad_profile_name_or_config_is_a_usage_error(run_main: Run, isolated_home: Path) -> None:
    outcome = run_main(["--profile", "../../etc", "status"])
    assert outcome.code == 2 and len(outcome.err.strip().splitlines()) == 1
    (isolated_home / "config.toml").write_text("surprise = 1\n", encoding="utf-8")
    outcome = run_main(["status"])
    assert outcome.code == 2 and "surprise" in outcome.err

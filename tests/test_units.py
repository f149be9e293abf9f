"""Units without a browser: session encryption, exit codes, JSON shape, config and accounts."""

from __future__ import annotations

import json
import re
import stat
import subprocess
import sys
from pathlib import Path

import keyring
import pytest
from cryptography.fernet import Fernet

from optout.core.config import load_settings, paths
from optout.core.errors import (
    EnvironmentProblem,
    ExitStatus,
    LayoutChanged,
    LoginRequired,
    SiteUnavailable,
)
from optout.core.private_files import safe_name
from optout.core.results import Mode, RunResult, SettingResult, State
from optout.output.json_output import result_object
from optout.storage import credentials
from optout.storage.accounts import AccountRegistry
from optout.storage.sessions import SessionStore

ORIGIN = "http://127.0.0.1:9"  # a sandbox origin: never the real entries


def test_session_round_trip_encrypted(tmp_path: Path, memory_keyring: None) -> None:
    store = SessionStore(tmp_path / "sessions", ORIGIN)
    state = {"cookies": [{"name": "li_at", "value": "AQEDAT-secret-cookie"}], "origins": []}
    path = store.save("a@example.com", state)
    assert b"AQEDAT-secret-cookie" not in path.read_bytes()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert store.load("a@example.com") == state


def test_a_session_keeps_its_cookies_and_no_local_storage(
    tmp_path: Path, memory_keyring: None
) -> None:
    store = SessionStore(tmp_path / "sessions", ORIGIN)
    cookies = [{"name": "li_at", "value": "AQEDAT-secret-cookie"}]
    local = [{"origin": ORIGIN, "localStorage": [{"name": "voyager-web:member", "value": "x"}]}]
    store.save("a@example.com", {"cookies": cookies, "origins": local})
    assert store.load("a@example.com") == {"cookies": cookies, "origins": []}
    # A file an earlier version wrote with local storage gives back its cookies alone.
    key = credentials.get_session_key("a@example.com", origin=ORIGIN)
    assert key is not None
    older = json.dumps({"cookies": cookies, "origins": local}).encode()
    store.path_for("a@example.com").write_bytes(Fernet(key.encode()).encrypt(older))
    assert store.load("a@example.com") == {"cookies": cookies, "origins": []}


def test_session_without_its_key_is_no_session(tmp_path: Path, memory_keyring: None) -> None:
    store = SessionStore(tmp_path / "sessions", ORIGIN)
    store.save("a@example.com", {"cookies": []})
    credentials.delete_session_key("a@example.com", origin=ORIGIN)
    assert store.load("a@example.com") is None


def test_tampered_session_is_no_session(tmp_path: Path, memory_keyring: None) -> None:
    store = SessionStore(tmp_path / "sessions", ORIGIN)
    path = store.save("a@example.com", {"cookies": []})
    path.write_bytes(path.read_bytes()[:-4] + b"AAAA")
    assert store.load("a@example.com") is None


def test_failed_keyring_is_environment_error(memory_keyring: None) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())  # type: ignore[no-untyped-call]
    with pytest.raises(EnvironmentProblem, match="PYTHON_KEYRING_BACKEND"):
        credentials.get_password("a@example.com", origin=ORIGIN)


def _result(*states: State, error: Exception | None = None) -> RunResult:
    result = RunResult(account="a@example.com", mode=Mode.CHECK)
    result.settings = [SettingResult(f"s{i}", f"S{i}", s) for i, s in enumerate(states)]
    result.error = error  # type: ignore[assignment]
    return result


@pytest.mark.parametrize(
    ("result", "status", "code"),
    [
        (_result(State.OFF), "compliant", ExitStatus.OK),
        (_result(State.UNAVAILABLE), "compliant", ExitStatus.OK),
        (_result(State.OFF, State.ON), "drift", ExitStatus.SETTING_ON),
        (_result(error=LoginRequired("x")), "error", ExitStatus.SIGN_IN_NEEDED),
        (_result(State.UNKNOWN, error=LayoutChanged("x")), "error", 4),
        (_result(error=SiteUnavailable("x")), "error", 5),
        (_result(error=EnvironmentProblem("x")), "error", 6),
    ],
)
def test_status_and_exit_code(result: RunResult, status: str, code: int) -> None:
    assert result.status == status
    assert result.exit_status == code


def test_json_shape_matches_the_contract() -> None:
    obj = result_object(_result(State.ON))
    assert set(obj) == {"account", "checked_at", "status", "settings", "error"}
    assert obj["settings"] == [{"id": "s0", "label": "S0", "state": "on", "changed": False}]
    assert obj["error"] is None
    assert obj["checked_at"].endswith("+00:00")
    err = result_object(_result(error=SiteUnavailable("down")))["error"]
    assert err == {"kind": "site_unavailable", "message": "down"}


def test_optout_home_holds_everything(tmp_path: Path) -> None:
    where = paths({"OPTOUT_HOME": str(tmp_path)})
    assert where.config_dir == tmp_path / "config"
    assert where.state_dir == tmp_path / "state"


def test_env_beats_config_file(tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text(
        'base_url = "http://127.0.0.1:1/"\naccount = "a@example.com"\n'
    )
    env = {"OPTOUT_HOME": str(tmp_path)}
    assert load_settings(env).base_url == "http://127.0.0.1:1"
    assert load_settings(env).account == "a@example.com"
    env["OPTOUT_BASE_URL"] = "http://127.0.0.1:2"
    assert load_settings(env).base_url == "http://127.0.0.1:2"


def test_config_file_numbers_and_notice_targets(tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    config = tmp_path / "config" / "config.toml"
    config.write_text('timeout = 12\nhistory_days = 90\nnotify = ["json://127.0.0.1:9/x"]\n')
    settings = load_settings({"OPTOUT_HOME": str(tmp_path)})
    assert (settings.timeout_s, settings.history_days) == (12.0, 90)
    assert settings.notify_urls == ("json://127.0.0.1:9/x",)
    assert (
        load_settings({"OPTOUT_HOME": str(tmp_path), "OPTOUT_HISTORY_DAYS": "7"}).history_days == 7
    )
    for bad in ('notify = "json://x"\n', "history_days = 0\n", "timeout = true\n"):
        config.write_text(bad)
        with pytest.raises(EnvironmentProblem):
            load_settings({"OPTOUT_HOME": str(tmp_path)})


def test_bad_config_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text("colour = 'blue'\n")
    with pytest.raises(EnvironmentProblem, match=r"config\.toml"):
        load_settings({"OPTOUT_HOME": str(tmp_path)})


def test_account_registry(tmp_path: Path) -> None:
    registry = AccountRegistry(tmp_path / "accounts.json")
    assert registry.names() == []
    registry.record_login("b@example.com")
    registry.record_login("a@example.com")
    assert registry.names() == ["a@example.com", "b@example.com"]
    assert registry.forget("a@example.com")
    assert registry.names() == ["b@example.com"]
    assert stat.S_IMODE((tmp_path / "accounts.json").stat().st_mode) == 0o600


# Emails that the old file names ran together, or that are no file name as they stand.
ALIKE = [
    "a+b@x.com", "a_b@x.com", "A_b@x.com", "a b@x.com", "a%b@x.com", "..", ".", "",
    "../etc/passwd", "a/b@x.com", "a\\b@x.com", "-rf@x.com", "con", "nul.x@y.com",
    "é@x.com", "e@x.com", "x" * 300 + "@y.com", "x" * 301 + "@y.com",
]  # fmt: skip
DEVICES = {"con", "prn", "aux", "nul"} | {f"{d}{n}" for d in ("com", "lpt") for n in range(10)}


def test_safe_name_is_one_to_one_even_where_case_is_ignored() -> None:
    names = [safe_name(text) for text in ALIKE]
    assert len(set(names)) == len(ALIKE)
    assert len({name.casefold() for name in names}) == len(ALIKE)


def test_safe_name_is_never_a_path_nor_a_special_name() -> None:
    for name in (safe_name(text) for text in ALIKE):
        assert re.fullmatch(r"[a-z0-9@._-]+", name), name
        assert not name.startswith((".", "-")), name
        assert name.split(".", 1)[0] not in DEVICES, name
        assert len(name) <= 80, name


def test_safe_name_is_the_same_on_every_run() -> None:
    assert safe_name("member@example.com") == "member@example.com-b6e346dee08f"
    code = "from optout.core.private_files import safe_name; print(safe_name('a+b@x.com'))"
    for seed in ("1", "2"):
        other = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""}, cwd=Path(__file__).parents[1],
        )  # fmt: skip
        assert other.stdout.strip() == safe_name("a+b@x.com")

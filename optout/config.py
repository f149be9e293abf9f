"""Where optout keeps its files, and the settings read from env and config file.

Every setting comes from the environment first, then from `config.toml` in the
config directory, then from a built-in default.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from optout.errors import EnvironmentProblem
from optout.fsutil import read_file, write_private_file

APP_NAME = "optout"
DEFAULT_BASE_URL = "https://www.linkedin.com"
CONFIG_KEYS = ("base_url", "browser", "account", "timeout")
DEFAULT_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class Paths:
    config_dir: Path
    state_dir: Path

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    @property
    def sessions_dir(self) -> Path:
        return self.state_dir / "sessions"

    @property
    def debug_dir(self) -> Path:
        return self.state_dir / "debug"

    @property
    def accounts_file(self) -> Path:
        return self.state_dir / "accounts.json"


def paths(env: Mapping[str, str] | None = None) -> Paths:
    """OPTOUT_HOME holds everything when set; otherwise the platform's user dirs."""
    env = os.environ if env is None else env
    home = env.get("OPTOUT_HOME")
    if home:
        root = Path(home).expanduser()
        return Paths(config_dir=root / "config", state_dir=root / "state")
    import platformdirs  # imported here: only this branch needs it

    return Paths(
        config_dir=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        state_dir=Path(platformdirs.user_state_dir(APP_NAME, appauthor=False)),
    )


@dataclass(frozen=True)
class Settings:
    base_url: str
    browser: str | None
    account: str | None
    paths: Paths
    timeout_s: float = DEFAULT_TIMEOUT_S  # how long to wait for LinkedIn: a page, a switch


def _read_config_file(path: Path) -> dict[str, Any]:
    raw = read_file(path)
    if raw is None:
        return {}
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise EnvironmentProblem(f"The config file {path} is not valid TOML: {exc}.") from exc
    unknown = sorted(set(data) - set(CONFIG_KEYS))
    if unknown:
        raise EnvironmentProblem(
            f"The config file {path} has unknown keys: {', '.join(unknown)} "
            f"(known: {', '.join(CONFIG_KEYS)})."
        )
    for key, value in data.items():
        if not isinstance(value, str):
            raise EnvironmentProblem(f"The config file {path}: `{key}` must be a string.")
    return data


def normalize_base_url(url: str) -> str:
    url = url.strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise EnvironmentProblem(
            f"OPTOUT_BASE_URL must start with http:// or https:// (got {url!r})."
        )
    return url


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    where = paths(env)
    file_values = _read_config_file(where.config_file)

    def pick(key: str) -> str | None:
        value = env.get(f"OPTOUT_{key.upper()}") or file_values.get(key)
        return value or None

    return Settings(
        base_url=normalize_base_url(pick("base_url") or DEFAULT_BASE_URL),
        browser=pick("browser"),
        account=pick("account"),
        paths=where,
        timeout_s=parse_timeout(pick("timeout")),
    )


def parse_timeout(raw: str | None) -> float:
    if raw is None:
        return DEFAULT_TIMEOUT_S
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not 1 <= value <= 600:
        raise EnvironmentProblem(
            f"OPTOUT_TIMEOUT must be a number of seconds from 1 to 600 (got {raw!r})."
        )
    return value


def normalize_account(account: str) -> str:
    return account.strip().lower()


class AccountRegistry:
    """The accounts optout knows (no secrets: just names and times)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _load(self) -> dict[str, dict[str, str]]:
        raw = read_file(self.path)
        if raw is None:
            return {}
        try:
            data = json.loads(raw)
            accounts = data["accounts"]
            if not isinstance(accounts, dict):
                raise TypeError
        except (ValueError, KeyError, TypeError) as exc:
            raise EnvironmentProblem(
                f"{self.path} is damaged; move it away and run `optout login` again."
            ) from exc
        return accounts

    def names(self) -> list[str]:
        return sorted(self._load())

    def record_login(self, account: str) -> None:
        accounts = self._load()
        entry = accounts.setdefault(account, {})
        entry["last_login"] = datetime.now(UTC).isoformat(timespec="seconds")
        self._save(accounts)

    def forget(self, account: str) -> bool:
        accounts = self._load()
        if accounts.pop(account, None) is None:
            return False
        self._save(accounts)
        return True

    def _save(self, accounts: dict[str, dict[str, str]]) -> None:
        payload = json.dumps({"accounts": accounts}, indent=2, sort_keys=True) + "\n"
        write_private_file(self.path, payload.encode("utf-8"))

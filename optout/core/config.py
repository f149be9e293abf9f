"""Where optout keeps its files, and the settings read from env and config file.

Every setting comes from the environment first, then from `config.toml` in the
config directory, then from a built-in default.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from optout.core.errors import EnvironmentProblem
from optout.core.private_files import read_file, safe_name

APP_NAME = "optout"
DEFAULT_BASE_URL = "https://www.linkedin.com"
CONFIG_KEYS = ("base_url", "browser", "account", "timeout", "history_days", "notify")
DEFAULT_TIMEOUT_S = 30.0
DEFAULT_HISTORY_DAYS = 400


def origin_of(url: str) -> str:
    """scheme://host[:port] of a URL, in lower case: whose accounts and secrets these are."""
    parts = urlsplit(url.strip())
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


DEFAULT_ORIGIN = origin_of(DEFAULT_BASE_URL)


@dataclass(frozen=True)
class Paths:
    config_dir: Path
    state_dir: Path
    # The LinkedIn origin whose sessions and known accounts these paths hold: the real
    # site's live where earlier versions kept them, any other origin's in a folder of its own.
    origin: str

    @property
    def origin_dir(self) -> Path:
        if self.origin == DEFAULT_ORIGIN:
            return self.state_dir
        return self.state_dir / "origins" / safe_name(self.origin)

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    @property
    def sessions_dir(self) -> Path:
        return self.origin_dir / "sessions"

    @property
    def debug_dir(self) -> Path:
        return self.state_dir / "debug"

    @property
    def cache_dir(self) -> Path:
        """What only makes the next run faster, and may be deleted at any time."""
        return self.state_dir / "cache"

    @property
    def accounts_file(self) -> Path:
        return self.origin_dir / "accounts.json"

    @property
    def locks_dir(self) -> Path:
        return self.state_dir / "locks"

    @property
    def history_file(self) -> Path:
        return self.state_dir / "history.sqlite3"

    @property
    def log_file(self) -> Path:
        return self.state_dir / "optout.log"


def paths(env: Mapping[str, str] | None = None, base_url: str = DEFAULT_BASE_URL) -> Paths:
    """OPTOUT_HOME holds everything when set; otherwise the platform's user dirs. Sessions
    and known accounts are those of `base_url`'s origin."""
    env = os.environ if env is None else env
    origin = origin_of(base_url)
    home = env.get("OPTOUT_HOME")
    if home:
        root = Path(home).expanduser()
        return Paths(config_dir=root / "config", state_dir=root / "state", origin=origin)
    import platformdirs  # imported here: only this branch needs it

    return Paths(
        config_dir=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        state_dir=Path(platformdirs.user_state_dir(APP_NAME, appauthor=False)),
        origin=origin,
    )


@dataclass(frozen=True)
class Settings:
    base_url: str
    browser: str | None
    account: str | None
    paths: Paths
    timeout_s: float = DEFAULT_TIMEOUT_S  # how long to wait for LinkedIn: a page, a switch
    history_days: int = DEFAULT_HISTORY_DAYS  # how long the history keeps a run
    notify_urls: tuple[str, ...] = ()  # from the config file (the keyring holds others)


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
        if key == "notify":
            if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                raise EnvironmentProblem(
                    f"The config file {path}: `notify` must be a list of notification URLs."
                )
        elif key in ("timeout", "history_days"):
            if isinstance(value, bool) or not isinstance(value, str | int | float):
                raise EnvironmentProblem(f"The config file {path}: `{key}` must be a number.")
        elif not isinstance(value, str):
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
        return None if value is None or value == "" else str(value)

    base_url = normalize_base_url(pick("base_url") or DEFAULT_BASE_URL)
    return Settings(
        base_url=base_url,
        browser=pick("browser"),
        account=pick("account"),
        paths=replace(where, origin=origin_of(base_url)),
        timeout_s=parse_timeout(pick("timeout")),
        history_days=parse_history_days(pick("history_days")),
        # Never from the environment: a scheduler's unit file would hold it in plain text.
        notify_urls=tuple(file_values.get("notify", ())),
    )


def parse_history_days(raw: str | None) -> int:
    if raw is None:
        return DEFAULT_HISTORY_DAYS
    if not raw.strip().isdigit() or not 1 <= int(raw) <= 36500:
        raise EnvironmentProblem(
            f"OPTOUT_HISTORY_DAYS must be a whole number of days from 1 to 36500 (got {raw!r})."
        )
    return int(raw)


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

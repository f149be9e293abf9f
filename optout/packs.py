"""Load and validate the selector pack (selectors/*.toml)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from optout.errors import EnvironmentProblem

PACK_FILE = "linkedin.toml"


@dataclass(frozen=True)
class PagePaths:
    signed_in: tuple[str, ...]
    login: tuple[str, ...]
    challenge: tuple[str, ...]
    refused: tuple[str, ...]


@dataclass(frozen=True)
class SigninSelectors:
    path: str
    session_cookie: str
    username: tuple[str, ...]
    password: tuple[str, ...]
    submit: tuple[str, ...]
    error: tuple[str, ...]


@dataclass(frozen=True)
class SettingSpec:
    id: str
    label: str
    path: str
    switch: tuple[str, ...]
    on_when_checked: bool


@dataclass(frozen=True)
class Pack:
    version: str
    source: str
    pages: PagePaths
    signin: SigninSelectors
    settings: dict[str, SettingSpec]

    def setting(self, setting_id: str) -> SettingSpec:
        return self.settings[setting_id]


def builtin_pack_path() -> Path:
    """The pack shipped with optout: inside the wheel, or beside the source tree."""
    packaged = resources.files("optout").joinpath("_selectors", PACK_FILE)
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "selectors" / PACK_FILE


class _Reader:
    """Typed access to one TOML table that names the file and key on every error."""

    def __init__(self, source: str, table: dict[str, Any], where: str) -> None:
        self.source, self.table, self.where = source, table, where

    def _fail(self, key: str, problem: str) -> EnvironmentProblem:
        name = f"{self.where}.{key}" if self.where else key
        return EnvironmentProblem(f"Selector pack {self.source}: `{name}` {problem}.")

    def text(self, key: str) -> str:
        value = self.table.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self._fail(key, "must be a non-empty string")
        return value

    def path(self, key: str) -> str:
        value = self.text(key)
        if not value.startswith("/"):
            raise self._fail(key, "must be a URL path starting with /")
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.table.get(key)
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(v, str) and v.strip() for v in value)
        ):
            raise self._fail(key, "must be a non-empty list of non-empty strings")
        return tuple(value)

    def flag(self, key: str) -> bool:
        value = self.table.get(key)
        if not isinstance(value, bool):
            raise self._fail(key, "must be true or false")
        return value

    def sub(self, key: str) -> _Reader:
        value = self.table.get(key)
        if not isinstance(value, dict):
            raise self._fail(key, "must be a table")
        return _Reader(self.source, value, f"{self.where}.{key}" if self.where else key)


def parse_pack(text: str, source: str) -> Pack:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise EnvironmentProblem(f"Selector pack {source} is not valid TOML: {exc}.") from exc
    root = _Reader(source, data, "")
    pages = root.sub("pages")
    signin = root.sub("signin")
    settings_table = root.sub("settings")
    settings: dict[str, SettingSpec] = {}
    for setting_id in settings_table.table:
        spec = settings_table.sub(setting_id)
        settings[setting_id] = SettingSpec(
            id=setting_id,
            label=spec.text("label"),
            path=spec.path("path"),
            switch=spec.texts("switch"),
            on_when_checked=spec.flag("on_when_checked"),
        )
    if not settings:
        raise EnvironmentProblem(f"Selector pack {source}: `settings` names no setting.")
    return Pack(
        version=root.text("version"),
        source=source,
        pages=PagePaths(
            signed_in=pages.texts("signed_in"),
            login=pages.texts("login"),
            challenge=pages.texts("challenge"),
            refused=pages.texts("refused"),
        ),
        signin=SigninSelectors(
            path=signin.path("path"),
            session_cookie=signin.text("session_cookie"),
            username=signin.texts("username"),
            password=signin.texts("password"),
            submit=signin.texts("submit"),
            error=signin.texts("error"),
        ),
        settings=settings,
    )


def load_pack(path: Path | None = None) -> Pack:
    path = path or builtin_pack_path()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise EnvironmentProblem(
            f"Cannot read the selector pack {path}: {exc.strerror}; reinstall optout."
        ) from exc
    return parse_pack(text, str(path))

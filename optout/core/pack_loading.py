"""Finding and loading the selector pack: the built-in one, with the member's override
merged in key by key."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from optout.core.errors import EnvironmentProblem
from optout.core.pack_model import Pack
from optout.core.pack_reader import parse_pack_data

PACK_FILE = "linkedin.toml"
OVERRIDE_FILE = "selectors.toml"


def builtin_pack_path() -> Path:
    """The pack shipped with optout: inside the wheel, or beside the source tree."""
    packaged = resources.files("optout").joinpath("_selectors", PACK_FILE)
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "selectors" / PACK_FILE


def override_path(config_dir: Path) -> Path:
    return config_dir / OVERRIDE_FILE


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise EnvironmentProblem(f"Cannot read the selector pack {path}: {exc.strerror}.") from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise EnvironmentProblem(f"Selector pack {path} is not valid TOML: {exc}.") from exc


def parse_pack(text: str, source: str) -> Pack:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise EnvironmentProblem(f"Selector pack {source} is not valid TOML: {exc}.") from exc
    return parse_pack_data(data, source)


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Tables merge key by key; any other value (lists included) is replaced."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def load_pack(
    config_dir: Path | None = None, *, path: Path | None = None, override: Path | None = None
) -> Pack:
    """The built-in pack (or `path`) with the member's override merged in: `override`, or
    else `selectors.toml` in `config_dir` when it exists."""
    base_path = path or builtin_pack_path()
    data = _read_toml(base_path)
    source = str(base_path)
    if override is None and config_dir is not None and override_path(config_dir).is_file():
        override = override_path(config_dir)
    if override is not None:
        data = merge(data, _read_toml(override))
        source = f"{base_path} + {override}"
    return parse_pack_data(data, source)

"""JSON Schemas (draft 2020-12) of what each command prints with `--json`.

One file per command, `<command>.schema.json`, with the words of a subcommand
joined by "-": `check`, `off`, `schedule-status`, `selectors-show`... A command
that fails before it has a result prints `{"error": {"kind", "message"}}`,
which its schema allows too (`check` and `off` keep the error inside their
result instead).

    >>> from optout.output.schemas import schema_path
    >>> schema_path("check").name
    'check.schema.json'
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

SUFFIX = ".schema.json"


def names() -> list[str]:
    """Every command that has a schema, sorted: "accounts", "check", ..."""
    folder = resources.files(__name__)
    return sorted(
        entry.name.removesuffix(SUFFIX) for entry in folder.iterdir() if entry.name.endswith(SUFFIX)
    )


def schema_path(name: str) -> Path:
    """The file of one command's schema, e.g. `schema_path("schedule status")`.

    A subcommand may be given with spaces or dashes. Raises KeyError for a command
    without `--json`.
    """
    key = "-".join(name.removeprefix("optout ").split()).removesuffix(SUFFIX)
    path = Path(str(resources.files(__name__).joinpath(key + SUFFIX)))
    if not path.is_file():
        raise KeyError(f"no JSON schema for {name!r} (known: {', '.join(names())})")
    return path


def load(name: str) -> dict[str, Any]:
    """One command's schema, parsed."""
    schema: dict[str, Any] = json.loads(schema_path(name).read_text("utf-8"))
    return schema

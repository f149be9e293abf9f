"""The JSON objects of the contract (`--json`), and how they are written: no rich, so a
`--json` run that goes well never loads it."""

from __future__ import annotations

import json
from typing import Any

from optout.core.errors import OptoutError
from optout.core.results import RunResult


def error_object(error: OptoutError | None) -> dict[str, str] | None:
    if error is None:
        return None
    return {"kind": error.kind, "message": error.message}


def result_object(result: RunResult) -> dict[str, Any]:
    return {
        "account": result.account,
        "checked_at": result.checked_at.isoformat(timespec="seconds"),
        "status": result.status,
        "settings": [
            {"id": s.id, "label": s.label, "state": s.state.value, "changed": s.changed}
            for s in result.settings
        ],
        "error": error_object(result.error),
    }


def to_json(payload: dict[str, Any]) -> str:
    return json.dumps(payload, ensure_ascii=False)

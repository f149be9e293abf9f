"""The parts below the commands stay apart where it matters: `core` (what every part
shares) imports no other part of optout, and the sandbox imports none of the product, so
the imitation can share no assumption with the code it tests through code of its own."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "optout"


def _optout_imports(part: str) -> dict[str, set[str]]:
    """Each module of `optout/<part>/` and the optout modules it imports, anywhere in it
    (at the top, in a function, or for type checking only)."""
    found: dict[str, set[str]] = {}
    for path in sorted((PACKAGE / part).rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                assert node.level == 0, f"{path}: a relative import"
                names.add(node.module or "")
        found[str(path.relative_to(PACKAGE.parent))] = {
            name for name in names if name == "optout" or name.startswith("optout.")
        }
    assert found, f"no modules under optout/{part}"
    return found


def _outside(part: str) -> dict[str, list[str]]:
    """Each module of `optout/<part>/` that imports another part, and what it imports."""
    own = f"optout.{part}"
    found = {
        module: sorted(name for name in names if name != own and not name.startswith(own + "."))
        for module, names in _optout_imports(part).items()
    }
    return {module: names for module, names in found.items() if names}


def test_core_imports_no_other_part_of_optout() -> None:
    assert _outside("core") == {}


def test_the_sandbox_imports_nothing_of_the_product() -> None:
    assert _outside("sandbox") == {}

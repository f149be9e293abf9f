"""optout's code and its tests stay in pieces small enough to read alone: no module over
400 lines, no function over 60 lines (counted from its `def` line to its last line).
Ruff's mccabe check (C90, pyproject.toml) keeps each function's complexity at 10 or less."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "optout"
TESTS = ROOT / "tests"  # the tests and the benchmark (tests/bench/)
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def _modules() -> list[Path]:
    return sorted([*PACKAGE.rglob("*.py"), *TESTS.rglob("*.py")])


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _long_functions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            # The def line, not a decorator above it, is where a function starts.
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                found.append(f"{_name(path)}:{node.lineno} {node.name}() has {length} lines")
    return found


def test_the_package_is_found() -> None:
    assert len(list(PACKAGE.rglob("*.py"))) > 10, PACKAGE


def test_the_tests_and_the_benchmark_are_found() -> None:
    assert len(list(TESTS.glob("test_*.py"))) > 10, TESTS
    assert (TESTS / "bench" / "bench.py") in _modules()


def test_no_module_is_over_400_lines() -> None:
    offenders = []
    for path in _modules():
        count = len(path.read_text(encoding="utf-8").splitlines())
        if count > MAX_MODULE_LINES:
            offenders.append(f"{_name(path)} has {count} lines")
    assert not offenders, (
        f"modules over {MAX_MODULE_LINES} lines (split them by concern):\n  "
        + "\n  ".join(offenders)
    )


def test_no_function_is_over_60_lines() -> None:
    offenders = [line for path in _modules() for line in _long_functions(path)]
    assert not offenders, (
        f"functions over {MAX_FUNCTION_LINES} lines (split them into steps):\n  "
        + "\n  ".join(offenders)
    )

"""README's layout section is the tree: every part of the package is named there, and
everything named there exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "optout"
# Folders described as a whole (one module per command, the sandbox's many pages):
# their modules need no line each.
WHOLE_FOLDERS = {"commands", "sandbox", "scheduled/backends"}


def _layout_block() -> list[str]:
    text = (ROOT / "README.md").read_text("utf-8")
    match = re.search(r"\nLayout:\n\n```\n(.*?)\n```", text, re.S)
    assert match, "README.md needs a 'Layout:' section with the tree in a code block"
    return match.group(1).splitlines()


def _documented() -> set[str]:
    """Paths in the block, relative to the repo root, from their indentation."""
    found: set[str] = set()
    parents: list[tuple[int, str]] = []
    for line in _layout_block():
        # An entry is a name then its description after two or more spaces; a line
        # that goes on with words is the description's continuation.
        match = re.match(r"( *)(\S+)(?: {2,}|$)", line)
        if not match:
            continue
        depth, name = len(match.group(1)), match.group(2)
        while parents and parents[-1][0] >= depth:
            parents.pop()
        path = "/".join([p for _, p in parents] + [name.rstrip("/")])
        found.add(path)
        if name.endswith("/"):
            parents.append((depth, name.rstrip("/")))
    return found


def _tree() -> set[str]:
    """Every folder of the package, and every module outside the whole folders."""
    parts: set[str] = set()
    for path in PACKAGE.rglob("*"):
        relative = path.relative_to(ROOT).as_posix()
        if "__pycache__" in relative or path.name.startswith("_"):
            continue
        inner = path.relative_to(PACKAGE).as_posix()
        if path.is_dir() and not path.name.startswith("."):
            if any(inner.startswith(whole + "/") for whole in WHOLE_FOLDERS):
                continue
            parts.add(relative)
        elif path.suffix == ".py":
            folder = path.parent.relative_to(PACKAGE).as_posix()
            if not any(folder == w or folder.startswith(w + "/") for w in WHOLE_FOLDERS):
                parts.add(relative)
    return parts


def test_every_part_of_the_package_is_in_the_readme_layout() -> None:
    missing = sorted(_tree() - _documented())
    assert not missing, f"README's layout section does not name: {', '.join(missing)}"


def test_everything_the_readme_layout_names_exists() -> None:
    named = sorted(p for p in _documented() if not (ROOT / p).exists())
    assert not named, f"README's layout section names what is not there: {', '.join(named)}"

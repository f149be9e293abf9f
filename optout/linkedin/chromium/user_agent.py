"""The user agent a headless browser presents: the one the same browser sends with a
window. Headless Chromium would name itself "HeadlessChrome", which LinkedIn refuses."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path


def browser_version(path: str, *, timeout: float = 20) -> str:
    """What the browser says of itself (`--version`), or "unknown"."""
    try:
        done = subprocess.run(
            [path, "--version"], capture_output=True, text=True, timeout=timeout, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    lines = [line.strip() for line in done.stdout.splitlines() if line.strip()]
    return lines[-1] if lines else "unknown"


_FULL_VERSION = re.compile(r"\b(\d+)\.\d+\.\d+\.\d+\b")


def major_version(path: str, platform: str = sys.platform) -> str | None:
    """The browser's major version, learnt without starting it; None if unsure.

    A Windows browser prints no `--version`: there the folder beside it that is named
    after its version says it (two of them, mid-update, leave it unsure)."""
    if platform.startswith("win"):
        try:
            text = " ".join(entry.name for entry in Path(path).parent.iterdir() if entry.is_dir())
        except OSError:
            return None
    else:
        text = browser_version(path, timeout=5)
    majors = set(_FULL_VERSION.findall(text))
    return majors.pop() if len(majors) == 1 else None


def plain_user_agent(major: str, *, edge: bool = False, platform: str = sys.platform) -> str:
    """The user agent this browser sends when it has a window (Chrome's reduced form:
    the major version, then zeros), without headless mode's "HeadlessChrome"."""
    if platform == "darwin":
        system = "Macintosh; Intel Mac OS X 10_15_7"
    elif platform.startswith("win"):
        system = "Windows NT 10.0; Win64; x64"
    else:
        system = "X11; Linux x86_64"
    agent = (
        f"Mozilla/5.0 ({system}) AppleWebKit/537.36 (KHTML, like Gecko) "
        f"Chrome/{major}.0.0.0 Safari/537.36"
    )
    return agent + f" Edg/{major}.0.0.0" if edge else agent


def is_edge(path: str) -> bool:
    """Microsoft Edge, whose user agent ends with its own token."""
    return "edge" in Path(path).name.lower()

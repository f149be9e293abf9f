"""Output a person reads carries optout's lines only: no bus daemon chatter."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e]

ROOT = Path(__file__).resolve().parents[1]

# What a run does that makes a session bus daemon talk: start the browser (it asks
# for the accessibility bus), ask systemd's user manager, use the keyring.
_BUSY_RUN = """
import asyncio
import subprocess
import keyring
from optout.linkedin.chromium.browser import launched
async def browse():
    async with launched(None) as session:
        page = await (await session.new_context()).new_page()
        await page.goto("about:blank")
asyncio.run(browse())
subprocess.run(["systemctl", "--user", "show-environment"], capture_output=True, check=False)
keyring.set_password("optout-quiet-test", "someone", "value")
print("done")
"""


def test_a_keyring_session_and_the_browser_write_no_bus_lines() -> None:
    ran = subprocess.run(
        [str(ROOT / "scripts" / "keyring-session"), sys.executable, "-c", _BUSY_RUN],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == "done"
    assert "dbus-daemon" not in ran.stderr + ran.stdout

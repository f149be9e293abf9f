"""How optout starts Chromium: one list of features off that keeps Playwright's own,
and no browser UI drawn as web pages (real Chromium, no page of LinkedIn's)."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest

from optout.linkedin.chromium.browser import launched
from optout.linkedin.chromium.launch_flags import (
    PLAYWRIGHT_DISABLED_FEATURES,
    QUIET_DISABLED_FEATURES,
)

CHROMIUM = "/usr/bin/chromium"

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.asyncio,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]


async def _command_line(browser: object) -> str:
    """The browser's own command line, as chrome://version shows it."""
    context = await browser.new_context()  # type: ignore[attr-defined]
    page = await context.new_page()
    await page.goto("chrome://version")
    text = str(await page.locator("#command_line").inner_text())
    await context.close()
    return text


def _features_off(command_line: str) -> set[str]:
    """What the last --disable-features says: Chromium keeps only the last one."""
    lists = re.findall(r"--disable-features=(\S+)", command_line)
    return set(lists[-1].split(",")) if lists else set()


async def test_optouts_one_list_keeps_every_feature_playwright_turns_off() -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        plain = await playwright.chromium.launch(executable_path=CHROMIUM)
        playwrights_own = _features_off(await _command_line(plain))
        await plain.close()
    async with launched(CHROMIUM) as session:
        optouts = _features_off(await _command_line(session.browser))
    assert playwrights_own  # Playwright does pass a list of its own
    ours = set(PLAYWRIGHT_DISABLED_FEATURES) | set(QUIET_DISABLED_FEATURES)
    assert playwrights_own <= ours  # none of Playwright's is left out of optout's copy
    assert ours <= optouts  # and the browser gets the whole list


async def test_the_headless_browser_draws_no_browser_ui_of_its_own() -> None:
    """Each context's window would preload the address bar's suggestion list as a page
    (a renderer, its memory and CPU, per account); optout's launch leaves it out."""
    async with launched(CHROMIUM) as session:
        context = await session.new_context()
        await (await context.new_page()).goto("about:blank")
        cdp = await session.browser.new_browser_cdp_session()
        targets = (await cdp.send("Target.getTargets"))["targetInfos"]
        await context.close()
    kinds = {target["type"] for target in targets}
    assert "page" in kinds
    assert not [t["url"] for t in targets if t["url"].startswith("chrome://")]


async def test_headless_contexts_ask_pages_for_reduced_motion() -> None:
    """Nobody watches a headless page: its loading animations, where it honours the
    preference, need not repaint every frame (a person's window keeps theirs:
    test_fingerprint.py)."""
    asks = "matchMedia('(prefers-reduced-motion: reduce)').matches"
    async with launched(CHROMIUM) as session:
        optouts = await (await session.new_context()).new_page()
        plain = await (await session.browser.new_context()).new_page()
        assert await optouts.evaluate(asks) is True
        assert await plain.evaluate(asks) is False  # the browser's own default


async def test_the_driver_keeps_its_compiled_code_in_optouts_private_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NODE_COMPILE_CACHE", raising=False)
    async with launched(CHROMIUM, cache_dir=tmp_path / "cache"):
        pass
    folder = tmp_path / "cache" / "node"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert any(p.is_file() for p in folder.rglob("*"))  # Node wrote its cache there
    assert "NODE_COMPILE_CACHE" not in os.environ  # set for the driver's start only


async def test_a_compile_cache_the_user_chose_is_left_as_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen = tmp_path / "chosen"
    monkeypatch.setenv("NODE_COMPILE_CACHE", str(chosen))
    async with launched(CHROMIUM, cache_dir=tmp_path / "cache"):
        pass
    assert not (tmp_path / "cache").exists()
    assert any(p.is_file() for p in chosen.rglob("*"))
    assert os.environ["NODE_COMPILE_CACHE"] == str(chosen)

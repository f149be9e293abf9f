"""Endless animations are paused in the pages optout opens headless; finite ones run to
their end, and a context opened without optout keeps them all running (real Chromium)."""

from __future__ import annotations

import contextlib
import secrets
from urllib.parse import quote

import pytest
from conftest import signed_in_context
from details_kit import PAGE
from playwright.async_api import BrowserContext
from playwright.async_api import Error as PlaywrightError
from sandbox_http import CHROMIUM, needs_chromium

from optout.linkedin.chromium.browser import launched
from optout.sandbox import PageDetails, Sandbox

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio, needs_chromium]

# A spinner that turns forever, a fade that runs once (its end marks the body), and an
# endless pulse on a pseudo-element, each started by the page's own CSS.
ANIMATED = """<style>
.spinner { width: 20px; height: 20px; animation: turn 1s linear infinite; }
.fade { animation: fade 0.2s linear 1; }
.pulse::after { content: "."; animation: pulse 0.8s ease-in-out infinite; }
@keyframes turn { to { transform: rotate(360deg); } }
@keyframes fade { to { opacity: 0.5; } }
@keyframes pulse { to { opacity: 0.2; } }
</style>
<div class="spinner"></div><div class="fade">once</div><div class="pulse">pulse</div>
<script>
document.querySelector(".fade").addEventListener("animationend", () => {
  document.body.dataset.faded = "yes";
});
</script>"""
SHIMMERS = "s => s.getAnimations({ subtree: true }).map(a => a.playState)"
ALL_PAUSED = """count => {
  const states = document.querySelector("[aria-busy=true]").getAnimations({ subtree: true })
    .map(a => a.playState);
  return states.length === count && states.every(state => state === "paused");
}"""
PLAY_STATES = """() => Object.fromEntries(
  document.getAnimations().map(a => [a.animationName, a.playState]))"""


async def _states_once_faded(context: BrowserContext) -> dict[str, str]:
    page = await context.new_page()
    await page.goto("data:text/html," + quote(ANIMATED))
    # The finite animation ran to its end: a page waiting for it is not kept waiting.
    await page.wait_for_function("document.body.dataset.faded === 'yes'", timeout=10_000)
    return dict(await page.evaluate(PLAY_STATES))


async def test_endless_animations_pause_and_a_finite_one_runs_to_its_end() -> None:
    async with launched(CHROMIUM) as session:
        optouts = await session.new_context()
        plain = await session.browser.new_context()  # no optout in between
        assert await _states_once_faded(optouts) == {"turn": "paused", "pulse": "paused"}
        assert await _states_once_faded(plain) == {"turn": "running", "pulse": "running"}


async def test_the_sandbox_skeleton_that_ignores_reduced_motion_is_still(
    sandbox: Sandbox,
) -> None:
    email = f"still-{secrets.token_hex(4)}@example.com"
    # The page asks for its card only after 10 s: its loading skeleton shows that long.
    details = PageDetails(honours_reduced_motion=False, ask_delay_s=10.0)
    sandbox.add_account(email, "still pw", details=details)
    async with launched(CHROMIUM) as session:
        context = await signed_in_context(session, sandbox, email, "still pw")
        page = await context.new_page()
        await page.goto(sandbox.base_url + PAGE)
        skeleton = page.locator("[aria-busy=true]")
        await skeleton.wait_for()
        # An animation is paused as it starts, a frame after the skeleton is drawn.
        with contextlib.suppress(PlaywrightError):
            await page.wait_for_function(ALL_PAUSED, arg=3, timeout=5_000)
        shimmers = await skeleton.evaluate(SHIMMERS)
        assert shimmers == ["paused"] * 3  # one a bar

"""Endless animations paused in pages nobody watches.

A loading skeleton's shimmer or a spinner that repeats forever makes the browser draw
every frame while optout waits on the page: measured on the sandbox's skeleton, about
0.2 CPU seconds a second in the renderer and the GPU process, against 0.02 with it
paused. Reduced motion (browser.py) stops it only where the page honours it, which is
not known for LinkedIn.

Only CSS animations that repeat forever are paused, as they start: they never end, so
no page can be waiting for their end, and what the page draws, its requests and its
switches are left as they are. Finite animations and transitions run as the page made
them (a page may wait for one to end before it draws the next step). Animations
inside shadow roots (their events stay there) and those a script starts itself
(`element.animate`) are not seen, and run on as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext

# Runs in every page and frame before the page's own scripts. `animationstart` reaches
# the document for an element's animations and its pseudo-elements' (hence `subtree`).
PAUSE_ENDLESS_ANIMATIONS_JS = """
document.addEventListener("animationstart", (event) => {
  const target = event.target;
  if (!(target instanceof Element)) return;
  for (const animation of target.getAnimations({ subtree: true })) {
    const timing = animation.effect && animation.effect.getComputedTiming();
    if (animation.animationName === event.animationName && timing
        && timing.iterations === Infinity) {
      animation.pause();
    }
  }
}, true);
"""


async def pause_endless_animations(context: BrowserContext) -> None:
    """Every page the context opens from now on pauses its endless CSS animations."""
    await context.add_init_script(PAUSE_ENDLESS_ANIMATIONS_JS)

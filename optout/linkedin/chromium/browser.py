"""The one module that starts Playwright: find a browser, launch it, open contexts.

optout drives the browser through Playwright's async API: one browser serves every
account of a run, each in a context of its own (optout.linkedin.chromium.side_by_side)."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from optout.core.errors import EnvironmentProblem
from optout.linkedin.chromium.launch_flags import (
    PLAYWRIGHT_DISABLED_FEATURES,
    PLAYWRIGHT_HEADLESS_BLINK_SETTINGS,
    QUIET_DISABLED_FEATURES,
)
from optout.linkedin.chromium.refusals import refuse_in
from optout.linkedin.chromium.still_animations import pause_endless_animations
from optout.linkedin.chromium.user_agent import (
    browser_version as browser_version,  # `optout doctor` uses it
)
from optout.linkedin.chromium.user_agent import is_edge, major_version, plain_user_agent

if TYPE_CHECKING:
    from playwright.async_api import Browser, BrowserContext, CDPSession, Playwright

    from optout.core.selector_pack import NetworkRules

# Flags that keep Chromium from calling home: on a closed network each of these
# would otherwise be a stream of refused connections and slow start-up.
QUIET_FLAGS = (
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--no-default-browser-check",
    "--disable-domain-reliability",
    "--disable-breakpad",
    # One list: Chromium keeps only the last --disable-features, and Playwright's own
    # list comes first, so a list of optout's alone would switch Playwright's back on.
    "--disable-features=" + ",".join((*PLAYWRIGHT_DISABLED_FEATURES, *QUIET_DISABLED_FEATURES)),
)

# navigator.webdriver tells every page that a program drives the browser; LinkedIn
# answers such browsers with HTTP 999. Off, pages see what a person's browser shows.
AS_ITSELF_FLAGS = ("--disable-blink-features=AutomationControlled",)

log = logging.getLogger("optout.linkedin.chromium.browser")

HOW_TO_GET_ONE = (
    "install one with `playwright install chromium`, or your OS package "
    "(Debian/Ubuntu: `apt-get install chromium`), or point OPTOUT_BROWSER at Chrome/Chromium/Edge"
)


@dataclass(frozen=True)
class BrowserExecutable:
    path: str
    source: str  # "OPTOUT_BROWSER", "playwright" or "system"


def _is_executable(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def system_candidates(platform: str = sys.platform) -> list[str]:
    """Chrome, Chromium and Edge where their installers put them, most bot-proof first."""
    if platform == "darwin":
        apps = ("Google Chrome", "Chromium", "Microsoft Edge")
        roots = ["/Applications", str(Path.home() / "Applications")]
        return [f"{root}/{app}.app/Contents/MacOS/{app}" for app in apps for root in roots]
    if platform.startswith("win"):
        roots = [
            os.environ.get(var, "") for var in ("PROGRAMFILES", "PROGRAMFILES(X86)", "LOCALAPPDATA")
        ]
        tails = (
            r"Google\Chrome\Application\chrome.exe",
            r"Chromium\Application\chrome.exe",
            r"Microsoft\Edge\Application\msedge.exe",
        )
        return [str(Path(root) / tail) for tail in tails for root in roots if root]
    found = [
        shutil.which(name)
        for name in (
            "google-chrome-stable",
            "google-chrome",
            "chromium",
            "chromium-browser",
            "microsoft-edge-stable",
            "microsoft-edge",
        )
    ]
    fixed = [
        "/opt/google/chrome/chrome",
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/snap/bin/chromium",
        "/opt/microsoft/msedge/msedge",
    ]
    return [path for path in found if path] + fixed


def _is_branded(path: str) -> bool:
    """Google Chrome or Microsoft Edge, as opposed to a Chromium build."""
    name = path.lower()
    return "chromium" not in name and any(mark in name for mark in ("chrome", "msedge", "edge"))


# Chromium's headless shell (Debian's chromium-headless-shell, Playwright's
# chrome-headless-shell) names "HeadlessChrome" among its brands in the sec-ch-ua header
# of every request, whatever --user-agent says, and shows no window.chrome and no
# plugins (seen with Debian's 156; stickerdaniel/linkedin-mcp-server,
# docs/browser-fingerprint.md). LinkedIn looks for a HeadlessChrome token and for a
# sec-ch-ua that does not match the user agent, and answers with HTTP 999, as the
# sandbox's bot guard does: so it is never used, though it starts faster.
_HEADLESS_SHELLS = ("headless_shell", "chrome-headless-shell", "chromium-headless-shell")


def is_headless_shell(path: str) -> bool:
    """By its name, or the name of the file a link points to."""
    names = {Path(path).name, Path(os.path.realpath(path)).name}
    return any(name.lower().removesuffix(".exe") in _HEADLESS_SHELLS for name in names)


def discover(
    configured: str | None, playwright_chromium: str | None, *, prefer_branded: bool = False
) -> BrowserExecutable:
    """OPTOUT_BROWSER, then Playwright's own download, then the usual system places.

    `prefer_branded` (a person signing in in a window) puts an installed Chrome or
    Edge first: LinkedIn and Google trust it more than a bare Chromium."""
    if prefer_branded and not configured:
        for candidate in system_candidates():
            if _is_branded(candidate) and _is_executable(candidate):
                return BrowserExecutable(candidate, "system")
    if configured:
        path = shutil.which(configured) or configured
        if not _is_executable(path):
            raise EnvironmentProblem(
                f"OPTOUT_BROWSER points at {configured}, which is not an executable file; "
                f"fix the path, or unset it to let optout look for a browser."
            )
        if is_headless_shell(path):
            raise EnvironmentProblem(
                f"OPTOUT_BROWSER points at {configured}, Chromium's headless shell, which "
                f"tells every site it is HeadlessChrome; LinkedIn refuses such browsers "
                f"(HTTP 999). Point it at Chrome, Chromium or Edge, or unset it."
            )
        return BrowserExecutable(path, "OPTOUT_BROWSER")
    if playwright_chromium and _is_executable(playwright_chromium):
        return BrowserExecutable(playwright_chromium, "playwright")
    for candidate in system_candidates():
        if _is_executable(candidate):
            return BrowserExecutable(candidate, "system")
    raise EnvironmentProblem(f"No Chrome, Chromium or Edge found: {HOW_TO_GET_ONE}.")


class BrowserSession:
    """A running Playwright with one launched browser, on the event loop that started it."""

    def __init__(
        self,
        playwright: Playwright,
        browser: Browser,
        executable: BrowserExecutable,
        *,
        headed: bool = False,
        user_agent: str | None = None,
    ) -> None:
        """`user_agent`: the one the browser was started with, if any."""
        self.playwright = playwright
        self.browser = browser
        self.executable = executable
        self.headed = headed
        self.user_agent = user_agent
        self._context_user_agent: str | None = None
        major = browser.version.split(".", 1)[0]
        if not headed and major.isdigit() and f"Chrome/{major}." not in (user_agent or ""):
            # The version was not known before the start, or not the one that started:
            # each context overrides the user agent per page instead (dedicated workers
            # then see an empty brand list, which is why this is only the fallback).
            self._context_user_agent = plain_user_agent(major, edge=is_edge(executable.path))
            self.user_agent = self._context_user_agent

    async def new_context(self, storage_state: dict[str, Any] | None = None) -> BrowserContext:
        """A fresh context; a browser launched with `block` refuses in it as in every other.
        Headless, it asks pages for reduced motion and pauses their endless animations."""
        options: dict[str, Any] = {"locale": "en-US", "viewport": {"width": 1280, "height": 900}}
        if not self.headed:
            # Nobody watches: a page that honours reduced motion stops its loading
            # animations, which would otherwise repaint every frame until it is drawn.
            # A window shown to a person keeps the person's own preference.
            options["reduced_motion"] = "reduce"
        if storage_state is not None:
            options["storage_state"] = storage_state
        if self._context_user_agent:
            options["user_agent"] = self._context_user_agent
        context = await self.browser.new_context(**options)
        if not self.headed:
            await pause_endless_animations(context)  # the same, where pages ignore it
        return context


@asynccontextmanager
async def launched(
    configured: str | None,
    *,
    headed: bool = False,
    prefer_branded: bool = False,
    block: NetworkRules | None = None,
    cache_dir: Path | None = None,
) -> AsyncIterator[BrowserSession]:
    """Start Playwright and a browser; close both however the block ends. Headless with
    `block`, it loads no images (Chromium's own setting: nothing to route) and refuses
    what `block` refuses, in every context (refusals.py). `cache_dir`:
    where Playwright's driver may keep its compiled code, to start sooner next time."""
    from playwright.async_api import Error as PlaywrightError

    if headed:
        _require_screen()
    early = None if headed else _EarlyVersion(configured, prefer_branded)
    playwright = await _started_playwright(cache_dir)
    try:
        executable = discover(
            configured, playwright.chromium.executable_path, prefer_branded=prefer_branded
        )
        # Set at launch, the user agent holds for every context, page, popup and worker.
        user_agent = await early.user_agent(executable.path) if early else None
        args = [*QUIET_FLAGS, *AS_ITSELF_FLAGS, *_headless_flags(headed, block)]
        if user_agent:
            args.append(f"--user-agent={user_agent}")
        try:
            browser = await playwright.chromium.launch(
                executable_path=executable.path, headless=not headed, args=args,
                env=None if headed else _headless_environment(),
            )  # fmt: skip
        except PlaywrightError as exc:
            first_line = (exc.message or str(exc)).strip().splitlines()[0]
            raise EnvironmentProblem(
                f"Could not start the browser {executable.path}: {first_line}; {HOW_TO_GET_ONE}."
            ) from exc
        try:
            devtools = await browser.new_browser_cdp_session()
            await _refuse_a_headless_shell(devtools, executable.path)
            if block is not None and not headed:  # a visible window shows the page whole
                await refuse_in(devtools, block)
            session = BrowserSession(
                playwright, browser, executable, headed=headed, user_agent=user_agent
            )
            log.debug(
                "browser %s (%s), version %s, %s; user agent: %s",
                executable.path, executable.source, browser.version,
                "with a window" if headed else "headless",
                session.user_agent or "its own",
            )  # fmt: skip
            yield session
        finally:
            await browser.close()
    finally:
        await playwright.stop()


async def _refuse_a_headless_shell(devtools: CDPSession, path: str) -> None:
    """Chromium's headless shell by what it says it is, whatever its file is named: it
    calls itself HeadlessChrome, where Chrome, Chromium and Edge say Chrome even headless.
    So does a Chrome older than 132, headless the old way; LinkedIn sees both alike."""
    product = str((await devtools.send("Browser.getVersion")).get("product", ""))
    if product.startswith("HeadlessChrome/"):
        raise EnvironmentProblem(
            f"The browser {path} calls itself {product}: Chromium's headless shell, or a "
            f"Chrome older than 132, which tells every site it is HeadlessChrome; LinkedIn "
            f"refuses such browsers (HTTP 999). Point OPTOUT_BROWSER at a current Chrome, "
            f"Chromium or Edge."
        )


async def _started_playwright(cache_dir: Path | None) -> Playwright:
    """Playwright's driver (a Node.js program), with Node's compile cache in optout's
    cache folder: its code is compiled on the first start only (about 0.05 s less on
    every later one). A NODE_COMPILE_CACHE already set is Node's to use as it is; without
    a usable folder the driver starts as it would anyway."""
    from playwright.async_api import async_playwright

    if _NODE_COMPILE_CACHE in os.environ or cache_dir is None:
        return await async_playwright().start()
    folder = _private_folder(cache_dir / "node")
    if folder is None:
        return await async_playwright().start()
    os.environ[_NODE_COMPILE_CACHE] = str(folder)  # read once, as the driver starts
    try:
        return await async_playwright().start()
    finally:
        os.environ.pop(_NODE_COMPILE_CACHE, None)


_NODE_COMPILE_CACHE = "NODE_COMPILE_CACHE"


def _private_folder(path: Path) -> Path | None:
    from optout.core.private_files import ensure_private_dir

    try:
        return ensure_private_dir(path)
    except (OSError, EnvironmentProblem):
        return None


class _EarlyVersion:
    """The likely browser's version, asked (about 0.1 s) while Playwright starts."""

    def __init__(self, configured: str | None, prefer_branded: bool) -> None:
        try:
            self.path: str | None = discover(configured, None, prefer_branded=prefer_branded).path
        except EnvironmentProblem:
            self.path = None  # said again, and better, once Playwright has started
        self._major: asyncio.Task[str | None] | None = None
        if self.path is not None:
            self._major = asyncio.create_task(asyncio.to_thread(major_version, self.path))

    async def user_agent(self, path: str) -> str | None:
        """Headless, the browser names itself "HeadlessChrome": the user agent it sends
        with a window instead, or None when its version is not known before it starts."""
        if self._major is not None and path == self.path:
            major = await self._major
        else:  # Playwright's own download, which only Playwright can name
            if self._major is not None:
                self._major.cancel()
            major = await asyncio.to_thread(major_version, path)
        return plain_user_agent(major, edge=is_edge(path)) if major else None


def _headless_environment() -> dict[str, str | float | bool]:
    """The browser's environment without a session bus: a headless browser has no
    screen reader to serve, and would otherwise start the desktop's accessibility bus
    (whose daemon writes about it on the terminal). A visible window keeps it."""
    return {k: v for k, v in os.environ.items() if k != "DBUS_SESSION_BUS_ADDRESS"}


def _headless_flags(headed: bool, block: NetworkRules | None) -> list[str]:
    if headed:
        return []
    # No window, so no GPU work worth a process of its own (about 30 MB less).
    flags = ["--disable-gpu"]
    if block is not None and "image" in block.block_types:
        # Also one flag kept: Playwright's headless pointer settings, then no images.
        flags.append(f"--blink-settings={PLAYWRIGHT_HEADLESS_BLINK_SETTINGS},imagesEnabled=false")
    return flags


def _require_screen(platform: str = sys.platform) -> None:
    """A visible window needs a screen; on Linux that is an X or Wayland display."""
    if not platform.startswith("linux"):
        return
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        raise EnvironmentProblem(
            "--headed needs a screen, and this session has none (no DISPLAY or "
            "WAYLAND_DISPLAY): run it in your desktop session, or over `ssh -X`."
        )


def playwright_chromium_path() -> str | None:
    """Where Playwright's own Chromium download is (or would be)."""
    from playwright.async_api import async_playwright

    async def ask() -> str:
        async with async_playwright() as playwright:
            return playwright.chromium.executable_path

    return asyncio.run(ask())

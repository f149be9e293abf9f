"""Chromium flags for a lean headless run: one browser, one page, one read.

Measured flag by flag on the benchmark's baseline script (tests/bench/baseline.py
with `--flag`; README: Speed and memory). Only flags that cut the browser's
processes or memory without changing what the page does are here.

Chromium keeps only the last `--disable-features=` on its command line, and
Playwright passes its own list before the caller's flags: a second list would
drop Playwright's (and optout's QUIET_FLAGS one would drop both). So the
features are one list, `DISABLED_FEATURES`, written into one flag; whoever
launches with these flags passes no other `--disable-features=`.

optout's launches (browser.py) use the Playwright and quiet lists; the lean run's
list (no site isolation) is measured by the benchmark only: turning off site
isolation saves memory but gives up a defence against other origins' frames.
"""

from __future__ import annotations

# Features Playwright turns off for its own reasons (its chromiumSwitches.ts); kept,
# since the one list below replaces Playwright's (a test compares them with the list
# the installed Playwright passes).
PLAYWRIGHT_DISABLED_FEATURES = (
    "AvoidUnnecessaryBeforeUnloadCheckSync",
    "DestroyProfileOnBrowserClose",
    "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable",
    "LensOverlay",
    "PaintHolding",
    "ThirdPartyStoragePartitioning",
    "AvoidCorsURLLoaderRestartOnRedirect",  # route interception and CORS redirects
    "NetworkTimeServiceQuerying",
    "AimEnabled",
    "PreconnectToSearch",
    "TcpPortRandomizationWin",  # intermittent ERR_NO_BUFFER_SPACE on Windows
    "msForceBrowserSignIn",  # Edge
    "msEdgeUpdateLaunchServicesPreferredVersion",  # Edge on macOS
)

# The --blink-settings Playwright passes headless; a second such flag would replace it.
PLAYWRIGHT_HEADLESS_BLINK_SETTINGS = (
    "primaryHoverType=2,availableHoverTypes=2,primaryPointerType=4,availablePointerTypes=4"
)

# optout's own (QUIET_FLAGS): nothing that calls home, no browser UI drawn as web
# pages, no process started for a page that never comes.
QUIET_DISABLED_FEATURES = (
    "MediaRouter",
    "OptimizationHints",
    "Translate",
    # Chromium 156 preloads the address bar's suggestion list as a page of its own
    # (chrome://omnibox-popup.top-chrome) in every window, even headless: a renderer
    # per context, about 0.3 s of CPU and 30 MB each, for a list nobody opens.
    "WebUIOmniboxPopup",
    "WebUIOmniboxAimPopup",
    # A renderer started in advance for the next page to load: optout's contexts load
    # one page each, so each spare is a process for nothing (about 0.06 s of CPU an
    # account with --all-accounts, 20 MB). Site isolation itself stays.
    "SpareRendererForSitePerProcess",
)

# The lean run's: one site, one page, so no process per site. Measured by the
# benchmark only: it gives up a defence against other origins' frames.
LEAN_DISABLED_FEATURES = ("site-per-process", "IsolateOrigins")

DISABLED_FEATURES = (
    *PLAYWRIGHT_DISABLED_FEATURES,
    *QUIET_DISABLED_FEATURES,
    *LEAN_DISABLED_FEATURES,
)

LEAN_HEADLESS_FLAGS: tuple[str, ...] = (
    # No window to draw: no GPU work worth a process of its own (-36 MB PSS, plain page).
    "--disable-gpu",
    # One list of features off (see the module's note): Playwright's, optout's, the lean
    # run's (no site isolation).
    "--disable-features=" + ",".join(DISABLED_FEATURES),
)

# Measured and left out (README: Speed and memory): --no-zygote (more PSS: each
# process loads its own copy instead of sharing the zygote's), --js-flags=
# --max-old-space-size=64, --in-process-gpu, --disable-software-rasterizer and
# --renderer-process-limit=1 (no gain beyond the noise; the last would also put every
# account of --all-accounts in one renderer). Playwright already passes
# --disable-dev-shm-usage, --disable-extensions and, headless, --mute-audio.

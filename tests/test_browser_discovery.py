"""Browser discovery order and its errors (no browser is started here)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from optout.core.errors import EnvironmentProblem
from optout.linkedin.chromium import browser


def _fake_browser(path: Path) -> str:
    path.write_text("#!/bin/sh\necho 'Fake Chromium 1.2.3'\n")
    path.chmod(0o755)
    return str(path)


def test_optout_browser_wins(tmp_path: Path) -> None:
    fake = _fake_browser(tmp_path / "chrome")
    other = _fake_browser(tmp_path / "pw-chrome")
    found = browser.discover(fake, other)
    assert (found.path, found.source) == (fake, "OPTOUT_BROWSER")


def test_optout_browser_not_executable(tmp_path: Path) -> None:
    plain = tmp_path / "chrome"
    plain.write_text("not a program")
    with pytest.raises(EnvironmentProblem, match="OPTOUT_BROWSER"):
        browser.discover(str(plain), None)


def test_playwright_download_before_system(tmp_path: Path) -> None:
    pw = _fake_browser(tmp_path / "pw-chrome")
    assert browser.discover(None, pw) == browser.BrowserExecutable(pw, "playwright")


def test_missing_playwright_download_falls_back_to_system(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    system = _fake_browser(tmp_path / "chromium")
    monkeypatch.setattr(browser, "system_candidates", lambda: [str(tmp_path / "nope"), system])
    found = browser.discover(None, str(tmp_path / "ms-playwright" / "chrome"))
    assert (found.path, found.source) == (system, "system")


def test_nothing_found_says_how_to_get_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browser, "system_candidates", lambda: ["/nonexistent/chromium"])
    with pytest.raises(EnvironmentProblem) as caught:
        browser.discover(None, None)
    assert "playwright install chromium" in caught.value.message
    assert "apt-get install chromium" in caught.value.message


@pytest.mark.parametrize("platform", ["linux", "darwin", "win32"])
def test_candidates_cover_each_platform(platform: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROGRAMFILES", r"C:\Program Files")
    monkeypatch.setenv("LOCALAPPDATA", r"C:\Users\me\AppData\Local")
    found = " ".join(browser.system_candidates(platform))
    expected = {
        "linux": ["/usr/bin/chromium", "chrome"],
        "darwin": ["Google Chrome.app", "Chromium.app", "Microsoft Edge.app"],
        "win32": ["chrome.exe", "msedge.exe"],
    }[platform]
    for part in expected:
        assert part in found


def test_version_of_a_browser(tmp_path: Path) -> None:
    assert browser.browser_version(_fake_browser(tmp_path / "chrome")) == "Fake Chromium 1.2.3"


def test_quiet_flags_present() -> None:
    for flag in (
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
    ):
        assert flag in browser.QUIET_FLAGS


@pytest.mark.e2e
def test_debian_chromium_is_found_here() -> None:
    if not os.path.exists("/usr/bin/chromium"):
        pytest.skip("this machine has no /usr/bin/chromium")
    found = browser.discover(None, None)
    assert found.source == "system"
    assert "Chromium" in browser.browser_version(found.path)


@pytest.mark.parametrize(
    "name",
    ["chromium-headless-shell", "chrome-headless-shell", "headless_shell", "HEADLESS_SHELL.EXE"],
)
def test_headless_shell_is_refused(tmp_path: Path, name: str) -> None:
    shell = _fake_browser(tmp_path / name)
    with pytest.raises(EnvironmentProblem, match=r"headless shell.*HTTP 999"):
        browser.discover(shell, None)


def test_headless_shell_behind_a_link_is_refused(tmp_path: Path) -> None:
    shell = _fake_browser(tmp_path / "chrome-headless-shell")
    link = tmp_path / "chrome"
    link.symlink_to(shell)
    with pytest.raises(EnvironmentProblem, match="headless shell"):
        browser.discover(str(link), None)
    assert not browser.is_headless_shell(_fake_browser(tmp_path / "chromium"))

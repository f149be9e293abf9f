"""Pieces of sign-in that need no browser: secrets, browser choice, cool-downs, locks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
import pytest

from optout.core.errors import EnvironmentProblem
from optout.linkedin.chromium.browser import discover
from optout.linkedin.login.sign_in import normalize_totp_secret
from optout.output.person import Person
from optout.storage.accounts import LONGEST_COOLDOWN, AccountRegistry
from optout.storage.locks import held


def test_totp_secret_forms() -> None:
    secret = pyotp.random_base32()
    assert normalize_totp_secret(secret) == secret
    spaced = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)).lower()
    assert normalize_totp_secret(spaced) == secret
    link = pyotp.TOTP(secret).provisioning_uri(name="a@example.com", issuer_name="LinkedIn")
    assert normalize_totp_secret(link) == secret
    short = "JBSWY3DPEHPK3PXP"  # 80 bits: valid base32, too short for pyotp
    for bad in ("", "not base32!", "AAAA", short, "otpauth://hotp/x?secret=&counter=1"):
        assert normalize_totp_secret(bad) is None


def _executable(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return str(path)


def test_headed_sign_in_prefers_an_installed_chrome(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chrome = _executable(tmp_path / "opt/google/chrome/chrome")
    chromium = _executable(tmp_path / "usr/bin/chromium")
    bundled = _executable(tmp_path / "ms-playwright/chromium-1/chrome-linux/chrome")
    monkeypatch.setattr(
        "optout.linkedin.chromium.browser.system_candidates", lambda: [chromium, chrome]
    )
    assert discover(None, bundled).path == bundled
    assert discover(None, bundled, prefer_branded=True).path == chrome
    # What the member configured always wins.
    assert discover(chromium, bundled, prefer_branded=True).path == chromium


def test_cool_down_doubles_up_to_a_day_and_a_login_ends_it(tmp_path: Path) -> None:
    registry = AccountRegistry(tmp_path / "state" / "accounts.json")
    assert registry.cooldown_until("a@example.com") is None
    first = registry.record_refusal("a@example.com")
    second = registry.record_refusal("a@example.com")
    now = datetime.now(UTC)
    assert timedelta(minutes=55) < first - now < timedelta(minutes=65)
    assert timedelta(minutes=115) < second - now < timedelta(minutes=125)
    for _ in range(10):
        last = registry.record_refusal("a@example.com")
    assert last - datetime.now(UTC) <= LONGEST_COOLDOWN
    assert registry.cooldown_until("a@example.com") is not None
    registry.record_login("a@example.com")
    assert registry.cooldown_until("a@example.com") is None


def test_registry_keeps_every_account_written(tmp_path: Path) -> None:
    registry = AccountRegistry(tmp_path / "state" / "accounts.json")
    registry.record_login("a@example.com")
    registry.record_result("b@example.com", "drift", 1)
    assert registry.names() == ["a@example.com", "b@example.com"]
    assert registry.entry("b@example.com")["last_result"]["exit"] == 1
    assert registry.forget("a@example.com") is True
    assert registry.forget("a@example.com") is False
    assert registry.names() == ["b@example.com"]


def test_a_held_lock_names_its_holder(tmp_path: Path) -> None:
    with held(tmp_path, "a@example.com"):
        with (
            pytest.raises(EnvironmentProblem, match=r"Another optout run .* \(process \d+"),
            held(tmp_path, "a@example.com", wait_s=0.2),
        ):
            pass
        with held(tmp_path, "b@example.com", wait_s=0.2):
            pass  # other accounts are free
    with held(tmp_path, "a@example.com", wait_s=0.2):
        pass  # released


def test_nobody_to_ask_without_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPTOUT_NO_PROMPT", "1")
    person = Person.at_terminal()
    assert not person.present
    assert person.ask("code: ") == ""

"""Bad input: one clear line on stderr, the documented exit code, never a traceback."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest
from conftest import SETTING, Account, Optout, one_line_error, signed_in

from optout.sandbox import Sandbox


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_unknown_setting_is_a_usage_error(optout: Optout) -> None:
    ran = optout("check", "--setting", "no-such-setting")
    assert ran.code == 2
    assert "no-such-setting" in one_line_error(ran)
    assert ran.stdout == ""


def test_unknown_account_needs_login(optout: Optout, real_keyring: str) -> None:
    ran = optout("check", "--account", "nobody@example.com")
    assert ran.code == 3
    line = one_line_error(ran)
    assert "nobody@example.com" in line
    assert "optout login" in line


def test_unknown_account_json_is_one_object(optout: Optout, real_keyring: str) -> None:
    ran = optout("check", "--account", "nobody@example.com", "--json")
    assert ran.code == 3
    assert ran.json["status"] == "error"
    assert ran.json["error"]["kind"] == "login_required"
    assert ran.json["settings"] == []


def test_no_account_at_all_needs_login(optout: Optout) -> None:
    ran = optout("check")
    assert ran.code == 3
    assert "optout login" in one_line_error(ran)


def test_empty_password_on_stdin(optout: Optout) -> None:
    ran = optout("login", "--account", "a@example.com", "--password-stdin", stdin="\n")
    assert ran.code == 2
    assert "empty" in one_line_error(ran)


def test_login_without_terminal_or_stdin_flag(optout: Optout) -> None:
    ran = optout("login", "--account", "a@example.com")
    assert ran.code == 2
    assert "--password-stdin" in one_line_error(ran)


@pytest.mark.e2e
def test_unreachable_base_url_is_exit_5(optout: Optout) -> None:
    ran = optout(
        "login",
        "--account",
        "a@example.com",
        "--password-stdin",
        stdin="secret-pw\n",
        OPTOUT_BASE_URL=f"http://127.0.0.1:{_closed_port()}",
    )
    assert ran.code == 5
    assert "ERR_CONNECTION_REFUSED" in one_line_error(ran)


def test_browser_pointing_at_nothing_is_exit_6(optout: Optout) -> None:
    ran = optout(
        "login",
        "--account",
        "a@example.com",
        "--password-stdin",
        stdin="secret-pw\n",
        OPTOUT_BROWSER="/nonexistent/chrome",
    )
    assert ran.code == 6
    assert "OPTOUT_BROWSER" in one_line_error(ran)


def test_browser_pointing_at_nothing_json(
    optout: Optout, sandbox: Sandbox, account: Account
) -> None:
    signed_in(optout, sandbox, account)
    ran = optout("check", "--json", OPTOUT_BROWSER="/nonexistent/chrome")
    assert ran.code == 6
    assert ran.json["error"]["kind"] == "environment"


@pytest.mark.e2e
def test_headless_shell_under_another_name_is_refused_before_any_page(
    optout: Optout, sandbox: Sandbox, account: Account, tmp_path: Path
) -> None:
    # Debian's chromium-headless-shell: scripts/setup --dev installs it where it can.
    shell = shutil.which("chromium-headless-shell")
    if shell is None:
        pytest.skip("this machine has no chromium-headless-shell")
    signed_in(optout, sandbox, account)
    renamed = tmp_path / "my-browser"  # no name that tells it is the shell
    renamed.write_text(f'#!/bin/sh\nexec "{shell}" "$@"\n')
    renamed.chmod(0o700)
    sandbox.page_views(account.email, reset=True)
    ran = optout("check", OPTOUT_BROWSER=str(renamed))
    assert ran.code == 6
    assert "headless shell" in one_line_error(ran)
    assert sandbox.page_views(account.email) == {}  # LinkedIn never saw it
    again = optout("check", "--json")  # no cooldown or other mark left on the account
    assert again.json["error"] is None, again.stderr
    assert again.code == (1 if sandbox.setting(account.email, SETTING) else 0)


def test_no_keyring_backend_is_exit_6(optout: Optout) -> None:
    ran = optout(
        "check",
        "--account",
        "a@example.com",
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    assert ran.code == 6
    line = one_line_error(ran)
    assert "keyring" in line
    assert "PYTHON_KEYRING_BACKEND" in line


def test_bad_base_url(optout: Optout) -> None:
    ran = optout("check", "--account", "a@example.com", OPTOUT_BASE_URL="linkedin.com")
    assert ran.code == 6
    assert "OPTOUT_BASE_URL" in one_line_error(ran)


def test_secrets_never_in_output(optout: Optout) -> None:
    ran = optout(
        "login",
        "--account",
        "a@example.com",
        "--password-stdin",
        stdin="hunter2-secret\n",
        OPTOUT_BROWSER="/nonexistent/chrome",
    )
    assert "hunter2-secret" not in ran.stdout + ran.stderr


def test_no_secret_service_is_exit_6_never_a_silent_stand_in(optout: Optout) -> None:
    env = {k: v for k, v in optout.env.items() if k != "DBUS_SESSION_BUS_ADDRESS"}
    optout.env = env
    ran = optout("login", "--account", "a@example.com", "--password-stdin", stdin="secret-pw\n")
    assert ran.code == 6
    assert "No usable keyring backend" in one_line_error(ran)
    ran = optout("doctor")
    assert ran.code == 6
    assert "FAIL Keyring" in ran.stdout


def test_headed_without_a_screen_is_exit_6(optout: Optout, real_keyring: str) -> None:
    ran = optout(
        "login", "--account", "screen@example.com", "--password-stdin", "--headed",
        stdin="pw\n", DISPLAY="", WAYLAND_DISPLAY="",
    )  # fmt: skip
    assert ran.code == 6
    line = one_line_error(ran)
    assert "DISPLAY" in line
    assert "playwright install" not in line


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "sandbox.example.com"])  # noqa: S104
def test_sandbox_refuses_an_address_beyond_this_machine(optout: Optout, host: str) -> None:
    ran = optout("sandbox", "--host", host, "--port", "0")
    assert ran.code == 2
    assert "--allow-remote" in one_line_error(ran)

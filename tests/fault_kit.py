"""What the fault suite (test_faults.py) needs to start, watch, kill and starve optout
runs: real processes against the sandbox, a Secret Service of a test's own."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import SETTING, Account, Optout, Ran, signed_in

from optout.core.config import load_settings, paths
from optout.core.results import Mode, RunResult, SettingResult, State
from optout.sandbox import Sandbox
from optout.storage import credentials
from optout.storage.history import History
from optout.storage.sessions import SessionStore


def history_of(optout: Optout) -> list[dict[str, object]]:
    ran = optout("history", "--json", "--limit", "1000")
    assert ran.code == 0, ran.stderr
    entries: list[dict[str, object]] = ran.json["entries"]
    return entries


def never_on(sandbox: Sandbox, account: Account) -> None:
    assert sandbox.stats(account.email)["writes_on"] == 0


def timed(run: Callable[[], Ran]) -> tuple[Ran, float]:
    started = time.monotonic()
    ran = run()
    return ran, round(time.monotonic() - started, 1)


def start(
    optout: Optout,
    *args: str,
    preexec: Callable[[], None] | None = None,
    **env: str,
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "optout", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**optout.env, **env},
        start_new_session=True,  # its own process group: the browser goes with it
        preexec_fn=preexec,
    )


def finish(process: subprocess.Popen[str]) -> Ran:
    stdout, stderr = process.communicate(timeout=120)
    return Ran(process.returncode, stdout, stderr)


def wait_for(
    condition: Callable[[], bool], process: subprocess.Popen[str], timeout_s: float = 45
) -> float:
    """Seconds until `condition` held, while `process` still runs."""
    started = time.monotonic()
    while not condition():
        if process.poll() is not None:
            ran = finish(process)
            raise AssertionError(f"the run ended first: exit {ran.code}, {ran.stderr}")
        assert time.monotonic() - started < timeout_s, "the sandbox never saw it"
        time.sleep(0.01)
    return time.monotonic() - started


def group_gone(pgid: int, timeout_s: float = 15) -> float | None:
    """Seconds until no process of the group is left; None if some still are."""
    started = time.monotonic()
    while True:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return round(time.monotonic() - started, 1)
        if time.monotonic() - started >= timeout_s:
            return None
        time.sleep(0.1)


def session_store(optout: Optout) -> SessionStore:
    """The sessions optout keeps for this home and sandbox origin."""
    return SessionStore.of(paths({"OPTOUT_HOME": str(optout.home)}, optout.base_url))


def session_file(optout: Optout, account: Account) -> Path:
    return session_store(optout).path_for(account.email)


def session_key(optout: Optout, account: Account) -> str:
    key = credentials.get_session_key(account.email, origin=optout.base_url)
    assert key is not None
    return key


def signed_in_with_history(
    optout: Optout, sandbox: Sandbox, account: Account, checks: int = 1
) -> None:
    """Signed in (conftest.signed_in), with checks in the history."""
    signed_in(optout, sandbox, account)
    checks_in_history(optout, account, checks)


def checks_in_history(optout: Optout, account: Account, checks: int = 1) -> None:
    """`checks` checks in the history that found the setting on (LinkedIn's default),
    written as `optout check` writes them."""
    history = History.of(load_settings(optout.env))
    for _ in range(checks):
        found = SettingResult(SETTING, "Data for Generative AI Improvement", State.ON)
        history.record(RunResult(account.email, Mode.CHECK, settings=[found]), duration_s=1.0)


ROOM_BYTES = 1024  # room for a lock's note, none for a session or the history


def browser_with_room(tmp_path: Path) -> str:
    """The browser, given back the room the test takes from optout: the fault is in
    optout's own files, not in the browser's profile."""
    from optout.linkedin.chromium.browser import discover, playwright_chromium_path

    real = discover(os.environ.get("OPTOUT_BROWSER"), playwright_chromium_path()).path
    wrapper = tmp_path / "browser-with-room"
    wrapper.write_text(f'#!/bin/sh\nulimit -f unlimited\nexec "{real}" "$@"\n')
    wrapper.chmod(0o700)
    return str(wrapper)


def as_from_a_terminal() -> None:
    """Ctrl-C reaches the run as it does one typed at a terminal, even where the tests
    themselves run as a background job (whose shell has them ignore SIGINT)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def little_room() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (ROOM_BYTES, resource.RLIM_INFINITY))


@contextmanager
def own_keyring(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A Secret Service of this test's own (D-Bus session and gnome-keyring), so it can
    be locked without locking every other test out: the environment that reaches it."""
    if shutil.which("gnome-keyring-daemon") is None or shutil.which("dbus-daemon") is None:
        pytest.fail("gnome-keyring and dbus are needed (scripts/setup --dev installs them)")
    home, runtime = tmp_path / "keyring-home", tmp_path / "keyring-run"
    for folder in (home, runtime):
        folder.mkdir(mode=0o700)
    env = {**os.environ, "HOME": str(home), "XDG_RUNTIME_DIR": str(runtime)}
    bus = subprocess.run(
        ["dbus-daemon", "--session", "--fork", "--print-address=1", "--print-pid=1"],
        capture_output=True, text=True, env=env, check=True, timeout=30,
    )  # fmt: skip
    address, pid = bus.stdout.split()
    env["DBUS_SESSION_BUS_ADDRESS"] = address
    try:
        subprocess.run(
            ["gnome-keyring-daemon", "--unlock", "--components=secrets"],
            input="throwaway-unlock-password", capture_output=True, text=True, env=env,
            check=True, timeout=30,
        )  # fmt: skip
        yield {"DBUS_SESSION_BUS_ADDRESS": address}
    finally:
        os.kill(int(pid), signal.SIGTERM)  # the keyring daemon leaves with its bus


def lock(bus: dict[str, str]) -> None:
    subprocess.run(
        ["dbus-send", "--session", "--dest=org.freedesktop.secrets", "--type=method_call",
         "--print-reply", "/org/freedesktop/secrets", "org.freedesktop.Secret.Service.Lock",
         "array:objpath:/org/freedesktop/secrets/collection/login"],
        env={**os.environ, **bus}, capture_output=True, check=True, timeout=30,
    )  # fmt: skip

"""Credentials in the real Secret Service (gnome-keyring), and the encrypted session on disk."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Account, Optout, signed_in
from cryptography.fernet import Fernet

from optout.sandbox import Sandbox
from optout.storage import credentials

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [pytest.mark.e2e, pytest.mark.keyring]


def _secret_tool(account: str, service: str) -> str:
    """What another Secret Service client sees for the account (proves it is the OS keyring)."""
    done = subprocess.run(
        ["secret-tool", "lookup", "service", service, "username", account],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout


def test_backend_is_the_secret_service(real_keyring: str) -> None:
    assert "SecretService" in credentials.backend_name() or "Secret" in real_keyring


_CHOSEN_CODE = """
import sys
from optout.storage import credentials
print(credentials.backend_name(), "keyring.backends.macOS" in sys.modules)
"""
_DISCOVERED = (
    "import keyring; b = keyring.get_keyring(); print(type(b).__module__ + '.' + type(b).__name__)"
)


def _python(code: str, **env: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        env={**os.environ, **env}, cwd=ROOT,
    )  # fmt: skip
    return done.stdout.strip()


def test_the_backend_taken_directly_is_the_one_discovery_picks(real_keyring: str) -> None:
    chosen, discovered = _python(_CHOSEN_CODE), _python(_DISCOVERED)
    # The same backend, without importing (and probing for) every other one.
    assert chosen == f"{discovered} False"


def test_a_backend_named_by_the_member_is_used(tmp_path: Path, real_keyring: str) -> None:
    named = "keyring.backends.null.Keyring"
    assert _python(_CHOSEN_CODE, PYTHON_KEYRING_BACKEND=named).split()[0] == named
    (tmp_path / "python_keyring").mkdir()
    (tmp_path / "python_keyring" / "keyringrc.cfg").write_text(
        f"[backend]\ndefault-keyring={named}\n"
    )
    assert _python(_CHOSEN_CODE, XDG_CONFIG_HOME=str(tmp_path)).split()[0] == named


def test_login_stores_password_and_key_logout_forget_removes_them(
    optout: Optout, account: Account
) -> None:
    assert optout.login(account).code == 0
    assert credentials.get_password(account.email, origin=optout.base_url) == account.password
    own_service = credentials.service_for(optout.base_url)
    assert _secret_tool(account.email, own_service) == account.password
    assert _secret_tool(account.email, credentials.SERVICE) == ""  # never the real site's entry
    assert credentials.get_session_key(account.email, origin=optout.base_url)

    ran = optout("logout", "--forget", "--json")
    assert ran.code == 0, ran.stderr
    assert ran.json["removed"] == ["saved session", "password", "session key"]
    assert credentials.get_password(account.email, origin=optout.base_url) is None
    assert credentials.get_session_key(account.email, origin=optout.base_url) is None
    assert _secret_tool(account.email, own_service) == ""
    assert not list(optout.home.rglob("*.session"))


def test_plain_logout_keeps_the_password(
    optout: Optout, sandbox: Sandbox, account: Account
) -> None:
    signed_in(optout, sandbox, account)
    ran = optout("logout")
    assert ran.code == 0, ran.stderr
    assert not list(optout.home.rglob("*.session"))
    assert credentials.get_password(account.email, origin=optout.base_url) == account.password


def test_logout_waits_for_a_run_that_holds_the_account(
    optout: Optout, sandbox: Sandbox, account: Account
) -> None:
    """A run still going would save its session and the account back after a logout."""
    from optout.core.config import paths
    from optout.storage.locks import held

    signed_in(optout, sandbox, account)
    locks_dir = paths({"OPTOUT_HOME": str(optout.home)}).locks_dir
    with held(locks_dir, account.email):  # as a check or a scheduled run does
        ran = optout("logout", "--forget", "--json")
    assert ran.code == 6, ran.stderr
    assert "still going" in ran.json["error"]["message"]
    assert list(optout.home.rglob("*.session"))  # nothing removed under the run's feet
    assert credentials.get_password(account.email, origin=optout.base_url) == account.password
    ran = optout("logout", "--forget", "--json")
    assert ran.code == 0, ran.stderr
    assert not list(optout.home.rglob("*.session"))


def test_session_file_is_encrypted_private_and_holds_no_secret_in_clear(
    optout: Optout, account: Account
) -> None:
    assert optout.login(account).code == 0
    [session] = list(optout.home.rglob("*.session"))
    assert stat.S_IMODE(session.stat().st_mode) == 0o600
    assert stat.S_IMODE(session.parent.stat().st_mode) == 0o700

    raw = session.read_bytes()
    key = credentials.get_session_key(account.email, origin=optout.base_url)
    assert key is not None
    state = json.loads(Fernet(key.encode()).decrypt(raw))
    li_at = next(c["value"] for c in state["cookies"] if c["name"] == "li_at")
    assert len(li_at) >= 16
    assert li_at.encode() not in raw
    assert account.password.encode() not in raw
    assert b"li_at" not in raw

    # Nothing anywhere under OPTOUT_HOME holds the password or the cookie in clear.
    for path in optout.home.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert account.password.encode() not in data, path
            assert li_at.encode() not in data, path


LOCK_THEN_CHECK = """
import os, subprocess, sys
import secretstorage
collection = secretstorage.get_default_collection(secretstorage.dbus_init())
collection.lock()
assert collection.is_locked()
done = subprocess.run(
    [sys.executable, "-m", "optout", "check", "--account", "a@example.com"],
    capture_output=True, text=True, timeout=60,
)
sys.stdout.write(done.stderr)
sys.exit(done.returncode)
"""


def _in_a_keyring_session_of_its_own(
    script: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`script` run by Python in a new scripts/keyring-session: its own bus and daemon,
    so what it does to them leaves the other tests' keyring alone."""
    return subprocess.run(
        [str(ROOT / "scripts" / "keyring-session"), sys.executable, "-c", script],
        capture_output=True, text=True, timeout=120, cwd=ROOT, env=env, check=False,
    )  # fmt: skip


def test_locked_keyring_is_exit_6_with_the_fix(tmp_path: Path, real_keyring: str) -> None:
    done = _in_a_keyring_session_of_its_own(
        LOCK_THEN_CHECK, env={**os.environ, "OPTOUT_HOME": str(tmp_path)}
    )
    assert done.returncode == 6, done.stdout + done.stderr
    [line] = [line for line in done.stdout.splitlines() if line.strip()]
    assert "locked" in line
    assert "unlock" in line


# Run in a keyring session of its own, where no other process opens connections: the
# bus numbers its connections in order, so two probes tell how many opened between.
READS_OVER_ONE_CONNECTION = """
import threading
from jeepney.io.blocking import open_dbus_connection
from optout.storage import credentials

def connections_so_far():
    with open_dbus_connection(bus="SESSION") as probe:
        return int(probe.unique_name.rsplit(".", 1)[1])

origin = "http://127.0.0.1:9"
for n in range(10):
    credentials.set_password(f"m{n}@example.com", f"password-{n}", origin=origin)
before = connections_so_far()
wrong = []
def read(first):
    for n in [*range(first, 10), *range(first)] * 5:
        if credentials.get_password(f"m{n}@example.com", origin=origin) != f"password-{n}":
            wrong.append(n)
threads = [threading.Thread(target=read, args=(first,)) for first in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(connections_so_far() - before - 1, len(wrong))
"""


def test_a_process_reads_every_secret_over_one_connection(real_keyring: str) -> None:
    """One connection and one session per process: connections opened by the dozen,
    several at once, can make gnome-keyring-daemon abort (secret_service.py)."""
    done = _in_a_keyring_session_of_its_own(READS_OVER_ONE_CONNECTION)
    assert done.returncode == 0, done.stderr
    opened, wrong = done.stdout.split()
    # 200 reads from four threads, each right, and not one connection more.
    assert (opened, wrong) == ("0", "0")


def test_a_kept_connection_that_went_away_is_opened_anew(real_keyring: str) -> None:
    from optout.storage import secret_service

    one = secret_service.OneConnection()
    found = {"service": "optout-test", "username": f"reconnect-{os.getpid()}"}
    try:
        one.run(lambda collection: secret_service.write_secret(collection, "t", found, "kept"))
        one.run(lambda collection: collection.connection.close())  # as a restarted daemon's
        assert one.run(lambda collection: secret_service.read_secret(collection, found)) == "kept"
    finally:
        one.run(lambda collection: secret_service.delete_secret(collection, found))
        one.close()
    assert (
        secret_service.OneConnection().run(
            lambda collection: secret_service.read_secret(collection, found)
        )
        is None
    )


def test_a_first_call_the_daemon_left_unanswered_is_asked_again(real_keyring: str) -> None:
    """gnome-keyring aborting during a process's first call (D-Bus's own words for it):
    asked once more, on a connection opened anew. Any other failure of a first call is
    the answer, not retried."""
    from secretstorage.exceptions import SecretServiceNotAvailableException

    from optout.storage import secret_service

    calls: list[object] = []

    def left_once(collection: object) -> str:
        calls.append(collection)
        if len(calls) == 1:
            raise SecretServiceNotAvailableException(
                "Message recipient disconnected from message bus without replying"
            )
        return "answered"

    one = secret_service.OneConnection()
    try:
        assert one.run(left_once) == "answered"
        assert len(calls) == 2
        assert calls[0] is not calls[1]  # a new connection's collection
    finally:
        one.close()
    other = secret_service.OneConnection()
    try:
        with pytest.raises(SecretServiceNotAvailableException):
            other.run(lambda _: (_ for _ in ()).throw(SecretServiceNotAvailableException("no")))
    finally:
        other.close()


# Run in a keyring session of its own: its gnome-keyring-daemon is aborted three times
# while one process reads, as gnome-keyring 50 aborts under many connections.
READS_THROUGH_ABORTS = """
import os, signal, threading, time
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection
from optout.storage import credentials

def keyring_daemon():
    # The process that answers for the Secret Service on this session's bus: never
    # another test's daemon.
    with open_dbus_connection(bus="SESSION") as bus:
        bus.send_and_get_reply(message_bus.StartServiceByName("org.freedesktop.secrets"))
        call = message_bus.GetConnectionUnixProcessID("org.freedesktop.secrets")
        return int(bus.send_and_get_reply(call).body[0])

origin = "http://127.0.0.1:9"
credentials.set_password("a@example.com", "kept-1", origin=origin)
aborted, stop = [], threading.Event()
reads = wrong = 0

def after_reads_go_on():
    # Each abort comes after reads have gone on since the last: three aborts one after
    # another, not a second one while the first is still being asked through (on a busy
    # machine the daemon D-Bus starts again can take longer than the pause).
    time.sleep(0.5)
    since = reads
    while reads < since + 10:
        time.sleep(0.01)

def abort_three_times():
    try:
        for _ in range(3):
            after_reads_go_on()
            aborted.append(keyring_daemon())
            os.kill(aborted[-1], signal.SIGABRT)
        after_reads_go_on()
    finally:
        stop.set()

# A daemon thread: if a read fails, the traceback ends the process, not a wait.
threading.Thread(target=abort_three_times, daemon=True).start()
while not stop.is_set():
    wrong += credentials.get_password("a@example.com", origin=origin) != "kept-1"
    reads += 1
print(reads, wrong, len(set(aborted)))
"""


def test_the_test_keyring_comes_back_unlocked_after_an_abort(real_keyring: str) -> None:
    """scripts/keyring-session has D-Bus start the daemon again, unlocked, and optout's
    connection asks once more: reads go on through aborts of gnome-keyring-daemon."""
    done = _in_a_keyring_session_of_its_own(READS_THROUGH_ABORTS)
    assert done.returncode == 0, done.stderr
    reads, wrong, daemons_aborted = (int(n) for n in done.stdout.split())
    assert reads > 100
    assert wrong == 0
    assert daemons_aborted == 3  # three daemons, each started after the last one's abort

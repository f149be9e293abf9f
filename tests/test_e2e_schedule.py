"""Periodic verification end to end: the scheduled command against the sandbox, drift
found and (with --fix) switched off, the history, and notices that arrive once, at a
real local SMTP server and a local HTTP receiver."""

from __future__ import annotations

import http.server
import json
import shlex
import socket
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import SETTING, Account, Optout, Ran, signed_in

from optout.sandbox import Faults, PageDetails, Sandbox
from optout.scheduled.notices import masked

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Inbox:
    """What a receiver got: one entry per notice."""

    url: str
    received: list[str] = field(default_factory=list)


@pytest.fixture
def mail() -> Iterator[Inbox]:
    from aiosmtpd.controller import Controller

    port = _free_port()
    inbox = Inbox(
        f"mailto://127.0.0.1:{port}?from=optout@example.com&to=member@example.com&mode=insecure"
    )

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            inbox.received.append(envelope.content.decode("utf-8", "replace"))
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox
    controller.stop()


@pytest.fixture
def webhook() -> Iterator[Inbox]:
    inbox = Inbox("")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            inbox.received.append(body.decode("utf-8", "replace"))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *_: object) -> None:
            return None

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    inbox.url = f"json://127.0.0.1:{server.server_address[1]}/optout-hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield inbox
    server.shutdown()
    server.server_close()


def _configure_notices(optout: Optout, *urls: str) -> None:
    config = optout.home / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "config.toml").write_text("notify = " + json.dumps(list(urls)) + "\n")


def _latest(optout: Optout, account: Account) -> dict[str, Any]:
    ran = optout("history", "--json", "--account", account.email, "--setting", SETTING)
    assert ran.code == 0, ran.stderr
    entry: dict[str, Any] = ran.json["entries"][0]
    return entry


def _scheduled(optout: Optout, *args: str) -> Ran:
    return optout("schedule", "run", "--json", *args)


@dataclass
class ScheduledCommand:
    """What `schedule install` told systemd to run, read back from the unit it wrote."""

    argv: list[str]
    env: dict[str, str]
    unit: str

    def __call__(self, optout: Optout) -> Ran:
        done = subprocess.run(
            self.argv, env={**optout.env, **self.env}, capture_output=True, text=True,
            timeout=180, check=False, start_new_session=True,
        )  # fmt: skip
        return Ran(done.returncode, done.stdout, done.stderr)


def _install(
    optout: Optout, tmp_path: Path, *args: str, stdin: str | None = None
) -> ScheduledCommand:
    recorder = tmp_path / "systemctl"
    recorder.write_text("#!/bin/sh\nexit 0\n")
    recorder.chmod(0o755)
    xdg = tmp_path / "xdg"
    ran = optout(
        "schedule", "install", "--scheduler", "systemd", "--every", "6h", *args, stdin=stdin,
        OPTOUT_SCHEDULER_COMMANDS=f"systemctl={recorder}", XDG_CONFIG_HOME=str(xdg),
    )  # fmt: skip
    assert ran.code == 0, ran.stderr
    unit = next((xdg / "systemd" / "user").glob("optout-*.service")).read_text()
    argv: list[str] = []
    env: dict[str, str] = {}
    for line in unit.splitlines():
        key, _, value = line.partition("=")
        if key == "ExecStart":
            argv = shlex.split(value)
        elif key == "Environment":
            name, _, setting = shlex.split(value)[0].partition("=")
            env[name] = setting
    assert Path(argv[0]).is_absolute()
    return ScheduledCommand(argv, env, unit)


@pytest.fixture
def member_off(optout: Optout, sandbox: Sandbox, account: Account) -> Account:
    """A signed-in member whose setting is off, as after `optout off`."""
    sandbox.set_setting(account.email, SETTING, False)
    signed_in(optout, sandbox, account)
    return account


def test_drift_is_exit_1_recorded_and_notified_once(
    optout: Optout,
    sandbox: Sandbox,
    member_off: Account,
    mail: Inbox,
    webhook: Inbox,
    tmp_path: Path,
) -> None:
    scheduled = _install(optout, tmp_path, "--notify-stdin", stdin=f"{mail.url}\n{webhook.url}\n")
    # The notice targets went to the keyring, not into the scheduled job.
    assert "optout-hook" not in scheduled.unit
    assert "mailto" not in scheduled.unit
    assert scheduled.env["OPTOUT_HOME"] == str(optout.home)
    ran = scheduled(optout)
    assert ran.code == 0, ran.stderr
    assert _latest(optout, member_off)["state"] == "off"
    assert mail.received == []
    assert webhook.received == []

    sandbox.set_setting(member_off.email, SETTING, True)  # LinkedIn flips it back on
    ran = scheduled(optout)
    assert ran.code == 1, ran.stderr
    latest = _latest(optout, member_off)
    assert (latest["state"], latest["drift"], latest["scheduled"]) == ("on", True, True)
    assert len(mail.received) == 1
    assert len(webhook.received) == 1
    assert "Data for Generative AI Improvement is ON" in json.loads(webhook.received[0])["message"]
    assert member_off.email in mail.received[0]

    # Still on at the next run: still exit 1, but no second notice for the same problem.
    ran = scheduled(optout)
    assert ran.code == 1
    assert _latest(optout, member_off)["drift"] is False
    assert len(mail.received) == 1
    assert len(webhook.received) == 1
    assert sandbox.setting(member_off.email, SETTING) is True  # without --fix, never clicked

    # The member switches it off as told; LinkedIn turns it on again: that is news.
    assert optout("off", "--json").code == 0
    sandbox.set_setting(member_off.email, SETTING, True)
    assert scheduled(optout).code == 1
    assert len(webhook.received) == 2
    assert "Data for Generative AI Improvement is ON" in json.loads(webhook.received[1])["message"]


def test_fix_switches_drift_off_and_says_so(
    optout: Optout,
    sandbox: Sandbox,
    member_off: Account,
    mail: Inbox,
    webhook: Inbox,
    tmp_path: Path,
) -> None:
    _configure_notices(optout, mail.url, webhook.url)
    scheduled = _install(optout, tmp_path, "--fix")
    assert "--fix" in scheduled.argv
    assert scheduled(optout).code == 0
    sandbox.set_setting(member_off.email, SETTING, True)
    ran = scheduled(optout)
    assert ran.code == 1, ran.stderr
    assert sandbox.setting(member_off.email, SETTING) is False
    assert sandbox.stats(member_off.email)["writes_off"] == 1
    latest = _latest(optout, member_off)
    assert (latest["state"], latest["changed"], latest["drift"]) == ("off", True, True)
    assert len(mail.received) == 1
    assert len(webhook.received) == 1
    assert "switched it off" in json.loads(webhook.received[0])["message"]
    # Fixed: the next run is quiet again.
    assert scheduled(optout).code == 0
    assert len(webhook.received) == 1


def test_a_group_is_installed_and_the_scheduled_run_fixes_all_of_it(
    optout: Optout, sandbox: Sandbox, member_off: Account, tmp_path: Path
) -> None:
    marketing = ("linkedin-marketing", "marketing-emails")
    # Both switches named by their keys (the property test varies how pages name them).
    sandbox.set_details(member_off.email, PageDetails(pages_alike=True))
    for setting_id in marketing:
        sandbox.set_setting(member_off.email, setting_id, True)
    scheduled = _install(optout, tmp_path, "--group", "marketing", "--fix")
    assert scheduled.argv[scheduled.argv.index("--group") + 1] == "marketing"
    ran = scheduled(optout)
    assert ran.code == 1, ran.stderr  # found on, switched off: still reported
    for setting_id in marketing:
        assert sandbox.setting(member_off.email, setting_id) is False, setting_id
    assert sandbox.setting(member_off.email, SETTING) is False  # not asked for, not touched
    assert sandbox.stats(member_off.email)["writes_on"] == 0
    assert scheduled(optout).code == 0


def test_unreachable_notice_target_does_not_fail_the_run(
    optout: Optout, member_off: Account, webhook: Inbox
) -> None:
    dead = f"json://127.0.0.1:{_free_port()}/nobody-listens"
    _configure_notices(optout, dead, webhook.url)
    ran = _scheduled(optout, "--notify-every-run")
    assert ran.code == 0, ran.stderr
    assert ran.json["status"] == "compliant"
    # Only the scheme and a fingerprint: a host can be the secret (ntfy://<topic>).
    assert f"the notice to {masked(dead)} failed" in ran.stderr
    assert "nobody-listens" not in ran.stderr
    assert dead.split("/")[2] not in ran.stderr
    log = (optout.home / "state" / "optout.log").read_text()
    assert f"to {masked(dead)}: FAILED" in log
    assert "nobody-listens" not in log
    assert dead.split("/")[2] not in log
    assert len(webhook.received) == 1  # the reachable target still got its notice


def test_a_history_that_cannot_open_never_silences_a_notice(
    optout: Optout, sandbox: Sandbox, member_off: Account, webhook: Inbox
) -> None:
    _configure_notices(optout, webhook.url)
    sandbox.set_setting(member_off.email, SETTING, True)
    history = optout.home / "state" / "history.sqlite3"
    history.unlink(missing_ok=True)
    history.mkdir(parents=True)  # no database can be opened there
    ran = _scheduled(optout)
    assert ran.code != 0
    assert len(webhook.received) == 1
    assert "Data for Generative AI Improvement is ON" in json.loads(webhook.received[0])["message"]


def test_a_challenge_becomes_one_notice_to_sign_in_headed(
    optout: Optout, sandbox: Sandbox, member_off: Account, webhook: Inbox
) -> None:
    _configure_notices(optout, webhook.url)
    sandbox.set_challenge(member_off.email, "captcha")
    sandbox.expire_sessions(member_off.email)
    for _ in range(2):
        ran = _scheduled(optout)
        assert ran.code == 3, ran.stderr
        assert ran.json["accounts"][0]["error"]["kind"] == "challenge"
    assert len(webhook.received) == 1
    assert "optout login --headed" in json.loads(webhook.received[0])["message"]


def _backdate_history(optout: Optout, days: int) -> None:
    """As if every run so far had been `days` earlier."""
    with closing(sqlite3.connect(optout.home / "state" / "history.sqlite3")) as db, db:
        rows = db.execute("SELECT id, at FROM entries").fetchall()
        for row_id, at in rows:
            earlier = datetime.fromisoformat(at) - timedelta(days=days)
            db.execute("UPDATE entries SET at = ? WHERE id = ?", (earlier.isoformat(), row_id))


def test_days_without_a_reading_are_told_once(
    optout: Optout, sandbox: Sandbox, member_off: Account, webhook: Inbox
) -> None:
    """LinkedIn failing passes by itself, so it is not told at once; but days of runs
    that read nothing would leave the member believing the account watched."""
    _configure_notices(optout, webhook.url)
    sandbox.set_faults(member_off.email, Faults(page_status=503))
    ran = _scheduled(optout)
    assert ran.code == 5, ran.stderr
    assert webhook.received == []
    _backdate_history(optout, 4)
    for _ in range(2):
        ran = _scheduled(optout)
        assert ran.code == 5, ran.stderr
    assert len(webhook.received) == 1
    message = json.loads(webhook.received[0])["message"]
    assert f"has not read Data for Generative AI Improvement of {member_off.email}" in message
    sandbox.set_faults(member_off.email, Faults())
    assert _scheduled(optout).code == 0
    sandbox.set_faults(member_off.email, Faults(page_status=503))
    assert _scheduled(optout).code == 5
    assert len(webhook.received) == 1  # read again since: a new stretch begins


def test_notify_test_reports_each_target(optout: Optout, webhook: Inbox, real_keyring: str) -> None:
    dead = f"json://127.0.0.1:{_free_port()}/x"
    _configure_notices(optout, webhook.url, dead)
    ran = optout("notify", "test", "--json")
    assert ran.code == 5
    sent = {t["target"]: t["sent"] for t in ran.json["targets"]}
    assert sent == {masked(webhook.url): True, masked(dead): False}
    assert "127.0.0.1" not in ran.stdout
    assert len(webhook.received) == 1


def test_history_table_and_timeline(optout: Optout, sandbox: Sandbox, member_off: Account) -> None:
    assert optout("check").code == 0
    sandbox.set_setting(member_off.email, SETTING, True)
    assert optout("off").code == 0
    ran = optout("history")
    assert ran.code == 0, ran.stderr
    assert "Timeline" in ran.stdout
    assert "●▼" in ran.stdout.replace(" ", "")  # off, then found on and switched off
    empty = optout("history", "--account", "nobody@example.com", "--json")
    assert empty.json["entries"] == []

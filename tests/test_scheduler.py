"""The OS schedulers: generated systemd units checked by systemd-analyze, the plist and
the Task Scheduler XML read back, a real user crontab, recorders in place of
systemctl/launchctl/schtasks, and bad input."""

from __future__ import annotations

import fcntl
import os
import plistlib
import secrets
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import datetime, time
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from conftest import Optout, one_line_error

from optout.scheduled.backends import backend, choose
from optout.scheduled.backends.base import Job, Removal
from optout.scheduled.backends.cadence import (
    estimate_next,
    parse_cadence,
    systemd_calendar,
)
from optout.scheduled.backends.cron import Cron
from optout.scheduled.backends.launchd import Launchd, render_plist
from optout.scheduled.backends.schtasks import Schtasks, render_task_xml
from optout.scheduled.backends.systemd import Systemd, render_service, render_timer
from optout.scheduled.notices import masked

CADENCES = [("daily", None), ("weekly", "09:30"), ("12h", "07:15"), ("1h", None), ("5h", None),
            ("2d", "06:00")]  # fmt: skip


def _job(every: str = "daily", at: str | None = None, job_id: str = "test0001") -> Job:
    argv = [sys.executable, "-m", "optout", "schedule", "run", "--fix"]
    env = {"OPTOUT_HOME": "/tmp/with space/and%percent", "OPTOUT_BASE_URL": "http://127.0.0.1:1"}
    return Job(argv, env, parse_cadence(every, at), job_id)


def _analyze_env(tmp_path: Path) -> dict[str, str]:
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    return {**os.environ, "XDG_RUNTIME_DIR": str(runtime), "HOME": str(tmp_path)}


@pytest.mark.parametrize(("every", "at"), CADENCES)
def test_systemd_units_pass_systemd_analyze_verify(
    tmp_path: Path, every: str, at: str | None
) -> None:
    job = _job(every, at)
    service = tmp_path / f"{job.name}.service"
    timer = tmp_path / f"{job.name}.timer"
    service.write_text(render_service(job))
    timer.write_text(render_timer(job))
    done = subprocess.run(
        ["systemd-analyze", "verify", "--user", str(timer), str(service)],
        capture_output=True, text=True, env=_analyze_env(tmp_path), check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    # Unknown keys and bad values only warn: the run must have none about our units.
    ours = [line for line in done.stderr.splitlines() if job.name in line]
    assert ours == [], done.stderr


def test_systemd_analyze_does_notice_a_bad_unit(tmp_path: Path) -> None:
    """The check above can fail: a unit with an unknown key is reported."""
    job = _job()
    timer = tmp_path / f"{job.name}.timer"
    timer.write_text(render_timer(job).replace("[Timer]", "[Timer]\nOnSometimes=never"))
    (tmp_path / f"{job.name}.service").write_text(render_service(job))
    done = subprocess.run(
        ["systemd-analyze", "verify", "--user", str(timer)],
        capture_output=True, text=True, env=_analyze_env(tmp_path), check=False,
    )  # fmt: skip
    assert "OnSometimes" in done.stderr


@pytest.mark.parametrize(("every", "at"), [c for c in CADENCES if c[0] not in ("5h", "2d")])
def test_calendar_expressions_pass_systemd_analyze_calendar(every: str, at: str | None) -> None:
    expression = systemd_calendar(parse_cadence(every, at))
    assert expression is not None
    done = subprocess.run(
        ["systemd-analyze", "calendar", expression], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "Next elapse:" in done.stdout


def test_timer_kinds() -> None:
    assert "OnCalendar=*-*-* 09:30:00" in render_timer(_job("daily", "09:30"))
    assert "OnCalendar=Mon *-*-* 00:00:00" in render_timer(_job("weekly"))
    assert "OnCalendar=*-*-* 07/12:15:00" in render_timer(_job("12h", "07:15"))
    five = render_timer(_job("5h"))
    assert "OnUnitActiveSec=5h" in five
    assert "Persistent" not in five  # only meaningful with OnCalendar
    assert "Persistent=true" in render_timer(_job("daily"))
    service = render_service(_job())
    assert 'Environment="OPTOUT_HOME=/tmp/with space/and%%percent"' in service
    assert "Environment=OPTOUT_NO_PROMPT=1" in service
    assert f"ExecStart={sys.executable} -m optout schedule run --fix" in service


@pytest.mark.parametrize(("every", "at"), [("daily", "09:30"), ("weekly", "18:05"), ("12h", None)])
def test_plist_round_trips(every: str, at: str | None) -> None:
    job = _job(every, at)
    agent = plistlib.loads(render_plist(job))
    assert agent["Label"] == "io.github.optout.test0001"
    assert agent["ProgramArguments"] == job.argv
    assert agent["EnvironmentVariables"]["OPTOUT_HOME"] == job.environment["OPTOUT_HOME"]
    assert agent["EnvironmentVariables"]["OPTOUT_NO_PROMPT"] == "1"
    assert agent["RunAtLoad"] is False
    if every == "12h":
        assert agent["StartInterval"] == 12 * 3600
        assert "StartCalendarInterval" not in agent
    else:
        when = agent["StartCalendarInterval"]
        assert (when["Hour"], when["Minute"]) == (job.cadence.hour, job.cadence.minute)
        assert when.get("Weekday") == (1 if every == "weekly" else None)


@pytest.mark.parametrize(
    ("every", "trigger"), [("daily", "CalendarTrigger"), ("6h", "TimeTrigger")]
)
def test_task_xml_parses_and_names_the_command(every: str, trigger: str) -> None:
    ns = {"t": "http://schemas.microsoft.com/windows/2004/02/mit/task"}
    root = ET.fromstring(render_task_xml(_job(every, "08:00")))  # noqa: S314 (our own XML)
    assert root.find(f"t:Triggers/t:{trigger}", ns) is not None
    assert root.findtext("t:Actions/t:Exec/t:Command", namespaces=ns) == "cmd.exe"
    arguments = root.findtext("t:Actions/t:Exec/t:Arguments", namespaces=ns) or ""
    assert "schedule run --fix" in arguments
    assert 'set "OPTOUT_HOME=/tmp/with space/and%percent"' in arguments
    assert root.findtext("t:Settings/t:StartWhenAvailable", namespaces=ns) == "true"
    if every == "6h":
        assert root.findtext(f"t:Triggers/t:{trigger}/t:Repetition/t:Interval", namespaces=ns) == (
            "PT6H"
        )


# --- a real user crontab ---------------------------------------------------------------


def _crontab_lines() -> list[str]:
    done = subprocess.run(["crontab", "-l"], capture_output=True, text=True, check=False)
    return done.stdout.splitlines() if done.returncode == 0 else []


@pytest.fixture
def real_crontab() -> Iterator[None]:
    """The user's crontab as it was, put back whatever the test does; one test at a time
    (the suite runs on several workers, and there is one crontab)."""
    if shutil.which("crontab") is None:
        pytest.fail("crontab is needed (scripts/setup --dev installs cron)")
    lock = Path(tempfile.gettempdir()) / f"optout-tests-crontab-{os.getuid()}.lock"
    with lock.open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        before = subprocess.run(["crontab", "-l"], capture_output=True, text=True, check=False)
        yield
        if before.returncode == 0:
            subprocess.run(["crontab", "-"], input=before.stdout, text=True, check=True)
        else:
            subprocess.run(["crontab", "-r"], capture_output=True, check=False)


def test_cron_entry_written_to_and_removed_from_the_real_crontab(real_crontab: None) -> None:
    keep = f"# keep-me-{secrets.token_hex(4)}"
    existing = "\n".join([*_crontab_lines(), keep]) + "\n"
    subprocess.run(["crontab", "-"], input=existing, text=True, check=True)
    job = _job("12h", "07:15", job_id=secrets.token_hex(4))
    cron = Cron()
    assert cron.available()
    cron.install(job)
    cron.install(job)  # again: replaced, not doubled
    ours = [line for line in _crontab_lines() if f"optout:{job.job_id}" in line]
    assert len(ours) == 1
    assert ours[0].startswith("15 7-23/12 * * * OPTOUT_NO_PROMPT=1")
    # Quoted for the shell, and % escaped: cron reads a bare % as a newline.
    assert "'/tmp/with space/and\\%percent'" in ours[0]
    assert keep in _crontab_lines()
    status = cron.status(job.job_id)
    assert status is not None
    assert "7-23/12" in status.detail
    assert cron.remove(job.job_id).found is True
    assert not any(f"optout:{job.job_id}" in line for line in _crontab_lines())
    assert keep in _crontab_lines()
    assert cron.remove(job.job_id).found is False


def test_cron_cannot_say_every_5h() -> None:
    with pytest.raises(ValueError, match="cron cannot run every 5h"):
        Cron().install(_job("5h"))


# --- recorders in place of the schedulers' commands ---------------------------------------


@pytest.fixture
def recorder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """systemctl, launchctl and schtasks replaced by one script that notes its arguments;
    `systemctl --user show-environment` fails when FAIL_SHOW exists, as without a user
    systemd instance."""
    log = tmp_path / "calls.log"
    script = tmp_path / "recorder"
    script.write_text(
        "#!/bin/sh\n"
        f'echo "$(basename "$0") $*" >> {log}\n'
        f'if [ "$2" = show-environment ] && [ -e {tmp_path}/FAIL_SHOW ]; then exit 1; fi\n'
        "exit 0\n"
    )
    script.chmod(0o755)
    for name in ("systemctl", "launchctl", "schtasks"):
        (tmp_path / name).symlink_to(script)
    commands = ",".join(f"{n}={tmp_path / n}" for n in ("systemctl", "launchctl", "schtasks"))
    monkeypatch.setenv("OPTOUT_SCHEDULER_COMMANDS", commands)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return log


def _calls(log: Path) -> list[str]:
    return log.read_text().splitlines() if log.exists() else []


def test_systemd_install_and_remove_through_the_recorder(recorder: Path, tmp_path: Path) -> None:
    job = _job("daily", "09:30")
    systemd = Systemd()
    systemd.install(job)
    units = tmp_path / "config" / "systemd" / "user"
    assert (units / f"{job.name}.timer").exists()
    assert (units / f"{job.name}.service").exists()
    assert systemd.status(job.job_id) is not None
    assert systemd.remove(job.job_id) == Removal(True)
    assert not (units / f"{job.name}.timer").exists()
    calls = [c for c in _calls(recorder) if " show " not in c]
    assert calls == [
        "systemctl --user daemon-reload",
        f"systemctl --user enable --now {job.name}.timer",
        f"systemctl --user disable --now {job.name}.timer",
        "systemctl --user daemon-reload",
    ]


def test_auto_picks_cron_without_a_systemd_user_instance(recorder: Path, tmp_path: Path) -> None:
    assert choose("auto", platform="linux").name == "systemd"
    (tmp_path / "FAIL_SHOW").touch()
    assert choose("auto", platform="linux").name == "cron"
    assert choose("auto", platform="darwin").name == "launchd"
    assert choose("auto", platform="win32").name == "schtasks"


def test_launchd_and_schtasks_through_the_recorder(recorder: Path, tmp_path: Path) -> None:
    job = _job("weekly", "10:00")
    launchd = Launchd()
    launchd.install(job)
    plist = tmp_path / "home" / "Library" / "LaunchAgents" / "io.github.optout.test0001.plist"
    assert plistlib.loads(plist.read_bytes())["ProgramArguments"] == job.argv
    assert launchd.remove(job.job_id) == Removal(True)
    assert not plist.exists()
    Schtasks().install(job)
    assert Schtasks().remove(job.job_id) == Removal(True)
    calls = _calls(recorder)
    uid = os.getuid()
    assert f"launchctl bootstrap gui/{uid} {plist}" in calls
    assert f"launchctl bootout gui/{uid}/io.github.optout.test0001" in calls
    assert any(c.startswith("schtasks /create /tn optout-test0001 /xml ") for c in calls)
    assert "schtasks /delete /tn optout-test0001 /f" in calls


# --- bad input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("every", "at", "message"),
    [
        ("0h", None, "at least 1h"),
        ("fortnightly", None, "daily, weekly, or an interval"),
        ("31d", None, "at most 30d"),
        ("daily", "25:00", "HH:MM on a 24-hour clock"),
        ("daily", "9", "HH:MM"),
    ],
)
def test_bad_cadences(every: str, at: str | None, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_cadence(every, at)


def test_unknown_scheduler() -> None:
    with pytest.raises(ValueError, match="unknown scheduler 'anacron'"):
        backend("anacron")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--every", "0h"], "at least 1h"),
        (["--at", "25:00"], "24-hour clock"),
        (["--scheduler", "anacron"], "anacron"),
        (["--every", "5h", "--scheduler", "cron"], "cron cannot run every 5h"),
        (["--notify", "nonsense://x"], "not a notification URL"),
    ],
)
def test_install_bad_input_is_one_line_exit_2(optout: Optout, args: list[str], words: str) -> None:
    ran = optout("schedule", "install", *args)
    assert ran.code == 2
    assert words in one_line_error(ran)
    assert not (optout.home / "config" / "schedule.json").exists()


def test_next_run_estimates() -> None:
    now = datetime(2026, 11, 24, 10, 0)  # a Tuesday
    assert estimate_next(parse_cadence("daily", "09:30"), now) == datetime(2026, 11, 25, 9, 30)
    assert estimate_next(parse_cadence("daily", "11:00"), now) == datetime(2026, 11, 24, 11, 0)
    assert estimate_next(parse_cadence("weekly"), now) == datetime(2026, 11, 30, 0, 0)
    assert estimate_next(parse_cadence("6h", "01:00"), now) == datetime(2026, 11, 24, 13, 0)
    assert estimate_next(parse_cadence("5h"), now) is None
    assert parse_cadence("12h", "07:15").at == time(7, 15)


def test_install_status_remove_from_the_command_line(
    optout: Optout, recorder: Path, tmp_path: Path, real_keyring: str
) -> None:
    env = {
        "OPTOUT_SCHEDULER_COMMANDS": os.environ["OPTOUT_SCHEDULER_COMMANDS"],
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    target = "json://127.0.0.1:9/secret-token-path"
    ran = optout(
        "schedule", "install", "--every", "daily", "--at", "09:30", "--notify", target,
        "--json", **env,
    )  # fmt: skip
    assert ran.code == 0, ran.stderr
    assert ran.json["scheduler"] == "systemd"
    status = optout("schedule", "status", "--json", **env)
    assert status.code == 0, status.stderr
    assert [i["scheduler"] for i in status.json["installed"]] == ["systemd"]
    assert status.json["installed"][0]["next_run"] is not None
    # Scheme and fingerprint only: the host may be the secret (ntfy://<topic>).
    assert status.json["notify"] == [masked(target)]
    assert status.json["notify"][0].startswith("json://…#")
    assert "secret-token-path" not in status.stdout
    assert "127.0.0.1:9" not in status.stdout
    removed = optout("schedule", "remove", "--json", **env)
    assert removed.json["removed"] == ["systemd", "notice targets (keyring)"]
    assert optout("schedule", "status", "--json", **env).json["installed"] == []
    assert not (tmp_path / "config" / "systemd" / "user" / "optout-test0001.timer").exists()


def test_installing_with_another_scheduler_removes_the_earlier_job(
    optout: Optout, recorder: Path, tmp_path: Path, real_crontab: None
) -> None:
    """One job at a time: the one an earlier install put in another scheduler would
    run as well."""
    env = {
        "OPTOUT_SCHEDULER_COMMANDS": os.environ["OPTOUT_SCHEDULER_COMMANDS"],
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    units = tmp_path / "config" / "systemd" / "user"
    before = set(_crontab_lines())
    ran = optout("schedule", "install", "--scheduler", "systemd", "--every", "daily", **env)
    assert ran.code == 0, ran.stderr
    assert list(units.glob("optout-*.timer"))
    ran = optout("schedule", "install", "--scheduler", "cron", "--every", "daily", **env)
    assert ran.code == 0, ran.stderr
    assert "removed the earlier job from systemd; it runs from cron now" in ran.stderr
    assert not list(units.glob("optout-*"))
    ours = set(_crontab_lines()) - before
    assert ours
    status = optout("schedule", "status", "--json", **env)
    assert [i["scheduler"] for i in status.json["installed"]] == ["cron"]
    ran = optout("schedule", "install", "--scheduler", "systemd", "--every", "daily", **env)
    assert ran.code == 0, ran.stderr
    status = optout("schedule", "status", "--json", **env)
    assert [i["scheduler"] for i in status.json["installed"]] == ["systemd"]
    assert not ours & set(_crontab_lines())

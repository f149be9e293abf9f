"""Scheduling never leaves half a job: a failed install is undone, and remove and status
do what they can without a user manager, a `crontab` program or a keyring."""

from __future__ import annotations

import secrets
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import Optout, Ran, one_line_error
from test_scheduler import real_crontab, recorder  # noqa: F401 (fixtures)

from optout.scheduled.notices import masked

NO_BUS = "Failed to connect to bus: No medium found"
NO_KEYRING = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
KEYRING_PART = "notice targets (keyring)"


def _stand_in(tmp_path: Path, name: str, body: str) -> Path:
    """A systemctl that notes its arguments, then does what `body` says."""
    script = tmp_path / name / "systemctl"
    script.parent.mkdir()
    script.write_text(f'#!/bin/sh\necho "$*" >> {script.parent}/calls.log\n{body}\n')
    script.chmod(0o755)
    return script


@pytest.fixture
def no_user_manager(tmp_path: Path) -> Path:
    """systemctl as it answers where no user manager runs (a container, an ssh login)."""
    return _stand_in(tmp_path, "nobus", f'echo "{NO_BUS}" >&2\nexit 1')


def _env(tmp_path: Path, systemctl: Path | str, **more: str) -> dict[str, str]:
    return {
        "OPTOUT_SCHEDULER_COMMANDS": f"systemctl={systemctl}",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        **more,
    }


def _units(tmp_path: Path) -> Path:
    return tmp_path / "config" / "systemd" / "user"


def _ours(tmp_path: Path) -> list[Path]:
    units = _units(tmp_path)
    return sorted(units.rglob("optout-*")) if units.exists() else []


def _install(optout: Optout, tmp_path: Path, systemctl: Path | str, *urls: str) -> Ran:
    notify = [word for url in urls for word in ("--notify", url)]
    return optout(
        "schedule", "install", "--scheduler", "systemd", *notify, **_env(tmp_path, systemctl)
    )


def _enabled(tmp_path: Path) -> Path:
    """The link `systemctl enable` makes, made by hand: the recorder does not."""
    timer = next(_units(tmp_path).glob("optout-*.timer"))
    wants = timer.parent / "timers.target.wants" / timer.name
    wants.parent.mkdir(exist_ok=True)
    wants.symlink_to(timer)
    return wants


def _status(optout: Optout, tmp_path: Path, systemctl: Path | str, **more: str) -> Ran:
    ran = optout("schedule", "status", "--json", **_env(tmp_path, systemctl, **more))
    assert ran.code == 0, ran.stderr
    return ran


# --- install: all or nothing -----------------------------------------------------------


def _real_systemctl_without_manager() -> str:
    found = shutil.which("systemctl")
    if found is None:
        pytest.fail("systemctl is needed (the CI recipe installs systemd)")
    done = subprocess.run([found, "--user", "show-environment"], capture_output=True, check=False)
    if done.returncode == 0:
        pytest.skip("a systemd user manager answers here")
    return found


@pytest.mark.parametrize("kind", ["stand-in", "real"])
def test_install_without_a_user_manager_leaves_nothing(
    optout: Optout, tmp_path: Path, no_user_manager: Path, real_keyring: str, kind: str
) -> None:
    systemctl = str(no_user_manager) if kind == "stand-in" else _real_systemctl_without_manager()
    token = secrets.token_hex(6)
    ran = _install(optout, tmp_path, systemctl, f"ntfy://topic-{token}")
    assert ran.code == 6, ran.stderr
    line = one_line_error(ran)
    assert "`systemctl --user daemon-reload` failed" in line
    assert "--scheduler cron" in line
    assert "loginctl enable-linger" in line
    assert line.endswith("Nothing was changed.")
    if kind == "stand-in":
        assert NO_BUS in line
    assert token not in ran.stderr
    assert _ours(tmp_path) == []
    assert not (optout.home / "config" / "schedule.json").exists()
    status = _status(optout, tmp_path, systemctl)
    assert status.json["notify"] == []  # the target stored for this install is gone again
    assert status.json["installed"] == []


@pytest.mark.usefixtures("recorder")
def test_a_failed_reinstall_keeps_the_schedule_before_it(
    optout: Optout, tmp_path: Path, no_user_manager: Path, real_keyring: str
) -> None:
    working = tmp_path / "systemctl"  # the recorder
    assert _install(optout, tmp_path, working, "ntfy://first-topic").code == 0
    wants = _enabled(tmp_path)
    before = {path: path.read_bytes() for path in _ours(tmp_path) if not path.is_symlink()}
    record = (optout.home / "config" / "schedule.json").read_bytes()
    ran = _install(optout, tmp_path, no_user_manager, "ntfy://second-topic")
    assert ran.code == 6
    assert "Nothing was changed" in one_line_error(ran)
    assert {path: path.read_bytes() for path in before} == before
    assert wants.is_symlink()
    assert (optout.home / "config" / "schedule.json").read_bytes() == record
    assert _status(optout, tmp_path, working).json["notify"] == [masked("ntfy://first-topic")]
    assert optout("schedule", "remove", **_env(tmp_path, working)).code == 0


def test_a_failed_enable_removes_the_units_it_wrote(
    optout: Optout, tmp_path: Path, real_keyring: str
) -> None:
    denied = (
        'if [ "$2" = enable ]; then echo "Failed to enable unit: Access denied" >&2; exit 1; fi'
    )
    systemctl = _stand_in(tmp_path, "denied", denied)
    ran = _install(optout, tmp_path, systemctl, "ntfy://some-topic")
    assert ran.code == 6
    assert "Access denied" in one_line_error(ran)
    assert _ours(tmp_path) == []
    calls = (systemctl.parent / "calls.log").read_text().splitlines()
    # Reloaded again after the units were taken away: the manager forgets them too.
    assert [call.split()[1] for call in calls] == ["daemon-reload", "enable", "daemon-reload"]
    assert _status(optout, tmp_path, systemctl).json["notify"] == []


@pytest.mark.usefixtures("recorder")
def test_a_cadence_cron_cannot_say_stores_no_target(
    optout: Optout, tmp_path: Path, real_keyring: str
) -> None:
    ran = optout(
        "schedule", "install", "--scheduler", "cron", "--every", "5h",
        "--notify", "ntfy://never-stored", **_env(tmp_path, tmp_path / "systemctl"),
    )  # fmt: skip
    assert ran.code == 2
    assert "cron cannot run every 5h" in one_line_error(ran)
    assert _status(optout, tmp_path, tmp_path / "systemctl").json["notify"] == []


# --- remove: each part on its own --------------------------------------------------------


@pytest.mark.usefixtures("recorder")
@pytest.mark.parametrize("how", ["PATH", "OPTOUT_SCHEDULER_COMMANDS"])
def test_remove_without_a_crontab_program(
    optout: Optout, tmp_path: Path, real_keyring: str, how: str
) -> None:
    working = tmp_path / "systemctl"
    assert _install(optout, tmp_path, working, "ntfy://a-topic").code == 0
    (tmp_path / "empty").mkdir()
    env = _env(tmp_path, working)
    if how == "PATH":
        env["PATH"] = str(tmp_path / "empty")
    else:
        env["OPTOUT_SCHEDULER_COMMANDS"] += f",crontab={tmp_path / 'empty' / 'crontab'}"
    ran = optout("schedule", "remove", **env)
    assert ran.code == 0, ran.stderr
    assert "Removed: systemd" in ran.stdout
    assert f"Removed: {KEYRING_PART}" in ran.stdout
    assert "Not checked: cron: There is no `crontab` program" in ran.stdout
    assert _ours(tmp_path) == []
    assert not (optout.home / "config" / "schedule.json").exists()


@pytest.mark.usefixtures("recorder")
def test_remove_without_a_keyring_removes_the_rest_and_says_so(
    optout: Optout, tmp_path: Path, real_keyring: str
) -> None:
    working = tmp_path / "systemctl"
    assert _install(optout, tmp_path, working, "ntfy://kept-topic").code == 0
    ran = optout("schedule", "remove", "--json", **_env(tmp_path, working, **NO_KEYRING))
    assert ran.code == 0, ran.stderr
    assert ran.json["removed"] == ["systemd"]
    assert "No usable keyring backend" in ran.json["unchecked"][KEYRING_PART]
    assert ran.json["left"] == {}
    assert ran.json["error"] is None
    assert _ours(tmp_path) == []
    # Honestly "not checked": the target is still there, and goes once the keyring answers.
    assert _status(optout, tmp_path, working).json["notify"] == [masked("ntfy://kept-topic")]
    again = optout("schedule", "remove", "--json", **_env(tmp_path, working))
    assert again.json["removed"] == [KEYRING_PART]


@pytest.mark.usefixtures("recorder")
def test_remove_without_a_user_manager_drops_the_enable_link(
    optout: Optout, tmp_path: Path, no_user_manager: Path, real_keyring: str
) -> None:
    assert _install(optout, tmp_path, tmp_path / "systemctl", "ntfy://a-topic").code == 0
    wants = _enabled(tmp_path)
    ran = optout("schedule", "remove", **_env(tmp_path, no_user_manager))
    assert ran.code == 0, ran.stderr
    assert "Removed: systemd" in ran.stdout
    assert f"Not checked: systemd: `systemctl --user disable` failed ({NO_BUS})" in ran.stdout
    assert not wants.is_symlink()
    assert _ours(tmp_path) == []


@pytest.mark.usefixtures("recorder")
def test_remove_that_cannot_remove_a_part_is_one_line_exit_6(
    optout: Optout, tmp_path: Path, real_keyring: str
) -> None:
    working = tmp_path / "systemctl"
    assert _install(optout, tmp_path, working, "ntfy://a-topic").code == 0
    service = next(_units(tmp_path).glob("optout-*.service"))
    service.unlink()
    service.mkdir()  # something in the way that unlink cannot remove (root ignores modes)
    (service / "x").touch()
    ran = optout("schedule", "remove", **_env(tmp_path, working))
    assert ran.code == 6
    line = one_line_error(ran)
    assert "still in place" in line
    assert str(service) in line
    as_json = optout("schedule", "remove", "--json", **_env(tmp_path, working))
    assert as_json.code == 6
    assert str(service) in as_json.json["left"]["systemd"]
    assert as_json.json["error"]["kind"] == "environment"
    shutil.rmtree(service)


@pytest.mark.usefixtures("real_crontab")
def test_remove_of_a_real_cron_job_without_a_keyring(
    optout: Optout, tmp_path: Path, real_keyring: str
) -> None:
    env = _env(tmp_path, "/nonexistent/systemctl")
    ran = optout(
        "schedule", "install", "--scheduler", "cron", "--notify", "ntfy://cron-topic", **env
    )
    assert ran.code == 0, ran.stderr
    crontab = subprocess.run(["crontab", "-l"], capture_output=True, text=True, check=False)
    assert str(optout.home) in crontab.stdout
    removed = optout("schedule", "remove", **env, **NO_KEYRING)
    assert removed.code == 0, removed.stderr
    assert "Removed: cron" in removed.stdout
    assert f"Not checked: {KEYRING_PART}" in removed.stdout
    crontab = subprocess.run(["crontab", "-l"], capture_output=True, text=True, check=False)
    assert str(optout.home) not in crontab.stdout
    assert optout("schedule", "remove", **env).code == 0  # the keyring's part, now it answers


# --- status: what it can ---------------------------------------------------------------


@pytest.mark.usefixtures("recorder")
def test_status_without_crontab_keyring_or_systemctl(
    optout: Optout, tmp_path: Path, real_keyring: str
) -> None:
    assert _install(optout, tmp_path, tmp_path / "systemctl", "ntfy://stored-topic").code == 0
    in_config = "json://127.0.0.1:1/config-secret"
    (optout.home / "config" / "config.toml").write_text(f'notify = ["{in_config}"]\n')
    (tmp_path / "empty").mkdir()
    missing = {"PATH": str(tmp_path / "empty"), **NO_KEYRING}
    status = _status(optout, tmp_path, tmp_path / "empty" / "systemctl", **missing)
    assert [i["scheduler"] for i in status.json["installed"]] == ["systemd"]
    assert status.json["installed"][0]["next_run"] is not None  # from the cadence
    assert status.json["notify"] == [masked(in_config)]
    assert set(status.json["unchecked"]) == {"cron", KEYRING_PART}
    human = optout("schedule", "status", **_env(tmp_path, tmp_path / "empty" / "x", **missing))
    assert human.code == 0, human.stderr
    assert "Installed (systemd)" in human.stdout
    assert "Not checked: cron: There is no `crontab` program" in human.stdout
    assert f"Not checked: {KEYRING_PART}: No usable keyring backend" in human.stdout
    assert "config-secret" not in human.stdout + status.stdout
    assert optout("schedule", "remove", **_env(tmp_path, tmp_path / "systemctl")).code == 0


@pytest.mark.usefixtures("recorder")
def test_status_with_a_broken_record(optout: Optout, tmp_path: Path) -> None:
    record = optout.home / "config" / "schedule.json"
    record.parent.mkdir(parents=True)
    record.write_text("{not json")
    status = _status(optout, tmp_path, tmp_path / "systemctl", **NO_KEYRING)
    assert status.json["schedule"] is None
    assert str(record) in status.json["unchecked"]["record"]
    human = optout("schedule", "status", **_env(tmp_path, tmp_path / "systemctl", **NO_KEYRING))
    assert human.code == 0, human.stderr
    assert "No optout schedule is installed" in human.stdout


@pytest.mark.usefixtures("recorder", "real_crontab")
def test_moving_to_cron_without_a_user_manager_says_the_timer_may_still_run(
    optout: Optout, tmp_path: Path, no_user_manager: Path
) -> None:
    """The usual reason to move to cron: systemctl cannot reach a user manager. The
    unit files go, but a timer the manager loaded may run until it reloads: said so,
    with --json too (on stderr)."""
    assert _install(optout, tmp_path, tmp_path / "systemctl").code == 0
    _enabled(tmp_path)
    ran = optout(
        "schedule", "install", "--scheduler", "cron", "--every", "daily", "--json",
        **_env(tmp_path, no_user_manager),
    )  # fmt: skip
    assert ran.code == 0, ran.stderr
    assert ran.json["scheduler"] == "cron"
    assert _ours(tmp_path) == []
    assert "removed the earlier job from systemd, but `systemctl --user disable` failed" in (
        ran.stderr
    )
    assert "it may run too" in ran.stderr
    assert optout("schedule", "remove", **_env(tmp_path, no_user_manager)).code == 0

"""Notice targets are never shown whole, and can be given on stdin instead of argv."""

from __future__ import annotations

import hashlib
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Optout, one_line_error
from test_scheduler import recorder  # noqa: F401 (a fixture)

from optout.scheduled.notices import masked, read_urls

SECRET_IN_EVERY_PART = [
    "ntfy://secret-topic-4f2a",
    "pbul://o.secrettoken4f2a",
    "slack://TSECRET4f2a/BSECRET4f2a/secret4f2a",
    "json://127.0.0.1:9/secret-path-4f2a",
    "mailto://user:secretpass4f2a@mail.example.com",
]


@pytest.mark.parametrize("url", SECRET_IN_EVERY_PART)
def test_a_target_shows_its_scheme_and_fingerprint_only(url: str) -> None:
    shown = masked(url)
    scheme = url.split("://", 1)[0]
    assert shown == f"{scheme}://…#{hashlib.sha256(url.encode()).hexdigest()[:6]}"
    assert "4f2a" not in shown.split("#", 1)[0]
    assert "127.0.0.1" not in shown
    assert masked(url) == shown  # the same target, the same fingerprint


def test_fingerprints_tell_targets_apart() -> None:
    shown = {masked(url) for url in SECRET_IN_EVERY_PART}
    assert len(shown) == len(SECRET_IN_EVERY_PART)
    assert masked("ntfy://topic-a") != masked("ntfy://topic-b")
    assert masked("no scheme at all").startswith("(unreadable URL)#")


def test_read_urls_skips_blank_lines_and_comments() -> None:
    lines = ["# where notices go\n", "ntfy://a\n", "\n", "  json://h/p  \r\n"]
    assert read_urls(lines) == ["ntfy://a", "json://h/p"]


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        "OPTOUT_SCHEDULER_COMMANDS": os.environ["OPTOUT_SCHEDULER_COMMANDS"],
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }


@pytest.mark.usefixtures("recorder")
def test_targets_from_stdin_reach_only_the_keyring(
    optout: Optout, tmp_path: Path, real_keyring: str
) -> None:
    token = secrets.token_hex(6)
    urls = [f"ntfy://topic-{token}", f"json://127.0.0.1:9/hook-{token}"]
    stdin = "# two targets\n" + "\n".join(urls) + "\n\n"
    ran = optout(
        "schedule", "install", "--scheduler", "systemd", "--notify-stdin", "--json",
        stdin=stdin, **_env(tmp_path),
    )  # fmt: skip
    assert ran.code == 0, ran.stderr
    status = optout("schedule", "status", "--json", **_env(tmp_path))
    assert status.json["notify"] == [masked(url) for url in urls]
    # Not in the job's command, the record, the unit files, the log or any output.
    written = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert {"schedule.json", "calls.log"} <= {path.name for path in written}
    assert any(path.suffix == ".service" for path in written)
    for path in written:
        assert token not in path.read_text(errors="replace"), path
    assert token not in ran.stdout + ran.stderr + status.stdout + status.stderr
    human = optout("schedule", "status", **_env(tmp_path))
    assert f"Notices to: {masked(urls[0])}, {masked(urls[1])}" in human.stdout
    removed = optout("schedule", "remove", "--json", **_env(tmp_path))
    assert "notice targets (keyring)" in removed.json["removed"]


@pytest.mark.parametrize(
    ("stdin", "words"),
    [
        ("", "no URL on standard input"),
        ("# only a comment\n\n", "no URL on standard input"),
        ("nonsense://secret-4f2a\n", "not a notification URL"),
    ],
)
@pytest.mark.usefixtures("recorder")
def test_bad_stdin_is_one_line_exit_2(
    optout: Optout, tmp_path: Path, stdin: str, words: str
) -> None:
    ran = optout("schedule", "install", "--notify-stdin", stdin=stdin, **_env(tmp_path))
    assert ran.code == 2, ran.stderr
    line = one_line_error(ran)
    assert words in line
    assert "--notify-stdin" in line
    assert "secret-4f2a" not in ran.stderr
    assert not (optout.home / "config" / "schedule.json").exists()


@pytest.mark.usefixtures("recorder")
def test_stdin_that_is_not_text_is_one_line_exit_2(optout: Optout, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "optout", "schedule", "install", "--notify-stdin"],
        input=b"ntfy://\xff\xfe-topic\n", capture_output=True, check=False, timeout=60,
        env={**optout.env, **_env(tmp_path), "PYTHONIOENCODING": "utf-8"},
    )  # fmt: skip
    assert done.returncode == 2
    stderr = done.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1, stderr
    assert "could not be read as text" in stderr

"""Shell completion as README.md documents it: each shell's line, run against the
installed `optout`, prints that shell's completion script, and the script completes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OPTOUT = Path(sys.executable).with_name("optout")  # the console script of this venv

# What each shell's script defines or registers, as click writes it.
EXPECTED = {
    "bash": ("_optout_completion()", "complete -o nosort -F _optout_completion optout"),
    "zsh": ("#compdef optout", "_optout_completion()", "compdef _optout_completion optout"),
    "fish": ("function _optout_completion", "complete --no-files --command optout"),
}


def _readme_section() -> str:
    text = (ROOT / "README.md").read_text("utf-8")
    match = re.search(r"^### Shell completion\n(.*?)^#", text, re.MULTILINE | re.DOTALL)
    assert match, "README.md has no 'Shell completion' section"
    return match.group(1)


def _documented() -> dict[str, str]:
    """shell -> the value of _OPTOUT_COMPLETE that README.md gives for it."""
    found = dict.fromkeys(EXPECTED, "")
    for line in _readme_section().splitlines():
        match = re.search(r"_OPTOUT_COMPLETE=((bash|zsh|fish)_source) optout", line)
        if match and not found[match.group(2)]:
            found[match.group(2)] = match.group(1)
    return found


def _env(**more: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPTOUT_", "_OPTOUT_"))}
    return {**env, **more}


def _run(*argv: str | Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in argv],
        env=_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_readme_documents_each_shell() -> None:
    assert _documented() == {shell: f"{shell}_source" for shell in EXPECTED}


@pytest.mark.parametrize("shell", sorted(EXPECTED))
def test_the_documented_source_comes_out_of_the_installed_optout(shell: str) -> None:
    assert OPTOUT.is_file(), f"optout is not installed beside {sys.executable}"
    done = _run(OPTOUT, _OPTOUT_COMPLETE=_documented()[shell])
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    for piece in EXPECTED[shell]:
        assert piece in done.stdout, f"{piece!r} missing from the {shell} script"


def test_completion_answers_with_commands_and_choices() -> None:
    """What the scripts ask optout for: the words that may come next."""

    def complete(*words: str) -> list[str]:
        done = _run(
            OPTOUT,
            _OPTOUT_COMPLETE="bash_complete",
            COMP_WORDS=" ".join(("optout", *words)),
            COMP_CWORD=str(len(words)),
        )
        assert done.returncode == 0, done.stderr
        return [line.partition(",")[2] for line in done.stdout.splitlines()]

    assert complete("sch") == ["schedule"]
    assert {"install", "remove", "status", "run"} <= set(complete("schedule", ""))
    assert set(complete("schedule", "install", "--scheduler", "")) == {
        "auto", "systemd", "launchd", "cron", "schtasks",
    }  # fmt: skip
    assert "--dry-run" in complete("off", "--d")


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completes_through_the_sourced_script() -> None:
    """The documented line in a real bash: the function it defines fills COMPREPLY."""
    line = next(
        line.split("#", 1)[0].strip()
        for line in _readme_section().splitlines()
        if "bash_source" in line and line.startswith("eval")
    )
    script = "\n".join(
        [
            line,
            "COMP_WORDS=(optout selectors s)",
            "COMP_CWORD=2",
            "_optout_completion optout",
            'printf "%s\\n" "${COMPREPLY[@]}"',
        ]
    )
    bin_dir = str(OPTOUT.parent)
    done = _run(
        "bash", "--norc", "--noprofile", "-c", script, PATH=f"{bin_dir}:{os.environ['PATH']}"
    )
    assert done.returncode == 0, done.stderr
    assert sorted(done.stdout.split()) == ["show", "suggest"]

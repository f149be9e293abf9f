"""The built wheel, installed into a fresh venv, runs `optout demo` on its own."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [pytest.mark.slow, pytest.mark.e2e]


def _run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_wheel_ships_the_pack_and_runs_the_demo(tmp_path: Path, real_keyring: str) -> None:
    dist = tmp_path / "dist"
    _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "-q",
        "-w",
        dist,
        ROOT,
        cwd=tmp_path,
    )
    [wheel] = list(dist.glob("optout-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "optout/_selectors/linkedin.toml" in names
    assert any(n.startswith("optout/sandbox/") for n in names)

    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    _run(venv / "bin" / "python", "-m", "pip", "install", "-q", wheel, cwd=tmp_path)

    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPTOUT_", "PYTHON"))}
    # Run from an empty directory so nothing of the source tree can be imported.
    where = _run(
        venv / "bin" / "python",
        "-c",
        "import optout.core.selector_pack as p; print(p.builtin_pack_path())",
        cwd=tmp_path,
        env=env,
    )
    assert str(venv) in where
    out = _run(venv / "bin" / "optout", "demo", cwd=tmp_path, env=env)
    assert "Demo finished" in out

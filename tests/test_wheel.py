"""The wheel ships the pack, the sandbox, the schemas and the licence; and `pipx install .`
from a clean checkout gives an `optout` that runs on its own: its version, help,
completion, its own data, and the demo end to end. One install serves all of it:
installing every dependency into a new venv is the slow part."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "optout" / "output" / "schemas"

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


def test_wheel_ships_the_pack_schemas_and_licence(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    _run(
        sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
        "-w", dist, ROOT, cwd=tmp_path,
    )  # fmt: skip
    [wheel] = list(dist.glob("optout-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "optout/_selectors/linkedin.toml" in names
    assert any(n.startswith("optout/sandbox/") for n in names)
    schemas = {n for n in names if n.startswith("optout/output/schemas/")}
    shipped = {f"optout/output/schemas/{p.name}" for p in SCHEMAS.glob("*.schema.json")}
    assert shipped, "no schema in the source tree"
    assert shipped <= schemas
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)


def _pipx() -> list[str] | None:
    """pipx as this venv has it (the dev extra), else the system's (Debian's `pipx`)."""
    if importlib.util.find_spec("pipx") is not None:
        return [sys.executable, "-m", "pipx"]
    found = shutil.which("pipx")
    return [found] if found else None


def _clean_checkout(into: Path) -> Path:
    """The files a fresh clone would have, as the tree stands (committed or not), and
    nothing else: no venv, no caches, no build output."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():  # a file deleted but not yet committed is left out
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, into / name)
    return into


@pytest.mark.timeout(1200)  # pipx builds the wheel and installs every dependency
def test_pipx_install_from_a_clean_checkout_runs_on_its_own(
    tmp_path: Path, real_keyring: str
) -> None:
    pipx = _pipx()
    if pipx is None:
        pytest.skip("pipx is not installed (pip install -e '.[dev]' or apt-get install pipx)")
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: no way to tell which files a clean one has")
    checkout = _clean_checkout(tmp_path / "checkout")
    assert not (checkout / ".venv").exists()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPTOUT_", "PYTHON", "PIPX_"))}
    env.update(
        PIPX_HOME=str(tmp_path / "pipx"),
        PIPX_BIN_DIR=str(tmp_path / "bin"),
        PIPX_MAN_DIR=str(tmp_path / "man"),
        # pip inside pipx's venvs reads the same pip configuration (index, find-links)
        # as every pip on this machine; nothing here points it elsewhere.
    )
    env.pop("VIRTUAL_ENV", None)
    _run(*pipx, "install", checkout, cwd=tmp_path, env=env)
    optout = tmp_path / "bin" / "optout"
    assert optout.is_file()
    assert Path(os.path.realpath(optout)).is_relative_to(tmp_path / "pipx" / "venvs" / "optout")
    version = _run(optout, "--version", cwd=tmp_path, env=env)
    assert version.strip() == "optout, version " + _project_version()
    usage = _run(optout, "--help", cwd=tmp_path, env=env)
    for command in ("login", "check", "off", "schedule", "doctor"):
        assert command in usage
    listed = _run(*pipx, "list", "--short", cwd=tmp_path, env=env)
    assert listed.split()[0] == "optout"
    completion = _run(optout, cwd=tmp_path, env={**env, "_OPTOUT_COMPLETE": "bash_source"})
    assert "_optout_completion()" in completion

    # The installed package finds its own data, not the source tree's: run from an
    # empty directory, with nothing of the checkout importable.
    python = tmp_path / "pipx" / "venvs" / "optout" / "bin" / "python"
    empty = tmp_path / "empty"
    empty.mkdir()
    where = _run(
        python, "-c", "import optout.core.selector_pack as p; print(p.builtin_pack_path())",
        cwd=empty, env=env,
    )  # fmt: skip
    assert Path(where.strip()).is_relative_to(tmp_path / "pipx")
    schema = _run(
        python, "-c", "from optout.output.schemas import schema_path; print(schema_path('check'))",
        cwd=empty, env=env,
    )  # fmt: skip
    assert Path(schema.strip()).is_relative_to(tmp_path / "pipx")
    assert "Demo finished" in _run(optout, "demo", cwd=empty, env=env)


def _project_version() -> str:
    import tomllib

    with (ROOT / "pyproject.toml").open("rb") as f:
        version: str = tomllib.load(f)["project"]["version"]
    return version

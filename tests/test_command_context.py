"""One context, one funnel: a command reads its settings and its selector pack once,
and every way a command ends becomes an ExitStatus in one place."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from optout.cli import cli, main
from optout.commands import options as opt
from optout.commands.context import uses_context
from optout.commands.outcome import returned_status
from optout.core.errors import ExitStatus, LayoutChanged

ROOT = Path(__file__).resolve().parent.parent
COMMAND_MODULES = [ROOT / "optout" / "cli.py", *sorted((ROOT / "optout/commands").glob("*.py"))]
SETTING = "generative-ai-improvement"

# Runs optout in a process of its own that counts, through Python's audit hook on
# "open", how often each watched file is opened: the files' real reads, whoever does them.
COUNTING_RUN = """
import atexit, json, os, sys
counts = dict.fromkeys(json.loads(os.environ["WATCHED"]), 0)
def hook(event, args):
    if event == "open" and isinstance(args[0], str) and args[0] in counts:
        counts[args[0]] += 1
sys.addaudithook(hook)
def report():
    with open(os.environ["COUNTS_FILE"], "w") as out:
        json.dump(counts, out)
atexit.register(report)
from optout.cli import main
main(sys.argv[1:])
"""


class Home:
    """A throwaway OPTOUT_HOME with a config file and a pack override to watch."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.config = root / "config" / "config.toml"
        self.override = root / "config" / "selectors.toml"
        self.config.parent.mkdir(parents=True)
        self.config.write_text("timeout = 20\n", "utf-8")
        self.override.write_text('version = "local-1"\n', "utf-8")

    def run(self, *args: str) -> tuple[subprocess.CompletedProcess[str], dict[str, int]]:
        counts_file = self.root / "counts.json"
        env = {k: v for k, v in os.environ.items() if not k.startswith("OPTOUT_")}
        env.update(
            OPTOUT_HOME=str(self.root),
            OPTOUT_BASE_URL="http://127.0.0.1:9",  # nothing listens: no request may leave
            # A keyring that holds nothing: the run stops at "sign-in needed", browserless.
            PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
            WATCHED=json.dumps([str(self.config), str(self.override)]),
            COUNTS_FILE=str(counts_file),
        )
        done = subprocess.run(
            [sys.executable, "-c", COUNTING_RUN, *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
            start_new_session=True,
        )
        counts = json.loads(counts_file.read_text("utf-8"))
        return done, {"config": counts[str(self.config)], "pack": counts[str(self.override)]}


@pytest.fixture
def home(tmp_path: Path) -> Home:
    return Home(tmp_path)


def test_a_check_reads_the_config_file_and_the_pack_once(home: Home) -> None:
    # --setting is checked against the pack while parsing, and the check itself needs
    # the settings and the pack again: all of it from the one context.
    done, reads = home.run("check", "--account", "a@example.com", "--setting", SETTING, "--json")
    assert done.returncode == ExitStatus.SIGN_IN_NEEDED, done.stderr
    assert json.loads(done.stdout)["error"]["kind"] == "login_required"
    assert reads == {"config": 1, "pack": 1}


def test_a_broken_config_file_is_read_once_and_reported_once(home: Home) -> None:
    home.config.write_text("timeout = [\n", "utf-8")
    done, reads = home.run("check", "--account", "a@example.com", "--setting", SETTING)
    assert done.returncode == ExitStatus.ENVIRONMENT
    (line,) = done.stderr.strip().splitlines()
    assert str(home.config) in line
    assert reads == {"config": 1, "pack": 0}


def test_help_reads_nothing_and_a_command_without_a_pack_loads_none(home: Home) -> None:
    done, reads = home.run("--help")
    assert done.returncode == ExitStatus.OK
    assert reads == {"config": 0, "pack": 0}
    done, reads = home.run("selectors", "path", "--json")
    assert done.returncode == ExitStatus.OK, done.stderr
    assert json.loads(done.stdout)["override_exists"] is True
    assert reads == {"config": 1, "pack": 0}


def _calls(tree: ast.AST, name: str) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (getattr(node.func, "id", None) == name or getattr(node.func, "attr", None) == name)
    ]


def test_no_command_returns_a_bare_number() -> None:
    bare = []
    for path in COMMAND_MODULES:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Return) or node.value is None:
                continue
            value = node.value
            number = isinstance(value, ast.Constant) and isinstance(value.value, int)
            cast = isinstance(value, ast.Call) and getattr(value.func, "id", None) == "int"
            if number or cast:
                bare.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not bare, f"return an ExitStatus member instead: {bare}"


def test_settings_pack_and_output_are_made_only_by_the_context() -> None:
    made_elsewhere = []
    for path in COMMAND_MODULES:
        if path.name == "context.py":
            continue
        tree = ast.parse(path.read_text("utf-8"))
        calls = _calls(tree, "load_settings") + _calls(tree, "Ui")
        # The one pack loaded outside the context is a file being validated.
        calls += [
            c for c in _calls(tree, "load_pack") if [k.arg for k in c.keywords] != ["override"]
        ]
        made_elsewhere += [f"{path.relative_to(ROOT)}:{call.lineno}" for call in calls]
    assert not made_elsewhere, f"use the CommandContext (cmd.settings/.pack/.ui): {made_elsewhere}"


def _leaf_commands(group: click.Group, path: str = "optout") -> Iterator[tuple[str, click.Command]]:
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from _leaf_commands(command, f"{path} {name}")
        else:
            yield f"{path} {name}", command


def test_every_command_is_declared_to_return_an_exit_status() -> None:
    leaves = dict(_leaf_commands(cli))
    assert {"optout check", "optout off", "optout schedule run", "optout demo"} <= set(leaves)
    wrong = {
        name: command.callback.__annotations__.get("return") if command.callback else None
        for name, command in leaves.items()
    }
    assert {name: ret for name, ret in wrong.items() if ret != "ExitStatus"} == {}


@pytest.fixture
def layout_error_command() -> Iterator[None]:
    @cli.command("layout-error-for-test", hidden=True)
    @opt.output_options
    @uses_context
    def layout_error_for_test(cmd: object) -> ExitStatus:
        raise LayoutChanged("the switch was not where the pack says")

    yield
    cli.commands.pop("layout-error-for-test")


def test_a_domain_error_is_one_line_its_status_and_with_json_one_object(
    layout_error_command: None, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as ended:
        main(["layout-error-for-test", "--json"])
    assert ended.value.code == ExitStatus.PAGE_NOT_UNDERSTOOD
    out, err = capsys.readouterr()
    assert json.loads(out) == {
        "error": {"kind": "layout_changed", "message": "the switch was not where the pack says"}
    }
    assert err.strip().splitlines() == ["optout: the switch was not where the pack says"]


def test_what_a_command_returns_becomes_an_exit_status() -> None:
    assert returned_status(ExitStatus.SETTING_ON) is ExitStatus.SETTING_ON
    assert returned_status(None) is ExitStatus.OK  # click's own end, e.g. after --help
    assert returned_status(0) is ExitStatus.OK
    # Anything else is a bug in optout, never taken for "a setting is on".
    assert returned_status(999) is ExitStatus.INTERNAL_ERROR
    assert returned_status("1") is ExitStatus.INTERNAL_ERROR

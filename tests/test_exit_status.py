"""Every exit code comes from one ExitStatus; a bug and Ctrl-C have codes of their own."""

from __future__ import annotations

from collections.abc import Iterator

import click
import pytest

from optout.cli import cli, main
from optout.core.errors import ExitStatus


@pytest.fixture
def failing_command() -> Iterator[None]:
    @cli.command("fail-for-test", hidden=True)
    @click.argument("how")
    def fail_for_test(how: str) -> None:
        if how == "bug":
            raise RuntimeError("a bug with no name")
        raise KeyboardInterrupt

    yield
    cli.commands.pop("fail-for-test")


def _exit_code(argv: list[str]) -> int:
    with pytest.raises(SystemExit) as ended:
        main(argv)
    return int(ended.value.code or 0)


def test_a_bug_is_its_own_exit_code_and_one_line(
    failing_command: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _exit_code(["fail-for-test", "bug"]) == ExitStatus.INTERNAL_ERROR
    assert ExitStatus.INTERNAL_ERROR not in (ExitStatus.SETTING_ON, ExitStatus.OK)
    err = capsys.readouterr().err
    assert "a bug with no name" in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_ctrl_c_is_130(failing_command: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert _exit_code(["fail-for-test", "interrupt"]) == ExitStatus.INTERRUPTED
    assert int(ExitStatus.INTERRUPTED) == 130
    assert "interrupted" in capsys.readouterr().err


def test_every_code_is_distinct() -> None:
    codes = [int(status) for status in ExitStatus]
    assert len(set(codes)) == len(codes)

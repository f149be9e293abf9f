"""The JSON Schemas shipped in optout/output/schemas/: each one is a valid draft
2020-12 schema that says something, every command with --json has one, and the
real output of the real CLI (against the sandbox) satisfies it."""

from __future__ import annotations

import http.server
import json
import re
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from conftest import SETTING, Account, Optout, Ran
from jsonschema import Draft202012Validator

from optout.cli import cli
from optout.output import schemas
from optout.sandbox import PageDetails, Sandbox

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(
        schemas.load(name), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def _problems(name: str, data: Any) -> list[str]:
    found = sorted(_validator(name).iter_errors(data), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}" for e in found]


def _valid(name: str, ran: Ran, *, code: int = 0) -> dict[str, Any]:
    """The run's stdout: exactly one JSON object, valid under the command's schema."""
    assert ran.code == code, ran.stderr
    assert ran.stdout.endswith("\n"), ran.stdout
    assert ran.stdout.count("\n") == 1, ran.stdout  # one object, on one line
    data = ran.json
    assert isinstance(data, dict)
    problems = _problems(name, data)
    assert not problems, f"{name}: {problems}\n{json.dumps(data, indent=2)}"
    return data


# -- the schemas themselves ------------------------------------------------------------


def _json_commands() -> set[str]:
    """Every command of the click tree that takes --json, as a schema name."""
    found: set[str] = set()

    def walk(command: click.Command, path: list[str]) -> None:
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                walk(sub, [*path, name])
        elif any("--json" in getattr(param, "opts", ()) for param in command.params):
            found.add("-".join(path))

    walk(cli, [])
    return found


def test_every_command_with_json_has_a_schema_and_no_other() -> None:
    assert set(schemas.names()) == _json_commands()


@pytest.mark.parametrize("name", schemas.names())
def test_each_schema_is_a_valid_draft_2020_12_schema(name: str) -> None:
    schema = schemas.load(name)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == DRAFT
    assert schema["$id"].endswith(f"/{name}.schema.json")
    assert schema["title"].startswith("optout ")
    assert schema["title"].endswith(" --json")


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["$defs"][node["$ref"].removeprefix("#/$defs/")]
    return node


def _objects(schema: dict[str, Any], node: Any) -> Iterator[dict[str, Any]]:
    """Every object schema with named properties, anywhere in the schema (not the
    conditions of an if/then/else, which only narrow one)."""
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node:
            yield node
        for value in node.values():
            yield from _objects(schema, value)
    elif isinstance(node, list):
        for value in node:
            yield from _objects(schema, value)


@pytest.mark.parametrize("name", schemas.names())
def test_each_schema_pins_its_objects_down(name: str) -> None:
    """Not an `{}` that anything passes: every top object names its keys, requires
    them and allows no others, and so does every object inside."""
    schema = schemas.load(name)
    tops = [_resolve(schema, alt) for alt in schema.get("oneOf", [schema])]
    for top in tops:
        assert top["type"] == "object"
        assert top["additionalProperties"] is False
        assert top["required"]
    for node in _objects(schema, schema):
        assert node.get("additionalProperties") is False, node
        assert set(node["required"]) <= set(node["properties"]), node
    assert not _problems(name, {"error": {"kind": "environment", "message": "x"}}) or (
        name in ("check", "off")  # they keep an error inside their result instead
    )
    wrongs: list[Any] = [{}, [], "", None, {"error": None}, {"unexpected": 1}]
    for wrong in wrongs:
        assert _problems(name, wrong), f"{name} accepts {wrong!r}"


def test_the_check_schema_holds_the_contract() -> None:
    good: dict[str, Any] = {
        "account": "a@example.com",
        "checked_at": "2026-11-22T09:00:00+00:00",
        "status": "drift",
        "settings": [{"id": SETTING, "label": "AI", "state": "on", "changed": False}],
        "error": None,
    }
    assert _problems("check", good) == []
    error = {"kind": "layout_changed", "message": "The page changed."}
    assert _problems("check", {**good, "status": "error", "error": error}) == []
    for wrong in (
        {**good, "status": "error"},  # an error status needs its error
        {**good, "error": error},  # and an error means the error status
        {**good, "status": "fine"},
        {**good, "checked_at": "yesterday"},
        {**good, "settings": [{**good["settings"][0], "state": "maybe"}]},
        {**good, "settings": [{**good["settings"][0], "extra": 1}]},
        {**good, "error": {"kind": "oops", "message": "x"}},
        {k: v for k, v in good.items() if k != "account"},
    ):
        assert _problems("check", wrong), wrong


def test_schema_path_finds_each_command_by_its_words() -> None:
    assert schemas.schema_path("schedule status") == schemas.schema_path("schedule-status")
    assert schemas.schema_path("optout check").name == "check.schema.json"
    assert schemas.schema_path("check").is_file()
    with pytest.raises(KeyError, match="demo"):
        schemas.schema_path("demo")


def test_every_schema_is_checked_against_real_output_below() -> None:
    source = Path(__file__).read_text("utf-8")
    tested = set(re.findall(r'_valid\(\s*"([a-z-]+)"', source))
    assert tested == set(schemas.names())


# -- real output of the real CLI -------------------------------------------------------


@pytest.fixture
def member(optout: Optout, account: Account) -> Account:
    _valid("login", optout.login(account))
    return account


@pytest.fixture
def webhook() -> Iterator[str]:
    """A local HTTP receiver: the json:// notice target that works."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length", 0)))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *_: object) -> None:
            return None

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"json://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()
    server.server_close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.e2e
@pytest.mark.timeout(600)  # a few browser runs in a row
def test_check_and_off_output(optout: Optout, sandbox: Sandbox, member: Account) -> None:
    found = _valid("check", optout("check", "--json"), code=1)
    assert found["status"] == "drift"
    _valid("off", optout("off", "--dry-run", "--json"), code=1)
    done = _valid("off", optout("off", "--json"))
    assert done["settings"][0]["changed"] is True
    assert sandbox.setting(member.email, SETTING) is False
    # Every page in its plainest form, so that `--all` has one answer: a drawn form may
    # leave a page unattributable (an honest `unknown`, test_property_details.py's).
    sandbox.set_details(member.email, PageDetails(pages_alike=True))
    every = _valid("check", optout("check", "--all", "--all-accounts", "--json"))
    assert every["accounts"][0]["account"] == member.email
    _valid("off", optout("off", "--all-accounts", "--json"))


@pytest.mark.e2e
@pytest.mark.timeout(600)  # a few browser runs in a row
def test_a_failed_check_is_valid_output_too(optout: Optout, sandbox: Sandbox) -> None:
    nobody = _valid("check", optout("check", "--json"), code=3)
    assert nobody["status"] == "error"
    assert nobody["error"]["kind"] == "login_required"
    _valid("off", optout("off", "--all-accounts", "--json"), code=3)
    gone = optout("check", "--json", OPTOUT_BASE_URL=f"http://127.0.0.1:{_free_port()}",
                  OPTOUT_ACCOUNT="a@example.com")  # fmt: skip
    assert _valid("check", gone, code=gone.code)["status"] == "error"
    # A command that fails before it has a result prints its error alone.
    failed = _valid("report", optout("report", "--html", "r.html", "--json"), code=3)
    assert failed == {"error": {"kind": "login_required", "message": failed["error"]["message"]}}
    entries = _valid("history", optout("history", "--json"))["entries"]
    assert [(e["setting"], e["error"] is not None) for e in entries] == [(None, True)]


@pytest.mark.e2e
@pytest.mark.timeout(600)  # a few browser runs in a row
def test_account_commands_output(
    optout: Optout, member: Account, tmp_path: Path, display: str
) -> None:
    assert optout("check").code == 1
    assert optout("off").code == 0
    accounts = _valid("accounts", optout("accounts", "--json"))
    assert accounts["accounts"][0]["password_stored"] is True
    assert accounts["accounts"][0]["last_result"]["status"] == "compliant"
    history = _valid("history", optout("history", "--json"))
    assert {e["mode"] for e in history["entries"]} == {"check", "off"}
    _valid("doctor", optout("doctor", "--json"))
    sent = optout(
        "object", "--name", "Jane Member", "--type", "research", "--submit", "--json",
        DISPLAY=display,
    )  # fmt: skip
    assert _valid("object", sent)["type"] == "research"
    assert _valid("history", optout("history", "--json"))["objections"]
    report = _valid("report", optout("report", "--html", str(tmp_path / "r.html"), "--json"))
    assert report["pdf"] is None
    gone = _valid("logout", optout("logout", "--forget", "--json", "--account", member.email))
    assert "saved session" in gone["removed"]
    assert _valid("accounts", optout("accounts", "--json"))["accounts"] == []


@pytest.mark.usefixtures("real_keyring")
def test_schedule_output(optout: Optout, tmp_path: Path, webhook: str) -> None:
    systemctl = tmp_path / "systemctl"
    systemctl.write_text("#!/bin/sh\nexit 0\n")
    systemctl.chmod(0o755)
    env = {
        "OPTOUT_SCHEDULER_COMMANDS": f"systemctl={systemctl}",
        "XDG_CONFIG_HOME": str(tmp_path / "xdg"),
    }
    dead = f"json://127.0.0.1:{_free_port()}/x"
    installed = optout(
        "schedule", "install", "--scheduler", "systemd", "--every", "12h", "--notify-stdin",
        "--json", stdin=f"{webhook}\n{dead}\n", **env,
    )  # fmt: skip
    assert _valid("schedule-install", installed)["scheduler"] == "systemd"
    status = _valid("schedule-status", optout("schedule", "status", "--json", **env))
    assert status["schedule"]["cadence"] == {"every": "12h", "at": None}
    notified = _valid("notify-test", optout("notify", "test", "--json", **env), code=5)
    assert sorted(t["sent"] for t in notified["targets"]) == [False, True]
    run = _valid("schedule-run", optout("schedule", "run", "--json", **env), code=3)
    assert run["accounts"][0]["error"]["kind"] == "login_required"
    removed = _valid("schedule-remove", optout("schedule", "remove", "--json", **env))
    assert removed["left"] == {}
    _valid("schedule-status", optout("schedule", "status", "--json", **env))


def test_selectors_output(optout: Optout, tmp_path: Path) -> None:
    shown = _valid("selectors-show", optout("selectors", "show", "--json"))
    assert SETTING in shown["settings"]
    _valid("selectors-validate", optout("selectors", "validate", "--json"))
    paths = _valid("selectors-path", optout("selectors", "path", "--json"))
    assert paths["override_exists"] is False
    _valid("selectors-suggest", optout("selectors", "suggest", "--json"))
    broken = tmp_path / "broken.toml"
    broken.write_text("[settings.nothing\n")
    failed = optout("selectors", "validate", str(broken), "--json")
    assert _valid("selectors-validate", failed, code=failed.code)["error"]["message"]

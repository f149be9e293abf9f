"""`optout doctor`: one line per thing optout needs, and whether it is there."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.markup import escape

from optout.core.config import Settings
from optout.core.errors import ExitStatus, OptoutError
from optout.storage.accounts import AccountRegistry

if TYPE_CHECKING:
    from optout.commands.context import CommandContext


@dataclass
class Finding:
    name: str
    ok: bool
    detail: str


def _check(name: str, probe: Callable[[], str]) -> Finding:
    try:
        return Finding(name, True, probe())
    except OptoutError as exc:
        return Finding(name, False, exc.message)


def _browser(settings: Settings) -> str:
    from optout.linkedin.chromium.browser import browser_version, discover, playwright_chromium_path

    found = discover(settings.browser, playwright_chromium_path())
    return f"{found.path} ({found.source}), {browser_version(found.path)}"


def _keyring() -> str:
    from optout.storage import credentials

    return f"{credentials.probe()} (write, read and delete worked)"


def _pack(cmd: CommandContext) -> str:
    pack = cmd.pack
    return f"{pack.source}, version {pack.version}, {len(pack.settings)} setting(s)"


def _sessions(settings: Settings, account: str | None) -> list[Finding]:
    from optout.storage.sessions import SessionStore

    store = SessionStore.of(settings.paths)
    accounts = [account] if account else AccountRegistry(settings.paths.accounts_file).names()
    if not accounts:
        return [Finding("Session", True, "no account yet (run `optout login`)")]
    findings = []
    for name in accounts:
        info = store.info(name)
        if info is None:
            findings.append(Finding(f"Session {name}", False, "none saved: run `optout login`"))
            continue
        try:
            readable = store.load(name) is not None
        except OptoutError as exc:
            findings.append(Finding(f"Session {name}", False, exc.message))
            continue
        when = info.saved_at.isoformat(timespec="minutes") if info.saved_at else "?"
        detail = f"{info.path}, saved {when}" + ("" if readable else ", cannot be decrypted")
        findings.append(Finding(f"Session {name}", readable, detail))
    return findings


def _page_hints(settings: Settings) -> list[Finding]:
    """Where real pages differed from the pack's hints: information, not a failure."""
    from optout.linkedin.settings_pages.calibration import Calibration, describe

    notes = Calibration(settings.paths.state_dir).load()
    if not notes:
        return [Finding("Page hints", True, "every hint held (or no page read yet)")]
    return [
        Finding("Page hints", True, describe(seen) + " (see `optout selectors suggest`)")
        for seen in notes.values()
    ]


def doctor_command(cmd: CommandContext, account: str | None) -> ExitStatus:
    from optout.output.json_output import to_json

    ui, settings = cmd.ui, cmd.settings
    findings = [
        Finding("Base URL", True, settings.base_url),
        Finding(
            "Files", True, f"config {settings.paths.config_dir}, state {settings.paths.state_dir}"
        ),
        _check("Browser", lambda: _browser(settings)),
        _check("Keyring", _keyring),
        _check("Selector pack", lambda: _pack(cmd)),
        *_sessions(settings, account.lower() if account else None),
        *_page_hints(settings),
    ]
    if cmd.as_json:
        checks = [{"name": f.name, "ok": f.ok, "detail": f.detail} for f in findings]
        ui.print_json(to_json({"ok": all(f.ok for f in findings), "checks": checks}))
    else:
        for finding in findings:
            mark = "[green]ok[/]  " if finding.ok else "[bold red]FAIL[/]"
            ui.out.print(f"{mark} {escape(finding.name)}: {escape(finding.detail)}")
    return ExitStatus.OK if all(f.ok for f in findings) else ExitStatus.ENVIRONMENT

"""`optout demo`: the whole flow against the sandbox, with nothing of the member's touched.

It starts the sandbox in this process, uses a throwaway OPTOUT_HOME and a
throwaway demo account, and checks each step against the sandbox's own truth.
"""

from __future__ import annotations

import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.markup import escape
from rich.rule import Rule

from optout.core.config import Paths, Settings, origin_of
from optout.core.errors import ExitStatus, OptoutError
from optout.core.results import Mode, RunResult, State
from optout.output.terminal import Ui
from optout.storage import credentials

if TYPE_CHECKING:
    from optout.commands.context import CommandContext
    from optout.core.selector_pack import Pack
    from optout.sandbox import Sandbox

SETTING = "generative-ai-improvement"


class DemoFailed(OptoutError):
    kind = "environment"


def _keyring_or_memory(ui: Ui) -> None:
    try:
        backend = credentials.probe()
        ui.out.print(f"Keyring: {escape(backend)} (the demo's entries are removed at the end)")
    except OptoutError as exc:
        credentials.use_memory_keyring()
        ui.out.print(
            f"[yellow]Keyring not usable ({escape(exc.message)})[/]\n"
            "The demo goes on with a throwaway in-memory store; real use needs the keyring."
        )


@dataclass
class Demo:
    """One demo run: the sandbox, its throwaway account and the settings pointing there."""

    ui: Ui
    sandbox: Sandbox
    settings: Settings
    pack: Pack
    account: str
    headed: bool

    def truth(self) -> str:
        return "on" if self.sandbox.setting(self.account, SETTING) else "off"

    def sign_in(self, password: str) -> None:
        from optout.linkedin.login.login_and_save import sign_in_and_save

        self.ui.out.print(Rule("1. optout login"))
        with self.ui.activity("Signing in"):
            sign_in_and_save(self.settings, self.pack, self.account, password, headed=self.headed)
        self.ui.out.print(
            "Signed in. Password kept in the keyring, session saved encrypted "
            f"(sandbox sign-ins so far: {self.sandbox.stats(self.account)['logins']})."
        )

    def step(self, mode: Mode, title: str, expected: State) -> RunResult:
        """One run, shown as the member would see it, then held against the sandbox's truth."""
        from optout.linkedin.account_run import run_accounts
        from optout.output.render import render_result

        ui = self.ui
        ui.out.print(Rule(title))
        with ui.activity(title):
            [result] = run_accounts(
                self.settings, self.pack, [self.account], [SETTING], mode,
                headed=self.headed, progress=ui.progress,
            )  # fmt: skip
        if result.error is not None:
            raise result.error
        render_result(ui.out, result)
        ui.out.print(f"[dim]The sandbox's own record says: {self.truth()}[/]")
        if result.settings[0].state is not expected or self.truth() != expected.value:
            raise DemoFailed(
                f"Step '{title}' ended {result.settings[0].state.value}, expected {expected.value}."
            )
        return result


def _demo_settings(home: str, base_url: str, browser: str | None, account: str) -> Settings:
    """Settings of a throwaway OPTOUT_HOME: nothing of the member's is read or written."""
    return Settings(
        base_url=base_url,
        browser=browser,
        account=account,
        paths=Paths(
            config_dir=Path(home) / "config",
            state_dir=Path(home) / "state",
            origin=origin_of(base_url),
        ),
    )


def demo_command(cmd: CommandContext, *, headed: bool) -> ExitStatus:
    from optout.sandbox import Sandbox

    ui = cmd.ui
    account = f"demo-{secrets.token_hex(4)}@sandbox.invalid"
    password = secrets.token_urlsafe(16)
    browser = cmd.settings.browser  # the member's browser choice is the one thing kept
    # The demo shows the flow to its end: its page always leaves optout a source it knows.
    sandbox_of_demo = Sandbox(readable_draws=True)
    with tempfile.TemporaryDirectory(prefix="optout-demo-") as home, sandbox_of_demo as sandbox:
        sandbox.add_account(account, password, settings={SETTING: True})
        settings = _demo_settings(home, sandbox.base_url, browser, account)
        demo = Demo(ui, sandbox, settings, cmd.builtin_pack, account, headed)
        ui.out.print(Rule("optout demo"))
        ui.out.print(
            f"A local imitation of LinkedIn runs at {sandbox.base_url}; demo account "
            f"{escape(account)}. Nothing here touches linkedin.com or your own files."
        )
        _keyring_or_memory(ui)
        try:
            demo.sign_in(password)
            demo.step(Mode.CHECK, "2. optout check  (LinkedIn's default: on)", State.ON)
            demo.step(Mode.OFF, "3. optout off", State.OFF)
            demo.step(Mode.CHECK, "4. optout check  (read again)", State.OFF)
        finally:
            credentials.forget_account(account, origin=settings.base_url)
        ui.out.print(Rule())
        ui.out.print(
            "[green]Demo finished: the setting was found on, switched off and proven off.[/]\n"
            "For your own account: [bold]optout login --account you@example.com[/], "
            "then [bold]optout check[/] and [bold]optout off[/]."
        )
    return ExitStatus.OK

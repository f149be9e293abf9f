"""`optout demo`: the whole flow against the sandbox, with nothing of the member's touched.

It starts the sandbox in this process, uses a throwaway OPTOUT_HOME and a
throwaway demo account, and checks each step against the sandbox's own truth.
"""

from __future__ import annotations

import secrets
import tempfile
from pathlib import Path

from rich.markup import escape
from rich.rule import Rule

from optout.core.config import Paths, Settings, load_settings, origin_of
from optout.core.errors import OptoutError
from optout.core.results import Mode, RunResult, State
from optout.output.terminal import Ui
from optout.storage import credentials

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


def demo_command(*, headed: bool, verbose: bool) -> int:
    from optout.core.selector_pack import load_pack
    from optout.linkedin.account_run import AccountRun, sign_in_and_save
    from optout.output.render import render_result
    from optout.sandbox import Sandbox

    ui = Ui(verbose=verbose)
    account = f"demo-{secrets.token_hex(4)}@sandbox.invalid"
    password = secrets.token_urlsafe(16)
    pack = load_pack()
    browser = load_settings().browser
    with tempfile.TemporaryDirectory(prefix="optout-demo-") as home, Sandbox() as sandbox:
        sandbox.add_account(account, password, settings={SETTING: True})
        settings = Settings(
            base_url=sandbox.base_url,
            browser=browser,
            account=account,
            paths=Paths(
                config_dir=Path(home) / "config",
                state_dir=Path(home) / "state",
                origin=origin_of(sandbox.base_url),
            ),
        )
        ui.out.print(Rule("optout demo"))
        ui.out.print(
            f"A local imitation of LinkedIn runs at {sandbox.base_url}; demo account "
            f"{escape(account)}. Nothing here touches linkedin.com or your own files."
        )
        _keyring_or_memory(ui)

        def truth() -> str:
            return "on" if sandbox.setting(account, SETTING) else "off"

        def run(mode: Mode, title: str, expected: State) -> RunResult:
            ui.out.print(Rule(title))
            with ui.activity(title):
                result = AccountRun(settings, pack, account, progress=ui.progress).run(
                    [SETTING], mode, headed=headed
                )
            if result.error is not None:
                raise result.error
            render_result(ui.out, result)
            ui.out.print(f"[dim]The sandbox's own record says: {truth()}[/]")
            if result.settings[0].state is not expected or truth() != expected.value:
                raise DemoFailed(
                    f"Step '{title}' ended {result.settings[0].state.value}, "
                    f"expected {expected.value}."
                )
            return result

        try:
            ui.out.print(Rule("1. optout login"))
            with ui.activity("Signing in"):
                sign_in_and_save(settings, pack, account, password, headed=headed)
            ui.out.print(
                "Signed in. Password kept in the keyring, session saved encrypted "
                f"(sandbox sign-ins so far: {sandbox.stats(account)['logins']})."
            )
            run(Mode.CHECK, "2. optout check  (LinkedIn's default: on)", State.ON)
            run(Mode.OFF, "3. optout off", State.OFF)
            run(Mode.CHECK, "4. optout check  (read again)", State.OFF)
        finally:
            credentials.forget_account(account, origin=settings.base_url)
        ui.out.print(Rule())
        ui.out.print(
            "[green]Demo finished: the setting was found on, switched off and proven off.[/]\n"
            "For your own account: [bold]optout login --account you@example.com[/], "
            "then [bold]optout check[/] and [bold]optout off[/]."
        )
    return 0

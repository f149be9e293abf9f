"""`optout sandbox`: serve the local imitation of LinkedIn until Ctrl-C."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from optout.core.errors import EnvironmentProblem, ExitStatus

if TYPE_CHECKING:
    from optout.commands.context import CommandContext

SANDBOX_ACCOUNT = "member@example.com"
# A fake account on a fake server, documented in README.md; not a secret.
SANDBOX_PASSWORD = "sandbox"  # noqa: S105


@dataclass(frozen=True)
class SandboxOptions:
    variant: str
    lang: str
    chaos_seed: int | None
    chaos_rate: float
    heavy: bool = False
    details_seed: int | None = None  # None: each account's details follow from its email


def refuse_remote(host: str) -> None:
    """A usage error for an address beyond this machine: anyone who reaches the sandbox
    can change its accounts through the admin API."""
    import ipaddress

    import click

    if host == "localhost":
        return
    try:
        loopback = ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        loopback = False  # a host name: it may resolve to anything
    if not loopback:
        raise click.BadParameter(
            f"{host} is not a loopback address; the sandbox's admin API has no password. "
            "Add --allow-remote to listen there anyway.",
            param_hint="--host",
        )


def sandbox_command(
    cmd: CommandContext, host: str, port: int, options: SandboxOptions
) -> ExitStatus:
    from optout.sandbox import Sandbox

    ui = cmd.ui
    try:
        server = Sandbox(host=host, port=port, verbose=cmd.verbose, heavy=options.heavy)
    except OSError as exc:
        raise EnvironmentProblem(f"Cannot listen on {host}:{port}: {exc.strerror}.") from exc
    server.set_details_seed(options.details_seed)
    server.add_account(
        SANDBOX_ACCOUNT, SANDBOX_PASSWORD, variant=options.variant, lang=options.lang
    )
    if options.chaos_seed is not None:
        server.set_chaos(options.chaos_seed, options.chaos_rate)
    chaos = f", chaos seed {options.chaos_seed}" if options.chaos_seed is not None else ""
    if options.details_seed is not None:
        chaos += f", details seed {options.details_seed}"
    ui.err.print(
        f"LinkedIn sandbox at {server.base_url}  (account {SANDBOX_ACCOUNT}, "
        f"password {SANDBOX_PASSWORD!r}, {options.variant} page in {options.lang}{chaos}; "
        "admin API under /__sandbox/). Ctrl-C stops it.",
        markup=False,
    )
    server.serve_forever()
    return ExitStatus.OK

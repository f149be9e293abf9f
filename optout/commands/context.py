"""What one run of a command shares: its settings, selector pack and output.

The click group puts one `CommandContext` on click's context; every command gets it
and hands it down. Each part is made on first use and then kept, so `optout --help`
reads no file, a command that needs no pack never parses one, and none is read twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from optout.core.errors import OptoutError

if TYPE_CHECKING:
    from optout.core.config import Settings
    from optout.core.selector_pack import Pack
    from optout.output.terminal import Ui

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


@dataclass
class CommandContext:
    """The settings, the pack and the output of one command, each made once."""

    as_json: bool = False  # set by --json before the command runs
    verbose: bool = False  # set by --verbose
    colour: bool = True
    # What has been made, or the error making it raised: a broken config file is read
    # once and reported once, even when an option callback met it first.
    _made: dict[str, object] = field(default_factory=dict, init=False, repr=False)

    @classmethod
    def of(cls, ctx: click.Context) -> CommandContext:
        """The run's context object, made on the root context when none is there yet."""
        found = ctx.find_object(cls)
        return found if found is not None else ctx.find_root().ensure_object(cls)

    def _once(self, name: str, make: Callable[[], T]) -> T:
        if name not in self._made:
            try:
                self._made[name] = make()
            except OptoutError as exc:
                self._made[name] = exc
        made = self._made[name]
        if isinstance(made, OptoutError):
            raise made
        return cast("T", made)

    @property
    def settings(self) -> Settings:
        """The environment and config.toml, read once (EnvironmentProblem when broken)."""
        from optout.core.config import load_settings

        return self._once("settings", load_settings)

    @property
    def pack(self) -> Pack:
        """The built-in selector pack with the member's override merged in, loaded once."""
        from optout.core.selector_pack import load_pack

        return self._once("pack", lambda: load_pack(self.settings.paths.config_dir))

    @property
    def builtin_pack(self) -> Pack:
        """The built-in pack alone: for the sandbox, which imitates what it describes."""
        from optout.core.selector_pack import load_pack

        return self._once("builtin_pack", load_pack)

    @property
    def ui(self) -> Ui:
        """The output, made on first use with the flags parsed by then."""
        from optout.output.terminal import Ui

        return self._once(
            "ui", lambda: Ui(as_json=self.as_json, verbose=self.verbose, colour=self.colour)
        )


def uses_context(f: F) -> F:
    """Hand the command its run's `CommandContext` as the first argument."""

    @wraps(f)
    def with_context(*args: Any, **kwargs: Any) -> Any:
        return f(CommandContext.of(click.get_current_context()), *args, **kwargs)

    return cast("F", with_context)

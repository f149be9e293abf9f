"""Where output goes: results on stdout, progress and errors on stderr.

One object per command, so `--json` (nothing but one JSON object on stdout)
and `--verbose` (details and tracebacks on stderr) are decided in one place.
The consoles (rich) are made when first written to: a `--json` run that goes
well never loads rich at all.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from functools import cached_property
from typing import TYPE_CHECKING, Any

from optout.core.errors import OptoutError

if TYPE_CHECKING:
    from rich.console import Console
    from rich.status import Status
    from rich.text import Text


class Ui:
    def __init__(
        self, *, as_json: bool = False, verbose: bool = False, colour: bool = True
    ) -> None:
        self.as_json = as_json
        self.verbose = verbose
        self.colour = colour
        self._status: Status | None = None
        if verbose:
            logging.basicConfig(
                level=logging.DEBUG,
                stream=sys.stderr,
                format="%(asctime)s %(name)s %(levelname)s %(message)s",
            )
            # Playwright's own debug logs echo form values; keep them out.
            logging.getLogger("playwright").setLevel(logging.WARNING)

    @cached_property
    def out(self) -> Console:
        from rich.console import Console

        return Console(soft_wrap=True, no_color=not self.colour, highlight=self.colour)

    @cached_property
    def err(self) -> Console:
        from rich.console import Console

        return Console(stderr=True, soft_wrap=True, no_color=not self.colour, highlight=self.colour)

    def activity(self, first: str) -> AbstractContextManager[Any]:
        """A spinner on stderr while the browser works, when a person is watching."""
        if self.as_json or not sys.stderr.isatty() or not self.err.is_terminal:
            return nullcontext()
        self._status = self.err.status(first)
        return self._status

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Stop the spinner while the person is asked something on the terminal."""
        status = self._status
        if status is not None:
            status.stop()
        try:
            yield
        finally:
            if status is not None and self._status is status:
                status.start()

    def progress(self, message: str) -> None:
        if self._status is not None:
            self._status.update(message)
        if self.verbose:
            self.err.print(_text(message, style="dim"))

    def info(self, message: str, style: str | None = None) -> None:
        if not self.as_json:
            self.err.print(_text(message, style=style or ""))

    def print_json(self, text: str) -> None:
        # Plain write: rich would wrap or colour it.
        sys.stdout.write(text + "\n")
        sys.stdout.flush()

    def error(self, error: OptoutError | BaseException) -> None:
        if self.verbose:
            self.err.print(_text("".join(traceback.format_exception(error)), style="dim"))
        if isinstance(error, OptoutError):
            self.err.print(_text(f"optout: {error.message}", style="bold red"))
        else:
            self.err.print(
                _text(
                    f"optout: unexpected error: {type(error).__name__}: {error}; "
                    "run again with --verbose for details.",
                    style="bold red",
                )
            )


def _text(message: str, *, style: str) -> Text:
    """Printed as it is: no rich markup in it is taken for markup."""
    from rich.text import Text

    return Text(message, style=style)

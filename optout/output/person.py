"""The member at a terminal, when there is one: asked for codes, shown countdowns.

Questions go to the controlling terminal (/dev/tty), not stdin: stdin may carry
the password (`--password-stdin`). A run with no terminal (cron, a systemd
timer, CI) has nobody to ask, and says so at once instead of waiting.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Any, TextIO

Pause = Callable[[], AbstractContextManager[Any]]


class Person:
    """`pause` stops whatever else draws on the terminal (a spinner) while the person
    is spoken to."""

    def __init__(
        self,
        terminal: TextIO | None,
        *,
        answers: TextIO | None = None,
        pause: Pause = nullcontext,
    ) -> None:
        self._terminal = terminal  # where questions are written
        self._answers = answers or terminal  # where answers are read
        self._pause = pause

    @classmethod
    def at_terminal(cls, *, pause: Pause = nullcontext) -> Person:
        """The person at this process's terminal, or nobody when it has none."""
        if os.environ.get("OPTOUT_NO_PROMPT"):
            return cls(None)
        if sys.platform.startswith("win"):
            if not sys.stdin.isatty():
                return cls(None)
            return cls(sys.stderr, answers=sys.stdin, pause=pause)
        try:
            # Kept open for the run (a terminal cannot be opened "r+" as text: not seekable).
            answers = open("/dev/tty", encoding="utf-8")  # noqa: SIM115
            questions = open("/dev/tty", "w", encoding="utf-8")  # noqa: SIM115
        except OSError:
            return cls(None)
        return cls(questions, answers=answers, pause=pause)

    @property
    def present(self) -> bool:
        return self._terminal is not None

    def tell(self, message: str) -> None:
        if self._terminal is not None:
            with self._pause():
                self._terminal.write(message + "\n")
                self._terminal.flush()

    def ask(self, question: str) -> str:
        """One line typed by the person; empty when nobody is there or input ended."""
        if self._terminal is None or self._answers is None:  # answers: the terminal's own
            return ""
        with self._pause():
            self._terminal.write(question)
            self._terminal.flush()
            return self._answers.readline().strip()

    def countdown(self, message: str) -> AbstractContextManager[Any]:
        """Hold the terminal for a line rewritten in place by `show`."""
        return self._pause()

    def show(self, message: str, seconds_left: float) -> None:
        if self._terminal is not None:
            self._terminal.write(f"\r{message} ({seconds_left:3.0f} s left) ")
            self._terminal.flush()

    def end_line(self) -> None:
        if self._terminal is not None:
            self._terminal.write("\n")
            self._terminal.flush()

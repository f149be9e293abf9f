"""The person at the terminal, as the browser's tasks speak to them: one account at a
time, so that accounts side by side never ask at once and their questions and
answers never cross, and without holding up the other accounts while waiting for
an answer."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import partial
from typing import TypeVar

from optout.output.person import Person

T = TypeVar("T")


class PersonTurns:
    """A `Person` shared by the tasks of one event loop."""

    def __init__(self, person: Person | None = None) -> None:
        self.person = person or Person(None)
        self._turn = asyncio.Lock()

    @classmethod
    def of(cls, person: Person | PersonTurns | None) -> PersonTurns:
        return person if isinstance(person, PersonTurns) else cls(person)

    @property
    def present(self) -> bool:
        return self.person.present

    async def tell(self, message: str) -> None:
        async with self._turn:
            self.person.tell(message)

    async def ask(self, question: str) -> str:
        """One line typed by the person; the other accounts go on meanwhile."""
        async with self._turn:
            return await _in_a_thread_of_its_own(self.person.ask, question)

    @asynccontextmanager
    async def countdown(self, message: str) -> AsyncIterator[None]:
        """The terminal, held for a line that `show` rewrites in place."""
        async with self._turn:
            with self.person.countdown(message):
                try:
                    yield
                finally:
                    self.person.end_line()

    def show(self, message: str, seconds_left: float) -> None:
        """Within `countdown` only: the line, with the seconds left."""
        self.person.show(message, seconds_left)


async def _in_a_thread_of_its_own(call: Callable[[str], T], argument: str) -> T:
    """`call` in a daemon thread: a question left unanswered by Ctrl-C must not keep the
    process waiting for its thread (the event loop's own threads are waited for)."""
    loop = asyncio.get_running_loop()
    answer: asyncio.Future[T] = loop.create_future()

    def settle(outcome: Callable[[], None]) -> None:
        if not answer.done():
            outcome()

    def hand_back(outcome: Callable[[], None]) -> None:
        with contextlib.suppress(RuntimeError):  # the loop has ended: nobody waits
            loop.call_soon_threadsafe(settle, outcome)

    def run() -> None:
        try:
            value = call(argument)
        except BaseException as exc:  # handed to the waiting task, whatever it is
            hand_back(partial(answer.set_exception, exc))
        else:
            hand_back(partial(answer.set_result, value))

    threading.Thread(target=run, name="optout-person", daemon=True).start()
    return await answer

"""Tasks that each need the browser, run side by side in one browser.

One browser serves every task of a run: each task opens a context of its own in it
(the browser keeps contexts apart: cookies, storage, cache), so a run pays for one
browser start however many accounts it has. At most `limit` tasks run at once,
since each page wants its renderer's CPU and memory.

The browser is started before the first task is given, while the caller may still
be reading what the tasks need (`asyncio` runs both). A browser that crashed is
started anew for the tasks that had not begun; a task running in it meets the
crash as its own error.

Ctrl-C cancels every task at its next wait; each closes its context on the way out,
then the browser is closed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from optout.linkedin.chromium.browser import BrowserSession

T = TypeVar("T")
Launch = Callable[[], AbstractAsyncContextManager["BrowserSession"]]
Task = Callable[["BrowserSession"], Awaitable[T]]


async def side_by_side(tasks: Sequence[Task[T]], *, limit: int, launch: Launch) -> list[T]:
    """Each task, given the browser; at most `limit` at once. The results come in the
    order of the tasks. A task's exception is raised once every task has run (the first
    in order): a task catches what must not cost the other tasks their results. The
    browser's own start failing is raised at once: no task could run."""
    async with AsyncExitStack() as stack:
        browser = _Browser(stack, launch)
        await browser.connected()
        gate = asyncio.Semaphore(max(1, limit))

        async def run(task: Task[T]) -> T:
            async with gate:
                return await task(await browser.connected())

        outcomes = await asyncio.gather(*(run(task) for task in tasks), return_exceptions=True)
    results: list[T] = []
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
        results.append(outcome)
    return results


class _Browser:
    """The run's browser, started anew if it went away."""

    def __init__(self, stack: AsyncExitStack, launch: Launch) -> None:
        self._stack = stack
        self._launch = launch
        self._session: BrowserSession | None = None
        self._lock = asyncio.Lock()

    async def connected(self) -> BrowserSession:
        async with self._lock:
            session = self._session
            if session is None or not session.browser.is_connected():
                session = await self._stack.enter_async_context(self._launch())
                self._session = session
            return session

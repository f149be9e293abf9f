"""Tasks that each need a browser, run side by side in worker threads.

Playwright's sync API belongs to the thread that started it (one Playwright per
thread, as Playwright documents): each worker starts a Playwright and a browser of
its own, then takes tasks from one shared list, in order, until none is left, and
closes its browser.

The worker threads live as long as the process, waiting for the next call between
calls. A thread that has used Playwright must not end while the interpreter shuts
down: the sync API's per-thread state is torn down as its thread ends, and torn
down during the shutdown it can crash the process (exit 139 instead of 130).

Ctrl-C reaches the main thread only. It stops the workers: each takes no further
task, ends the one it runs at that task's next `checkpoint()` (a browser that a
Ctrl-C at the terminal stopped ends it sooner), and closes its browser.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Generic, TypeVar

from optout.core.errors import EnvironmentProblem

if TYPE_CHECKING:
    from optout.linkedin.browser import BrowserSession

T = TypeVar("T")
Launch = Callable[[], AbstractContextManager["BrowserSession"]]
Task = Callable[["BrowserSession"], T]

# How long Ctrl-C waits for the workers to end their step and close their browsers;
# a second Ctrl-C stops waiting.
STOP_GRACE_S = 10.0
# How often the main thread looks up from waiting: a wait without a timeout cannot
# be interrupted by Ctrl-C on Windows.
_POLL_S = 0.2

log = logging.getLogger(__name__)
_worker = threading.local()  # in a worker thread: the stop event of the run it serves


class Stopped(BaseException):
    """The run was interrupted. Raised in a worker's task at its next checkpoint; a
    BaseException, like the KeyboardInterrupt it stands for, so no task takes it
    for a failure of its own and goes on."""


def checkpoint() -> None:
    """A point where a task may stop once its run is interrupted. Outside a worker
    thread it does nothing: there, Ctrl-C raises KeyboardInterrupt itself."""
    stop: threading.Event | None = getattr(_worker, "stop", None)
    if stop is not None and stop.is_set():
        raise Stopped


def side_by_side(tasks: Sequence[Task[T]], *, limit: int, launch: Launch) -> list[T]:
    """Each task, given a browser; at most `limit` at once, each in a worker thread
    with a browser of its own (`launch` starts one). The results come in the order of
    the tasks. A task's exception is raised once every task has run (the first in
    order): a task catches what must not cost the other tasks their results.

    With one task, or `limit` 1, the tasks run one after the other in this thread."""
    if limit <= 1 or len(tasks) <= 1:
        with launch() as session:
            return [task(session) for task in tasks]
    run = _Run(list(tasks), launch, workers=min(limit, len(tasks)))
    _pool.start(run.work, run.workers)
    try:
        while not run.done.wait(_POLL_S):
            pass
    except BaseException:  # Ctrl-C: the workers stop and close their browsers
        run.stop.set()
        deadline = time.monotonic() + STOP_GRACE_S
        while not run.done.wait(_POLL_S) and time.monotonic() < deadline:
            pass
        raise
    return run.results()


class _Pool:
    """The worker threads: as many as the calls running need, kept for the next."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._threads = 0
        self._busy = 0  # jobs given and not yet done: never more than the threads

    def start(self, job: Callable[[], None], count: int) -> None:
        with self._lock:
            self._busy += count
            while self._threads < self._busy:
                self._threads += 1
                name = f"optout-browser-{self._threads}"
                threading.Thread(target=self._serve, name=name, daemon=True).start()
        for _ in range(count):
            self._jobs.put(job)

    def _serve(self) -> None:
        while True:
            job = self._jobs.get()
            try:
                job()
            finally:
                with self._lock:
                    self._busy -= 1


_pool = _Pool()


class _Run(Generic[T]):
    """The tasks of one `side_by_side` call and what became of each."""

    def __init__(self, tasks: list[Task[T]], launch: Launch, *, workers: int) -> None:
        self.tasks = tasks
        self.launch = launch
        self.workers = workers
        self.stop = threading.Event()
        self.done = threading.Event()  # every worker has closed its browser
        self._lock = threading.Lock()
        self._next = 0
        self._working = workers
        self._values: dict[int, T] = {}
        self._errors: dict[int, BaseException] = {}
        self._worker_errors: list[BaseException] = []  # a browser that did not start

    def work(self) -> None:
        """One worker's part: a browser of its own for as many tasks as it can take."""
        _worker.stop = self.stop
        try:
            self._work()
        finally:
            _worker.stop = None
            with self._lock:
                self._working -= 1
                if self._working == 0:
                    self.done.set()

    def _work(self) -> None:
        try:
            while self._more():
                with self.launch() as session:
                    ran = 0
                    while session.browser.is_connected() and (index := self._take()) is not None:
                        self._run_one(index, session)
                        ran += 1
                if not ran:
                    return
                # A browser that crashed is started anew for the tasks left.
        except Stopped:
            pass
        except BaseException as exc:  # the other workers take the tasks left
            log.debug("a browser worker ended early", exc_info=exc)
            with self._lock:
                self._worker_errors.append(exc)

    def _more(self) -> bool:
        with self._lock:
            return not self.stop.is_set() and self._next < len(self.tasks)

    def _take(self) -> int | None:
        with self._lock:
            if self.stop.is_set() or self._next >= len(self.tasks):
                return None
            self._next += 1
            return self._next - 1

    def _run_one(self, index: int, session: BrowserSession) -> None:
        try:
            value = self.tasks[index](session)
        except Stopped:
            raise
        except BaseException as exc:  # the task's own: raised once all have run
            with self._lock:
                self._errors[index] = exc
        else:
            with self._lock:
                self._values[index] = value

    def results(self) -> list[T]:
        if len(self._values) + len(self._errors) < len(self.tasks):
            # No worker got a browser to run the rest: the reason why is the run's.
            if self._worker_errors:
                raise self._worker_errors[0]
            raise EnvironmentProblem("The browser stopped before every task had run.")
        if self._errors:
            raise self._errors[min(self._errors)]
        return [self._values[index] for index in range(len(self.tasks))]

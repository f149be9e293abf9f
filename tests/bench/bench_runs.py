"""The benchmark's measuring: each run a whole process, timed with its CPU seconds or
(in a round of its own) its browser's peak memory read, each kind in turn within a
round so machine noise falls on all of them alike."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench_cpu import CpuCounter
from bench_memory import PeakMemory
from bench_setup import SETTING, Home, Setup

from optout.core.errors import ExitStatus

PAGE = "/mypreferences/d/settings/data-for-ai-improvement"
HERE = Path(__file__).resolve().parent
BASELINE_TIMEOUT_S = 10  # on a varied page the baseline may never find its switch
NOT_FOUND = 3  # baseline.py's exit when it did not
OPTOUT = [sys.executable, "-m", "optout"]
ACCOUNTS_BASELINE = (1, 10)  # accounts checked by the simplest script in one browser
CALM = "plain, calm"  # the plain page whose skeleton honours reduced motion
# On, as it is; or the page not understood (an honest "unknown").
CHECK_ANSWERS = {
    int(s) for s in (ExitStatus.OK, ExitStatus.SETTING_ON, ExitStatus.PAGE_NOT_UNDERSTOOD)
}


@dataclass
class Figures:
    seconds: list[float] = field(default_factory=list)
    cpu_s: list[float] = field(default_factory=list)  # where the machine lets them be counted
    peak_kb: list[int] = field(default_factory=list)
    readings: list[str] = field(default_factory=list)  # what each run read, where judged


def timed(
    argv: list[str],
    env: dict[str, str],
    expect: set[int],
    figures: Figures,
    *,
    memory: bool,
    cpu: CpuCounter,
) -> tuple[int, str]:
    """One whole process: its time and (where `cpu` can count them) CPU seconds, or
    (`memory`) its browser's peak PSS. Never both: reading memory costs CPU that would
    slow what is timed. Its exit code and output."""
    started = time.perf_counter()
    process = subprocess.Popen(
        argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    # Moved at once: the process is still loading Python, nothing started yet.
    counted = not memory and cpu.start(process.pid)
    sampler = PeakMemory(process.pid) if memory else None
    out, err = process.communicate(timeout=300)
    if sampler is None:
        figures.seconds.append(time.perf_counter() - started)
        cpu_s = cpu.seconds() if counted else None
        if cpu_s is not None:
            figures.cpu_s.append(cpu_s)
    else:
        figures.peak_kb.append(sampler.stop())
    if process.returncode not in expect:
        raise SystemExit(f"{' '.join(argv[1:4])}: exit {process.returncode}\n{out}\n{err}")
    return process.returncode, out


def optout_reading(out: str) -> str:
    try:
        return str(json.loads(out)["settings"][0]["state"])
    except (ValueError, KeyError, IndexError, TypeError):
        return "no answer"


def baseline_reading(out: str, truth: bool = True) -> str:
    try:
        checked = json.loads(out.strip().splitlines()[-1])["checked"]
    except (ValueError, KeyError, IndexError, TypeError):
        return "no answer"
    if checked is None:
        return "not found"
    return "right" if checked is truth else "wrong"


class Runner:
    """Runs the rounds against a set-up and keeps each kind's figures, by (run, page)."""

    def __init__(self, browser: str, setup: Setup) -> None:
        self.browser, self.setup = browser, setup
        self.figures: dict[tuple[str, str], Figures] = {}
        self.memory = False  # this round reads memory, not time
        self.cpu = CpuCounter()

    def run(
        self,
        name: str,
        page: str,
        argv: list[str],
        env: dict[str, str],
        expect: set[int],
        judge: Callable[[str], str] | None = None,
    ) -> None:
        f = self.figures.setdefault((name, page), Figures())
        _, out = timed(argv, env, expect, f, memory=self.memory, cpu=self.cpu)
        if judge is not None and not self.memory:
            f.readings.append(judge(out))

    def baseline(
        self, home: Home, state: Path, flags: tuple[str, ...] = (), *, bare: bool = False
    ) -> list[str]:
        return [
            sys.executable,
            str(HERE / "baseline.py"),
            self.browser,
            str(state),
            home.sandbox.base_url + PAGE,
            f"--timeout-s={BASELINE_TIMEOUT_S}",
            *(f"--flag={flag}" for flag in flags),
            *(["--bare"] if bare else []),
        ]

    def _plain_and_heavy(self) -> None:
        from optout.linkedin.chromium.launch_flags import LEAN_HEADLESS_FLAGS

        for page, home in self.setup.homes.items():
            state = self.setup.states[page]
            self.run("baseline", page, self.baseline(home, state), home.env, {0})
            lean = self.baseline(home, state, LEAN_HEADLESS_FLAGS)
            self.run("baseline (lean flags)", page, lean, home.env, {0})
            bare = self.baseline(home, state, bare=True)
            self.run("baseline (bare launch)", page, bare, home.env, {0})
            self.run("optout check", page, [*OPTOUT, "check", "--json"], home.env, {0})
            home.sandbox.set_setting(home.emails[0], SETTING, True)
            self.run("optout off", page, [*OPTOUT, "off", "--json"], home.env, {0})

    def _varied(self) -> None:
        mixed = self.setup.mixed
        for page, (email, state) in self.setup.pages.items():
            argv = self.baseline(mixed, state)
            self.run("baseline", page, argv, mixed.env, {0, NOT_FOUND}, baseline_reading)
            argv = [*OPTOUT, "check", "--json", "--account", email]
            self.run("optout check", page, argv, mixed.env, CHECK_ANSWERS, optout_reading)

    def one_round(self) -> None:
        self._plain_and_heavy()
        self._varied()
        for count, home in self.setup.many.items():
            argv = [*OPTOUT, "check", "--all-accounts", "--json"]
            self.run(f"check --all-accounts ({count})", "plain", argv, home.env, {0})
            if count in ACCOUNTS_BASELINE:
                argv = [
                    sys.executable, str(HERE / "baseline_accounts.py"), self.browser,
                    home.sandbox.base_url + PAGE, *map(str, self.setup.many_states[count]),
                ]  # fmt: skip
                self.run(f"baseline, accounts ({count})", "plain", argv, home.env, {0})
        for count, home in self.setup.calm.items():
            argv = [*OPTOUT, "check", "--all-accounts", "--json"]
            self.run(f"check --all-accounts ({count})", CALM, argv, home.env, {0})
        self.run("optout --help", "-", [*OPTOUT, "--help"], self.setup.homes["plain"].env, {0})

    def rounds(self, rounds: int) -> None:
        """`rounds` timed rounds, then one more for memory alone."""
        try:
            for round_ in range(rounds + 1):
                self.memory = round_ == rounds  # a last round for memory alone
                shown = f"round {round_ + 1}/{rounds}" if not self.memory else "memory"
                print(shown, file=sys.stderr)
                self.one_round()
        except KeyboardInterrupt:  # Ctrl-C: the rounds so far are still worth a report
            print("interrupted: the report covers the rounds run so far", file=sys.stderr)
        finally:
            self.cpu.close()

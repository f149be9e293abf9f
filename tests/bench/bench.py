"""optout against the simplest script that does its job, in one run, alternating.

Run it with `scripts/bench` (a throwaway keyring session around this file):

    scripts/bench [--rounds 5]

It starts two sandboxes (plain, and heavy: the weight of LinkedIn's real page),
signs members in through optout itself, then times whole processes, each kind
in turn within a round so machine noise falls on all of them alike:

- baseline: tests/bench/baseline.py (launch, cookies, page, wait for the switch, read);
- `optout check --json` with a saved session;
- `optout off` on a setting that is on;
- `optout check --all-accounts` with 1, 5 and 10 accounts (plain page);
- `optout --help`.

It prints the median, min and max of each, the ratio to the baseline on the same
page, and, from one more round run for that alone, the peak memory (PSS) of the
browser processes each started.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from optout.sandbox import Sandbox

SETTING = "generative-ai-improvement"
PAGE = "/mypreferences/d/settings/data-for-ai-improvement"
HERE = Path(__file__).resolve().parent
PASSWORD = "bench-password-1"


# --- memory --------------------------------------------------------------------------


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _tree(root: int) -> list[int]:
    tree, found, todo = _children(), [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += tree.get(pid, [])
    return found


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _is_browser(pid: int) -> bool:
    try:
        return "chrom" in Path(f"/proc/{pid}/comm").read_text()
    except OSError:
        return False


class PeakMemory:
    """Samples the PSS of a process's browser descendants until stopped."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak_kb = pid, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            browser = [pid for pid in _tree(self.pid) if _is_browser(pid)]
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(pid) for pid in browser))
            self._stop.wait(0.1)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak_kb


# --- running ---------------------------------------------------------------------------


@dataclass
class Figures:
    seconds: list[float] = field(default_factory=list)
    peak_kb: list[int] = field(default_factory=list)


def timed(
    argv: list[str], env: dict[str, str], expect: set[int], figures: Figures, *, memory: bool
) -> None:
    """One whole process: its time, or (`memory`) its browser's peak PSS. Never both:
    reading memory costs CPU that would slow what is timed."""
    started = time.perf_counter()
    process = subprocess.Popen(
        argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    sampler = PeakMemory(process.pid) if memory else None
    out, err = process.communicate(timeout=300)
    if sampler is None:
        figures.seconds.append(time.perf_counter() - started)
    else:
        figures.peak_kb.append(sampler.stop())
    if process.returncode not in expect:
        raise SystemExit(f"{' '.join(argv[1:4])}: exit {process.returncode}\n{out}\n{err}")


@dataclass
class Home:
    """An OPTOUT_HOME with signed-in members against one sandbox."""

    path: Path
    sandbox: Sandbox
    emails: list[str]

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "OPTOUT_HOME": str(self.path),
            "OPTOUT_BASE_URL": self.sandbox.base_url,
            "OPTOUT_NO_PROMPT": "1",
            "NO_COLOR": "1",
        }


def make_home(root: Path, name: str, sandbox: Sandbox, count: int) -> Home:
    home = Home(root / name, sandbox, [f"{name}-{n}@example.com" for n in range(count)])
    for email in home.emails:
        sandbox.add_account(email, PASSWORD, settings={SETTING: False})
        done = subprocess.run(
            [sys.executable, "-m", "optout", "login", "--account", email, "--password-stdin"],
            input=PASSWORD + "\n", env=home.env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            raise SystemExit(f"login {email} failed: {done.stderr}")
    return home


def storage_state_file(home: Home, into: Path) -> Path:
    """The saved (encrypted) session of the home's first member, as the plain
    storage-state file the baseline reads."""
    from optout.core.config import paths
    from optout.storage.sessions import SessionStore

    os.environ["OPTOUT_HOME"] = str(home.path)
    state = SessionStore.of(paths(base_url=home.sandbox.base_url)).load(home.emails[0])
    path = into / f"{home.path.name}-state.json"
    path.write_text(json.dumps(state))
    path.chmod(0o600)
    return path


@contextmanager
def sandboxes() -> Iterator[tuple[Sandbox, Sandbox]]:
    # The baseline is a plain Playwright browser, which the bot guard would refuse.
    with Sandbox(bot_guard=False) as plain, Sandbox(heavy=True, bot_guard=False) as heavy:
        plain.hang_limit_s = heavy.hang_limit_s = 5
        yield plain, heavy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    from optout.linkedin.browser import discover, playwright_chromium_path

    browser = discover(os.environ.get("OPTOUT_BROWSER"), playwright_chromium_path()).path
    optout = [sys.executable, "-m", "optout"]
    figures: dict[tuple[str, str], Figures] = {}

    memory = False

    def run(name: str, page: str, argv: list[str], env: dict[str, str], expect: set[int]) -> None:
        timed(argv, env, expect, figures.setdefault((name, page), Figures()), memory=memory)

    with tempfile.TemporaryDirectory(prefix="optout-bench-") as tmp, sandboxes() as (plain, heavy):
        root = Path(tmp)
        print("signing members in...", file=sys.stderr)
        homes = {
            "plain": make_home(root, "plain", plain, 1),
            "heavy": make_home(root, "heavy", heavy, 1),
        }
        many = {n: make_home(root, f"many{n}", plain, n) for n in (1, 5, 10)}
        states = {page: storage_state_file(home, root) for page, home in homes.items()}
        for round_ in range(rounds + 1):
            memory = round_ == rounds  # a last round for memory alone
            print(f"round {round_ + 1}/{rounds}" if not memory else "memory", file=sys.stderr)
            for page, home in homes.items():
                url = home.sandbox.base_url + PAGE
                baseline = [
                    sys.executable,
                    str(HERE / "baseline.py"),
                    browser,
                    str(states[page]),
                    url,
                ]
                run("baseline", page, baseline, home.env, {0})
                run("optout check", page, [*optout, "check", "--json"], home.env, {0})
                home.sandbox.set_setting(home.emails[0], SETTING, True)
                run("optout off", page, [*optout, "off", "--json"], home.env, {0})
            for count, home in many.items():
                argv = [*optout, "check", "--all-accounts", "--json"]
                run(f"check --all-accounts ({count})", "plain", argv, home.env, {0})
            run("optout --help", "-", [*optout, "--help"], homes["plain"].env, {0})
    report(figures, browser)


def report(figures: dict[tuple[str, str], Figures], browser: str) -> None:
    medians = {key: statistics.median(f.seconds) for key, f in figures.items()}
    python = platform.python_version()
    print(f"\nmachine: {platform.platform()}, {os.cpu_count()} CPUs, Python {python}")
    print(f"browser: {browser}; rounds: {len(next(iter(figures.values())).seconds)}\n")
    print("| run | page | median s | min s | max s | x baseline | peak browser PSS MB |")
    print("|---|---|---|---|---|---|---|")
    for (name, page), f in figures.items():
        base = medians.get(("baseline", page))
        ratio = f"{medians[(name, page)] / base:.2f}" if base and name != "baseline" else "-"
        peak = max(f.peak_kb, default=0) / 1024
        print(
            f"| {name} | {page} | {medians[(name, page)]:.2f} | {min(f.seconds):.2f} | "
            f"{max(f.seconds):.2f} | {ratio} | {peak:.0f} |"
        )
    one = medians.get(("check --all-accounts (1)", "plain"))
    ten = medians.get(("check --all-accounts (10)", "plain"))
    if one and ten:
        print(f"\n--all-accounts: 10 accounts take {ten / one:.2f} x one account")


if __name__ == "__main__":
    main()

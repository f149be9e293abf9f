"""optout against the simplest script that does its job, in one run, alternating.

Run it with `scripts/bench` (a throwaway keyring session around this file):

    scripts/bench [--rounds 5] [--varied 4] [--seed 1203]

It starts three sandboxes (plain; heavy, the weight of LinkedIn's real page; and
varied, whose members' pages take random unconfirmed details from a fixed seed),
signs members in through optout itself, then times whole processes, each kind in
turn within a round so machine noise falls on all of them alike:

- baseline: tests/bench/baseline.py (launch, cookies, page, wait for the switch, read);
- baseline (lean flags): the same with optout.linkedin.launch_flags.LEAN_HEADLESS_FLAGS;
- `optout check --json` with a saved session;
- `optout off` on a setting that is on;
- `optout check --all-accounts` with 1, 5 and 10 accounts (plain page);
- on the varied sandbox, the baseline and `optout check` for each of `--varied`
  members, every one with other page details (sandbox/details.py, drawn as
  tests/test_property_details.py draws them: `PageDetails.drawn` from the seed);
  their setting is on, so a reading of "off" is a wrong one;
- `optout --help`.

It prints the median, min and max of each, the ratio to the baseline on the same
page, the goal each figure has (README: Speed and memory) and whether it is met,
and, from one more round run for that alone, the peak memory (PSS) of the
browser processes each started. Where the baseline does not find the switch on a
varied page, or reads it wrong, that page's ratio is to the plain page's baseline
and the table says so. It only prints: no goal fails the run.
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
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from optout.core.errors import ExitStatus
from optout.sandbox import PageDetails, Sandbox

SETTING = "generative-ai-improvement"
PAGE = "/mypreferences/d/settings/data-for-ai-improvement"
HERE = Path(__file__).resolve().parent
PASSWORD = "bench-password-1"
SEED = 1203  # the varied members' page details: the same on every run
BASELINE_TIMEOUT_S = 10  # on a varied page the baseline may never find its switch
NOT_FOUND = 3  # baseline.py's exit when it did not
LOGINS_AT_ONCE = 4

# The goals (README: Speed and memory).
CHECK_PLAIN = 1.15  # x the baseline on the plain page (and on varied pages)
CHECK_HEAVY = 0.45  # x the baseline on the heavy page
OFF_HEAVY = 0.8  # x the baseline on the heavy page
TEN_ACCOUNTS = 2.5  # x one account (--all-accounts with 1)
PEAK_MB = 400  # browser PSS of every single-account run
HELP_S = 0.1


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
    readings: list[str] = field(default_factory=list)  # what each run read, where judged


def timed(
    argv: list[str], env: dict[str, str], expect: set[int], figures: Figures, *, memory: bool
) -> tuple[int, str]:
    """One whole process: its time, or (`memory`) its browser's peak PSS. Never both:
    reading memory costs CPU that would slow what is timed. Its exit code and output."""
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
    return process.returncode, out


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


def make_home(
    root: Path, name: str, sandbox: Sandbox, count: int, *, emails: list[str] | None = None
) -> Home:
    emails = emails or [f"{name}-{n}@example.com" for n in range(count)]
    home = Home(root / name, sandbox, emails)

    def login(email: str) -> None:
        done = subprocess.run(
            [sys.executable, "-m", "optout", "login", "--account", email, "--password-stdin"],
            input=PASSWORD + "\n", env=home.env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            raise SystemExit(f"login {email} failed: {done.stderr}")

    for email in home.emails:
        sandbox.add_account(email, PASSWORD, settings={SETTING: False})
    with ThreadPoolExecutor(max_workers=LOGINS_AT_ONCE) as pool:
        list(pool.map(login, home.emails))  # sign-ins are no part of what is timed
    return home


def storage_state_file(home: Home, into: Path, email: str | None = None) -> Path:
    """The saved (encrypted) session of a member of the home (the first by default),
    as the plain storage-state file the baseline reads."""
    from optout.core.config import paths
    from optout.storage.sessions import SessionStore

    email = email or home.emails[0]
    os.environ["OPTOUT_HOME"] = str(home.path)
    state = SessionStore.of(paths(base_url=home.sandbox.base_url)).load(email)
    path = into / f"{home.path.name}-{email}-state.json"
    path.write_text(json.dumps(state))
    path.chmod(0o600)
    return path


def varied_emails(seed: int, count: int) -> list[str]:
    """`count` members whose page details, drawn from the seed, all differ."""
    emails: list[str] = []
    seen: list[PageDetails] = []
    n = 0
    while len(emails) < count:
        email = f"varied-{n}@example.com"
        details = PageDetails.drawn(email, seed)
        if details not in seen:
            emails.append(email)
            seen.append(details)
        n += 1
    return emails


def describe(details: PageDetails) -> str:
    """The details that differ from PageDetails()'s, shortly."""
    default = PageDetails()
    shown = [
        f"{name}={value}"
        for name, value in details.to_json().items()
        if value != getattr(default, name)
    ]
    return ", ".join(shown) or "the defaults"


@contextmanager
def sandboxes() -> Iterator[tuple[Sandbox, Sandbox, Sandbox]]:
    # The baseline is a plain Playwright browser, which the bot guard would refuse.
    with (
        Sandbox(bot_guard=False) as plain,
        Sandbox(heavy=True, bot_guard=False) as heavy,
        Sandbox(bot_guard=False) as varied,
    ):
        plain.hang_limit_s = heavy.hang_limit_s = varied.hang_limit_s = 5
        yield plain, heavy, varied


def _optout_reading(out: str) -> str:
    try:
        return str(json.loads(out)["settings"][0]["state"])
    except (ValueError, KeyError, IndexError, TypeError):
        return "no answer"


def _baseline_reading(out: str, truth: bool) -> str:
    try:
        checked = json.loads(out.strip().splitlines()[-1])["checked"]
    except (ValueError, KeyError, IndexError, TypeError):
        return "no answer"
    if checked is None:
        return "not found"
    return "right" if checked is truth else "wrong"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--varied", type=int, default=4, metavar="N",
        help="members with varied page details (0: none)",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=SEED, help="the varied details' seed")
    options = parser.parse_args()
    rounds = options.rounds
    from optout.linkedin.browser import discover, playwright_chromium_path
    from optout.linkedin.launch_flags import LEAN_HEADLESS_FLAGS

    browser = discover(os.environ.get("OPTOUT_BROWSER"), playwright_chromium_path()).path
    optout = [sys.executable, "-m", "optout"]
    figures: dict[tuple[str, str], Figures] = {}
    details: dict[str, str] = {}  # varied page: its details, described

    memory = False

    def run(
        name: str,
        page: str,
        argv: list[str],
        env: dict[str, str],
        expect: set[int],
        judge: Callable[[str], str] | None = None,
    ) -> None:
        f = figures.setdefault((name, page), Figures())
        _, out = timed(argv, env, expect, f, memory=memory)
        if judge is not None and not memory:
            f.readings.append(judge(out))

    def baseline(home: Home, state: Path, flags: tuple[str, ...] = ()) -> list[str]:
        return [
            sys.executable,
            str(HERE / "baseline.py"),
            browser,
            str(state),
            home.sandbox.base_url + PAGE,
            f"--timeout-s={BASELINE_TIMEOUT_S}",
            *(f"--flag={flag}" for flag in flags),
        ]

    with (
        tempfile.TemporaryDirectory(prefix="optout-bench-") as tmp,
        sandboxes() as (plain, heavy, varied),
    ):
        root = Path(tmp)
        print("signing members in...", file=sys.stderr)
        homes = {
            "plain": make_home(root, "plain", plain, 1),
            "heavy": make_home(root, "heavy", heavy, 1),
        }
        many = {n: make_home(root, f"many{n}", plain, n) for n in (1, 5, 10)}
        states = {page: storage_state_file(home, root) for page, home in homes.items()}
        varied.set_details_seed(options.seed)
        mixed = make_home(
            root, "varied", varied, 0, emails=varied_emails(options.seed, options.varied)
        )
        pages = {}
        for n, email in enumerate(mixed.emails):
            varied.set_setting(email, SETTING, True)  # "off" would be a wrong reading
            page = f"varied-{n}"
            pages[page] = email, storage_state_file(mixed, root, email)
            details[page] = describe(varied.details(email))

        def one_round() -> None:
            for page, home in homes.items():
                run("baseline", page, baseline(home, states[page]), home.env, {0})
                lean = baseline(home, states[page], LEAN_HEADLESS_FLAGS)
                run("baseline (lean flags)", page, lean, home.env, {0})
                run("optout check", page, [*optout, "check", "--json"], home.env, {0})
                home.sandbox.set_setting(home.emails[0], SETTING, True)
                run("optout off", page, [*optout, "off", "--json"], home.env, {0})
            for page, (email, state) in pages.items():
                judge_baseline = lambda out: _baseline_reading(out, True)  # noqa: E731
                run("baseline", page, baseline(mixed, state), mixed.env, {0, NOT_FOUND},
                    judge_baseline)  # fmt: skip
                argv = [*optout, "check", "--json", "--account", email]
                # On, as it is; or the page not understood (an honest "unknown").
                answers = (ExitStatus.OK, ExitStatus.SETTING_ON, ExitStatus.PAGE_NOT_UNDERSTOOD)
                run("optout check", page, argv, mixed.env, set(map(int, answers)), _optout_reading)
            for count, home in many.items():
                argv = [*optout, "check", "--all-accounts", "--json"]
                run(f"check --all-accounts ({count})", "plain", argv, home.env, {0})
            run("optout --help", "-", [*optout, "--help"], homes["plain"].env, {0})

        try:
            for round_ in range(rounds + 1):
                memory = round_ == rounds  # a last round for memory alone
                print(f"round {round_ + 1}/{rounds}" if not memory else "memory", file=sys.stderr)
                one_round()
        except KeyboardInterrupt:  # Ctrl-C: the rounds so far are still worth a report
            print("interrupted: the report covers the rounds run so far", file=sys.stderr)
    report(figures, browser, details, options.seed)


# --- the report --------------------------------------------------------------------------


def _met(value: float, limit: float) -> str:
    return "yes" if value <= limit else "no"


def report(
    figures: dict[tuple[str, str], Figures], browser: str, details: dict[str, str], seed: int
) -> None:
    figures = {key: f for key, f in figures.items() if f.seconds}  # none if interrupted
    medians = {key: statistics.median(f.seconds) for key, f in figures.items()}
    plain_base = medians.get(("baseline", "plain"))
    python = platform.python_version()
    print(f"\nmachine: {platform.platform()}, {os.cpu_count()} CPUs, Python {python}")
    print(f"browser: {browser}; rounds: {len(next(iter(figures.values())).seconds)}\n")
    if details:
        print(f"varied pages (details seed {seed}; the setting is on):")
        for page, text in details.items():
            print(f"- {page}: {text}")
        print()

    def baseline_ok(page: str) -> bool:
        f = figures.get(("baseline", page))
        return f is not None and all(r == "right" for r in f.readings)

    notes: list[str] = []
    varied_optout: list[float] = []
    varied_base: list[float] = []
    rows = []
    for (name, page), f in figures.items():
        median = medians[(name, page)]
        varied = page.startswith("varied-")
        base = medians.get(("baseline", page))
        mark = ""
        if varied and name != "baseline" and not baseline_ok(page):
            base, mark = plain_base, " *"
        ratio = median / base if base and name != "baseline" else None
        goal, met = "", ""
        if name == "optout check":  # on the plain, heavy and varied pages
            limit = CHECK_HEAVY if page == "heavy" else CHECK_PLAIN
            goal, met = f"<= {limit} x", _met(ratio or 0, limit)
        elif name == "optout off" and page == "heavy":
            goal, met = f"<= {OFF_HEAVY} x", _met(ratio or 0, OFF_HEAVY)
        elif name == "optout --help":
            goal, met = f"<= {HELP_S} s", _met(median, HELP_S)
        elif name == "check --all-accounts (10)":
            one = medians.get(("check --all-accounts (1)", "plain"))
            if one:
                goal = f"<= {TEN_ACCOUNTS} x one account"
                met = f"{_met(median / one, TEN_ACCOUNTS)} ({median / one:.2f})"
        peak = max(f.peak_kb, default=0) / 1024
        single = not name.startswith("check --all-accounts") or name.endswith("(1)")
        peak_met = _met(peak, PEAK_MB) if single and name != "optout --help" else ""
        read = _summary(f.readings)
        if varied and name == "optout check":
            varied_optout += f.seconds
        if varied and name == "baseline":
            varied_base += f.seconds
        rows.append(
            f"| {name} | {page} | {median:.2f} | {min(f.seconds):.2f} | {max(f.seconds):.2f} | "
            f"{'-' if ratio is None else f'{ratio:.2f}{mark}'} | {goal or '-'} | {met or '-'} | "
            f"{peak:.0f} | {peak_met or '-'} | {read or '-'} |"
        )
        if mark and "*" not in "".join(notes):
            notes.append(
                "* the baseline did not find the switch on this page, or read it wrong, in "
                "some round: the ratio is to the plain page's baseline."
            )
    print(
        "| run | page | median s | min s | max s | x baseline | goal | met "
        f"| peak browser PSS MB | PSS <= {PEAK_MB} MB | read |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    if varied_optout and varied_base:
        all_ok = all(baseline_ok(page) for page in details)
        base = statistics.median(varied_base) if all_ok else plain_base
        over = "the varied baselines" if all_ok else "the plain page's baseline"
        ratio = statistics.median(varied_optout) / (base or 1)
        print(
            f"\nvaried pages together: optout check median {statistics.median(varied_optout):.2f} s"
            f", {ratio:.2f} x {over} (goal <= {CHECK_PLAIN} x: {_met(ratio, CHECK_PLAIN)})"
        )
    one = medians.get(("check --all-accounts (1)", "plain"))
    ten = medians.get(("check --all-accounts (10)", "plain"))
    if one and ten:
        print(
            f"--all-accounts: 10 accounts take {ten / one:.2f} x one account "
            f"(goal <= {TEN_ACCOUNTS} x: {_met(ten / one, TEN_ACCOUNTS)})"
        )
    for note in notes:
        print(note)


def _summary(readings: list[str]) -> str:
    counts: dict[str, int] = {}
    for reading in readings:
        counts[reading] = counts.get(reading, 0) + 1
    return ", ".join(f"{word} {n}/{len(readings)}" for word, n in counts.items())


if __name__ == "__main__":
    main()

"""The benchmark's report: the machine, the varied pages' details, then one table row
per run and page (median, min, max, median CPU seconds, the ratio to the baseline on
the same page, the goal and whether it is met, the peak browser PSS, what was read)
and the totals."""

from __future__ import annotations

import os
import platform
import statistics

from bench_runs import CALM, Figures

# The goals (README: Speed and memory).
CHECK_PLAIN = 1.15  # x the baseline on the plain page (and on varied pages)
CHECK_HEAVY = 0.45  # x the baseline on the heavy page
OFF_HEAVY = 0.8  # x the baseline on the heavy page
TEN_ACCOUNTS = 2.5  # x one account (--all-accounts with 1)
PEAK_MB = 400  # browser PSS of every single-account run
HELP_S = 0.1

NOTE = (
    "* the baseline did not find the switch on this page, or read it wrong, in "
    "some round: the ratio is to the plain page's baseline."
)
HEADER = (
    "| run | page | median s | min s | max s | CPU s | x baseline | goal | met "
    f"| peak browser PSS MB | PSS <= {PEAK_MB} MB | read |"
)

Key = tuple[str, str]  # (run, page)
# The runs of 1 and 10 accounts: "<name> (1)", "<name> (10)".
OPTOUT_ACCOUNTS = "check --all-accounts"
SCRIPT_ACCOUNTS = "baseline, accounts"


def _met(value: float, limit: float) -> str:
    return "yes" if value <= limit else "no"


def _summary(readings: list[str]) -> str:
    counts: dict[str, int] = {}
    for reading in readings:
        counts[reading] = counts.get(reading, 0) + 1
    return ", ".join(f"{word} {n}/{len(readings)}" for word, n in counts.items())


class Table:
    """The medians of the runs that were timed, and what each row is measured against."""

    def __init__(self, figures: dict[Key, Figures]) -> None:
        self.figures = {key: f for key, f in figures.items() if f.seconds}  # none if interrupted
        self.medians = {key: statistics.median(f.seconds) for key, f in self.figures.items()}
        self.plain_base = self.medians.get(("baseline", "plain"))

    def baseline_ok(self, page: str) -> bool:
        f = self.figures.get(("baseline", page))
        return f is not None and all(r == "right" for r in f.readings)

    def ratio(self, name: str, page: str) -> tuple[float | None, str]:
        """The median over the baseline on the same page, and " *" where that is the
        plain page's because the baseline failed on this varied page."""
        base, mark = self.medians.get(("baseline", page)), ""
        if page.startswith("varied-") and name != "baseline" and not self.baseline_ok(page):
            base, mark = self.plain_base, " *"
        median = self.medians[(name, page)]
        return (median / base if base and name != "baseline" else None), mark

    def goal(self, name: str, page: str, ratio: float | None) -> tuple[str, str]:
        """The row's goal and whether it is met ("" where it has none)."""
        median = self.medians[(name, page)]
        if name == "optout check":  # on the plain, heavy and varied pages
            limit = CHECK_HEAVY if page == "heavy" else CHECK_PLAIN
            return f"<= {limit} x", _met(ratio or 0, limit)
        if name == "optout off" and page == "heavy":
            return f"<= {OFF_HEAVY} x", _met(ratio or 0, OFF_HEAVY)
        if name == "optout --help":
            return f"<= {HELP_S} s", _met(median, HELP_S)
        ten_over_one = self.ten_over_one(OPTOUT_ACCOUNTS, page)
        if name == f"{OPTOUT_ACCOUNTS} (10)" and ten_over_one is not None:
            met = f"{_met(ten_over_one, TEN_ACCOUNTS)} ({ten_over_one:.2f})"
            return f"<= {TEN_ACCOUNTS} x one account", met
        return "", ""

    def row(self, name: str, page: str) -> tuple[str, bool]:
        """The table row, and whether its ratio is marked."""
        f, median = self.figures[(name, page)], self.medians[(name, page)]
        ratio, mark = self.ratio(name, page)
        goal, met = self.goal(name, page, ratio)
        peak = max(f.peak_kb, default=0) / 1024
        several = name.startswith(("check --all-accounts", "baseline, accounts"))
        single = not several or name.endswith("(1)")
        peak_met = _met(peak, PEAK_MB) if single and name != "optout --help" else ""
        read = _summary(f.readings)
        shown = "-" if ratio is None else f"{ratio:.2f}{mark}"
        cpu = f"{statistics.median(f.cpu_s):.2f}" if f.cpu_s else "-"
        text = (
            f"| {name} | {page} | {median:.2f} | {min(f.seconds):.2f} | {max(f.seconds):.2f} | "
            f"{cpu} | {shown} | {goal or '-'} | {met or '-'} | "
            f"{peak:.0f} | {peak_met or '-'} | {read or '-'} |"
        )
        return text, bool(mark)

    def varied_line(self, pages: list[str]) -> str | None:
        """optout check over all the varied pages together, against their baselines."""
        optout, base_s = [], []
        for (name, page), f in self.figures.items():
            if page.startswith("varied-") and name == "optout check":
                optout += f.seconds
            if page.startswith("varied-") and name == "baseline":
                base_s += f.seconds
        if not (optout and base_s):
            return None
        all_ok = all(self.baseline_ok(page) for page in pages)
        base = statistics.median(base_s) if all_ok else self.plain_base
        over = "the varied baselines" if all_ok else "the plain page's baseline"
        ratio = statistics.median(optout) / (base or 1)
        return (
            f"\nvaried pages together: optout check median {statistics.median(optout):.2f} s"
            f", {ratio:.2f} x {over} (goal <= {CHECK_PLAIN} x: {_met(ratio, CHECK_PLAIN)})"
        )

    def ten_over_one(self, name: str, page: str = "plain", *, cpu: bool = False) -> float | None:
        """The median of `name`'s run of 10 accounts over its run of one on `page`: in
        seconds, or (`cpu`) in CPU seconds, where they were counted."""
        runs = [self.figures.get((f"{name} ({n})", page)) for n in (1, 10)]
        values = [(f.cpu_s if cpu else f.seconds) if f else [] for f in runs]
        if not all(values):
            return None
        one, ten = (statistics.median(v) for v in values)
        return ten / one if one else None

    def accounts_line(self) -> str | None:
        ratio = self.ten_over_one(OPTOUT_ACCOUNTS)
        if ratio is None:
            return None
        line = (
            f"--all-accounts: 10 accounts take {ratio:.2f} x one account "
            f"(goal <= {TEN_ACCOUNTS} x: {_met(ratio, TEN_ACCOUNTS)})"
        )
        script = self.ten_over_one(SCRIPT_ACCOUNTS)
        if script is not None:
            line += f"; the simplest script, one browser with a context per account: {script:.2f} x"
        in_cpu = [
            f"{who} {cpu_ratio:.2f} x"
            for who, name in (("optout", OPTOUT_ACCOUNTS), ("the script", SCRIPT_ACCOUNTS))
            if (cpu_ratio := self.ten_over_one(name, cpu=True)) is not None
        ]
        if in_cpu:
            line += f"\nin CPU seconds, 10 accounts over one: {', '.join(in_cpu)}"
        calm = self.ten_over_one(OPTOUT_ACCOUNTS, CALM)
        if calm is not None:
            line += (
                f"\non the plain page that honours reduced motion, as optout asks: "
                f"{calm:.2f} x (goal: {_met(calm, TEN_ACCOUNTS)})"
            )
        return line


def _print_heading(table: Table, browser: str, details: dict[str, str], seed: int) -> None:
    python = platform.python_version()
    print(f"\nmachine: {platform.platform()}, {os.cpu_count()} CPUs, Python {python}")
    print(f"browser: {browser}; rounds: {len(next(iter(table.figures.values())).seconds)}\n")
    if details:
        print(f"varied pages (details seed {seed}; the setting is on):")
        for page, text in details.items():
            print(f"- {page}: {text}")
        print()


def report(figures: dict[Key, Figures], browser: str, details: dict[str, str], seed: int) -> None:
    table = Table(figures)
    _print_heading(table, browser, details, seed)
    rows = [table.row(name, page) for name, page in table.figures]
    print(HEADER)
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    print("\n".join(text for text, _ in rows))
    for line in (table.varied_line(list(details)), table.accounts_line()):
        if line is not None:
            print(line)
    if any(marked for _, marked in rows):
        print(NOTE)

"""optout against the simplest script that does its job, in one run, alternating.

Run it with `scripts/bench` (a throwaway keyring session around this file):

    scripts/bench [--rounds 5] [--varied 4] [--seed 1203]

It starts three sandboxes (plain; heavy, the weight of LinkedIn's real page; and
varied, whose members' pages take random unconfirmed details from a fixed seed;
the plain and heavy members get the plain form of the page, `PageDetails()`),
signs members in through optout itself, then times whole processes, each kind in
turn within a round so machine noise falls on all of them alike:

- baseline: tests/bench/baseline.py (launch, cookies, page, wait for the switch, read);
- baseline (lean flags): the same with optout.linkedin.chromium.launch_flags.LEAN_HEADLESS_FLAGS;
- baseline (bare launch): the same with Playwright's defaults, none of optout's flags;
- `optout check --json` with a saved session;
- `optout off` on a setting that is on;
- `optout check --all-accounts` with 1, 5 and 10 accounts (plain page), and for 1
  and 10 the simplest script that does it in one browser (baseline_accounts.py);
  and with 1 and 10 on the plain page whose loading skeleton stops its shimmer for a
  browser that asks for reduced motion, as optout's does headless ("plain, calm");
- on the varied sandbox, the baseline and `optout check` for each of `--varied`
  members, every one with other page details (sandbox/details.py, drawn as
  tests/test_property_details.py draws them: `PageDetails.drawn` from the seed);
  their setting is on, so a reading of "off" is a wrong one;
- `optout --help`.

It prints the median, min and max of each, its median CPU seconds (where the
machine lets a control group count them: bench_cpu.py), the ratio to the baseline
on the same page, the goal each figure has (README: Speed and memory) and whether
it is met, and, from one more round run for that alone, the peak memory (PSS) of
the browser processes each started. Where the baseline does not find the switch on a
varied page, or reads it wrong, that page's ratio is to the plain page's baseline
and the table says so. It only prints: no goal fails the run.

The parts: bench_setup.py (the sandboxes and the signed-in homes), bench_runs.py (the
rounds and what each run measures), bench_cpu.py (the runs' CPU seconds),
bench_memory.py (the browsers' peak PSS) and bench_report.py (the table and the goals).
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from bench_report import report
from bench_runs import Runner
from bench_setup import prepare, sandboxes

SEED = 1203  # the varied members' page details: the same on every run


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--varied", type=int, default=4, metavar="N",
        help="members with varied page details (0: none)",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=SEED, help="the varied details' seed")
    return parser.parse_args()


def main() -> None:
    options = _options()
    from optout.linkedin.chromium.browser import discover, playwright_chromium_path

    browser = discover(os.environ.get("OPTOUT_BROWSER"), playwright_chromium_path()).path
    with (
        tempfile.TemporaryDirectory(prefix="optout-bench-") as tmp,
        sandboxes() as (plain, heavy, varied),
    ):
        setup = prepare(Path(tmp), plain, heavy, varied, seed=options.seed, count=options.varied)
        runner = Runner(browser, setup)
        runner.rounds(options.rounds)
    report(runner.figures, browser, setup.details, options.seed)


if __name__ == "__main__":
    main()

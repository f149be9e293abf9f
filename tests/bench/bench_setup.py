"""The benchmark's set-up: its three sandboxes, and OPTOUT_HOMEs whose members optout
itself signed in, with the saved sessions as the storage-state files the baseline reads."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from optout.sandbox import PageDetails, Sandbox

SETTING = "generative-ai-improvement"
PASSWORD = "bench-password-1"
LOGINS_AT_ONCE = 4
# The plain and heavy rows' members get the sandbox's plain form of the page (switch
# drawn after the answer, found by its key), so their ratios compare like with like;
# the varied rows are where the unconfirmed details change.
PLAIN_PAGE = PageDetails()
# The same page where its loading skeleton stops its shimmer for a browser that asks for
# reduced motion, as optout does headless (unconfirmed for LinkedIn: measured apart).
CALM_PAGE = replace(PLAIN_PAGE, honours_reduced_motion=True)


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


@dataclass
class Setup:
    """Everything the rounds run against."""

    homes: dict[str, Home]  # "plain" and "heavy": one member each
    many: dict[int, Home]  # 1, 5 and 10 members on the plain page
    calm: dict[int, Home]  # 1 and 10 members on the plain page that honours reduced motion
    many_states: dict[int, list[Path]]  # their storage states, for the accounts baseline
    states: dict[str, Path]  # the baseline's storage state for each of `homes`
    mixed: Home  # the varied sandbox's members
    pages: dict[str, tuple[str, Path]]  # varied page: its member and storage state
    details: dict[str, str]  # varied page: its details, described


def make_home(
    root: Path,
    name: str,
    sandbox: Sandbox,
    count: int,
    *,
    emails: list[str] | None = None,
    details: PageDetails | None = None,
) -> Home:
    """`count` members (or `emails`) signed in through optout; `details`: their pages'
    (None: drawn per member, see sandbox/details.py)."""
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
        sandbox.add_account(email, PASSWORD, settings={SETTING: False}, details=details)
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


def prepare(
    root: Path, plain: Sandbox, heavy: Sandbox, varied: Sandbox, *, seed: int, count: int
) -> Setup:
    """Signs the members in: one on the plain and the heavy page, 1, 5 and 10 for
    --all-accounts (and 1 and 10 on the page that honours reduced motion), and `count`
    on the varied sandbox with details from `seed`."""
    print("signing members in...", file=sys.stderr)
    homes = {
        "plain": make_home(root, "plain", plain, 1, details=PLAIN_PAGE),
        "heavy": make_home(root, "heavy", heavy, 1, details=PLAIN_PAGE),
    }
    many = {n: make_home(root, f"many{n}", plain, n, details=PLAIN_PAGE) for n in (1, 5, 10)}
    calm = {n: make_home(root, f"calm{n}", plain, n, details=CALM_PAGE) for n in (1, 10)}
    states = {page: storage_state_file(home, root) for page, home in homes.items()}
    many_states = {
        n: [storage_state_file(home, root, email) for email in home.emails]
        for n, home in many.items()
    }
    varied.set_details_seed(seed)
    mixed = make_home(root, "varied", varied, 0, emails=varied_emails(seed, count))
    pages, details = {}, {}
    for n, email in enumerate(mixed.emails):
        varied.set_setting(email, SETTING, True)  # "off" would be a wrong reading
        page = f"varied-{n}"
        pages[page] = email, storage_state_file(mixed, root, email)
        details[page] = describe(varied.details(email))
    return Setup(homes, many, calm, many_states, states, mixed, pages, details)

"""Shared fixtures: the sandbox, a throwaway OPTOUT_HOME, and optout run as a real process."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
import pytest_asyncio
from sandbox_client import SandboxClient, browser_cookies, plain_chromium_async
from sandbox_http import Client

from optout.core.selector_pack import Pack, load_pack
from optout.sandbox import Sandbox

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext

    from optout.linkedin.chromium.browser import BrowserSession

SETTING = "generative-ai-improvement"


@dataclass
class Ran:
    """A finished `optout` process."""

    code: int
    stdout: str
    stderr: str

    @property
    def json(self) -> Any:
        return json.loads(self.stdout)


@dataclass
class Account:
    email: str
    password: str


class Optout:
    """Runs `python -m optout` against one sandbox with its own OPTOUT_HOME."""

    def __init__(self, home: Path, base_url: str) -> None:
        self.home = home
        self.base_url = base_url  # the origin whose keyring entries its runs use
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("OPTOUT_")}
        self.env.update(
            OPTOUT_HOME=str(home), OPTOUT_BASE_URL=base_url, PYTHONUNBUFFERED="1", NO_COLOR="1"
        )
        if os.environ.get("OPTOUT_BROWSER"):
            self.env["OPTOUT_BROWSER"] = os.environ["OPTOUT_BROWSER"]

    def __call__(self, *args: str, stdin: str | None = None, **env: str) -> Ran:
        done = subprocess.run(
            [sys.executable, "-m", "optout", *args],
            input=stdin if stdin is not None else "",
            capture_output=True,
            text=True,
            env={**self.env, **env},
            timeout=180,
            check=False,
            # No controlling terminal, as under a scheduler: nobody can be asked anything.
            start_new_session=True,
        )
        return Ran(done.returncode, done.stdout, done.stderr)

    def login(self, account: Account) -> Ran:
        return self(
            "login",
            "--account",
            account.email,
            "--password-stdin",
            "--json",
            stdin=account.password + "\n",
        )


def signed_in_cookies(sandbox: Sandbox, email: str, password: str) -> list[dict[str, Any]]:
    """The cookies of a sign-in over plain HTTP, as Playwright's storage state has them."""
    client = SandboxClient(sandbox.base_url, password)
    client.sign_in(email)
    return browser_cookies(client.jar, urlsplit(sandbox.base_url).hostname or "127.0.0.1")


async def signed_in_context(
    session: BrowserSession, sandbox: Sandbox, email: str, password: str
) -> BrowserContext:
    """A browser context holding the member's session, signed in over plain HTTP: for
    in-process tests of the setting page that are not about signing in."""
    context = await session.new_context()
    await context.add_cookies(signed_in_cookies(sandbox, email, password))  # type: ignore[arg-type]
    return context


def signed_in(optout: Optout, sandbox: Sandbox, account: Account) -> None:
    """What `optout login` leaves behind (the password in the keyring, the session saved
    encrypted, the account known), made over plain HTTP by optout's own storage: for
    tests of what follows a sign-in. Signing in is tested through the browser."""
    from optout.core.config import load_settings
    from optout.storage import credentials
    from optout.storage.accounts import AccountRegistry
    from optout.storage.sessions import SessionStore

    settings = load_settings(optout.env)
    cookies = signed_in_cookies(sandbox, account.email, account.password)
    credentials.set_password(account.email, account.password, origin=settings.base_url)
    SessionStore.of(settings.paths).save(account.email, {"cookies": cookies, "origins": []})
    AccountRegistry(settings.paths.accounts_file).record_login(account.email)


def saved_session_file(optout: Optout, email: str) -> dict[str, Any]:
    """What the member's saved session file holds, decrypted as it lies on disk."""
    from cryptography.fernet import Fernet

    from optout.core.config import load_settings
    from optout.storage import credentials
    from optout.storage.sessions import SessionStore

    settings = load_settings(optout.env)
    key = credentials.get_session_key(email, origin=settings.base_url)
    assert key is not None, "no session key in the keyring"
    token = SessionStore.of(settings.paths).path_for(email).read_bytes()
    return dict(json.loads(Fernet(key.encode("ascii")).decrypt(token)))


@pytest.fixture(scope="session", autouse=True)
def shared_compile_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """One compile cache for Playwright's driver in every run of the session: each test's
    own OPTOUT_HOME would otherwise compile it anew (optout leaves a set one alone)."""
    os.environ["NODE_COMPILE_CACHE"] = str(tmp_path_factory.mktemp("node-compile-cache"))


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    """The sandbox of a test of a path: its accounts' drawn details always leave optout a
    source it can know (test_property_details.py draws every detail)."""
    with Sandbox(readable_draws=True) as server:
        yield server


@pytest.fixture(scope="module")
def box() -> Iterator[Sandbox]:
    """A sandbox for one test module, without the bot guard: a plain Playwright browser
    shows automation (the bot guard is tested in test_fingerprint.py)."""
    with Sandbox(bot_guard=False, readable_draws=True) as server:
        yield server


@pytest.fixture
def fresh() -> Iterator[Sandbox]:
    """A sandbox of its own, for tests that change sandbox-wide switches."""
    with Sandbox(bot_guard=False, readable_draws=True) as server:
        yield server


@pytest.fixture
def client(box: Sandbox) -> Client:
    """A plain HTTP client of the module's sandbox (sandbox_http.py)."""
    return Client(box.base_url)


@pytest.fixture
def optout(tmp_path: Path, sandbox: Sandbox) -> Optout:
    return Optout(tmp_path / "home", sandbox.base_url)


@pytest.fixture
def memory_keyring() -> Iterator[None]:
    """optout's keyring calls answered from memory, for tests of what is kept on disk."""
    import keyring

    from optout.storage import credentials

    before = keyring.get_keyring()
    credentials.use_memory_keyring()
    yield
    keyring.set_keyring(before)


@pytest.fixture(scope="session")
def real_keyring() -> str:
    """The OS keyring's backend name; tests that need it fail in CI rather than skip."""
    from optout.core.errors import OptoutError
    from optout.storage import credentials

    try:
        return credentials.probe()
    except OptoutError as exc:
        if os.environ.get("OPTOUT_REQUIRE_KEYRING"):
            pytest.fail(f"the real keyring is required here: {exc.message}")
        pytest.skip(f"no usable keyring (run tests through scripts/test): {exc.message}")


@pytest.fixture
def account(sandbox: Sandbox, real_keyring: str) -> Iterator[Account]:
    """A fresh sandbox account (setting on, LinkedIn's default); keyring entries removed after."""
    from optout.storage import credentials

    made = Account(f"member-{secrets.token_hex(4)}@example.com", secrets.token_urlsafe(12))
    sandbox.add_account(made.email, made.password, settings={SETTING: True})
    yield made
    credentials.forget_account(made.email, origin=sandbox.base_url)


def one_line_error(ran: Ran) -> str:
    """The stderr of a failed run: exactly one line and no traceback."""
    lines = [line for line in ran.stderr.splitlines() if line.strip()]
    assert "Traceback" not in ran.stderr, ran.stderr
    assert len(lines) == 1, ran.stderr
    return lines[0]


@pytest.fixture(scope="session")
def display() -> Iterator[str]:
    """A virtual screen for a headed browser (Xvfb)."""
    if os.environ.get("DISPLAY"):
        yield os.environ["DISPLAY"]
        return
    if shutil.which("Xvfb") is None:
        pytest.fail("Xvfb is needed for the headed tests (scripts/setup --dev installs it)")
    # -displayfd: Xvfb picks a free display and writes its number once it takes
    # connections, however slow the machine.
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", "1", "-screen", "0", "1280x900x24", "-nolisten", "tcp"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert server.stdout is not None
    with server.stdout:
        number = server.stdout.readline().strip()
    if not number:
        pytest.fail(f"Xvfb did not start (exit {server.wait(10)})")
    yield f":{number}"
    server.terminate()
    server.wait(10)


# --- one browser a module, for tests that drive pages of the sandbox themselves ---------


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def browser() -> AsyncIterator[Any]:
    async for launched in plain_chromium_async():
        yield launched


@pytest_asyncio.fixture(loop_scope="module")
async def page(browser: Any) -> AsyncIterator[Any]:
    """A blank page in a context of its own, in the module's browser: for tests that set
    its content themselves (a module may define its own `page`)."""
    context = await browser.new_context()
    yield await context.new_page()
    await context.close()


@pytest_asyncio.fixture(loop_scope="module")
async def pages() -> AsyncIterator[list[Any]]:
    """Pages the test opened, closed with their contexts at its end."""
    opened: list[Any] = []
    yield opened
    for page in opened:
        await page.context.close()


MakeAccount = Callable[..., "Account"]


@pytest.fixture
def make_account(sandbox: Sandbox, real_keyring: str) -> Iterator[MakeAccount]:
    """Sandbox accounts on a given page variant, language, faults and details; their
    keyring entries are forgotten afterwards."""
    from optout.storage import credentials

    made: list[Account] = []

    def make(**options: object) -> Account:
        account = Account(f"v-{secrets.token_hex(4)}@example.com", secrets.token_urlsafe(12))
        options.setdefault("settings", {SETTING: True})
        sandbox.add_account(account.email, account.password, **options)  # type: ignore[arg-type]
        made.append(account)
        return account

    yield make
    for account in made:
        credentials.forget_account(account.email, origin=sandbox.base_url)


def state_of(ran: Ran, setting: str = SETTING) -> str:
    """The state a `--json` run reported for one setting."""
    return str(next(s["state"] for s in ran.json["settings"] if s["id"] == setting))

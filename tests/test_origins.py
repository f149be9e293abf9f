"""Credentials belong to a LinkedIn origin: keyring entries, sessions and known accounts
of one origin are never read, sent or overwritten for another."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from conftest import SETTING, Account, Optout
from sandbox_client import plain_chromium_async

from optout.core.config import DEFAULT_BASE_URL, origin_of, paths
from optout.core.errors import ChallengeRequired
from optout.core.selector_pack import load_pack
from optout.sandbox import Sandbox
from optout.storage import credentials
from optout.storage.sessions import SessionStore

REAL = DEFAULT_BASE_URL
SANDBOX = "http://127.0.0.1:8123"


def test_origin_is_scheme_host_and_port_in_lower_case() -> None:
    assert origin_of("HTTPS://WWW.LinkedIn.com/mypreferences/d/settings") == REAL
    assert origin_of("http://127.0.0.1:8123/login?x=1") == SANDBOX
    assert origin_of("https://www.linkedin.com.example.net/") != REAL


def test_the_real_site_keeps_the_names_earlier_versions_used(tmp_path: Path) -> None:
    real = paths({"OPTOUT_HOME": str(tmp_path)})
    assert real.sessions_dir == tmp_path / "state" / "sessions"
    assert real.accounts_file == tmp_path / "state" / "accounts.json"
    assert credentials.service_for(REAL + "/feed/") == "optout"

    other = paths({"OPTOUT_HOME": str(tmp_path)}, SANDBOX)
    assert other.sessions_dir != real.sessions_dir
    assert other.accounts_file != real.accounts_file
    assert other.sessions_dir.is_relative_to(tmp_path / "state" / "origins")
    assert credentials.service_for(SANDBOX) == f"optout@{SANDBOX}"
    # Shared by every origin: the home's locks and its history.
    assert other.locks_dir == real.locks_dir
    assert other.history_file == real.history_file


def test_keyring_entries_of_two_origins_stay_apart(memory_keyring: None) -> None:
    account = "a@example.com"
    credentials.set_password(account, "real-password", origin=REAL)
    credentials.set_password(account, "sandbox-password", origin=SANDBOX)
    assert credentials.get_password(account, origin=REAL) == "real-password"
    assert credentials.get_password(account, origin=SANDBOX) == "sandbox-password"

    assert credentials.forget_account(account, origin=SANDBOX) == ["password"]
    assert credentials.get_password(account, origin=SANDBOX) is None
    assert credentials.get_password(account, origin=REAL) == "real-password"


def test_a_session_of_one_origin_is_no_session_for_another(
    tmp_path: Path, memory_keyring: None
) -> None:
    home = {"OPTOUT_HOME": str(tmp_path)}
    state = {"cookies": [{"name": "li_at", "value": "AQEDAT-sandbox-cookie"}], "origins": []}
    SessionStore.of(paths(home, SANDBOX)).save("a@example.com", state)
    assert SessionStore.of(paths(home, SANDBOX)).load("a@example.com") == state
    assert SessionStore.of(paths(home, REAL)).load("a@example.com") is None
    assert credentials.get_session_key("a@example.com", origin=REAL) is None


@pytest.fixture
def two_sites(real_keyring: str) -> Iterator[tuple[Sandbox, Sandbox]]:
    with Sandbox(readable_draws=True) as first, Sandbox(readable_draws=True) as second:
        yield first, second


@pytest.mark.e2e
def test_a_password_stored_for_one_origin_is_never_sent_to_another(
    tmp_path: Path, two_sites: tuple[Sandbox, Sandbox]
) -> None:
    """One home, one email, two origins: what `login` stored at the first stays there."""
    first, second = two_sites
    account = Account(f"origin-{secrets.token_hex(4)}@example.com", secrets.token_urlsafe(12))
    for site in two_sites:
        site.add_account(account.email, account.password, settings={SETTING: True})
    at_first = Optout(tmp_path / "home", first.base_url)
    at_second = Optout(tmp_path / "home", second.base_url)
    try:
        assert at_first.login(account).code == 0

        ran = at_second("check", "--account", account.email, "--json")
        assert ran.code == 3, ran.stderr
        assert ran.json["error"]["kind"] == "login_required"
        assert second.stats(account.email)["login_attempts"] == 0
        [seen] = at_second("accounts", "--json").json["accounts"]
        assert (seen["password_stored"], seen["session_saved_at"]) == (False, None)
        [kept] = at_first("accounts", "--json").json["accounts"]
        assert kept["password_stored"] is True

        ran = at_second("logout", "--account", account.email, "--forget", "--json")
        assert ran.json["removed"] == []
        assert credentials.get_password(account.email, origin=first.base_url) == account.password
        assert credentials.get_password(account.email, origin=second.base_url) is None
        assert credentials.get_password(account.email, origin=REAL) is None  # the real entry
        assert at_first("check", "--json").code == 1  # still signed in where it was
        assert first.stats(account.email)["logins"] == 1
    finally:
        for site in two_sites:
            credentials.forget_account(account.email, origin=site.base_url)


@pytest_asyncio.fixture
async def chromium() -> AsyncIterator[object]:
    async for launched in plain_chromium_async():
        yield launched


@pytest.mark.e2e
@pytest.mark.asyncio
async def test_the_password_is_not_typed_into_a_page_of_another_origin(
    sandbox: Sandbox, chromium: object
) -> None:
    """A sign-in that ends up elsewhere (a redirect, a look-alike host) stops untyped."""
    from optout.linkedin.login.sign_in_form import SignInForm

    email, password = f"away-{secrets.token_hex(4)}@example.com", secrets.token_urlsafe(12)
    sandbox.add_account(email, password)
    pack = load_pack()
    page = await chromium.new_page()  # type: ignore[attr-defined]
    await page.goto(sandbox.base_url + pack.signin.path)
    expected = origin_of(sandbox.base_url).replace("127.0.0.1", "localhost")
    form = SignInForm(page, pack.signin, origin=expected, quiet_paths=(), wait_s=10)
    with pytest.raises(ChallengeRequired, match="only into the site it was stored for"):
        await form.fill_and_submit(email, password, chose_account=False)
    assert password not in await page.content()
    assert (
        await page.evaluate("() => [...document.querySelectorAll('input')].map(i => i.value)")
        == [""] * await page.locator("input").count()
    )
    assert sandbox.stats(email)["login_attempts"] == 0

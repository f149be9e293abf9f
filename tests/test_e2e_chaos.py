"""Chaos: random delays, failures, lost saves and slow hydration, from a seed.

Whatever happens, optout must never report `off` (or exit 0) while the
sandbox's truth is on, and must never send a write that turns a setting on.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SETTING, Account, Optout, signed_in

from optout.sandbox import Sandbox
from optout.storage import credentials

pytestmark = [pytest.mark.e2e, pytest.mark.keyring, pytest.mark.slow]

ROUNDS = 4  # check/off rounds per seed


@pytest.fixture
def chaos_sandbox() -> Iterator[Sandbox]:
    with Sandbox() as server:
        yield server


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_chaos_never_misreports_and_never_turns_on(
    tmp_path: Path, chaos_sandbox: Sandbox, real_keyring: str, seed: int
) -> None:
    sandbox = chaos_sandbox
    optout = Optout(tmp_path / "home", sandbox.base_url)
    account = Account(f"chaos-{secrets.token_hex(4)}@example.com", secrets.token_urlsafe(12))
    sandbox.add_account(account.email, account.password, settings={SETTING: True})
    try:
        signed_in(optout, sandbox, account)
        sandbox.set_chaos(seed, rate=0.35)
        pick = random.Random(seed)
        for _ in range(ROUNDS):
            sandbox.set_setting(account.email, SETTING, pick.random() < 0.7)
            command = pick.choice(["check", "off"])
            ran = optout(command, "--json")
            truth_on = sandbox.setting(account.email, SETTING)
            reported = {s["id"]: s["state"] for s in ran.json["settings"]}
            context = f"seed {seed}, {command}: exit {ran.code}, {ran.json}"
            if truth_on:
                assert ran.code != 0, context
                assert reported.get(SETTING) != "off", context
            if reported.get(SETTING) == "off":
                assert not truth_on, context
            if reported.get(SETTING) == "on":
                assert truth_on, context
            assert sandbox.stats(account.email)["writes_on"] == 0, context
    finally:
        sandbox.set_chaos(None)
        credentials.forget_account(account.email, origin=sandbox.base_url)

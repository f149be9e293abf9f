"""Beyond the AI switch: the related data-use settings with --all, the objection form,
and the evidence report, looked at in real Chromium."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SETTING, Account, Optout, one_line_error, signed_in

from optout.core.selector_pack import load_pack
from optout.sandbox import PageDetails, Sandbox

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

RELATED = ("social-economic-research", "ads-data-sharing-affiliates", "ads-outside-linkedin")
# The member has these four; every other setting of the pack is one LinkedIn does not
# offer them.
NOT_OFFERED = [sid for sid in load_pack().settings if sid not in (SETTING, *RELATED)]
# Every page in its plainest form, so that each state above is the one answer: drawn
# forms may leave a page's switches unattributable (an honest `unknown`), and
# test_property_details.py judges those.
PLAIN = PageDetails(pages_alike=True)


@pytest.fixture
def member(sandbox: Sandbox, real_keyring: str, optout: Optout) -> Iterator[Account]:
    """Signed in, with the AI setting and every related one on (LinkedIn's defaults)."""
    from optout.storage import credentials

    account = Account(f"rel-{secrets.token_hex(4)}@example.com", secrets.token_urlsafe(12))
    sandbox.add_account(
        account.email, account.password, settings={SETTING: True, **dict.fromkeys(RELATED, True)},
        details=PLAIN,
    )  # fmt: skip
    signed_in(optout, sandbox, account)
    yield account
    credentials.forget_account(account.email, origin=sandbox.base_url)


def test_objection_form_is_filled_and_sent(
    optout: Optout, sandbox: Sandbox, member: Account, display: str, tmp_path: Path
) -> None:
    text = tmp_path / "objection.txt"
    text.write_text("I object to the use of my data for AI training.\nPlease confirm.\n")
    ran = optout(
        "object", "--name", "Jane Member", "--type", "ai-training", "--text-file", str(text),
        "--submit", "--json", DISPLAY=display,
    )  # fmt: skip
    assert ran.code == 0, ran.stderr
    received = sandbox.objections(member.email)
    assert len(received) == 1
    assert received[0]["name"] == "Jane Member"
    assert received[0]["email"] == member.email
    assert received[0]["type"] == "ai-training"
    assert received[0]["explanation"] == text.read_text().strip()
    assert ran.json["reference"] == received[0]["case"]
    kept = optout("history", "--json").json["objections"]
    assert [(o["type"], o["reference"], o["text"]) for o in kept] == [
        ("ai-training", received[0]["case"], received[0]["explanation"])
    ]


def test_objection_template_names_the_member(
    optout: Optout, sandbox: Sandbox, member: Account, display: str
) -> None:
    ran = optout(
        "object", "--name", "Jane Member", "--type", "research", "--submit", DISPLAY=display
    )
    assert ran.code == 0, ran.stderr
    sent = sandbox.objections(member.email)[0]
    assert sent["type"] == "research"
    assert "Jane Member" in sent["explanation"]
    assert "Article 21" in sent["explanation"]


def test_objection_bad_input(optout: Optout, tmp_path: Path) -> None:
    ran = optout("object", "--type", "everything", "--submit")
    assert ran.code == 2
    assert "everything" in one_line_error(ran)
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    ran = optout("object", "--account", "a@example.com", "--name", "A", "--text-file", str(empty))
    assert ran.code == 2
    assert "--text-file" in one_line_error(ran)


@pytest.mark.timeout(300)  # six runs of optout, two of them over every setting's page
def test_all_settings_are_checked_switched_off_and_reported(
    optout: Optout, sandbox: Sandbox, member: Account, display: str, tmp_path: Path
) -> None:
    """`--all` reads and switches every setting the member has; the evidence report then
    shows the states, the timeline, every screenshot and the objection sent."""
    ran = optout("check", "--json")
    assert [s["id"] for s in ran.json["settings"]] == [SETTING]  # the default stays one
    ran = optout("check", "--all", "--evidence", "--json")  # a screenshot per reading
    assert ran.code == 1, ran.stderr
    states = {s["id"]: s["state"] for s in ran.json["settings"]}
    assert states == {
        SETTING: "on",
        **dict.fromkeys(NOT_OFFERED, "unavailable"),
        **dict.fromkeys(RELATED, "on"),
    }
    ran = optout("off", "--all", "--json")  # and a before and an after per change
    assert ran.code == 0, ran.stderr
    for setting in (SETTING, *RELATED):
        assert sandbox.setting(member.email, setting) is False, setting
    assert sandbox.stats(member.email)["writes_off"] == 4
    assert sandbox.stats(member.email)["writes_on"] == 0
    ran = optout("off", "--setting", "ads-outside-linkedin", "--json")
    assert ran.json["settings"][0]["changed"] is False  # already off: not clicked again
    assert sandbox.stats(member.email)["writes_off"] == 4
    assert optout("object", "--name", "Jane Member", "--submit", DISPLAY=display).code == 0
    _report_shows_it_all(optout, member, tmp_path)


def _report_shows_it_all(optout: Optout, member: Account, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    from optout.linkedin.chromium.browser import discover

    html_file, pdf_file = tmp_path / "report.html", tmp_path / "report.pdf"
    ran = optout("report", "--html", str(html_file), "--pdf", str(pdf_file), "--json")
    assert ran.code == 0, ran.stderr
    assert html_file.stat().st_mode & 0o777 == 0o600
    assert pdf_file.read_bytes().startswith(b"%PDF")
    shots = sorted((optout.home / "state" / "evidence").rglob("*.png"))
    readings = 1 + len(RELATED) + len(NOT_OFFERED)  # one per setting with --evidence
    assert len(shots) == readings + 2 * 4  # and a before and an after per change
    with sync_playwright() as playwright:
        path = discover(None, playwright.chromium.executable_path).path
        browser = playwright.chromium.launch(executable_path=path)
        page = browser.new_page()
        page.goto(html_file.as_uri())
        page.screenshot(path=tmp_path / "report.png", full_page=True)
        assert page.inner_text("#account") == member.email
        states = {
            row.get_attribute("data-setting"): row.locator(".state").inner_text()
            for row in page.locator("#current tbody tr").all()
        }
        assert states == {
            SETTING: "switched off",
            **dict.fromkeys(NOT_OFFERED, "unavailable"),
            **dict.fromkeys(RELATED, "switched off"),
            "ads-outside-linkedin": "off",  # the latest run found it off already
        }
        assert page.locator("#timeline rect.run.on").count() == 5  # the AI one read twice
        assert page.locator("#timeline rect.run.switched").count() == 4
        shown = page.locator(".shot img")
        assert shown.count() == len(shots)
        assert all(img.evaluate("el => el.naturalWidth > 0") for img in shown.all())
        changes = page.locator(".change")
        assert changes.count() == 4
        for change in changes.all():  # before (on) and after (off, read back), side by side
            assert change.locator("figure.shot.before").get_attribute("data-state") == "on"
            assert change.locator("figure.shot.after").get_attribute("data-state") == "off"
            assert change.locator("code.sha").count() == 2
        hashes = set(page.locator("code.sha").all_inner_texts())
        assert hashes == {hashlib.sha256(p.read_bytes()).hexdigest() for p in shots}
        assert "Jane Member" in page.locator(".objection").inner_text()
        assert page.locator("link, script, img[src^='http']").count() == 0  # self-contained
        browser.close()


def test_a_moved_page_is_found_on_its_index(
    optout: Optout, sandbox: Sandbox, member: Account
) -> None:
    """The pack's address answers 404 (LinkedIn moved the page): optout finds the page
    by the setting's name on its Settings & Privacy index, as a person would."""
    config = optout.home / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "selectors.toml").write_text(
        "[[settings.social-economic-research.variants]]\n"
        'name = "old-address"\n'
        'path = "/mypreferences/d/settings/research-data-old"\n'
        'switch = ["main input[type=checkbox][role=switch]"]\n'
        "settings_request = true\n"
    )
    ran = optout("off", "--setting", "social-economic-research", "--json")
    assert ran.code == 0, ran.stderr
    assert ran.json["settings"][0]["changed"] is True
    assert sandbox.setting(member.email, "social-economic-research") is False
    assert sandbox.setting(member.email, SETTING) is True  # nothing else was touched

"""The page's own answers to plain-CSS questions agree with Playwright's engine, and
fall back to it where plain CSS cannot see what it sees."""

from __future__ import annotations

import time
from typing import Any

import pytest

from optout.linkedin.settings_pages import dom_queries

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

SWITCH = "input[type=checkbox][role=switch]"
NOTICE = "This setting isn't available for your account"


async def _shown_by_playwright(page: Any, text: str) -> bool:
    return bool(await page.get_by_text(text, exact=False).filter(visible=True).count())


@pytest.mark.parametrize(
    "selector",
    [
        SWITCH,
        f'{SWITCH}[aria-labelledby~="ALLOWDATA" i]',
        "main input[role=switch]",
        'input:has-text("x"), label:text("Use my data")',  # Playwright's own syntax
    ],
)
async def test_count_agrees_with_playwright(page: Any, selector: str) -> None:
    await page.set_content(
        """<main><label id="allowData">Use my data</label>
        <input type="checkbox" role="switch" aria-labelledby="allowData">
        <input type="checkbox" role="switch" aria-labelledby="other"></main>
        <input type="checkbox" role="switch">"""
    )
    assert await dom_queries.count(page, selector) == await page.locator(selector).count()


async def test_a_switch_in_a_shadow_root_is_counted_as_playwright_counts_it(page: Any) -> None:
    await page.set_content(
        """<div id="host"></div><script>
        document.getElementById('host').attachShadow({mode: 'open'}).innerHTML =
          '<input type="checkbox" role="switch">';
        </script>"""
    )
    assert await page.evaluate(f"document.querySelectorAll('{SWITCH}').length") == 0
    assert await dom_queries.count(page, SWITCH) == 1


async def test_one_look_counts_every_selector_and_reads_the_first_named_alone(page: Any) -> None:
    await page.set_content(
        """<main><label id="allowData">Use my data</label>
        <input type="checkbox" role="switch" aria-labelledby="allowData" checked>
        <input type="checkbox" role="switch" aria-labelledby="other" id="b"></main>"""
    )
    keyed = f'{SWITCH}[aria-labelledby~="allowData" i]'
    selectors = [SWITCH, "#nothing", "#b", keyed, "main input[role=switch]"]
    seen = await dom_queries.look(page, selectors, probe="el => el.checked", probed=[SWITCH, keyed])
    for selector in selectors:
        assert await seen.count(page, selector) == await page.locator(selector).count()
    # The first probed matches two: the next, which matches one alone, is the one read.
    assert (seen.probed, seen.value) == (keyed, True)
    # A selector not looked at is counted now.
    assert await seen.count(page, "label") == 1


async def test_one_look_reads_nothing_past_a_selector_plain_css_cannot_count(page: Any) -> None:
    await page.set_content('<input type="checkbox" role="switch" id="a" checked>')
    playwright_only = 'input:has-text("x"), label:text("Use my data")'
    seen = await dom_queries.look(
        page, [playwright_only, "#a"], probe="el => el.checked", probed=[playwright_only, "#a"]
    )
    # Playwright's count comes first, and might have been 1: nothing is read in the look.
    assert (seen.probed, seen.value) == (None, None)
    assert await seen.count(page, playwright_only) == 0
    assert await seen.count(page, "#a") == 1


async def test_on_only_reads_the_only_match_and_nothing_of_several(page: Any) -> None:
    await page.set_content(
        """<input type="checkbox" role="switch" id="a" checked>
        <input type="checkbox" role="switch" id="b">"""
    )
    checked = "el => el.checked"
    assert await dom_queries.on_only(page, "#a", checked, timeout_ms=1000) == (1, True)
    assert await dom_queries.on_only(page, SWITCH, checked, timeout_ms=1000) == (2, None)
    assert await dom_queries.on_only(page, "#c", checked, timeout_ms=1000) == (0, None)
    # Playwright's own syntax: its engine, strict as a locator.
    assert await dom_queries.on_only(page, "#a >> nth=0", checked, timeout_ms=1000) == (1, True)


@pytest.mark.parametrize(
    ("body", "shown"),
    [
        (f"<p>{NOTICE}.</p>", True),
        ("<p>  this SETTING isn't\n available   for your account</p>", True),
        ("<p>This setting <b>isn't</b> available for your account</p>", True),
        ("<p>This setting isn\u200b't available for your account</p>", True),
        (f'<template><p>{NOTICE}</p></template><p style="display:none">{NOTICE}</p>', False),
        (f'<p style="visibility:hidden">{NOTICE}</p>', False),
        (f'<script type="application/json">{{"t": "{NOTICE}"}}</script>', False),
        (
            f'<div style="display:none"><p>{NOTICE}</p></div><section><p>{NOTICE}</p></section>',
            True,
        ),
        (f'<p style="display:contents"><span>{NOTICE}</span></p>', True),
        (f'<p style="display:contents">{NOTICE}</p>', True),
        (f'<p style="width:0;height:0;overflow:hidden;display:block">{NOTICE}</p>', False),
        ("<p>Another setting is not available</p>", False),
    ],
)
async def test_text_shown_agrees_with_playwright(page: Any, body: str, shown: bool) -> None:
    await page.set_content(f"<main>{body}</main>")
    assert await _shown_by_playwright(page, NOTICE) is shown
    assert await dom_queries.text_shown(page, [NOTICE]) is shown


@pytest.mark.parametrize(
    ("notice", "says_so"),
    [
        ("This setting isn't available for your account.", True),
        ("This setting is currently not available in your country or region.", True),
        ("This setting isn\u2019t currently available in your region.", True),
        ("Ce paramètre n\u2019est actuellement pas disponible dans votre pays.", True),
        ("Diese Einstellung ist in Ihrem Land derzeit nicht verfügbar.", True),
        ("Esta configuración actualmente no está disponible en tu país.", True),
        ("Esta configuración no está disponible actualmente en tu país.", True),
        ("This option is not offered in your country or region.", False),  # a hint only
        ("Something went wrong. Try again later.", False),
        # "Currently" with no reason is how a failing page speaks: not the member's lack.
        ("This setting is currently unavailable. Please try again later.", False),
        ("This setting is currently not available. Please try again later.", False),
        ("Diese Einstellung ist derzeit nicht verfügbar.", False),
        # A failure in the older wordings' first words: the page says it may work later.
        ("This setting is not available right now. Please try again later.", False),
        ("This setting isn\u2019t available. Something went wrong.", False),
        ("This setting is not available.</p><p>Please try again later.", False),
        ("Ce paramètre n\u2019est pas disponible. Veuillez réessayer plus tard.", False),
        ("Diese Einstellung ist für Ihr Konto nicht verfügbar. Bitte später erneut.", False),
        ("Esta configuración no está disponible. Inténtalo de nuevo más tarde.", False),
        # Other languages and wordings: each form with its reason, or a failure.
        ("Este ajuste no está disponible para tu cuenta.", True),
        ("Questa impostazione non è disponibile per il tuo account.", True),
        ("Esta configuração não está disponível no seu país ou região.", True),
        ("Deze instelling is niet beschikbaar in je land of regio.", True),
        ("Questa impostazione non è disponibile per il tuo account. Riprova più tardi.", False),
        ("Deze instelling is niet beschikbaar voor je account. Probeer het later opnieuw.", False),
    ],
)
async def test_the_packs_unavailable_words_know_a_notice_that_says_so(
    page: Any, notice: str, says_so: bool
) -> None:
    from optout.core.selector_pack import load_pack

    pack = load_pack()
    texts = list(pack.setting("generative-ai-improvement").unavailable_texts())
    texts += [text.replace("'", "\u2019") for text in texts]  # as settled_reading asks
    await page.set_content(
        f"<main><h1>Data for Generative AI Improvement</h1><p>{notice}</p></main>"
    )
    assert await dom_queries.lack_said(page, texts, list(pack.failing)) is says_so


@pytest.mark.parametrize(
    "notice",
    [
        "Members under 18 are excluded: this setting doesn\u2019t apply to you.",
        "Les membres de moins de 18 ans sont exclus : ce paramètre ne s\u2019applique pas à vous.",
        "Mitglieder unter 18 sind ausgenommen. Diese Einstellung gilt daher nicht für Sie.",
        "Los miembros menores de 18 años están excluidos: este ajuste no se aplica a ti.",
    ],
)
async def test_the_packs_words_for_not_offered_know_a_setting_that_does_not_apply(
    page: Any, notice: str
) -> None:
    from optout.core.selector_pack import load_pack

    hints = list(load_pack().not_offered)
    hints += [hint.replace("'", "\u2019") for hint in hints]  # as settled_reading asks
    await page.set_content(f"<main><p>{notice}</p></main>")
    assert await dom_queries.text_shown(page, hints)


async def test_text_in_a_shadow_root_is_found_as_playwright_finds_it(page: Any) -> None:
    await page.set_content(
        f"""<div id="host"></div><script>
        document.getElementById('host').attachShadow({{mode: 'open'}}).innerHTML =
          '<p>{NOTICE.replace("'", "&#39;")}</p>';
        </script>"""
    )
    assert await _shown_by_playwright(page, NOTICE)
    assert await dom_queries.text_shown(page, [NOTICE])


async def test_wait_for_one_returns_when_the_element_comes(page: Any) -> None:
    await page.set_content(
        """<main></main><script>setTimeout(() => document.querySelector('main')
        .insertAdjacentHTML('beforeend', '<input type="checkbox" role="switch">'), 300);
        </script>"""
    )
    await dom_queries.wait_for_one(page, SWITCH, 5000, settled_ms=0)
    assert await page.locator(SWITCH).count() == 1
    started = time.monotonic()
    await dom_queries.wait_for_one(page, SWITCH, 5000, settled_ms=200)
    assert time.monotonic() - started >= 0.2  # there already: waited the settled time


async def test_wait_for_one_gives_up_after_its_time(page: Any) -> None:
    await page.set_content("<main></main>")
    started = time.monotonic()
    await dom_queries.wait_for_one(page, SWITCH, 200, settled_ms=0)
    assert time.monotonic() - started >= 0.2
    assert await page.locator(SWITCH).count() == 0


async def test_a_waiting_look_is_taken_when_the_switch_comes(page: Any) -> None:
    # The switch is drawn only once the look is watching the page, however slow the
    # machine: a timer started at load could fire before the look begins.
    await page.set_content(
        """<main></main><script>
        const observe = MutationObserver.prototype.observe;
        MutationObserver.prototype.observe = function (...args) {
          observe.apply(this, args);
          setTimeout(() => document.querySelector('main').insertAdjacentHTML(
            'beforeend', '<input type="checkbox" role="switch" id="ai" checked>'), 50);
        };
        </script>"""
    )
    seen = await dom_queries.look(
        page, [SWITCH, "#ai"], probe="el => el.checked", probed=["#ai"], wait_ms=5000
    )
    assert seen.waited
    assert (seen.counts[SWITCH], seen.probed, seen.value) == (1, "#ai", True)
    # Drawn already: no wait at all.
    again = await dom_queries.look(page, [SWITCH], wait_ms=5000)
    assert not again.waited


async def test_a_waiting_look_gives_up_after_its_time(page: Any) -> None:
    await page.set_content("<main></main>")
    started = time.monotonic()
    seen = await dom_queries.look(page, [SWITCH], wait_ms=200)
    assert time.monotonic() - started >= 0.2
    assert seen.waited
    assert seen.counts[SWITCH] == 0

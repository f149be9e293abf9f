"""The evidence report: one self-contained HTML file per account.

It holds the current state of every setting, a timeline of the history (inline
SVG), each change as a pair of screenshots side by side (before the click, and
the read-back after it; a before with no after is shown as not confirmed), the
readings kept with --evidence, every screenshot with its time and SHA-256
(checked against the file), and the objection-form records. No outside resource: the
file can be mailed or archived as it is.
"""

from __future__ import annotations

import base64
import hashlib
import html
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from optout import __version__
from optout.core.errors import EnvironmentProblem
from optout.core.private_files import write_private_file
from optout.evidence.screenshots import Change, pair_up
from optout.storage.history import Entry, Objection, Screenshot

_COLOURS = {
    "on": "#cc1016",
    "off": "#057642",
    "switched": "#0a66c2",
    "unavailable": "#8c8c8c",
    "unknown": "#b24020",
    "error": "#e7a33e",
}
_WORDS = {
    "on": "ON",
    "off": "off",
    "switched": "switched off",
    "unavailable": "unavailable",
    "unknown": "unknown",
    "error": "error",
}


@dataclass(frozen=True)
class ReportData:
    account: str
    labels: dict[str, str]  # setting id -> label
    entries: list[Entry]  # newest first, as the history gives them
    screenshots: list[Screenshot]
    objections: list[Objection]


def _e(text: object) -> str:
    return html.escape(str(text))


def _when(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _current(data: ReportData) -> str:
    rows = []
    for setting, label in data.labels.items():
        latest = next((e for e in data.entries if e.setting == setting and e.state), None)
        if latest is None:
            continue
        mark = latest.mark
        rows.append(
            f'<tr data-setting="{_e(setting)}"><td>{_e(label)}</td>'
            f'<td class="state" style="color:{_COLOURS[mark]}">{_e(_WORDS[mark])}</td>'
            f"<td>{_e(_when(latest.at))}</td></tr>"
        )
    if not rows:
        return "<p>No setting has been read yet.</p>"
    return (
        '<table id="current"><thead><tr><th>Setting</th><th>State</th><th>Last read</th>'
        "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )


def timeline_svg(data: ReportData, width: int = 760) -> str:
    """One row per setting, a mark per run, placed by time."""
    runs = [e for e in data.entries if e.setting in data.labels]
    if not runs:
        return "<p>No history yet.</p>"
    first, last = min(e.at for e in runs), max(e.at for e in runs)
    span = max((last - first).total_seconds(), 1.0)
    left, row_h, plot_w = 230, 28, width - 230 - 20
    settings = [s for s in data.labels if any(e.setting == s for e in runs)]
    height = row_h * len(settings) + 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="timeline" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        'aria-label="Timeline of every check and change">'
    ]
    for row, setting in enumerate(settings):
        y = 20 + row * row_h
        parts.append(
            f'<text x="0" y="{y + 14}" font-size="12">{_e(data.labels[setting][:34])}</text>'
            f'<line x1="{left}" y1="{y + 10}" x2="{left + plot_w}" y2="{y + 10}" '
            'stroke="#ddd"/>'
        )
        for entry in (e for e in runs if e.setting == setting):
            x = left + (entry.at - first).total_seconds() / span * plot_w
            mark = entry.mark
            parts.append(
                f'<rect class="run {mark}" x="{x - 3:.1f}" y="{y + 2}" width="6" height="16" '
                f'fill="{_COLOURS[mark]}"><title>{_e(_when(entry.at))}: '
                f"{_e(_WORDS[mark])}</title></rect>"
            )
    axis_y = height - 8
    parts.append(
        f'<text x="{left}" y="{axis_y}" font-size="11">{_e(_when(first))}</text>'
        f'<text x="{left + plot_w}" y="{axis_y}" font-size="11" text-anchor="end">'
        f"{_e(_when(last))}</text></svg>"
    )
    legend = " ".join(
        f'<span><i style="background:{colour}"></i>{_e(_WORDS[mark])}</span>'
        for mark, colour in _COLOURS.items()
    )
    return "".join(parts) + f'<p class="legend">{legend}</p>'


def _picture(shot: Screenshot, alt: str) -> str:
    """The screenshot inline, only while the file still has the recorded hash."""
    try:
        image = Path(shot.path).read_bytes()
    except OSError:
        image = b""
    if not image or hashlib.sha256(image).hexdigest() != shot.sha256:
        return '<p class="warn">The screenshot file is missing or was changed.</p>'
    return (
        f'<img alt="{_e(alt)}" '
        f'src="data:image/png;base64,{base64.b64encode(image).decode("ascii")}">'
    )


def _reading(shot: Screenshot, label: str) -> str:
    return (
        f'<figure class="shot"><figcaption><strong>{_e(label)}</strong>: '
        f"{_e(_WORDS.get(shot.state, shot.state))}, {_e(_when(shot.at))}<br>"
        f'SHA-256 <code class="sha">{_e(shot.sha256)}</code></figcaption>'
        f"{_picture(shot, f'{label} at {_when(shot.at)}')}</figure>"
    )


def _side(shot: Screenshot | None, label: str, phase: str) -> str:
    """One half of a change: its screenshot with time, hash and file name, or why none."""
    if shot is None:
        why = (
            "No screenshot was kept just before the click."
            if phase == "before"
            else "No screenshot after the click: the change was not read back."
        )
        return f'<div class="shot {phase} missing"><p class="warn">{_e(why)}</p></div>'
    heading = "Before the click" if phase == "before" else "After, read back"
    state = _WORDS.get(shot.state, shot.state)
    return (
        f'<figure class="shot {phase}" data-state="{_e(shot.state)}"><figcaption>'
        f"<strong>{_e(heading)}</strong>: {_e(state)}, "
        f'<time datetime="{_e(shot.at.isoformat())}">{_e(_when(shot.at))}</time><br>'
        f'SHA-256 <code class="sha">{_e(shot.sha256)}</code><br>'
        f'File <code class="file">{_e(Path(shot.path).name)}</code></figcaption>'
        f"{_picture(shot, f'{label} {heading.lower()} at {_when(shot.at)}')}</figure>"
    )


def _verdict(change: Change) -> str:
    if change.after is None:
        return "not confirmed (nothing was read back after the click)"
    if not change.confirmed:
        return f"not confirmed (read back {_WORDS.get(change.after.state, change.after.state)})"
    if change.before is None:
        return "switched off and read back off (no screenshot from before the click)"
    return "switched off and read back off"


def _change(change: Change, labels: dict[str, str]) -> str:
    label = labels.get(change.setting, change.setting)
    status = "confirmed" if change.confirmed else "unconfirmed"
    return (
        f'<div class="change {status}" data-setting="{_e(change.setting)}" '
        f'data-change="{_e(change.change_id or "")}">'
        f"<h3>{_e(label)}: {_e(_verdict(change))}</h3>"
        f'<div class="pair">{_side(change.before, label, "before")}'
        f"{_side(change.after, label, 'after')}</div></div>"
    )


def _screenshots(data: ReportData) -> str:
    if not data.screenshots:
        return (
            "<p>No screenshot yet: one is kept before and after every change "
            "(with --evidence, at every check).</p>"
        )
    items = []
    for item in reversed(pair_up(data.screenshots)):
        if isinstance(item, Change):
            items.append(_change(item, data.labels))
        else:
            items.append(_reading(item, data.labels.get(item.setting, item.setting)))
    return "".join(items)


def _objections(data: ReportData) -> str:
    if not data.objections:
        return "<p>No objection form sent with optout.</p>"
    return "".join(
        f'<div class="objection"><p><strong>{_e(_when(o.at))}</strong>: '
        f"{_e(o.objection_type)}, as {_e(o.name)} &lt;{_e(o.email)}&gt;"
        f"{', case ' + _e(o.reference) if o.reference else ''}</p>"
        f"<blockquote>{_e(o.text)}</blockquote></div>"
        for o in data.objections
    )


_STYLE = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d1d1d;
  max-width: 820px; margin: 24px auto; padding: 0 16px; }
h1 { font-size: 22px; } h2 { font-size: 17px; margin-top: 28px; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #eee; }
.state { font-weight: 700; } .legend span { margin-right: 14px; font-size: 12px; }
.legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; }
.shot { margin: 16px 0; } .shot img { max-width: 100%; border: 1px solid #ccc; }
h3 { font-size: 15px; margin: 20px 0 6px; } .unconfirmed h3 { color: #cc1016; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; align-items: start; }
.pair .shot { margin: 0; } .missing { border: 1px dashed #ccc; padding: 12px; }
code.file { font-size: 11px; word-break: break-all; }
code.sha { font-size: 11px; word-break: break-all; } .warn { color: #b24020; }
blockquote { white-space: pre-wrap; margin: 6px 0 16px; padding: 8px 12px; background: #f5f5f5; }
"""


def render(data: ReportData, *, generated: datetime | None = None) -> str:
    generated = generated or datetime.now(UTC)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>optout evidence report: {_e(data.account)}</title>
<style>{_STYLE}</style></head>
<body>
<h1>LinkedIn data settings of <span id="account">{_e(data.account)}</span></h1>
<p>Evidence report made by optout {_e(__version__)} on {_e(_when(generated))}.</p>
<h2>Current state</h2>{_current(data)}
<h2>Timeline</h2>{timeline_svg(data)}
<h2>Changes and screenshots</h2>{_screenshots(data)}
<h2>Objections sent</h2>{_objections(data)}
</body></html>
"""


def print_pdf(browser: str | None, html_file: Path, pdf_file: Path) -> None:
    """Chromium prints the report as it shows it (headless only)."""
    import asyncio

    write_private_file(pdf_file, asyncio.run(_printed(browser, html_file)))


async def _printed(browser: str | None, html_file: Path) -> bytes:
    from playwright.async_api import Error as PlaywrightError

    from optout.linkedin.chromium.browser import launched

    async with launched(browser) as session:
        page = await (await session.new_context()).new_page()
        try:
            await page.goto(html_file.resolve().as_uri())
            return await page.pdf(format="A4", print_background=True)
        except PlaywrightError as exc:
            raise EnvironmentProblem(
                f"The browser could not print the report: {exc.message}"
            ) from exc

"""`optout report`: the evidence report of one account, as HTML (and PDF)."""

from __future__ import annotations

from pathlib import Path

from rich.markup import escape

from optout.core.config import load_settings
from optout.core.errors import EnvironmentProblem
from optout.output.terminal import Ui
from optout.storage.private_files import write_private_file


def report_command(
    account: str | None, html_file: Path, pdf_file: Path | None, *, as_json: bool, verbose: bool
) -> int:
    from optout.commands.common import require_account
    from optout.core.selector_pack import load_pack
    from optout.evidence.report import ReportData, render
    from optout.output.render import to_json
    from optout.storage.history import History

    ui = Ui(as_json=as_json, verbose=verbose)
    settings = load_settings()
    resolved = require_account(account, settings)
    pack = load_pack(settings.paths.config_dir)
    history = History.of(settings)
    data = ReportData(
        account=resolved,
        labels={setting_id: spec.label for setting_id, spec in pack.settings.items()},
        entries=history.entries(account=resolved),
        screenshots=history.screenshots(resolved),
        objections=history.objections(resolved),
    )
    page = render(data)
    # The report shows the member's settings and screenshots: private, like the rest.
    write_private_file(html_file, page.encode("utf-8"))
    if pdf_file is not None:
        _print_pdf(settings.browser, html_file, pdf_file)
    if as_json:
        written = {"html": str(html_file), "pdf": str(pdf_file) if pdf_file else None}
        ui.print_json(to_json({"account": resolved, **written, "error": None}))
    else:
        ui.out.print(f"Evidence report of {escape(resolved)}: {escape(str(html_file))}")
        if pdf_file is not None:
            ui.out.print(f"PDF: {escape(str(pdf_file))}")
    return 0


def _print_pdf(browser: str | None, html_file: Path, pdf_file: Path) -> None:
    """Chromium prints the report as it shows it (headless only)."""
    from playwright.sync_api import Error as PlaywrightError

    from optout.linkedin.browser import launched

    with launched(browser) as session:
        page = session.new_context().new_page()
        try:
            page.goto(html_file.resolve().as_uri())
            pdf = page.pdf(format="A4", print_background=True)
        except PlaywrightError as exc:
            raise EnvironmentProblem(
                f"The browser could not print the report: {exc.message}"
            ) from exc
    write_private_file(pdf_file, pdf)

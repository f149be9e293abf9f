"""`optout report`: the evidence report of one account, as HTML (and PDF)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.markup import escape

from optout.core.errors import ExitStatus
from optout.core.private_files import write_private_file

if TYPE_CHECKING:
    from optout.commands.context import CommandContext


def report_command(
    cmd: CommandContext, account: str | None, html_file: Path, pdf_file: Path | None
) -> ExitStatus:
    from optout.commands.common import require_account
    from optout.evidence.report import ReportData, print_pdf, render
    from optout.output.json_output import to_json
    from optout.storage.history import History

    ui, settings = cmd.ui, cmd.settings
    resolved = require_account(account, settings)
    pack = cmd.pack
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
        print_pdf(settings.browser, html_file, pdf_file)
    if cmd.as_json:
        written = {"html": str(html_file), "pdf": str(pdf_file) if pdf_file else None}
        ui.print_json(to_json({"account": resolved, **written, "error": None}))
    else:
        ui.out.print(f"Evidence report of {escape(resolved)}: {escape(str(html_file))}")
        if pdf_file is not None:
            ui.out.print(f"PDF: {escape(str(pdf_file))}")
    return ExitStatus.OK

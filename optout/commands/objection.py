"""`optout object`: LinkedIn's Data Processing Objection Form, filled for the member."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.markup import escape

from optout.core.errors import EnvironmentProblem, ExitStatus, LoginRequired

if TYPE_CHECKING:
    from optout.commands.context import CommandContext
    from optout.core.selector_pack import ObjectionForm, Pack

HANDOFF_TIMEOUT_S = 600  # how long the person gets to review and submit


@dataclass(frozen=True)
class ObjectionRequest:
    account: str | None
    name: str | None
    kind: str
    text_file: Path | None
    submit: bool


@dataclass(frozen=True)
class Letter:
    """Who objects, and in what words."""

    email: str
    name: str
    text: str


def _text(request: ObjectionRequest, name: str, email: str) -> str:
    from optout.linkedin.objection_form import LONGEST_TEXT, template

    if request.text_file is None:
        return template(name, email)
    try:
        text = request.text_file.read_text("utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise click.BadParameter(
            f"cannot read {request.text_file}: {exc}", param_hint="--text-file"
        ) from None
    if not text or len(text) > LONGEST_TEXT:
        raise click.BadParameter(
            f"the text must have 1 to {LONGEST_TEXT} characters (it has {len(text)})",
            param_hint="--text-file",
        )
    return text


def _form(pack: Pack, kind: str) -> ObjectionForm:
    form = pack.objection
    if form is None:
        raise EnvironmentProblem("The selector pack has no `objection` form; update optout.")
    if kind not in form.types:
        raise click.BadParameter(
            f"{kind!r} is not a known type (known: {', '.join(form.types)})",
            param_hint="--type",
        )
    return form


def object_command(cmd: CommandContext, request: ObjectionRequest) -> ExitStatus:
    from optout.commands.common import require_account
    from optout.output.json_output import to_json
    from optout.output.person import Person
    from optout.storage.history import History, Objection

    ui, settings = cmd.ui, cmd.settings
    form = _form(cmd.pack, request.kind)
    account = require_account(request.account, settings)
    name = request.name or Person.at_terminal().ask("Your full name, as on LinkedIn: ")
    if not name:
        raise click.UsageError('Say whose objection it is with --name "Your Name".')
    text = _text(request, name, account)
    reference = _fill_and_send(cmd, form, request, Letter(account, name, text))
    if reference is None:
        ui.err.print("optout: The form was not sent (window closed or time out); nothing was "
                     "recorded.", markup=False)  # fmt: skip
        return ExitStatus.SETTING_ON  # 1: what was asked for was not done, as for `off`
    record = Objection(
        datetime.now(UTC), account, name, account, request.kind, text, reference or None
    )
    History.of(settings).record_objection(record)
    if cmd.as_json:
        ui.print_json(to_json({**record.as_json(), "submitted": True, "error": None}))
    else:
        shown = f" (case {escape(reference)})" if reference else ""
        ui.out.print(f"[green]Objection sent to LinkedIn{shown}[/], and kept in the history.")
    return ExitStatus.OK


def _fill_and_send(
    cmd: CommandContext, form: ObjectionForm, request: ObjectionRequest, letter: Letter
) -> str | None:
    """LinkedIn's case reference ("" when it shows none), or None when nothing was sent."""
    from optout.linkedin.objection_form import Objection, fill_and_send
    from optout.storage.sessions import SessionStore

    settings = cmd.settings
    saved = SessionStore.of(settings.paths).load(letter.email)
    if saved is None:
        raise LoginRequired(f"No saved session for {letter.email}: run `optout login` first.")
    if not request.submit:
        cmd.ui.info("Review the form in the window, then press its Submit button; optout waits.")
    objection = Objection(letter.name, letter.email, request.kind, letter.text)
    return fill_and_send(
        settings, form, saved, objection, submit=request.submit,
        wait_s=settings.timeout_s if request.submit else HANDOFF_TIMEOUT_S,
    )  # fmt: skip

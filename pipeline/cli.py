"""The `minutes` command: parse options, call the library, print, map errors to exit codes."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from pipeline import MESSAGE_KINDS, __version__
from pipeline.errors import InputError, PipelineError
from pipeline.i18n import _

F = TypeVar("F", bound=Callable[..., Any])

# The command uses no pydantic plugins; looking for them reads the metadata of every installed
# package when the first model is built, a tenth of `minutes check`'s start-up.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")


def _reports_errors(func: F) -> F:
    """Turn the library's errors into their messages and the contract's exit codes."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            count = len(exc.problems)
            click.echo(
                _("1 problem found; fix it and run the command again.")
                if count == 1
                else _("{count} problems found; fix them and run the command again.").format(
                    count=count
                ),
                err=True,
            )
            sys.exit(exc.exit_code)
        except PipelineError as exc:
            click.echo(str(exc), err=True)
            sys.exit(exc.exit_code)
        except OSError as exc:  # a folder that cannot be written, a full disk
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(
                _("{where}{value}; check the folder and its permissions.").format(
                    where=where, value=exc.strerror or exc
                ),
                err=True,
            )
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


class Formats(click.ParamType):
    """`docx,odt,pdf` → the formats, in a fixed order; a misspelt one is a usage error."""

    name = "formats"

    def convert(self, value: Any, param: Any, ctx: Any) -> tuple[str, ...]:
        if isinstance(value, tuple):
            return value
        from pipeline.documents import parse_formats

        try:
            return parse_formats(value)
        except InputError as exc:
            self.fail(exc.problems[0].message, param, ctx)


meeting_argument = click.argument("meeting", metavar="MEETING")
out_option = click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help=_("Folder for the documents (default: outputs/MEETING)."),
)
format_option = click.option(
    "--format",
    "formats",
    type=Formats(),
    default="docx,odt",
    show_default=True,
    help=_("Formats to write: docx, odt and pdf, separated by commas."),
)
org_option = click.option(
    "--organisation",
    type=click.Path(path_type=Path),
    default=None,
    help=_("The roster (default: organisation.yaml beside the meeting folder)."),
)
templates_option = click.option(
    "--templates",
    type=click.Path(path_type=Path),
    default=None,
    help=_("A folder with the municipality's own templates."),
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="minutes")
def main() -> None:
    """Invitations, minutes and cover letters of the political groups' negotiation group.

    The secretary writes a meeting's agenda and notes as YAML under inputs/MEETING/; this
    command checks them, renders the documents into outputs/MEETING/, records the chair's
    approval and emails the groups.

    \b
    Example:
        minutes check 2026-12-07
        minutes build 2026-12-07
    """


@main.command(short_help=_("Check a meeting's files and the wording of its texts."))
@meeting_argument
@org_option
@templates_option
@_reports_errors
def check(meeting: str, organisation: Path | None, templates: Path | None) -> None:
    """Check a meeting's files, and the wording of the agenda, the notes and the email
    templates; change nothing.

    Every problem is printed as FILE:LINE: what is wrong. Exit code 0 when all is well, 1 when
    anything must be fixed.

    \b
    Example:
        minutes check 2026-12-07
    """
    from pipeline import documents, wording, workflow

    if not wording.voikko_available():
        click.echo(f"warning: {wording.voikko_missing()}", err=True)
    paths = _paths(meeting, None, organisation)
    report = workflow.check(paths, templates or documents.DEFAULT_TEMPLATES)
    _print_report(report)
    click.echo(_("{folder}: all files are valid.").format(folder=paths.folder))


@main.command(short_help=_("Render every document the meeting's state allows."))
@meeting_argument
@format_option
@out_option
@org_option
@templates_option
@_reports_errors
def build(
    meeting: str,
    formats: tuple[str, ...],
    out: Path | None,
    organisation: Path | None,
    templates: Path | None,
) -> None:
    """Render every document the meeting's state allows.

    The invitation always; the draft minutes once notes.yaml exists; the final minutes and the
    cover letters once the chair has approved.

    \b
    Example:
        minutes build 2026-12-07
        minutes build 2026-12-07 --format docx,odt,pdf --out /tmp/kokous
    """
    from pipeline import documents, workflow

    paths = _paths(meeting, out, organisation)
    folder = documents.Templates(templates or documents.DEFAULT_TEMPLATES)
    report = workflow.build(paths, formats, folder, dt.date.today())
    _print_report(report)


def _paths(meeting: str, out: Path | None = None, organisation: Path | None = None) -> Any:
    from pipeline.meeting import Paths

    return Paths.of(meeting, out, organisation)


def _print_report(report: Any) -> None:
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    for path in report.written:
        click.echo(_("wrote {path}").format(path=path))
    for note in report.notes:
        click.echo(note)


@main.command(short_help=_("Record the chair's approval and render the final minutes."))
@meeting_argument
@click.option("--by", "by", required=True, help=_("The chair's name, as in organisation.yaml."))
@click.option("--code", required=True, help=_("The review code the chair quoted, e.g. 7F3A-91C2."))
@click.option(
    "--key",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    default=None,
    help=_("Also sign the approval with this key from `minutes keygen`."),
)
@out_option
@org_option
@templates_option
@_reports_errors
def approve(
    meeting: str,
    by: str,
    code: str,
    key: Path | None,
    out: Path | None,
    organisation: Path | None,
    templates: Path | None,
) -> None:
    """Record the chair's approval of the draft she was sent, and render the final minutes.

    The code must match the minutes as they are now: if the notes changed after the draft was
    sent, the approval is refused and the new draft must go to the chair.

    \b
    Example:
        minutes approve 2026-12-07 --by "Maija Meikäläinen" --code 7F3A-91C2
    """
    from pipeline import documents, workflow

    paths = _paths(meeting, out, organisation)
    folder = documents.Templates(templates or documents.DEFAULT_TEMPLATES)
    _print_report(workflow.approve(paths, by, code, folder, dt.date.today(), key))


@main.command(short_help=_("Show where the meeting stands, what is pending and the log."))
@meeting_argument
@out_option
@org_option
@_reports_errors
def status(meeting: str, out: Path | None, organisation: Path | None) -> None:
    """Show the meeting's state, fingerprints, approval, what is sent and pending, and the log.

    \b
    Example:
        minutes status 2026-12-07
    """
    from pipeline.status import format_status, meeting_status

    click.echo(format_status(meeting_status(_paths(meeting, out, organisation))))


@main.command(short_help=_("Show what the chair changed in a draft she sent back."))
@meeting_argument
@click.argument("returned", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@out_option
@_reports_errors
def diff(meeting: str, returned: Path, out: Path | None) -> None:
    """Show what the chair changed in a draft she sent back edited.

    Compares RETURNED paragraph by paragraph with the draft DOCX that was rendered for review:
    lines starting with - were taken out, lines starting with + were added.

    \b
    Example:
        minutes diff 2026-12-07 poytakirja_luonnos_2026-12-07_MM.docx
    """
    from pipeline import workflow

    changes = workflow.diff(_paths(meeting, out), returned)
    click.echo("\n".join(changes) if changes else "The returned draft has no changes.")


@main.command(short_help=_("Make a signing key for the chair."))
@click.argument("key", type=click.Path(path_type=Path, dir_okay=False))
@_reports_errors
def keygen(key: Path) -> None:
    """Make a signing key for the chair (the stronger form of approval).

    Writes the private key to KEY (readable by its owner only; the chair keeps it) and prints
    the public key to put in organisation.yaml as chair.public_key.

    \b
    Example:
        minutes keygen ~/puheenjohtaja.key
    """
    from pipeline import approval

    public = approval.generate_key(key)
    click.echo(
        _(
            "wrote {key}\nAdd the public key to organisation.yaml under chair:"
            "\n  public_key: {public}"
        ).format(key=key, public=public)
    )


@main.command(short_help=_("Check the approval's signature and the final files."))
@meeting_argument
@out_option
@org_option
@_reports_errors
def verify(meeting: str, out: Path | None, organisation: Path | None) -> None:
    """Check the signature of the approval and the final files against it.

    \b
    Example:
        minutes verify 2026-12-07
    """
    from pipeline import workflow

    click.echo(workflow.verify(_paths(meeting, out, organisation)))


@main.command(short_help=_("Email the invitation, the draft for review or the minutes."))
@meeting_argument
@click.argument("kind", type=click.Choice(MESSAGE_KINDS))
@click.option(
    "--smtp", is_flag=True, help=_("Really send, with the mail.smtp settings of the roster.")
)
@click.option(
    "--resend",
    multiple=True,
    metavar="GROUP",
    help=_("Send again to GROUP a message whose delivery is unconfirmed (repeatable)."),
)
@out_option
@org_option
@templates_option
@_reports_errors
def send(
    meeting: str,
    kind: str,
    smtp: bool,
    resend: tuple[str, ...],
    out: Path | None,
    organisation: Path | None,
    templates: Path | None,
) -> None:
    """Email the invitation to every group, the draft to the chair, or the approved minutes.

    A dry run by default: the messages are written as .eml files under
    outputs/MEETING/outbox/KIND/ and listed, and nothing is sent. With --smtp they are sent; a
    run that was cut short is resumed by running it again, and nothing is sent twice.

    \b
    Example:
        minutes send 2026-12-07 invitation
        minutes send 2026-12-07 review --smtp
        minutes send 2026-12-07 minutes --smtp
    """
    from pipeline import distribution, documents

    paths = _paths(meeting, out, organisation)
    folder = documents.Templates(templates or documents.DEFAULT_TEMPLATES)
    batch = distribution.prepare(paths, kind, folder, dt.date.today())
    if not smtp:
        _print_report(distribution.write_outbox(batch))
        return
    groups = [m.group for m in batch.messages]
    unknown = sorted(set(resend) - set(groups))
    if unknown:  # a usage error, known once the roster is read
        raise click.BadParameter(
            _("no {kind} message goes to {unknown}; the groups are {groups}").format(
                kind=kind, unknown=", ".join(unknown), groups=", ".join(groups)
            ),
            param_hint="'--resend'",
        )
    with click.progressbar(length=len(batch.messages), label=f"Sending {kind}") as bar:
        report = distribution.send_smtp(
            batch, resend=resend, on_progress=lambda message, state: bar.update(1)
        )
    _print_report(report)


inputs_option = click.option(
    "--inputs",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("inputs"),
    show_default=True,
    help=_("The folder of the meeting folders and organisation.yaml."),
)


@main.command(short_help=_("Start the agenda of a new meeting."))
@click.argument("date", metavar="DATE")
@inputs_option
@org_option
@_reports_errors
def new(date: str, inputs: Path, organisation: Path | None) -> None:
    """Start a meeting: write inputs/DATE/agenda.yaml with the next meeting number, the
    standard items, the review of the previous minutes and the follow-ups still open.

    \b
    Example:
        minutes new 2027-01-18
    """
    from pipeline import overview

    path = overview.new_meeting(inputs, date, organisation)
    click.echo(
        _("wrote {path}\nFill in the items, then run `minutes check {date}`.").format(
            path=path, date=date
        )
    )


@main.command(short_help=_("Write the JSON Schemas of the input files."))
@click.argument("folder", metavar="DIR", type=click.Path(path_type=Path, file_okay=False))
@_reports_errors
def schema(folder: Path) -> None:
    """Write the JSON Schemas of organisation.yaml, agenda.yaml and notes.yaml into DIR.

    An editor with YAML support (VS Code with the YAML extension, for example) completes and
    checks the fields while you type when the file's first line names its schema:
    # yaml-language-server: $schema=DIR/agenda.schema.json

    \b
    Example:
        minutes schema inputs/schemas
    """
    from pipeline.schema import write_schemas

    for path in write_schemas(folder):
        click.echo(_("wrote {path}").format(path=path))


@main.command(short_help=_("List every follow-up item: open, overdue or done."))
@inputs_option
@org_option
@_reports_errors
def followups(inputs: Path, organisation: Path | None) -> None:
    """List every follow-up item across meetings: open, overdue or done.

    \b
    Example:
        minutes followups
    """
    from pipeline import overview

    statuses = overview.followup_statuses(inputs, organisation, dt.date.today())
    click.echo(overview.format_followups(statuses))


@main.command(short_help=_("Write the annual evaluation (rule 6)."))
@click.argument("year", type=click.IntRange(2000, 2100))
@format_option
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help=_("Folder for the documents (default: outputs/arviointi_YEAR)."),
)
@inputs_option
@org_option
@templates_option
@_reports_errors
def report(
    year: int,
    formats: tuple[str, ...],
    out: Path | None,
    inputs: Path,
    organisation: Path | None,
    templates: Path | None,
) -> None:
    """Write the annual evaluation (rule 6) as DOCX and ODT (and PDF): the year's meetings and
    their state, attendance by group with a chart, matters, agreed views and dissents,
    follow-ups, joint statements, how soon the minutes were approved and distributed, and the
    rules' questions for the evaluation discussion.

    \b
    Example:
        minutes report 2026
        minutes report 2026 --format docx,odt,pdf --out /tmp/arviointi
    """
    from pipeline import annual, documents

    folder = documents.Templates(templates or documents.DEFAULT_TEMPLATES)
    outputs = Path("outputs")
    written = annual.write_report(
        inputs,
        organisation,
        outputs,
        year,
        out or annual.default_out(year, outputs),
        formats,
        folder,
        dt.date.today(),
    )
    for path in written:
        click.echo(_("wrote {path}").format(path=path))


@main.command(short_help=_("Open the secretary's workbench in the browser."))
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help=_("Listen on another address than this computer's own: only with --cert and --key."),
)
@click.option("--cert", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--key", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--no-browser", is_flag=True, help=_("Only print the address; open no browser."))
@inputs_option
@click.option(
    "--outputs",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("outputs"),
    show_default=True,
    help=_("The folder of the meetings' documents."),
)
@org_option
@templates_option
@_reports_errors
def serve(
    port: int,
    host: str,
    cert: Path | None,
    key: Path | None,
    no_browser: bool,
    inputs: Path,
    outputs: Path,
    organisation: Path | None,
    templates: Path | None,
) -> None:
    """The secretary's workbench in the browser, on this computer only.

    Prints an address with a one-time sign-in token and opens it in the browser. The pages
    show the meetings, the agenda and notes forms, the documents, review, approval and
    distribution: the same steps as the commands, over the same files.

    \b
    Example:
        minutes serve
        minutes serve --port 8800 --no-browser
    """
    from pipeline.web import Settings
    from pipeline.web.serve import address_refusal, run

    refusal = address_refusal(host, cert, key)
    if refusal:
        raise click.UsageError(refusal)
    if not inputs.is_dir():
        raise click.UsageError(
            _("{inputs}: there is no such folder; start in the project folder.").format(
                inputs=inputs
            )
        )
    settings = Settings(
        inputs=inputs,
        outputs=outputs,
        organisation=organisation,
        templates=templates,
        host=host,
        port=port,
        tls=cert is not None and key is not None,
    )
    run(settings, cert=cert, key=key, open_browser=not no_browser, announce=click.echo)


@main.group(short_help=_("Check a municipality's own templates."))
def templates() -> None:
    """A municipality's own templates: check them before using them with --templates.

    \b
    Example:
        minutes templates check kunnan_pohjat
    """


@templates.command("check")
@click.argument("folder", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.argument("meeting", metavar="MEETING", default="", required=False)
@org_option
@_reports_errors
def templates_check(folder: Path, meeting: str, organisation: Path | None) -> None:
    """Render the templates in FOLDER against a meeting, writing nothing, and list for each
    template the placeholders it names that do not exist and what it leaves out that the
    document must show. MEETING is the latest meeting under inputs/ with notes when not given.

    \b
    Example:
        minutes templates check kunnan_pohjat 2026-12-07
    """
    from pipeline import meeting as mt
    from pipeline import template_check

    chosen = meeting or template_check.latest_meeting(Path("inputs"))
    loaded = mt.load(mt.Paths.of(chosen, organisation=organisation))
    found = template_check.check_templates(loaded, folder, dt.date.today())
    if not found:
        raise click.UsageError(
            _(
                "{folder} holds none of the templates (invitation, minutes, cover_letter as "
                ".docx or .odt)"
            ).format(folder=folder)
        )
    for name, problems in sorted(found.items()):
        if not problems:
            click.echo(_("{name}: ok").format(name=name))
        for problem in problems:
            click.echo(f"{name}: {problem.message}")
    if any(found.values()):
        sys.exit(1)

"""The `minutes` command: parse options, call the library, print, map errors to exit codes."""

from __future__ import annotations

import atexit
import datetime as dt
import gc
import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from pipeline import MESSAGE_KINDS, __version__
from pipeline.click_texts import install
from pipeline.errors import InputError, PipelineError
from pipeline.i18n import N_, _

if TYPE_CHECKING:  # imported when a command runs, not for --help
    from pipeline.documents import Templates
    from pipeline.meeting import Paths, Report

F = TypeVar("F", bound=Callable[..., Any])

# The command uses no pydantic plugins; looking for them reads the metadata of every installed
# package when the first model is built, a tenth of `minutes check`'s start-up.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
install()  # click's own words from our catalog


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


def _translated(attribute: str) -> Any:
    """A property that keeps an English msgid (in `attribute`) and gives it in the user's
    language when read: the language is looked up then, not when the module is imported."""

    def get(self: Any) -> Any:
        value = getattr(self, attribute)
        return _(value) if value else value

    def put(self: Any, value: Any) -> None:
        setattr(self, attribute, value)

    return property(get, put)


class Option(click.Option):
    """An option whose help is an English msgid, shown in the user's language when read."""

    help = _translated("_help")
    metavar = _translated("_metavar")


class Command(click.Command):
    """A command whose help and short help are English msgids, shown in the user's language
    when read (the language is looked up then, not when the module is imported); its example
    commands follow the help as they are."""

    def __init__(self, *args: Any, examples: tuple[str, ...] = (), **kwargs: Any) -> None:
        self.examples = examples
        super().__init__(*args, **kwargs)

    @property  # type: ignore[override]
    def help(self) -> str | None:
        if not self._help:
            return self._help
        lines = [_("Example:"), *(f"    {example}" for example in self.examples)]
        return _(self._help) + ("\n\n\b\n" + "\n".join(lines) if self.examples else "")

    @help.setter
    def help(self, value: str | None) -> None:
        self._help = value

    short_help = _translated("_short_help")
    options_metavar = _translated("_options_metavar")

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        self._help_option = None  # click keeps it, with its help in the language of the time
        return super().get_help_option(ctx)


class Group(Command, click.Group):
    """A group of such commands, whose `COMMAND [ARGS]...` is translated too."""

    command_class = Command
    group_class = type

    subcommand_metavar = _translated("_subcommand_metavar")


class Argument(click.Argument):
    """An argument whose name in the usage line is an English msgid, shown translated."""

    metavar = _translated("_metavar")


class PathType(click.Path):
    """`click.Path` whose name (in the usage line and its errors) is shown translated."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # click names it when it is made, in the language of that moment: name it in English
        if self.file_okay != self.dir_okay:
            self.name = "file" if self.file_okay else "directory"
        else:
            self.name = "path"

    name = _translated("_name")


def argument(name: str, metavar: str, **attrs: Any) -> Callable[[F], F]:
    """`click.argument` with its name in the usage line (`metavar`, marked with N_) translated."""
    return click.argument(name, cls=Argument, metavar=metavar, **attrs)


def option(*decls: str, **attrs: Any) -> Callable[[F], F]:
    """`click.option` with the help translated when shown."""
    return click.option(*decls, cls=Option, **attrs)


meeting_argument = argument("meeting", N_("MEETING"))
out_option = option(
    "--out",
    type=PathType(path_type=Path),
    default=None,
    help=N_("Folder for the documents (default: outputs/MEETING)."),
)
format_option = option(
    "--format",
    "formats",
    type=Formats(),
    metavar=N_("FORMATS"),
    default="docx,odt",
    show_default=True,
    help=N_("Formats to write: docx, odt and pdf, separated by commas."),
)
org_option = option(
    "--organisation",
    type=PathType(path_type=Path),
    default=None,
    help=N_("The roster (default: organisation.yaml beside the meeting folder)."),
)
templates_option = option(
    "--templates",
    type=PathType(path_type=Path),
    default=None,
    help=N_("A folder with the municipality's own templates."),
)


@click.group(
    cls=Group,
    context_settings={"help_option_names": ["-h", "--help"]},
    help=N_(
        "Invitations, minutes and cover letters of the political groups' negotiation group.\n\n"
        "The secretary writes a meeting's agenda and notes as YAML under inputs/MEETING/; "
        "this command checks them, renders the documents into outputs/MEETING/, records the "
        "chair's approval and emails the groups. The documents and messages call the minutes "
        "muistio when organisation.yaml says wording.record: muistio."
    ),
    examples=(
        "minutes check 2026-12-07",
        "minutes build 2026-12-07",
    ),
)
@click.version_option(
    __version__, prog_name="minutes", cls=Option, help=N_("Show the version and exit.")
)
def main() -> None:
    """The help is given to the decorator, so that it is translated."""


@main.command(
    short_help=N_("Check a meeting's files and the wording of its texts."),
    help=N_(
        "Check a meeting's files, and the wording of the agenda, the notes and the email "
        "templates; change nothing.\n\n"
        "Every problem is printed as FILE:LINE: what is wrong. Exit code 0 when all is well, "
        "1 when anything must be fixed."
    ),
    examples=("minutes check 2026-12-07",),
)
@meeting_argument
@org_option
@templates_option
@_reports_errors
def check(meeting: str, organisation: Path | None, templates: Path | None) -> None:
    from pipeline import documents, wording, workflow

    if not wording.voikko_available():
        click.echo(_("warning: {message}").format(message=wording.voikko_missing()), err=True)
    paths = _paths(meeting, None, organisation)
    report = workflow.check(paths, templates or documents.DEFAULT_TEMPLATES)
    _print_report(report)
    click.echo(_("{folder}: all files are valid.").format(folder=paths.folder))


@main.command(
    short_help=N_("Render every document the meeting's state allows."),
    help=N_(
        "Render every document the meeting's state allows.\n\n"
        "The invitation always; the draft minutes once notes.yaml exists; the final minutes "
        "and the cover letters once the chair has approved."
    ),
    examples=(
        "minutes build 2026-12-07",
        "minutes build 2026-12-07 --format docx,odt,pdf --out /tmp/kokous",
    ),
)
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
    from pipeline import workflow

    paths = _paths(meeting, out, organisation)
    _print_report(workflow.build(paths, formats, _templates(templates), _today()))


def _today() -> dt.date:
    """Today in Helsinki; `pipeline.clock` is imported when a command runs, not for --help."""
    from pipeline.clock import today

    return today()


def _paths(meeting: str, out: Path | None, organisation: Path | None) -> Paths:
    """The meeting's folders; every command that reads the meeting takes --organisation."""
    from pipeline.meeting import Paths

    return Paths.of(meeting, out, organisation)


def _templates(folder: Path | None) -> Templates:
    """The templates of --templates, else the shipped ones."""
    from pipeline.documents import DEFAULT_TEMPLATES, Templates

    return Templates(folder or DEFAULT_TEMPLATES)


def _print_report(report: Report) -> None:
    for warning in report.warnings:
        click.echo(_("warning: {message}").format(message=warning), err=True)
    for path in report.written:
        click.echo(_("wrote {path}").format(path=path))
    for note in report.notes:
        click.echo(note)


@main.command(
    short_help=N_("Record the chair's approval and render the final minutes."),
    help=N_(
        "Record the chair's approval of the draft she was sent, and render the final minutes.\n\n"
        "The code must match the minutes as they are now: if the notes changed after the "
        "draft was sent, the approval is refused and the new draft must go to the chair."
    ),
    examples=('minutes approve 2026-12-07 --by "Maija Meikäläinen" --code 7F3A-91C2',),
)
@meeting_argument
@option(
    "--by",
    "by",
    required=True,
    metavar=N_("NAME"),
    help=N_("The chair's name, as in organisation.yaml."),
)
@option(
    "--code",
    required=True,
    metavar=N_("CODE"),
    help=N_("The review code the chair quoted, e.g. 7F3A-91C2."),
)
@option(
    "--key",
    type=PathType(path_type=Path, exists=True, dir_okay=False),
    default=None,
    help=N_("Also sign the approval with this key from `minutes keygen`."),
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
    from pipeline import workflow

    paths = _paths(meeting, out, organisation)
    _print_report(workflow.approve(paths, by, code, _templates(templates), _today(), key))


@main.command(
    short_help=N_("Show where the meeting stands, what is pending and the log."),
    help=N_(
        "Show the meeting's state, fingerprints, approval, what is sent and pending, and the log."
    ),
    examples=("minutes status 2026-12-07",),
)
@meeting_argument
@out_option
@org_option
@templates_option
@_reports_errors
def status(
    meeting: str, out: Path | None, organisation: Path | None, templates: Path | None
) -> None:
    from pipeline.status import format_status, meeting_status

    paths = _paths(meeting, out, organisation)
    click.echo(format_status(meeting_status(paths, _templates(templates))))


@main.command(
    short_help=N_("Show what the chair changed in a draft she sent back."),
    help=N_(
        "Show what the chair changed in a draft she sent back edited.\n\n"
        "Compares RETURNED paragraph by paragraph with the draft DOCX that was rendered for "
        "review: lines starting with - were taken out, lines starting with + were added."
    ),
    examples=("minutes diff 2026-12-07 palautettu_luonnos.docx",),
)
@meeting_argument
@argument("returned", N_("RETURNED"), type=PathType(path_type=Path, exists=True, dir_okay=False))
@out_option
@org_option
@_reports_errors
def diff(meeting: str, returned: Path, out: Path | None, organisation: Path | None) -> None:
    from pipeline import workflow

    changes = workflow.diff(_paths(meeting, out, organisation), returned)
    click.echo("\n".join(changes) if changes else _("The returned draft has no changes."))


@main.command(
    short_help=N_("Make a signing key for the chair."),
    help=N_(
        "Make a signing key for the chair (the stronger form of approval).\n\n"
        "Writes the private key to KEY (readable by its owner only; the chair keeps it) and "
        "prints the public key to put in organisation.yaml as chair.public_key."
    ),
    examples=("minutes keygen ~/puheenjohtaja.key",),
)
@argument("key", N_("KEY"), type=PathType(path_type=Path, dir_okay=False))
@_reports_errors
def keygen(key: Path) -> None:
    from pipeline import approval

    public = approval.generate_key(key)
    click.echo(
        _(
            "wrote {key}\nAdd the public key to organisation.yaml under chair:"
            "\n  public_key: {public}"
        ).format(key=key, public=public)
    )


@main.command(
    short_help=N_("Check the approval's signature and the final files."),
    help=N_("Check the signature of the approval and the final files against it."),
    examples=("minutes verify 2026-12-07",),
)
@meeting_argument
@out_option
@org_option
@_reports_errors
def verify(meeting: str, out: Path | None, organisation: Path | None) -> None:
    from pipeline import workflow

    click.echo(workflow.verify(_paths(meeting, out, organisation)))


@main.command(
    short_help=N_("Email the invitation, the draft for review or the minutes."),
    help=N_(
        "Email the invitation to every group, the draft to the chair, or the approved "
        "minutes.\n\n"
        "A dry run by default: the messages are written as .eml files under "
        "outputs/MEETING/outbox/KIND/ and listed, and nothing is sent. With --smtp they are "
        "sent; a run that was cut short is resumed by running it again, and nothing is sent "
        "twice."
    ),
    examples=(
        "minutes send 2026-12-07 invitation",
        "minutes send 2026-12-07 review --smtp",
        "minutes send 2026-12-07 minutes --smtp",
    ),
)
@meeting_argument
@click.argument("kind", type=click.Choice(MESSAGE_KINDS))
@option("--smtp", is_flag=True, help=N_("Really send, with the mail.smtp settings of the roster."))
@option(
    "--resend",
    multiple=True,
    metavar=N_("GROUP"),
    help=N_("Send again to GROUP a message whose delivery is unconfirmed (repeatable)."),
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
    from pipeline import distribution, mail

    paths = _paths(meeting, out, organisation)
    batch = distribution.prepare(paths, kind, _templates(templates), _today())
    if not smtp:
        _print_report(distribution.write_outbox(batch))
        click.echo(
            _(
                "Dry run: nothing was sent. Check the messages in {folder}, then "
                "send them with `minutes send {id} {kind} --smtp`."
            ).format(folder=paths.outbox(kind), id=batch.meeting.id, kind=kind)
        )
        return
    refusal = distribution.resend_refusal(batch, resend)
    if refusal:  # a usage error, known once the roster is read
        raise click.BadParameter(refusal, param_hint="'--resend'")
    name = mail.kind_name(kind, batch.meeting.organisation.wording.record)
    with click.progressbar(
        length=len(batch.messages), label=_("Sending {kind}").format(kind=name)
    ) as bar:
        report = distribution.send_smtp(
            batch, resend=resend, on_progress=lambda message, state: bar.update(1)
        )
    _print_report(report)


inputs_option = option(
    "--inputs",
    type=PathType(path_type=Path, file_okay=False),
    default=Path("inputs"),
    show_default=True,
    help=N_("The folder of the meeting folders and organisation.yaml."),
)


@main.command(
    short_help=N_("Start the agenda of a new meeting."),
    help=N_(
        "Start a meeting: write inputs/DATE/agenda.yaml with the next meeting number, the "
        "standard items and the review of the previous minutes; the invitation lists the "
        "follow-ups still open by itself."
    ),
    examples=("minutes new 2027-01-18",),
)
@argument("date", N_("DATE"))
@inputs_option
@org_option
@_reports_errors
def new(date: str, inputs: Path, organisation: Path | None) -> None:
    from pipeline import overview

    path = overview.new_meeting(inputs, date, organisation)
    click.echo(
        _("wrote {path}\nFill in the items, then run `minutes check {date}`.").format(
            path=path, date=date
        )
    )


@main.command(
    short_help=N_("Write the JSON Schemas of the input files."),
    help=N_(
        "Write the JSON Schemas of organisation.yaml, agenda.yaml and notes.yaml into DIR.\n\n"
        "An editor with YAML support (VS Code with the YAML extension, for example) completes "
        "and checks the fields while you type when the file's first line names its schema: # "
        "yaml-language-server: $schema=DIR/agenda.schema.json"
    ),
    examples=("minutes schema inputs/schemas",),
)
@argument("folder", N_("DIR"), type=PathType(path_type=Path, file_okay=False))
@_reports_errors
def schema(folder: Path) -> None:
    from pipeline.schema import write_schemas

    for path in write_schemas(folder):
        click.echo(_("wrote {path}").format(path=path))


@main.command(
    short_help=N_("List every follow-up item: open, overdue or done."),
    help=N_("List every follow-up item across meetings: open, overdue or done."),
    examples=("minutes followups",),
)
@inputs_option
@org_option
@_reports_errors
def followups(inputs: Path, organisation: Path | None) -> None:
    from pipeline import overview

    statuses = overview.followup_statuses(inputs, organisation, _today())
    click.echo(overview.format_followups(statuses))


@main.command(
    short_help=N_("Write the annual evaluation (rule 6)."),
    help=N_(
        "Write the annual evaluation (rule 6) as DOCX and ODT (and PDF): the year's meetings "
        "and their state, attendance by group with a chart, matters, agreed views and "
        "dissents, follow-ups, joint statements, how soon the minutes were approved and "
        "distributed, and the rules' questions for the evaluation discussion."
    ),
    examples=(
        "minutes report 2026",
        "minutes report 2026 --format docx,odt,pdf --out /tmp/arviointi",
    ),
)
@argument("year", N_("YEAR"), type=click.IntRange(2000, 2100))
@format_option
@option(
    "--out",
    type=PathType(path_type=Path),
    default=None,
    help=N_("Folder for the documents (default: outputs/arviointi_YEAR)."),
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
    from pipeline import annual

    outputs = Path("outputs")
    written = annual.write_report(
        inputs,
        organisation,
        outputs,
        year,
        out or annual.default_out(year, outputs),
        formats,
        _templates(templates),
        _today(),
    )
    for path in written:
        click.echo(_("wrote {path}").format(path=path))


@main.command(
    short_help=N_("Open the secretary's workbench in the browser."),
    help=N_(
        "The secretary's workbench in the browser, on this computer only.\n\n"
        "Prints an address with a one-time sign-in token and opens it in the browser. The "
        "pages show the meetings, the agenda and notes forms, the documents, review, approval "
        "and distribution: the same steps as the commands, over the same files."
    ),
    examples=(
        "minutes serve",
        "minutes serve --port 8800 --no-browser",
    ),
)
@option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8765,
    show_default=True,
    metavar=N_("PORT"),
    help=N_("The port to listen on."),
)
@option(
    "--host",
    metavar=N_("ADDRESS"),
    default="127.0.0.1",
    show_default=True,
    help=N_("Listen on another address than this computer's own: only with --cert and --key."),
)
@option(
    "--cert",
    type=PathType(path_type=Path, exists=True, dir_okay=False),
    help=N_("The TLS certificate (PEM file) for --host, with --key."),
)
@option(
    "--key",
    type=PathType(path_type=Path, exists=True, dir_okay=False),
    help=N_("The TLS certificate's private key (PEM file), with --cert."),
)
@option("--no-browser", is_flag=True, help=N_("Only print the address; open no browser."))
@inputs_option
@option(
    "--outputs",
    type=PathType(path_type=Path, file_okay=False),
    default=Path("outputs"),
    show_default=True,
    help=N_("The folder of the meetings' documents."),
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


@main.group(
    short_help=N_("Check a municipality's own templates."),
    help=N_("A municipality's own templates: check them before using them with --templates."),
    examples=("minutes templates check kunnan_pohjat",),
)
def templates() -> None:
    """The help is given to the decorator, so that it is translated."""


@templates.command(
    "check",
    help=N_(
        "Render the templates in FOLDER (the documents' and the emails' in mail/) against a "
        "meeting, writing nothing, and list for each template the placeholders it names that do "
        "not exist and what it leaves out that the document must show. MEETING is the latest "
        "meeting under inputs/ with notes when not given."
    ),
    examples=("minutes templates check kunnan_pohjat 2026-12-07",),
)
@argument("folder", N_("FOLDER"), type=PathType(path_type=Path, exists=True, file_okay=False))
@argument("meeting", N_("MEETING"), default="", required=False)
@org_option
@_reports_errors
def templates_check(folder: Path, meeting: str, organisation: Path | None) -> None:
    from pipeline import meeting as mt
    from pipeline import template_check

    chosen = meeting or template_check.latest_meeting(Path("inputs"))
    loaded = mt.load(mt.Paths.of(chosen, organisation=organisation))
    found = template_check.check_templates(loaded, folder, _today())
    if not found:
        raise click.UsageError(
            _(
                "{folder} holds none of the templates (invitation, minutes, cover_letter, "
                "report as .docx or .odt)"
            ).format(folder=folder)
        )
    for name, problems in sorted(found.items()):
        if not problems:
            click.echo(_("{name}: ok").format(name=name))
        for problem in problems:
            same = problem.line and Path(problem.file).name == Path(name).name
            click.echo(
                f"{name}:{problem.line}: {problem.message}"
                if same
                else f"{name}: {problem.message}"
            )
    if any(found.values()):
        sys.exit(1)


def run() -> None:
    """The `minutes` program: its console script and `python -m pipeline`.

    Two settings of the garbage collector for a command that imports much and lives briefly
    (tests call `main` and keep the defaults). The imports (pydantic's models, click's commands)
    leave some fifty thousand objects and almost no garbage, yet the collector would run seventy
    times in `minutes check`: it waits for 100,000 new objects instead of 700. At exit it would
    walk them all once more before they are freed; they are frozen out of that last collection
    (and still freed: files are closed by `with`, no cycle left behind needs it).
    """
    gc.set_threshold(100_000, 20, 20)
    atexit.register(gc.freeze)
    main(prog_name="minutes")

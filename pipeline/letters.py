"""The emails' subjects and bodies, rendered from `templates/mail/*.txt` (plain text Jinja).

A municipality edits these files like the documents' templates: the first line is the subject,
then an empty line, then the body. The environment is the same sandbox as the documents', but
it does not escape HTML: an email body is plain text, and `&` stays `&`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, TemplateError

from pipeline import context as ctx
from pipeline.errors import InputError, Problem
from pipeline.i18n import _
from pipeline.model import Group, Meeting
from pipeline.render.base import mail_env

if TYPE_CHECKING:  # the contexts' shape, for the type checker only
    from pipeline.context_types import (
        InvitationMailContext,
        MailContext,
        MinutesMailContext,
        PaperContext,
        ReviewMailContext,
    )

MAIL_FOLDER = "mail"


def render(
    folder: Path, name: str, context: Mapping[str, object], env: Environment | None = None
) -> tuple[str, str]:
    """(subject, body) of `templates/mail/<name>.txt`; a broken template is an input problem.
    `env` is the emails' environment unless given (the template check's)."""
    path = folder / MAIL_FOLDER / f"{name}.txt"
    env = env or mail_env(str(folder / MAIL_FOLDER))
    try:
        text = env.get_template(f"{name}.txt").render(context)
    except (TemplateError, OSError, UnicodeDecodeError) as exc:
        raise InputError(
            [
                Problem(
                    str(path),
                    getattr(exc, "lineno", 0) or 0,
                    _("the email template: {exc}").format(exc=exc),
                )
            ]
        ) from None
    subject, _sep, body = text.lstrip("\n").partition("\n")
    subject = " ".join(subject.split())
    if not subject or not body.strip():
        raise InputError(
            [
                Problem(
                    str(path),
                    1,
                    _(
                        "the email template should start with the subject line, then an "
                        "empty line and the message"
                    ),
                )
            ]
        )
    return subject, body.strip("\n") + "\n"


def mail_context(meeting: Meeting, today: dt.date) -> MailContext:
    """What every email's template has (templates/README.md)."""
    base = ctx.base_context(meeting, name="", title="", date=today)
    return {**base, "signature": ctx.person_context(meeting.organisation.secretary)}


def invitation_context(meeting: Meeting, group: Group, today: dt.date) -> InvitationMailContext:
    base = mail_context(meeting, today)
    papers: list[PaperContext] = [
        {"title": a["title"], "file": Path(a["file"]).name, "attached": a["attached"]}
        for a in base["attachments"]
    ]
    return {
        **base,
        "group": ctx.group_context(group),
        "papers": {
            "attached": [p for p in papers if p["attached"]],
            "separately": [p for p in papers if not p["attached"]],
        },
    }


def review_context(meeting: Meeting, code: str, today: dt.date) -> ReviewMailContext:
    return {**mail_context(meeting, today), "code": code}


def minutes_context(meeting: Meeting, group: Group, today: dt.date) -> MinutesMailContext:
    return {**mail_context(meeting, today), "group": ctx.group_context(group)}


def invitation(folder: Path, meeting: Meeting, group: Group, today: dt.date) -> tuple[str, str]:
    """To one group's members: the meeting, where, and what comes with the message."""
    return render(folder, "invitation", invitation_context(meeting, group, today))


def review(folder: Path, meeting: Meeting, code: str, today: dt.date) -> tuple[str, str]:
    """To the chair: the draft and the review code she quotes to approve it."""
    return render(folder, "review", review_context(meeting, code, today))


def minutes(folder: Path, meeting: Meeting, group: Group, today: dt.date) -> tuple[str, str]:
    """To a group's distribution list: the approved record with its cover letter."""
    return render(folder, "minutes", minutes_context(meeting, group, today))

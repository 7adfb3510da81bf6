"""The emails' subjects and bodies, rendered from `templates/mail/*.txt` (plain text Jinja).

A municipality edits these files like the documents' templates: the first line is the subject,
then an empty line, then the body. The environment is the same sandbox as the documents', but
it does not escape HTML: an email body is plain text, and `&` stays `&`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from jinja2 import TemplateError

from pipeline import context as ctx
from pipeline.errors import InputError, Problem
from pipeline.i18n import _
from pipeline.model import Group, Meeting
from pipeline.render.base import mail_env

MAIL_FOLDER = "mail"


def _signature(meeting: Meeting) -> dict[str, str]:
    s = meeting.organisation.secretary
    return {"name": s.name, "title": s.title, "email": s.email, "phone": s.phone}


def render(folder: Path, name: str, context: dict[str, Any]) -> tuple[str, str]:
    """(subject, body) of `templates/mail/<name>.txt`; a broken template is an input problem."""
    path = folder / MAIL_FOLDER / f"{name}.txt"
    try:
        text = mail_env(str(folder / MAIL_FOLDER)).get_template(f"{name}.txt").render(context)
    except (TemplateError, OSError) as exc:
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


def _base(meeting: Meeting, today: dt.date) -> dict[str, Any]:
    context: dict[str, Any] = dict(ctx.base_context(meeting, name="", title="", date=today))
    context["signature"] = _signature(meeting)
    return context


def invitation(folder: Path, meeting: Meeting, group: Group, today: dt.date) -> tuple[str, str]:
    """To one group's members: the meeting, where, and what comes with the message."""
    context = _base(meeting, today)
    context["group"] = {"id": group.id, "name": group.name, "short": group.short}
    papers = [
        {"title": a["title"], "file": Path(a["file"]).name, "attached": a["attached"]}
        for a in context["attachments"]
    ]
    context["papers"] = {
        "attached": [p for p in papers if p["attached"]],
        "separately": [p for p in papers if not p["attached"]],
    }
    return render(folder, "invitation", context)


def review(folder: Path, meeting: Meeting, code: str, today: dt.date) -> tuple[str, str]:
    """To the chair: the draft and the review code she quotes to approve it."""
    context = _base(meeting, today)
    context["code"] = code
    return render(folder, "review", context)


def minutes(folder: Path, meeting: Meeting, group: Group, today: dt.date) -> tuple[str, str]:
    """To a group's distribution list: the approved record with its cover letter."""
    context = _base(meeting, today)
    context["group"] = {"id": group.id, "name": group.name, "short": group.short}
    return render(folder, "minutes", context)

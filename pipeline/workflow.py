"""The meeting's steps: build what its state allows, approve, send; each step in one place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import context as ctx
from pipeline import documents as docs
from pipeline.loading import load_history, load_meeting
from pipeline.model import Meeting


@dataclass(frozen=True)
class Paths:
    """Where a meeting's inputs and outputs are."""

    folder: Path
    out: Path
    organisation: Path | None = None

    @classmethod
    def of(cls, meeting: str | Path, out: Path | None = None,
           organisation: Path | None = None) -> Paths:
        folder = Path(meeting)
        if not folder.exists() and len(folder.parts) == 1:
            folder = Path("inputs") / folder  # a bare meeting id names a folder under inputs/
        return cls(folder, out or Path("outputs") / folder.name, organisation)


@dataclass
class Report:
    """What a step did, for the command line to print."""

    written: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Loaded:
    meeting: Meeting
    history: list[Meeting]


def load(paths: Paths) -> Loaded:
    meeting = load_meeting(paths.folder, paths.organisation)
    history = [m for m in load_history(paths.folder.parent, meeting.organisation)
               if m.id != meeting.id]
    return Loaded(meeting, history)


def build(paths: Paths, formats: Sequence[str], templates: docs.Templates,
          today: dt.date) -> Report:
    """Render every document the meeting's state allows."""
    loaded = load(paths)
    meeting = loaded.meeting
    report = Report()
    context = ctx.invitation_context(meeting, loaded.history, today)
    created = docs.stamp(meeting.agenda.invited_on or today)
    required = {"meeting.number": meeting.agenda.number,
                "texts.body_note": context["texts"]["body_note"]}
    rendered = {
        fmt: docs.render(docs.INVITATION, fmt, context, templates, created=created,
                         required=required)
        for fmt in docs.office_formats(formats)
    }
    private = context["doc"]["confidential"]
    for fmt, data in rendered.items():
        if fmt in formats:
            report.written.append(docs.write(
                paths.out / docs.file_name(docs.INVITATION, meeting.id, fmt), data,
                private=private))
    return report


def check(paths: Paths) -> Report:
    """Validate the meeting's files and the wording of its notes."""
    load(paths)
    return Report()

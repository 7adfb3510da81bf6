"""A meeting: where its files are, its inputs loaded and checked, and what a step did."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import approval as ap
from pipeline import context as ctx
from pipeline.loading import AGENDA, Source, load_history, load_meeting_and_notes, read_source
from pipeline.model import Meeting


@dataclass(frozen=True)
class Paths:
    """Where a meeting's inputs and outputs are."""

    folder: Path
    out: Path
    organisation: Path | None = None

    @classmethod
    def of(
        cls, meeting: str | Path, out: Path | None = None, organisation: Path | None = None
    ) -> Paths:
        folder = Path(meeting)
        if not folder.exists() and len(folder.parts) == 1:
            folder = Path("inputs") / folder  # a bare meeting id names a folder under inputs/
        return cls(folder, out or Path("outputs") / folder.name, organisation)

    def outbox(self, kind: str = "") -> Path:
        """Where a dry run writes the messages of a kind (`outbox/minutes`), or all kinds."""
        return self.out / "outbox" / kind


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
    # earlier meetings whose approval holds, and who approved them when
    approved: Mapping[str, ctx.Approval] = field(default_factory=dict)
    notes_source: Source | None = None  # the lines of notes.yaml, for the wording check
    agenda_source: Source | None = None  # the lines of agenda.yaml, for the wording check


def load(paths: Paths) -> Loaded:
    meeting, notes_source = load_meeting_and_notes(paths.folder, paths.organisation)
    history = [
        m for m in load_history(paths.folder.parent, meeting.organisation) if m.id != meeting.id
    ]
    approved = {}
    for earlier in history:
        state = ap.approval_state(paths.out.parent / earlier.id, earlier)
        if state.holds and state.record is not None:
            approved[earlier.id] = ap.printed(state.record)
    agenda_source = read_source(paths.folder / AGENDA)
    return Loaded(meeting, history, approved, notes_source, agenda_source)

"""Rendering speed as ratios measured in one run on one machine (never absolute times).

    python benchmarks/bench.py

1. A meeting's whole packet (invitation, draft and final minutes, seven cover letters; DOCX and
   ODT) through the pipeline, against the straightforward way: a new DocxTemplate and a new
   Jinja environment per document, and odfpy load and save of the ODT template per document.
2. How the cost grows from a 10-item to a 500-item meeting (linear growth gives about 1.0).
3. The command's start-up (`minutes --help`) against `python -c "import click"`.
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from docxtpl import DocxTemplate
from odf.opendocument import load as odf_load

from pipeline import context as ctx
from pipeline import documents as docs
from pipeline import workflow
from pipeline.loading import load_meeting
from pipeline.model import AgendaItem, FollowUp, ItemNotes, Meeting
from pipeline.render.base import TemplateEnvironment, convert_rich
from pipeline.render.docx import _rich_text
from pipeline.render.odt import render_odt
from pipeline.render.package import read_template

ROOT = Path(__file__).resolve().parent.parent
APPROVAL = ctx.Approval(by="Maija Meikäläinen", title="puheenjohtaja", date=dt.date(2026, 12, 9))
FORMATS = ("docx", "odt")


def best_of(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def packet_contexts(loaded: workflow.Loaded) -> list[tuple[docs.Kind, dict]]:
    meeting = loaded.meeting
    contexts = [
        (docs.INVITATION, ctx.invitation_context(meeting, loaded.history, dt.date(2026, 11, 30))),
        (docs.MINUTES, ctx.minutes_context(meeting, loaded.history, None)),
        (docs.MINUTES, ctx.minutes_context(meeting, loaded.history, APPROVAL)),
    ]
    contexts += [
        (docs.COVER_LETTER, ctx.cover_context(meeting, g, APPROVAL, ["Pöytäkirja"]))
        for g in meeting.organisation.groups
    ]
    return contexts


def pipeline_packet(contexts: list[tuple[docs.Kind, dict]]) -> None:
    templates = docs.Templates()
    created = dt.datetime(2026, 12, 7, 12)
    for kind, context in contexts:
        for fmt in FORMATS:
            docs.render(kind, fmt, context, templates, created=created, required={})


def straightforward_packet(contexts: list[tuple[docs.Kind, dict]]) -> None:
    folder = ROOT / "templates"
    created = dt.datetime(2026, 12, 7, 12)
    for kind, context in contexts:
        document = DocxTemplate(str(folder / f"{kind.template}.docx"))
        document.render(
            convert_rich(context, _rich_text), jinja_env=TemplateEnvironment(), autoescape=True
        )
        document.save(io.BytesIO())
        odt = folder / f"{kind.template}.odt"
        odf_load(str(odt)).save(io.BytesIO())
        render_odt(
            read_template(odt),
            context,
            TemplateEnvironment(),
            title="x",
            language="fi",
            created=created,
        )


def synthetic(base: Meeting, items: int) -> workflow.Loaded:
    """A meeting with `items` agenda items, each with background, notes, a view and a follow-up."""
    agenda = base.agenda.model_copy(
        update={
            "items": tuple(
                AgendaItem(
                    title=f"Asia {n}",
                    presenter="kaupunginjohtaja",
                    background=f"Tausta {n}.\n\n- kohta a\n- kohta **b**",
                )
                for n in range(1, items + 1)
            )
        }
    )
    assert base.notes is not None
    notes = base.notes.model_copy(
        update={
            "follow_up_done": (),
            "items": {
                n: ItemNotes(
                    discussion=f"Keskusteltiin asiasta {n}.",
                    agreed=(f"Näkemys {n}",),
                    follow_up=(FollowUp(task=f"Tehtävä {n}", owner="sihteeri"),),
                )
                for n in range(1, items + 1)
            },
        }
    )
    meeting = Meeting(id=base.id, organisation=base.organisation, agenda=agenda, notes=notes)
    return workflow.Loaded(meeting, [])


def minutes_of(loaded: workflow.Loaded) -> None:
    workflow.render_minutes(loaded, FORMATS, docs.Templates(), None)


def startup(command: list[str], runs: int = 5) -> float:
    return best_of(runs, lambda: subprocess.run(command, capture_output=True, check=True))


def main() -> None:
    meeting = load_meeting(ROOT / "inputs" / "2026-12-07")
    loaded = workflow.Loaded(meeting, [])
    contexts = packet_contexts(loaded)
    pipeline_packet(contexts)  # warm the imports and caches the same way for both
    straightforward_packet(contexts)
    ours = best_of(5, lambda: pipeline_packet(contexts))
    plain = best_of(5, lambda: straightforward_packet(contexts))
    print(
        f"1. packet of {len(contexts)} documents x {len(FORMATS)} formats: the straightforward "
        f"way takes {plain / ours:.2f}x the pipeline's time"
    )

    small, large = synthetic(meeting, 10), synthetic(meeting, 500)
    minutes_of(small)
    t10 = best_of(5, lambda: minutes_of(small))
    t500 = best_of(3, lambda: minutes_of(large))
    print(
        f"2. minutes of 500 items vs 10 items: {t500 / t10:.1f}x the time for 50x the items; "
        f"cost per item grows {(t500 / 500) / (t10 / 10):.2f}x (1.0 = linear)"
    )

    exe = Path(sys.executable).parent / "minutes"
    cli = startup([str(exe), "--help"])
    click = startup([sys.executable, "-c", "import click"])
    print(f"3. `minutes --help` takes {cli / click:.2f}x the time of `python -c 'import click'`")


if __name__ == "__main__":
    main()

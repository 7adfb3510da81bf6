"""Rendering speed as ratios measured in one run on one machine (never absolute times).

    python benchmarks/bench.py

1. A meeting's whole packet (invitation, draft and final minutes, seven cover letters; DOCX and
   ODT) through the pipeline, against the straightforward way: a new DocxTemplate and a new
   Jinja environment per document, and odfpy load and save of the ODT template per document.
2. How the cost grows from a 10-item to a 500-item meeting (linear growth gives about 1.0).
3. The command's start-up (`minutes --help`, `minutes check`) against `python -c "import click"`:
   the median of 15 runs of each whole process, taking turns; beside them the libraries `check`
   uses (click, PyYAML, email_validator, Voikko, pydantic) imported alone, the floor under it.
4. The engines against the peer many pick, Carbone 3 (run by node): the same simple template (a
   title, a paragraph repeated for N items with two values each, one more value) in ODT and DOCX,
   warm, median CPU time per render (CPU time, which other work on a shared machine does not
   inflate). Needs node and `npm ci --prefix benchmarks`; skipped with a note without them.
5. PDF through LibreOffice: the packet's DOCX files converted in one LibreOffice start against one
   start per file, and a conversion with the profile kept in the cache folder against one that
   makes a fresh profile (what every run paid before the profile was kept).
"""

from __future__ import annotations

import compileall
import datetime as dt
import io
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from docx import Document
from docxtpl import DocxTemplate
from odf.opendocument import OpenDocumentText
from odf.opendocument import load as odf_load
from odf.text import P

from pipeline import context as ctx
from pipeline import documents as docs
from pipeline import meeting as meetings
from pipeline.loading import load_meeting
from pipeline.model import AgendaItem, FollowUp, ItemNotes, Meeting
from pipeline.render.base import TemplateEnvironment, convert_rich, shared_env
from pipeline.render.docx import _rich_text, render_docx
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


def packet_contexts(loaded: meetings.Loaded) -> list[tuple[docs.Kind, dict]]:
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
            author="x",
            language="fi",
            created=created,
        )


def synthetic(base: Meeting, items: int) -> meetings.Loaded:
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
    return meetings.Loaded(meeting, [])


def minutes_of(loaded: meetings.Loaded) -> None:
    docs.render_minutes(loaded, FORMATS, docs.Templates(), None)


# What `minutes check` cannot do without, imported alone: no model built, no file read. Its ratio
# is the floor under `check`'s own.
CHECK_IMPORTS = (
    "import os; os.environ['PYDANTIC_DISABLE_PLUGINS'] = '__all__'; "
    "import click, yaml, email_validator, libvoikko, pydantic; from pydantic import BaseModel; "
    "libvoikko.Voikko('fi')"
)


def startups(commands: dict[str, list[str]], cwd: Path, runs: int = 15) -> dict[str, float]:
    """The median time of each command's whole process. The commands take turns, so that the
    load of a shared machine falls on all of them alike. The package's bytecode is compiled
    first, as installing it does (in an environment with PYTHONDONTWRITEBYTECODE every start
    would otherwise compile the sources again)."""
    compileall.compile_dir(ROOT / "pipeline", quiet=1)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, capture_output=True, check=True, cwd=cwd)
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(spent) for name, spent in times.items()}


# 4. Against Carbone.

BENCH = Path(__file__).resolve().parent
OURS = (
    "{{ title }}",
    "{%p for item in items %}",
    "{{ item.name }}: {{ item.value }}",
    "{%p endfor %}",
    "{{ footer }}",
)
PEER = (  # Carbone repeats what lies between the [i] and the [i+1] paragraphs
    "{d.title}",
    "{d.items[i].name}: {d.items[i].value}",
    "{d.items[i+1].name}: {d.items[i+1].value}",
    "{d.footer}",
)
SIZES = (10, 200, 1000)


def simple_template(fmt: str, paragraphs: tuple[str, ...]) -> bytes:
    buffer = io.BytesIO()
    if fmt == "odt":
        document = OpenDocumentText()
        for text in paragraphs:
            document.text.addElement(P(text=text))
        document.write(buffer)
    else:
        docx = Document()
        for text in paragraphs:
            docx.add_paragraph(text)
        docx.save(buffer)
    return buffer.getvalue()


def simple_data(items: int) -> dict:
    return {
        "title": "Pöytäkirja 5/2026",
        "items": [{"name": f"Asia {n}", "value": f"Arvo {n} & <{n}>"} for n in range(items)],
        "footer": "Neuvotteluryhmä ei tee päätöksiä.",
    }


def median_cpu_ms(work: Callable[[], object], runs: int) -> float:
    for _ in range(5):
        work()
    times = []
    for _ in range(runs):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return 1000 * statistics.median(times)


def ours_ms(fmt: str, items: int, runs: int) -> float:
    template, context = simple_template(fmt, OURS), simple_data(items)
    created = dt.datetime(2026, 12, 7, 12)
    env = shared_env()
    if fmt == "odt":
        entries = read_template(io.BytesIO(template), "bench.odt")
        return median_cpu_ms(
            lambda: render_odt(
                entries, context, env, title="t", author="a", language="fi-FI", created=created
            ),
            runs,
        )
    return median_cpu_ms(
        lambda: render_docx(
            template,
            context,
            env,
            name="bench.docx",
            title="t",
            author="a",
            language="fi-FI",
            created=created,
        ),
        runs,
    )


def carbone_ms(node: str, folder: Path, fmt: str, items: int, runs: int) -> float:
    template, data = folder / f"peer.{fmt}", folder / f"data{items}.json"
    template.write_bytes(simple_template(fmt, PEER))
    data.write_text(json.dumps(simple_data(items)), encoding="utf-8")
    done = subprocess.run(
        [node, str(BENCH / "carbone_bench.js"), str(template), str(data), str(runs)],
        capture_output=True,
        text=True,
        check=True,
        cwd=BENCH,
    )
    return float(json.loads(done.stdout)["median_cpu_ms"])


def against_carbone() -> None:
    node = shutil.which("node")
    if node is None or not (BENCH / "node_modules" / "carbone").is_dir():
        print(
            "4. Carbone: skipped (needs node and `npm ci --prefix benchmarks`, which installs "
            "the pinned Carbone 3)"
        )
        return
    print("4. median CPU time per render, warm, same simple template (minutes vs Carbone 3):")
    with tempfile.TemporaryDirectory(prefix="minutes-bench-") as work:
        for fmt in ("odt", "docx"):
            for items in SIZES:
                runs = 60 if items < 1000 else 25
                # Three rounds, each side's best: a shared machine's noise falls on both.
                ours = min(ours_ms(fmt, items, runs) for _ in range(3))
                peer = min(carbone_ms(node, Path(work), fmt, items, runs) for _ in range(3))
                verdict = "ahead" if ours < peer else "BEHIND"
                print(
                    f"   {fmt.upper():4} {items:5} items: minutes {ours:6.2f} ms, Carbone "
                    f"{peer:6.2f} ms: {peer / ours:5.2f}x, {verdict}"
                )


def main() -> None:
    meeting = load_meeting(ROOT / "inputs" / "2026-12-07")
    loaded = meetings.Loaded(meeting, [])
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
    with tempfile.TemporaryDirectory(prefix="minutes-bench-") as work:
        shutil.copytree(ROOT / "inputs", Path(work) / "inputs")
        spent = startups(
            {
                "click": [sys.executable, "-c", "import click"],
                "help": [str(exe), "--help"],
                "check": [str(exe), "check", "2026-12-07"],
                "floor": [sys.executable, "-c", CHECK_IMPORTS],
            },
            cwd=Path(work),
        )
    print(
        "3. start-up against `python -c 'import click'` (median of 15): `minutes --help` "
        f"{spent['help'] / spent['click']:.2f}x, `minutes check 2026-12-07` "
        f"{spent['check'] / spent['click']:.2f}x; the libraries `check` uses, imported and "
        f"nothing else done, {spent['floor'] / spent['click']:.2f}x"
    )

    against_carbone()
    pdf_conversion(contexts)


def pdf_conversion(contexts: list[tuple[docs.Kind, dict]]) -> None:
    import os

    from pipeline.render import pdf

    if shutil.which("soffice") is None:
        print("5. PDF: skipped, LibreOffice is not installed")
        return
    templates = docs.Templates()
    created = dt.datetime(2026, 12, 7, 12)
    files = {
        f"{n}.docx": docs.render(kind, "docx", c, templates, created=created, required={})
        for n, (kind, c) in enumerate(contexts)
    }
    first = next(iter(files))
    with tempfile.TemporaryDirectory(prefix="minutes-bench-cache-") as cache:
        old = os.environ.get("XDG_CACHE_HOME")
        os.environ["XDG_CACHE_HOME"] = cache
        try:
            pdf.to_pdf({first: files[first]})  # make the kept profile
            kept = best_of(3, lambda: pdf.to_pdf({first: files[first]}))
            batch = best_of(2, lambda: pdf.to_pdf(files))
            each = best_of(2, lambda: [pdf.to_pdf({n: d}) for n, d in files.items()])

            def fresh() -> None:
                with tempfile.TemporaryDirectory(prefix="minutes-bench-fresh-") as other:
                    os.environ["XDG_CACHE_HOME"] = other
                    pdf.to_pdf({first: files[first]})
                os.environ["XDG_CACHE_HOME"] = cache

            new = best_of(3, fresh)
        finally:
            if old is None:
                os.environ.pop("XDG_CACHE_HOME", None)
            else:
                os.environ["XDG_CACHE_HOME"] = old
    print(
        f"5. PDF: {len(files)} files one start per file take {each / batch:.2f}x one start for "
        f"all; one file with a fresh profile takes {new / kept:.2f}x the kept profile's time"
    )


if __name__ == "__main__":
    main()

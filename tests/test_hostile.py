"""Hostile and careless inputs: every one gets a clear `file:line: message`, an exit code from
the contract, no traceback, and nothing written or damaged.

The cases are what a careless editor or an attacker would try on the three YAML files, the
templates and a draft returned by the chair.
"""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MEETING, ROOT, Run, edit

# These tests tell the problems apart by their English msgids (see conftest.english).
pytestmark = pytest.mark.usefixtures("english")

NOTES = Path("inputs") / MEETING / "notes.yaml"
AGENDA = Path("inputs") / MEETING / "agenda.yaml"
ROSTER = Path("inputs") / "organisation.yaml"
OUT = Path("outputs") / MEETING


def replace(path: Path, old: str, new: str) -> Callable[[Path], None]:
    def change(project: Path) -> None:
        edit(project / path, old, new)

    return change


def content(path: Path, data: bytes | str) -> Callable[[Path], None]:
    def change(project: Path) -> None:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        (project / path).write_bytes(raw)

    return change


def special(path: Path, kind: str) -> Callable[[Path], None]:
    def change(project: Path) -> None:
        file = project / path
        file.unlink()
        if kind == "fifo":
            os.mkfifo(file)
        elif kind == "zero":
            os.symlink("/dev/zero", file)
        elif kind == "folder":
            file.mkdir()
        elif kind == "dangling":
            os.symlink(project / "missing.yaml", file)

    return change


NESTED = "attendance:\n  present: " + "[" * 500 + "]" * 500 + "\n"
LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
)

# (case id, change, file named in the message, a fragment of the message)
YAML_CASES = [
    ("nested-500-deep", content(NOTES, NESTED), "notes.yaml", "nested"),
    (
        "self-alias",
        replace(NOTES, "  present:\n", "  present: &x [ *x ]\n  other:\n"),
        "notes.yaml",
        "anchor",
    ),
    ("alias-bomb", content(NOTES, LAUGHS), "notes.yaml", "anchors"),
    ("fifo", special(NOTES, "fifo"), "notes.yaml", "not a regular file"),
    ("dev-zero", special(NOTES, "zero"), "notes.yaml", "not a regular file"),
    ("folder", special(NOTES, "folder"), "notes.yaml", "not a regular file"),
    ("dangling-link", special(NOTES, "dangling"), "notes.yaml", "does not exist"),
    ("huge", content(NOTES, "# " + "x" * (5 * 1024 * 1024)), "notes.yaml", "larger than"),
    (
        "not-utf8",
        content(NOTES, 'opened: "17:03"\nclosed: "18:5\xe4"\n'.encode("latin-1")),
        "notes.yaml:2",
        "UTF-8",
    ),
    ("empty", content(NOTES, ""), "notes.yaml", "empty"),
    ("only-comments", content(NOTES, "# nothing\n# yet\n"), "notes.yaml", "empty"),
    (
        "two-documents",
        content(NOTES, "opened: '17:03'\n---\nclosed: '18:00'\n"),
        "notes.yaml",
        "several YAML documents",
    ),
    ("list-not-fields", content(NOTES, "- a\n- b\n"), "notes.yaml:1", "fields"),
    ("tab-indent", replace(NOTES, "  present:\n", "\tpresent:\n"), "notes.yaml", "YAML"),
    ("python-tag", content(NOTES, "opened: !!python/object:os.system [ls]\n"), "notes.yaml", ""),
    (
        "duplicate-item-3-03",
        replace(NOTES, "  3:\n", "  03:\n    discussion: x\n  3:\n"),
        "notes.yaml",
        "appears twice",
    ),
    (
        "duplicate-key",
        replace(NOTES, 'opened: "17:03"\n', 'opened: "17:03"\nopened: "17:04"\n'),
        "notes.yaml:2",
        "appears twice",
    ),
    (
        "non-scalar-key",
        replace(NOTES, "opened:", "? [a, b]\n: 1\nopened:"),
        "notes.yaml:1",
        "plain word",
    ),
    ("time-25", replace(NOTES, '"17:03"', '"25:00"'), "notes.yaml:1", "not a time"),
    (
        "date-tomorrow",
        replace(AGENDA, "date: 2026-12-07", "date: tomorrow"),
        "agenda.yaml",
        "not a date",
    ),
    (
        "date-30-feb",
        replace(AGENDA, "date: 2026-12-07", "date: 2026-02-30"),
        "agenda.yaml",
        "exists in the calendar",
    ),
    ("number-list", replace(AGENDA, "number: 5/2026", "number: [1]"), "agenda.yaml", "number"),
    ("misspelt-field", replace(AGENDA, "place:", "palce:"), "agenda.yaml", "did you mean"),
    (
        "missing-title",
        replace(AGENDA, "  - title: Kokouksen avaus\n", "  - presenter: x\n"),
        "agenda.yaml",
        "title",
    ),
    (
        "control-char",
        replace(NOTES, "Investointitaso", "Investointi\x01taso"),
        "notes.yaml",
        "U+0001",
    ),
    (
        "lone-surrogate",
        replace(NOTES, "    - Teppo Testaaja\n", '    - "\\ud800"\n'),
        "notes.yaml",
        "U+D800",
    ),
    ("unknown-group", replace(NOTES, "groups: [ps]", "groups: [psx]"), "notes.yaml", "psx"),
    (
        "not-in-roster",
        replace(NOTES, "    - Aino Aaltonen\n", "    - Aino Aaltola\n"),
        "notes.yaml",
        "not in the roster",
    ),
    ("item-not-on-agenda", replace(NOTES, "  2:\n", "  42:\n"), "notes.yaml", "not on the agenda"),
    (
        "wrong-title",
        replace(NOTES, "title: Talousarvio 2027", "title: Talous 2027"),
        "notes.yaml",
        "does not match",
    ),
    (
        "duplicate-group-id",
        replace(ROSTER, "  - id: kok\n", "  - id: kesk\n"),
        "organisation.yaml",
        "used twice",
    ),
    (
        "idn-local-part",
        replace(ROSTER, "aino.aaltonen@example.fi", "äino@esimerkki.fi"),
        "organisation.yaml",
        "äino@esimerkki.fi",
    ),
    (
        "double-dot",
        replace(ROSTER, "aino.aaltonen@example.fi", "x..y@example.fi"),
        "organisation.yaml",
        "x..y@example.fi",
    ),
    (
        "two-addresses",
        replace(
            ROSTER,
            "[ps.valtuustoryhma@example.fi]",
            '["ps.valtuustoryhma@example.fi, evil@example.com"]',
        ),
        "organisation.yaml",
        "evil@example.com",
    ),
    (
        "empty-distribution",
        replace(ROSTER, "[ps.valtuustoryhma@example.fi]", "[]"),
        "organisation.yaml",
        "no `distribution`",
    ),
    (
        "sender-crlf",
        replace(
            ROSTER,
            'sender: "Teppo Testaaja <teppo.testaaja@example.fi>"',
            'sender: "Teppo <teppo.testaaja@example.fi>\\r\\nBcc: x@example.com"',
        ),
        "organisation.yaml",
        "mail.sender",
    ),
    (
        "sender-two",
        replace(
            ROSTER,
            'sender: "Teppo Testaaja <teppo.testaaja@example.fi>"',
            'sender: "a@example.fi, b@example.fi"',
        ),
        "organisation.yaml",
        "mail.sender",
    ),
    (
        "sender-name-is-address",
        replace(
            ROSTER,
            'sender: "Teppo Testaaja <teppo.testaaja@example.fi>"',
            'sender: "boss@example.fi <teppo.testaaja@example.fi>"',
        ),
        "organisation.yaml",
        "mail.sender",
    ),
]


@pytest.mark.parametrize(
    ("change", "where", "fragment"),
    [pytest.param(c, w, f, id=i) for i, c, w, f in YAML_CASES],
)
def test_bad_input_is_a_clear_error(
    project: Path, run: Run, change: Callable[[Path], None], where: str, fragment: str
) -> None:
    """Verify each hostile or careless input file: check and build exit 1 with the file (and
    line) named and the reason, no traceback, and build writes nothing."""
    change(project)
    for command in ("check", "build"):
        result = run(command, MEETING)
        assert result.exit_code == 1, result.output
        assert where in result.output, result.output
        assert fragment in result.output, result.output
        assert "Traceback" not in result.output
    assert not OUT.exists() or not any(OUT.iterdir())


@pytest.mark.parametrize("name", ["../x", "a/b", "a b", "a\nb", "..", "-rf", ".hidden"])
def test_unsafe_meeting_names_are_refused(project: Path, run: Run, name: str) -> None:
    """Verify a meeting folder name that could leave its folder is refused with exit 1."""
    result = run("check", name)
    assert result.exit_code in (1, 2)
    assert "Traceback" not in result.output


def test_yaml_surprises_are_read_as_typed(project: Path, run: Run) -> None:
    """Verify YAML 1.1 surprises (an unquoted time, `no`, `0777`) are read as the text typed."""
    replace(NOTES, '"17:03"', "17:03")(project)
    replace(NOTES, "Investointitaso pidetään", "no 0777 Investointitaso pidetään")(project)
    assert run("check", MEETING).exit_code == 0
    built = run("build", MEETING)
    assert built.exit_code == 0, built.output
    from pipeline.documents import document_text

    text = document_text((OUT / f"poytakirja_luonnos_{MEETING}.docx").read_bytes(), "docx")
    assert "no 0777 Investointitaso" in text and "17.03" in text


def test_decomposed_name_is_the_same_name(project: Path, run: Run) -> None:
    """Verify a name typed with decomposed letters (NFD) is the roster's name."""
    import unicodedata

    notes = project / NOTES
    text = notes.read_text(encoding="utf-8")
    decomposed = unicodedata.normalize("NFD", "Pekka Perälä")
    assert decomposed != "Pekka Perälä"
    notes.write_text(text.replace("Pekka Perälä", decomposed), encoding="utf-8")
    result = run("check", MEETING)
    assert result.exit_code == 0, result.output


# Templates


def template_folder(
    project: Path, kind: str, document_xml: str | None = None, extra: dict[str, bytes] | None = None
) -> Path:
    """A copy of the default templates with `kind`.docx's document.xml replaced or entries
    added."""
    folder = project / "pohjat"
    if not folder.exists():
        shutil.copytree(ROOT / "templates", folder, ignore=shutil.ignore_patterns("*.py", "mail"))
    source = folder / f"{kind}.docx"
    with zipfile.ZipFile(source) as archive:
        entries = {i.filename: archive.read(i) for i in archive.infolist()}
    if document_xml is not None:
        entries["word/document.xml"] = document_xml.encode("utf-8")
    entries.update(extra or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    source.write_bytes(buffer.getvalue())
    return folder


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def body(*paragraphs: str) -> str:
    runs = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    head = '<?xml version="1.0" encoding="UTF-8"?>'
    return f"{head}<w:document {W}><w:body>{runs}</w:body></w:document>"


REQUIRED = "{{ meeting.number }} {{ texts.body_note }}"
ESCAPES = [
    ("format-index", "{{ '{1}'.format('a') }}"),
    ("dict-pop", "{{ {}.pop('x') }}"),
    ("list-append", "{{ [].append(1) }}"),
    ("recursive-macro", "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}"),
    ("huge-repeat", "{{ 'x' * 10**10 }}"),
    ("huge-power", "{{ 2 ** 10 ** 10 }}"),
    ("class-walk", "{{ ''.__class__.__mro__[1].__subclasses__() }}"),
    ("globals", "{{ cycler.__init__.__globals__ }}"),
    ("undefined", "{{ no_such_placeholder }}"),
    ("syntax", "{% for x in %}"),
    ("division", "{{ 1 // 0 }}"),
]


@pytest.mark.parametrize(("case", "expression"), ESCAPES, ids=[c for c, _ in ESCAPES])
def test_hostile_template_expression_is_refused(
    project: Path, run: Run, case: str, expression: str
) -> None:
    """Verify a template expression that errs, escapes the sandbox or eats the machine is a
    clear error naming the template, exit 1, and the build writes nothing."""
    folder = template_folder(project, "invitation", body(REQUIRED, expression))
    result = run("build", MEETING, "--templates", str(folder))
    assert result.exit_code == 1, result.output
    assert "invitation.docx" in result.output and "Traceback" not in result.output
    assert not OUT.exists() or not any(OUT.iterdir())


def test_runaway_loop_is_stopped(project: Path, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """Verify a template looping without end is stopped by the render time limit."""
    from pipeline import documents

    monkeypatch.setattr(documents, "RENDER_SECONDS", 1)
    loop = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
    folder = template_folder(project, "invitation", body(REQUIRED, loop))
    result = run("build", MEETING, "--templates", str(folder))
    assert result.exit_code == 1, result.output
    assert "loops without end" in result.output


@pytest.mark.parametrize(
    ("case", "xml"),
    [
        ("malformed", "<w:document><w:body><w:p>"),
        ("not-xml", "this is not xml at all"),
        (
            "entity-bomb",
            '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
            + "".join(
                f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)
            )
            + f"]><w:document {W}><w:body><w:p><w:r><w:t>&i;</w:t></w:r></w:p>"
            + "</w:body></w:document>",
        ),
        (
            "xxe",
            '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            f"<w:document {W}><w:body><w:p><w:r><w:t>&x; {REQUIRED}</w:t></w:r></w:p>"
            "</w:body></w:document>",
        ),
    ],
)
def test_damaged_template_xml_is_refused(project: Path, run: Run, case: str, xml: str) -> None:
    """Verify a DOCX template whose document.xml is malformed, an entity bomb or an external
    entity is refused with a clear message, and no file is written."""
    folder = template_folder(project, "invitation", xml)
    result = run("build", MEETING, "--templates", str(folder))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "root:" not in result.output
    assert not OUT.exists() or not any(OUT.iterdir())


@pytest.mark.parametrize("entry", ["../evil.txt", "/etc/evil.txt", "word/../../evil.txt"])
def test_template_entries_outside_the_package_are_refused(
    project: Path, run: Run, entry: str
) -> None:
    """Verify a template zip with an entry named outside itself is refused, not copied."""
    folder = template_folder(project, "invitation", extra={entry: b"evil"})
    result = run("build", MEETING, "--templates", str(folder))
    assert result.exit_code == 1, result.output
    assert "outside itself" in result.output
    assert not OUT.exists() or not any(OUT.iterdir())


@pytest.mark.parametrize(
    ("missing", "shown"),
    [
        ("the items", "{{ meeting.number }} {{ texts.disclaimer }} {{ doc.draft_mark }}"),
        (
            "the dissents",
            "{{ meeting.number }} {{ texts.disclaimer }} {{ doc.draft_mark }} "
            "{% for i in items %}{{ i.title }} {% endfor %}"
            "{% for g in attendance.groups %}{% for p in g.present %}{{ p.name }} "
            "{% endfor %}{% endfor %}{{ texts.confidential_label }}",
        ),
        (
            "the attendance",
            "{{ meeting.number }} {{ texts.disclaimer }} {{ doc.draft_mark }} "
            "{% for i in items %}{{ i.title }} {% for d in i.dissent %}{{ d.position }} "
            "{% endfor %}{% endfor %}{{ texts.confidential_label }}",
        ),
        (
            "the confidentiality marking",
            "{{ meeting.number }} {{ texts.disclaimer }} {{ doc.draft_mark }} "
            "{% for i in items %}{{ i.title }} {% for d in i.dissent %}{{ d.position }} "
            "{% endfor %}{% endfor %}"
            "{% for g in attendance.groups %}{% for p in g.present %}{{ p.name }} "
            "{% endfor %}{% endfor %}",
        ),
    ],
)
def test_template_lacking_what_the_minutes_must_show_is_refused(
    project: Path, run: Run, missing: str, shown: str
) -> None:
    """Verify a minutes template that leaves out the items, the dissents, the attendance or
    the confidentiality marking is refused, and the build (invitation included) writes
    nothing."""
    folder = template_folder(project, "minutes", body(shown))
    result = run("build", MEETING, "--templates", str(folder))
    assert result.exit_code == 1, result.output
    assert "minutes.docx" in result.output and "does not show" in result.output
    assert not OUT.exists() or not any(OUT.iterdir())


# A draft returned by the chair


def returned_docx(tmp_path: Path, case: str) -> Path:
    path = tmp_path / f"{case}.docx"
    if case == "not-a-zip":
        path.write_bytes(b"this is no docx")
    elif case == "truncated":
        path.write_bytes((ROOT / "templates" / "minutes.docx").read_bytes()[:2000])
    elif case == "zip-bomb":
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("word/document.xml", b"<" + b"a" * (80 * 1024 * 1024) + b"/>")
    elif case == "xxe":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr(
                "word/document.xml",
                '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
                f"<w:document {W}><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body>"
                "</w:document>",
            )
    elif case == "malformed-xml":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("word/document.xml", "<w:document><w:body>")
    elif case == "empty":
        path.write_bytes(b"")
    return path


@pytest.mark.parametrize(
    "case", ["not-a-zip", "truncated", "zip-bomb", "xxe", "malformed-xml", "empty"]
)
def test_diff_with_a_hostile_returned_draft(
    project: Path, run: Run, tmp_path: Path, case: str
) -> None:
    """Verify `minutes diff` with a damaged, zip-bomb or XXE document gives a clear error or
    a harmless diff, never a traceback nor the content of a local file."""
    assert run("build", MEETING).exit_code == 0
    result = run("diff", MEETING, str(returned_docx(tmp_path, case)))
    assert "Traceback" not in result.output
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else ""
    if hostname:
        assert hostname not in result.output
    if case != "xxe":
        assert result.exit_code == 1, result.output
        assert f"{case}.docx" in result.output

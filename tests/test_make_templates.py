"""tools/make_templates.py: the committed templates are what it makes, and it never overwrites
a template someone edited."""

from __future__ import annotations

import importlib.util
import io
import subprocess
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import pytest
from conftest import ROOT


@pytest.fixture(scope="module")
def maker() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_templates", ROOT / "tools/make_templates.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """What the script writes into an empty folder, run as its users run it."""
    out = tmp_path_factory.mktemp("made")
    script = ROOT / "tools" / "make_templates.py"
    subprocess.run(
        [sys.executable, str(script), "--out", str(out)], check=True, capture_output=True
    )
    return {path.name: path.read_bytes() for path in out.iterdir()}


def test_committed_templates_are_what_the_script_makes(made: dict[str, bytes]) -> None:
    """Verify every template in templates/ is byte-identical to the script's output, and the
    script makes no template that is not committed."""
    committed = {p.name for p in (ROOT / "templates").iterdir() if p.suffix in (".docx", ".odt")}
    assert set(made) == committed
    differ = [
        name for name, data in made.items() if (ROOT / "templates" / name).read_bytes() != data
    ]
    assert differ == [], "run `python tools/make_templates.py` and commit the templates"


def resaved(data: bytes, name: str) -> bytes:
    """The template as an office suite saves it: its own generator, the text unchanged."""
    part, ours, theirs = (
        ("docProps/app.xml", b"<Application>minutes", b"<Application>Microsoft Office Word")
        if name.endswith(".docx")
        else ("meta.xml", b"<meta:generator>minutes", b"<meta:generator>LibreOffice/24.2")
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(
                info, content.replace(ours, theirs) if info.filename == part else content
            )
    return buffer.getvalue()


def test_edited_templates_are_left_alone(
    maker: ModuleType, made: dict[str, bytes], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Verify the script writes missing and self-made files, refuses (exit 1, naming them) to
    overwrite a template saved by Word or LibreOffice, and overwrites it only with --force."""
    (tmp_path / "minutes.docx").write_bytes(resaved(made["minutes.docx"], "minutes.docx"))
    (tmp_path / "minutes.odt").write_bytes(resaved(made["minutes.odt"], "minutes.odt"))
    (tmp_path / "invitation.odt").write_bytes(b"an old version of ours")  # not a zip: refused
    edited = {name: (tmp_path / name).read_bytes() for name in ("minutes.docx", "minutes.odt")}

    assert maker.main(["--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "invitation.odt, minutes.docx, minutes.odt" in err and "--force" in err
    for name, data in edited.items():
        assert (tmp_path / name).read_bytes() == data
    assert (tmp_path / "cover_letter.docx").read_bytes() == made["cover_letter.docx"]

    assert maker.main(["--out", str(tmp_path), "--force"]) == 0
    for name in ("invitation.odt", "minutes.docx", "minutes.odt"):
        data = (tmp_path / name).read_bytes()
        assert data != edited.get(name) and maker.written_by_us(data, name)


def test_a_file_it_wrote_before_is_regenerated(
    maker: ModuleType, made: dict[str, bytes], tmp_path: Path
) -> None:
    """Verify a template still as the script left it (an older script's output) is rewritten."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(made["cover_letter.odt"])) as source,
        zipfile.ZipFile(buffer, "w") as target,
    ):
        for info in source.infolist():
            target.writestr(
                info, source.read(info) + (b" " if info.filename == "content.xml" else b"")
            )
    (tmp_path / "cover_letter.odt").write_bytes(buffer.getvalue())
    assert maker.main(["--out", str(tmp_path)]) == 0
    rewritten = (tmp_path / "cover_letter.odt").read_bytes()
    assert rewritten != buffer.getvalue() and maker.written_by_us(rewritten, "cover_letter.odt")

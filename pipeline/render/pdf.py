"""PDF through LibreOffice, converted from rendered DOCX files."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from pipeline.errors import ServiceFailed

TIMEOUT_SECONDS = 300


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise ServiceFailed(
            "PDF needs LibreOffice, which is not installed here. Install it (Debian: apt-get "
            "install libreoffice-writer-nogui) or leave pdf out of --format; the DOCX and ODT "
            "files were written."
        )
    return found


def to_pdf(documents: Mapping[str, bytes]) -> dict[str, bytes]:
    """PDFs of documents given by file name and bytes, in one LibreOffice run: {name.pdf: bytes}."""
    if not documents:
        return {}
    program = soffice()
    with tempfile.TemporaryDirectory(prefix="minutes-pdf-") as work:
        folder = Path(work)
        sources = []
        for name, data in documents.items():
            (folder / name).write_bytes(data)
            sources.append(str(folder / name))
        # A private profile: a LibreOffice the secretary has open does not block the conversion.
        profile = (folder / "profile").as_uri()
        try:
            done = subprocess.run(
                [
                    program,
                    f"-env:UserInstallation={profile}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(folder / "pdf"),
                    *sources,
                ],
                capture_output=True,
                text=True,
                timeout=TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise ServiceFailed(
                f"LibreOffice did not finish the PDF conversion in {TIMEOUT_SECONDS} s; the DOCX "
                "and ODT files were written. Try again, or convert them by hand."
            ) from None
        result = {}
        for name in documents:
            pdf = folder / "pdf" / f"{Path(name).stem}.pdf"
            if not pdf.exists():
                raise ServiceFailed(
                    f"LibreOffice could not convert {name} to PDF "
                    f"({(done.stderr or done.stdout).strip()[:300]}); the DOCX and ODT files "
                    "were written."
                )
            result[pdf.name] = pdf.read_bytes()
        return result

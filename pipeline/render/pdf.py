"""PDF through LibreOffice, converted from the rendered DOCX files."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from pipeline.errors import ServiceFailed
from pipeline.render.package import atomic_write

TIMEOUT_SECONDS = 300


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise ServiceFailed(
            "PDF needs LibreOffice, which is not installed here. Install it "
            "(Debian: apt-get install libreoffice-writer-nogui) or leave pdf "
            "out of --format; the DOCX and ODT files were written."
        )
    return found


def convert_to_pdf(documents: Sequence[Path]) -> list[Path]:
    """Convert documents to PDF beside them, in one LibreOffice run; returns the PDF paths."""
    if not documents:
        return []
    program = soffice()
    with tempfile.TemporaryDirectory(prefix="minutes-lo-") as work:
        # A private profile: a LibreOffice the secretary has open does not block the conversion.
        profile = Path(work) / "profile"
        out = Path(work) / "pdf"
        try:
            done = subprocess.run(
                [
                    program,
                    f"-env:UserInstallation={profile.as_uri()}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(out),
                    *map(str, documents),
                ],
                capture_output=True,
                text=True,
                timeout=TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise ServiceFailed(
                f"LibreOffice did not finish the PDF conversion in "
                f"{TIMEOUT_SECONDS} s; the DOCX and ODT files were written. "
                "Try again, or convert them by hand."
            ) from None
        results = []
        for document in documents:
            pdf = out / f"{document.stem}.pdf"
            if not pdf.exists():
                raise ServiceFailed(
                    f"LibreOffice could not convert {document} to PDF "
                    f"({(done.stderr or done.stdout).strip()[:300]}); the DOCX "
                    "and ODT files were written."
                )
            target = document.with_suffix(".pdf")
            atomic_write(target, pdf.read_bytes(), mode=document.stat().st_mode & 0o777)
            results.append(target)
        return results

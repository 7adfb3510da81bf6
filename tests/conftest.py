"""Shared fixtures: a copy of the example meeting in a temporary folder, and the CLI runner."""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import os
import re
import shutil
import socket
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from aiosmtpd.controller import Controller
from click.testing import CliRunner, Result
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from office_validator import problems

from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent
MEETING = "2026-12-07"
CHAIR = "Maija Meikäläinen"


HELSINKI = ZoneInfo("Europe/Helsinki")


@pytest.fixture
def held() -> Iterator[None]:
    """The example meeting has been held: today is the morning after it."""
    with time_machine.travel(dt.datetime(2026, 12, 8, 9, 0, tzinfo=HELSINKI), tick=True):
        yield


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command in English, as under LANG=en_US.UTF-8 (Finnish is the default): for tests
    that tell the problems apart by their English msgids; the Finnish is tested in
    test_texts.py and by the catalog test."""
    for variable in ("MINUTES_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")


def without_pdf(project: Path) -> None:
    """The example roster with no group asking for PDF: approval then starts no LibreOffice."""
    roster = project / "inputs" / "organisation.yaml"
    text = roster.read_text(encoding="utf-8")
    text = text.replace("formats: [docx, pdf]", "formats: [docx]")
    text = text.replace("formats: [odt, pdf]", "formats: [odt]")
    roster.write_text(text, encoding="utf-8")


def use_server(project: Path, server: Server) -> None:
    """Point the roster's SMTP settings at the test server on loopback."""
    roster = project / "inputs" / "organisation.yaml"
    text = roster.read_text(encoding="utf-8")
    start = text.index("  smtp:")
    smtp = f"  smtp:\n    host: 127.0.0.1\n    port: {server.port}\n    security: none\n"
    roster.write_text(text[:start] + smtp, encoding="utf-8")


def use_muistio(project: Path) -> None:
    """The example roster calls its record a muistio (`wording.record`)."""
    with (project / "inputs" / "organisation.yaml").open("a", encoding="utf-8") as roster:
        roster.write("\nwording:\n  record: muistio\n")


def edit(path: Path, old: str, new: str) -> int:
    """Replace the first `old` in a file, which must be there, by `new`; returns its line."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def review_code(output: str) -> str:
    """The review code `build` prints for the draft, such as 7F3A-91C2."""
    match = re.search(r"\b([0-9A-Z]{4}-[0-9A-Z]{4})\.", output)
    assert match, output
    return match.group(1)


def send_review(run: Run, meeting: str = MEETING) -> str:
    """Build the draft and send it to the chair (dry run); returns the review code."""
    built = run("build", meeting)
    assert built.exit_code == 0, built.output
    sent = run("send", meeting, "review")
    assert sent.exit_code == 0, sent.output
    return review_code(built.output)


def approve(run: Run, meeting: str = MEETING) -> str:
    """Build the draft, send it for review (dry run) and record the chair's approval; returns
    the review code."""
    code = send_review(run, meeting)
    result = run("approve", meeting, "--by", CHAIR, "--code", code)
    assert result.exit_code == 0, result.output
    return code


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder holding a copy of the example inputs, made the current folder."""
    shutil.copytree(ROOT / "inputs", tmp_path / "inputs")
    monkeypatch.chdir(tmp_path)
    return tmp_path


Run = Callable[..., Result]


@pytest.fixture
def run() -> Run:
    """Run the `minutes` command in-process; returns click's Result."""

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return invoke


@contextmanager
def served(folder: Path, *options: str, browser: Path | None = None) -> Iterator[str]:
    """`minutes serve` on a free port, started in `folder` as a separate process (Finnish);
    the first line it prints, which holds its address and token. With `browser`, the
    program it starts as the browser (BROWSER), else none."""
    opens = [] if browser else ["--no-browser"]
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "serve", "--port", "0", *opens, *options],
        cwd=folder,
        env={**os.environ, "MINUTES_LANG": "fi", "BROWSER": str(browser or "")},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        yield process.stdout.readline()
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


def write(path: Path, text: str) -> Path:
    """Write a dedented YAML text (tests keep their inputs inline)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def validate_office(*files: Path) -> str:
    """The schema check of each file (tests/office_validator.py): 'FILE: valid' or its problems."""
    lines = []
    for path in files:
        found = problems(path)
        lines += [f"{path}: {problem}" for problem in found]
        lines.append(f"{path}: {'valid' if not found else f'INVALID ({len(found)} problems)'}")
    return "\n".join(lines)


def pdf_text(document: Path, tmp: Path) -> str:
    """Convert a document with LibreOffice and read the PDF's text back."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    profile = tmp / "lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp),
            str(document),
        ],
        capture_output=True,
        check=True,
        timeout=180,
    )
    pdf = tmp / (document.stem + ".pdf")
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


# A real SMTP server on loopback (aiosmtpd), with the faults a test asks for.


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes


class Mailbox:
    """An aiosmtpd handler that keeps every accepted message and injects the faults it is told."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.ehlo = 0
        self.data_commands = 0
        self.refuse: set[str] = set()  # RCPT answered 550
        self.faults: dict[int, str] = {}  # n-th DATA (from 1): "451" or "drop"

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.ehlo += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.data_commands += 1
        fault = self.faults.get(self.data_commands)
        if fault == "451":
            return "451 4.3.0 Try again later"
        self.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content)
        )
        if fault == "drop":
            # The server has the message, then the line dies before it can say 250.
            server.transport.close()
            await asyncio.sleep(5)  # cancelled at once by aiosmtpd's connection_lost
        return "250 OK"


def free_port() -> int:
    # aiosmtpd 1.4 cannot be asked for port 0, so take one the kernel says is free.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    mailbox: Mailbox
    port: int


@pytest.fixture
def server() -> Iterator[Server]:
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield Server(mailbox, port)
    finally:
        controller.stop()


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for localhost and 127.0.0.1: (certificate, key)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path

"""What leaves is exactly what the chair approved: approval, sending and logs under attack.

Each test goes through the `minutes` command, as the secretary (or someone editing her files)
would, and names the numbered point of the integrity issue it proves.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from conftest import (
    CHAIR,
    MEETING,
    ROOT,
    Run,
    Server,
    approve,
    review_code,
    send_review,
    use_server,
    without_pdf,
)

from pipeline.documents import document_text

OUT = Path("outputs") / MEETING
FINAL = OUT / f"poytakirja_{MEETING}.docx"
DRAFT = OUT / f"poytakirja_luonnos_{MEETING}.docx"
GROUPS = ["kesk", "sdp", "ps", "kok", "vas", "vihr", "kd"]

# These tests tell the problems apart by their English msgids (see conftest.english).
pytestmark = pytest.mark.usefixtures("held", "english")


def templates_with(project: Path, paragraph: str) -> Path:
    """A copy of the default templates whose minutes.docx has one more paragraph at its end."""
    import docx

    folder = project / "omat_pohjat"
    shutil.copytree(ROOT / "templates", folder, ignore=shutil.ignore_patterns("*.py"))
    document = docx.Document(str(folder / "minutes.docx"))
    document.add_paragraph(paragraph)
    document.save(str(folder / "minutes.docx"))
    return folder


def set_public_key(project: Path, run: Run) -> None:
    made = run("keygen", "chair.key")
    assert made.exit_code == 0, made.output
    public = re.search(r"public_key: (\S+)", made.output)
    assert public
    roster = project / "inputs" / "organisation.yaml"
    text = roster.read_text(encoding="utf-8")
    roster.write_text(
        text.replace("  group: kesk\n", f"  group: kesk\n  public_key: {public.group(1)}\n", 1),
        encoding="utf-8",
    )


def edit_json(path: Path, **changes: object) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    data.update(changes)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


# 1. Templates are part of what was approved.


def test_approval_with_other_templates_is_refused(project: Path, run: Run) -> None:
    """Verify approve --templates OTHER is refused with the reason, and writes no final."""
    without_pdf(project)
    code = send_review(run)
    other = templates_with(project, "{% if not doc.draft %}Vain lopullisessa.{% endif %}")
    result = run("approve", MEETING, "--by", CHAIR, "--code", code, "--templates", str(other))
    assert result.exit_code == 3
    assert "templates are not those that draft was rendered with" in result.output
    assert not FINAL.exists()


def test_template_that_shows_more_in_the_final_is_refused(project: Path, run: Run) -> None:
    """Verify a template whose final shows a paragraph the draft did not is refused at
    approval, even when the same template made the draft the chair read."""
    without_pdf(project)
    other = templates_with(project, "{% if not doc.draft %}Vain lopullisessa.{% endif %}")
    built = run("build", MEETING, "--templates", str(other))
    code = review_code(built.output)
    assert run("send", MEETING, "review", "--templates", str(other)).exit_code == 0
    result = run("approve", MEETING, "--by", CHAIR, "--code", code, "--templates", str(other))
    assert result.exit_code == 3
    assert "Vain lopullisessa" in result.output and "may differ from" in result.output
    assert not FINAL.exists()


def test_status_gives_the_review_code_of_the_templates_named(project: Path, run: Run) -> None:
    """Verify `status --templates OTHER` gives the review code of the draft built with those
    templates (the code the chair is sent), not the shipped templates' code."""
    without_pdf(project)
    other = templates_with(project, "Kunnan oma kappale.")
    built = run("build", MEETING, "--templates", str(other))
    code = review_code(built.output)
    result = run("status", MEETING, "--templates", str(other))
    assert result.exit_code == 0, result.output
    assert f"(review code {code})" in result.output
    assert code not in run("status", MEETING).output


def test_final_is_the_draft_plus_the_approval(project: Path, run: Run) -> None:
    """Verify the final minutes' text differs from the draft's only by the draft marking,
    the blanks of the approval block and lines naming the approver or the date."""
    without_pdf(project)
    approve(run)
    for fmt in ("docx", "odt"):
        draft = [
            x
            for x in document_text(
                (OUT / DRAFT.name).with_suffix(f".{fmt}").read_bytes(), fmt
            ).splitlines()
            if x.strip()
        ]
        final = [
            x
            for x in document_text(FINAL.with_suffix(f".{fmt}").read_bytes(), fmt).splitlines()
            if x.strip()
        ]
        diff = list(difflib.ndiff(draft, final))
        added = [x[2:] for x in diff if x.startswith("+ ")]
        removed = [x[2:] for x in diff if x.startswith("- ")]
        assert added and removed
        assert all(
            CHAIR in x or "8.12.2026" in x or x.strip() in " ".join(removed) for x in added
        ), added
        assert all("luonnos" in x.casefold() or "____" in x for x in removed), removed


# 2. A signed approval is enforced at send; an unsigned record is anchored in the audit log.


def test_signed_approval_tampering_is_refused_at_send(project: Path, run: Run) -> None:
    """Verify, with the chair's key in the roster: approval without --key is refused; with it,
    a changed approved_by, a missing approval.sig or a replaced final whose hash was rewritten
    is refused by send (exit 3) and nothing is written to the outbox."""
    without_pdf(project)
    set_public_key(project, run)
    code = send_review(run)
    unsigned = run("approve", MEETING, "--by", CHAIR, "--code", code)
    assert unsigned.exit_code == 3 and "--key" in unsigned.output
    assert (
        run("approve", MEETING, "--by", CHAIR, "--code", code, "--key", "chair.key").exit_code == 0
    )
    record, signature = OUT / "approval.json", OUT / "approval.sig"
    original, signed = record.read_bytes(), signature.read_bytes()
    assert run("send", MEETING, "minutes").exit_code == 0

    edit_json(record, approved_by="Joku Muu")
    assert run("send", MEETING, "minutes").exit_code == 3
    record.write_bytes(original)

    signature.unlink()
    missing = run("send", MEETING, "minutes")
    assert missing.exit_code == 3 and "approval.sig" in missing.output
    signature.write_bytes(signed)

    forged = b"PK forged final"
    FINAL.write_bytes(forged)
    import hashlib

    data = json.loads(original)
    data["files"][FINAL.name] = hashlib.sha256(forged).hexdigest()
    edit_json(record, files=data["files"])
    replaced = run("send", MEETING, "minutes")
    assert replaced.exit_code == 3, replaced.output
    assert "Traceback" not in replaced.output


def test_hand_edited_record_without_key_is_detected(project: Path, run: Run) -> None:
    """Verify, with no key in the roster, a hand-edited approval.json is detected through the
    audit log: status says so and send refuses."""
    without_pdf(project)
    approve(run)
    edit_json(OUT / "approval.json", approved_by="Pekka Perälä", role="varapuheenjohtaja")
    status = run("status", MEETING)
    assert "TAMPERED" in status.output and "State: approved" not in status.output
    sent = run("send", MEETING, "minutes")
    assert sent.exit_code == 3 and "edited or replaced by hand" in sent.output


@pytest.mark.parametrize(
    "change",
    [{"files": []}, {"files": {}}, {"approved_by": 7}, {"fingerprint": None}, {"extra": 1}],
)
def test_damaged_record_is_a_clear_error(project: Path, run: Run, change: dict) -> None:
    """Verify a damaged approval record (wrong types, no files) gives a clear message, exit 3."""
    without_pdf(project)
    approve(run)
    edit_json(OUT / "approval.json", **change)
    result = run("send", MEETING, "minutes")
    assert result.exit_code == 3
    assert "approval" in result.output and "Traceback" not in result.output
    assert "DAMAGED" in run("status", MEETING).output


def test_record_that_is_not_json_is_a_clear_error(project: Path, run: Run) -> None:
    """Verify an approval record that is not JSON at all is refused with its path."""
    without_pdf(project)
    approve(run)
    (OUT / "approval.json").write_text("{ not json", encoding="utf-8")
    result = run("send", MEETING, "minutes")
    assert result.exit_code == 3 and "approval.json" in result.output


# 3. Send what was built.


def test_review_attaches_the_built_draft_and_refuses_a_changed_one(project: Path, run: Run) -> None:
    """Verify the review email carries the very draft file build wrote, and a draft changed
    on disk after the build is refused, not rendered again."""
    without_pdf(project)
    send_review(run)
    message = message_from_bytes(
        (OUT / "outbox" / "review" / "chair.eml").read_bytes(), policy=policy.default
    )
    parts = {p.get_filename(): p.get_content() for p in message.iter_attachments()}
    assert parts[DRAFT.name] == DRAFT.read_bytes()
    DRAFT.write_bytes(DRAFT.read_bytes() + b"\0")
    result = run("send", MEETING, "review")
    assert result.exit_code == 3 and "not the file that was built" in result.output


def test_cover_letters_are_on_disk_hashed_and_sent_as_written(project: Path, run: Run) -> None:
    """Verify approval writes every cover letter and records its hash; the minutes messages
    carry those bytes; the audit log records every attachment's hash."""
    without_pdf(project)
    approve(run)
    record = json.loads((OUT / "approval.json").read_text(encoding="utf-8"))
    for group in GROUPS:
        assert f"saate_{group}_{MEETING}.docx" in record["files"]
    assert run("send", MEETING, "minutes").exit_code == 0
    import hashlib

    vas = message_from_bytes(
        (OUT / "outbox" / "minutes" / "vas.eml").read_bytes(), policy=policy.default
    )
    for part in vas.iter_attachments():
        name = part.get_filename()
        data = part.get_content()
        assert data == (OUT / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == record["files"][name]


# 4. One meaning of "approved".


def test_every_command_agrees_on_a_tampered_approval(project: Path, run: Run) -> None:
    """Verify a record whose file exists and whose fingerprint matches, but which was edited
    by hand, is 'not approved' for status, build, send and the next meeting alike."""
    from pipeline import meeting as meetings

    without_pdf(project)
    approve(run)
    edit_json(OUT / "approval.json", approved_on="2026-12-09")
    assert "State: approved" not in run("status", MEETING).output
    assert "are approved by" not in run("build", MEETING).output
    assert run("send", MEETING, "minutes").exit_code == 3
    nxt = project / "inputs" / "2027-01-18"
    nxt.mkdir()
    (nxt / "agenda.yaml").write_text(
        "number: 1/2027\ndate: 2027-01-18\nstart: '17:00'\nplace: Kaupungintalo\n"
        "items:\n  - title: Kokouksen avaus\n",
        encoding="utf-8",
    )
    loaded = meetings.load(meetings.Paths.of("2027-01-18"))
    assert MEETING not in loaded.approved


# 5. Approval preconditions.


def test_approval_before_the_meeting_is_refused(project: Path, run: Run) -> None:
    """Verify approval on a day before the meeting is refused with exit 3 and the reason."""
    import datetime as dt

    import time_machine

    without_pdf(project)
    code = send_review(run)
    with time_machine.travel(dt.datetime(2026, 12, 6, 12, 0), tick=False):
        result = run("approve", MEETING, "--by", CHAIR, "--code", code)
    assert result.exit_code == 3 and "only after it has been held" in result.output


def test_approval_without_review_is_refused(project: Path, run: Run) -> None:
    """Verify a draft that was never sent to the chair cannot be approved."""
    without_pdf(project)
    built = run("build", MEETING)
    code = review_code(built.output)
    result = run("approve", MEETING, "--by", CHAIR, "--code", code)
    assert result.exit_code == 3
    assert f"minutes send {MEETING} review" in result.output
    assert not FINAL.exists()


# 6. Resume reaches "distributed", with nothing sent twice (PDF attachments included).


def test_resume_after_a_refusal_reaches_distributed(
    project: Path, run: Run, server: Server
) -> None:
    """Verify, with groups receiving PDF: a 550 for one group, then a resume, gives every group
    exactly one message and status says distributed."""
    use_server(project, server)
    approve(run)
    server.mailbox.refuse = {"ps.valtuustoryhma@example.fi"}
    first = run("send", MEETING, "minutes", "--smtp")
    assert first.exit_code == 4, first.output
    server.mailbox.refuse = set()
    second = run("send", MEETING, "minutes", "--smtp")
    assert second.exit_code == 0, second.output
    assert "other content" not in second.output
    counts = Counter(r.rcpt_tos[0] for r in server.mailbox.received)
    assert len(counts) == len(GROUPS) and set(counts.values()) == {1}
    status = run("status", MEETING).output
    assert "State: distributed" in status
    # Done when: status shows, for each group, what was sent with which hash.
    for group in GROUPS:
        line = next(x for x in status.splitlines() if x.strip().startswith(f"minutes to {group} "))
        assert f"poytakirja_{MEETING}" in line and re.search(r"\([0-9a-f]{12}\)", line)


# 7. The send log and the outbox.


def test_send_log_symlink_is_refused_and_target_untouched(
    project: Path, run: Run, server: Server, tmp_path: Path
) -> None:
    """Verify a send log that is a symbolic link is refused and its target keeps its bytes."""
    use_server(project, server)
    without_pdf(project)
    assert run("build", MEETING).exit_code == 0
    target = tmp_path / "precious.txt"
    target.write_text("do not touch\n", encoding="utf-8")
    os.symlink(target, OUT / "sendlog.jsonl")
    result = run("send", MEETING, "invitation", "--smtp")
    assert result.exit_code == 3
    assert target.read_text(encoding="utf-8") == "do not touch\n"
    assert server.mailbox.ehlo == 0


def test_outbox_is_owner_only(project: Path, run: Run) -> None:
    """Verify outbox messages are 0600 and their folders 0700, like the documents."""
    without_pdf(project)
    assert run("build", MEETING).exit_code == 0
    assert run("send", MEETING, "invitation").exit_code == 0
    folder = OUT / "outbox" / "invitation"
    assert folder.stat().st_mode & 0o777 == 0o700
    assert (OUT / "outbox").stat().st_mode & 0o777 == 0o700
    assert {p.stat().st_mode & 0o777 for p in folder.glob("*.eml")} == {0o600}


@pytest.mark.parametrize(
    "damage",
    ["delete sendlog", "cut sendlog", "sendlog field gone", "delete audit", "edit audit"],
)
def test_damaged_logs_stop_sending(project: Path, run: Run, server: Server, damage: str) -> None:
    """Verify a deleted or damaged send log or audit log is reported by status and makes send
    refuse rather than send again (status and send read a damaged line alike)."""
    use_server(project, server)
    without_pdf(project)
    assert run("build", MEETING).exit_code == 0
    assert run("send", MEETING, "invitation", "--smtp").exit_code == 0
    received = len(server.mailbox.received)
    sendlog, audit = OUT / "sendlog.jsonl", OUT / "audit.jsonl"
    if damage == "delete sendlog":
        sendlog.unlink()
    elif damage == "cut sendlog":
        lines = sendlog.read_text(encoding="utf-8").splitlines(keepends=True)
        sendlog.write_text("".join(lines[:4]), encoding="utf-8")
    elif damage == "sendlog field gone":  # JSON still, but without the meeting it is of
        first, *rest = sendlog.read_text(encoding="utf-8").splitlines(keepends=True)
        record = json.loads(first)
        del record["meeting"]
        sendlog.write_text(json.dumps(record) + "\n" + "".join(rest), encoding="utf-8")
    elif damage == "delete audit":
        audit.unlink()
    else:
        lines = audit.read_text(encoding="utf-8").splitlines(keepends=True)
        audit.write_text("".join(lines[1:]), encoding="utf-8")
    status = run("status", MEETING)
    assert "DAMAGED" in status.output, status.output
    again = run("send", MEETING, "invitation", "--smtp")
    assert again.exit_code == 3, again.output
    assert len(server.mailbox.received) == received


def test_attachment_changed_after_build_is_not_sent(project: Path, run: Run) -> None:
    """Verify an agenda attachment file changed after the invitation was built is refused at
    sending (build again), and after the build the email carries the file as it is now."""
    without_pdf(project)
    paper = project / "inputs" / MEETING / "liitteet" / "investointiohjelma-2027-2029.pdf"
    assert run("build", MEETING).exit_code == 0
    paper.write_bytes(paper.read_bytes() + b"% changed after the build\n")
    refused = run("send", MEETING, "invitation")
    assert refused.exit_code == 3 and f"minutes build {MEETING}" in refused.output
    assert not (OUT / "outbox" / "invitation").exists()
    assert run("build", MEETING).exit_code == 0
    assert run("send", MEETING, "invitation").exit_code == 0
    message = message_from_bytes(
        (OUT / "outbox" / "invitation" / "kesk.eml").read_bytes(), policy=policy.default
    )
    sent = {p.get_filename(): p.get_content() for p in message.iter_attachments()}
    assert sent[paper.name] == paper.read_bytes()


# 8. Confidential items stay out of the calendar.


def test_calendar_has_no_confidential_title(project: Path, run: Run) -> None:
    """Verify the .ics lists no confidential item's title and is marked CONFIDENTIAL."""
    without_pdf(project)
    assert run("build", MEETING).exit_code == 0
    assert run("send", MEETING, "invitation").exit_code == 0
    message = message_from_bytes(
        (OUT / "outbox" / "invitation" / "kesk.eml").read_bytes(), policy=policy.default
    )
    ics = next(
        p.get_content() for p in message.iter_attachments() if p.get_filename().endswith(".ics")
    )
    unfolded = ics.replace("\r\n ", "").replace("\n ", "")
    assert "Kaupungintalon toimitilaratkaisu" not in unfolded
    assert "Luottamuksellinen asia" in unfolded
    assert "CLASS:CONFIDENTIAL" in unfolded


# 14. No "no notes yet" for a dangling link; no final without its approval on a full disk.


def test_dangling_notes_link_is_an_error(project: Path, run: Run) -> None:
    """Verify a notes.yaml that is a link to nothing is an error, not 'no notes yet'."""
    notes = project / "inputs" / MEETING / "notes.yaml"
    notes.unlink()
    os.symlink(project / "nowhere.yaml", notes)
    result = run("check", MEETING)
    assert result.exit_code == 1
    assert "notes.yaml" in result.output and "does not exist" in result.output


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real file system of 512 KiB (tmpfs), for running out of space for real."""
    folder = tmp_path / "small"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("mounting a small file system needs root")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def files_in(folder: Path) -> list[str]:
    """The folder's files, without the empty lock files the steps leave beside them."""
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith(".lock"))


def test_full_disk_during_approval_leaves_no_final(
    project: Path, run: Run, small_disk: Path
) -> None:
    """Verify a disk that fills up while approving leaves no file named like a final and no
    approval (the old state stays whole), and approving again once there is room works."""
    without_pdf(project)
    out = str(small_disk / MEETING)
    built = run("build", MEETING, "--out", out)
    code = review_code(built.output)
    assert run("send", MEETING, "review", "--out", out).exit_code == 0
    before = files_in(Path(out))
    free = os.statvfs(small_disk).f_bavail * os.statvfs(small_disk).f_frsize
    filler = small_disk / "filler"
    filler.write_bytes(b"\0" * (free - 20 * 1024))  # room for the final DOCX, not the rest
    result = run("approve", MEETING, "--by", CHAIR, "--code", code, "--out", out)
    assert result.exit_code == 1, result.output
    assert "No space left" in result.output and "Traceback" not in result.output
    assert files_in(Path(out)) == before
    filler.unlink()
    again = run("approve", MEETING, "--by", CHAIR, "--code", code, "--out", out)
    assert again.exit_code == 0, again.output
    assert (Path(out) / FINAL.name).exists()

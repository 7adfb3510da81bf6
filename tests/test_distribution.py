"""pipeline/distribution.py on its own: who gets which files, that only the very files built
go out, the dry run's outbox, and sending to a real SMTP server on loopback (aiosmtpd) with a
refused recipient and a resumed run."""

from __future__ import annotations

import datetime as dt
import json
import stat
from collections import Counter
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from conftest import MEETING, Run, Server, approve, use_server, without_pdf

from pipeline import approval as ap
from pipeline import distribution, documents, mail, storage
from pipeline.errors import ServiceFailed, WorkflowRefused
from pipeline.meeting import Paths, load

OUT = Path("outputs") / MEETING
PAPER = "investointiohjelma-2027-2029.pdf"
GROUPS = ["kesk", "sdp", "ps", "kok", "vas", "vihr", "kd"]
# The example roster without PDF (conftest.without_pdf): sdp gets DOCX alone, vihr ODT alone,
# every other group the roster's default, DOCX and ODT.
FORMATS = {g: ("docx", "odt") for g in GROUPS} | {"sdp": ("docx",), "vihr": ("odt",)}

pytestmark = pytest.mark.usefixtures("held", "english")


@pytest.fixture
def paths(project: Path) -> Paths:
    without_pdf(project)  # no LibreOffice: these tests are about who gets what
    return Paths.of(MEETING)


def prepare(paths: Paths, kind: str) -> distribution.Batch:
    return distribution.prepare(paths, kind, documents.Templates(), dt.date.today())


def build(run: Run, *formats: str) -> None:
    args = ["--format", ",".join(formats)] if formats else []
    result = run("build", MEETING, *args)
    assert result.exit_code == 0, result.output


def by_group(batch: distribution.Batch) -> dict[str, mail.Outgoing]:
    groups = [m.group for m in batch.messages]
    assert len(set(groups)) == len(groups), groups
    return {m.group: m for m in batch.messages}


def names(message: mail.Outgoing) -> set[str]:
    return {a.filename for a in message.attachments}


def parsed(data: bytes) -> EmailMessage:
    message = message_from_bytes(data, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def audit_events(event: str) -> list[dict[str, object]]:
    return [e for e in ap.read_audit(OUT).entries if e.get("event") == event]


def send_log() -> list[dict[str, object]]:
    lines = (OUT / ap.SEND_LOG).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def delivered_to(server: Server) -> Counter[str]:
    """How many messages the server accepted, by the group their first recipient belongs to."""
    roster = load(Paths.of(MEETING)).meeting.organisation
    owner = {a: g.id for g in roster.groups for a in g.distribution}
    owner |= {m.email: g.id for g in roster.groups for m in g.members}
    return Counter(owner[r.rcpt_tos[0]] for r in server.mailbox.received)


# --- who gets what --------------------------------------------------------------------------------


def test_each_group_gets_the_invitation_in_its_own_formats(paths: Paths, run: Run) -> None:
    """Verify one invitation per group in roster order, to its members' addresses only, with
    the invitation in the group's own formats, the calendar event and the agenda's paper; the
    attached bytes are the files on disk."""
    build(run)
    batch = prepare(paths, "invitation")
    assert [m.group for m in batch.messages] == GROUPS
    org = load(paths).meeting.organisation
    for group in org.groups:
        message = by_group(batch)[group.id]
        assert message.kind == "invitation"
        assert set(message.to) == {m.email for m in group.members}
        invitations = {f"kokouskutsu_{MEETING}.{fmt}" for fmt in FORMATS[group.id]}
        assert names(message) == invitations | {f"kokous_{MEETING}.ics", PAPER}
        for attachment in message.attachments:
            if attachment.filename in invitations:
                assert attachment.data == (OUT / attachment.filename).read_bytes()
                suffix = attachment.filename.rsplit(".", 1)[1]
                assert attachment.mimetype == documents.MIMETYPES[suffix]
    assert batch.details == {}


def test_review_goes_to_the_chair_alone_with_the_draft(paths: Paths, run: Run) -> None:
    """Verify the review is one message to the chair holding the draft DOCX as built, and that
    what its sending records is the code the message quotes."""
    build(run)
    batch = prepare(paths, "review")
    [message] = batch.messages
    assert (message.group, message.to) == ("chair", ("maija.meikalainen@example.fi",))
    [draft] = message.attachments
    assert draft.filename == f"poytakirja_luonnos_{MEETING}.docx"
    assert draft.data == (OUT / draft.filename).read_bytes()
    code = batch.details["code"]
    assert code in message.subject and code in message.body
    assert set(batch.details) == {"fingerprint", "code", "content", "templates"}


def test_each_group_gets_its_own_cover_letter_with_the_approved_minutes(
    paths: Paths, run: Run
) -> None:
    """Verify each group's minutes go to its distribution list with its own cover letter and
    the final minutes, in its formats, never another group's letter; the batch carries the
    approval's fingerprint."""
    approve(run)
    batch = prepare(paths, "minutes")
    org = load(paths).meeting.organisation
    assert [m.group for m in batch.messages] == GROUPS
    for group in org.groups:
        message = by_group(batch)[group.id]
        assert message.to == tuple(group.distribution)
        assert names(message) == {
            name
            for fmt in FORMATS[group.id]
            for name in (f"saate_{group.id}_{MEETING}.{fmt}", f"poytakirja_{MEETING}.{fmt}")
        }
        for attachment in message.attachments:
            assert attachment.data == (OUT / attachment.filename).read_bytes()
    state = ap.approval_state(OUT, load(paths).meeting)
    assert state.record is not None
    assert batch.details == {"fingerprint": state.record.fingerprint}


# --- only the files that were built ---------------------------------------------------------------


def test_nothing_goes_out_before_everything_a_group_needs_is_built(paths: Paths, run: Run) -> None:
    """Verify the invitation is refused when it is not built, and when it is built in DOCX
    alone while some group gets ODT: the refusal gives the build command with every format."""
    with pytest.raises(WorkflowRefused, match="--format docx,odt"):
        prepare(paths, "invitation")
    build(run, "docx")
    with pytest.raises(WorkflowRefused, match="--format docx,odt"):
        prepare(paths, "invitation")


@pytest.mark.parametrize("damage", ["changed", "removed", "link to a copy"])
def test_a_file_that_is_not_the_one_built_is_refused(
    paths: Paths, run: Run, tmp_path: Path, damage: str
) -> None:
    """Verify a built invitation that was changed, removed or replaced by a link (even to the
    same bytes) after the build stops the whole batch, naming the file."""
    build(run)
    target = OUT / f"kokouskutsu_{MEETING}.odt"
    data = target.read_bytes()
    target.unlink()
    if damage == "changed":
        target.write_bytes(data + b"\0")
    elif damage == "link to a copy":
        copy = tmp_path / "copy.odt"
        copy.write_bytes(data)
        target.symlink_to(copy)
    with pytest.raises(WorkflowRefused, match=f"kokouskutsu_{MEETING}.odt is not the file"):
        prepare(paths, "invitation")


def test_an_input_changed_after_the_build_is_refused(paths: Paths, run: Run) -> None:
    """Verify the build's logged files count only for the inputs they were made from: after
    the agenda changes, the same files on disk are not sent."""
    build(run)
    assert prepare(paths, "invitation").messages
    agenda = paths.folder / "agenda.yaml"
    agenda.write_text(agenda.read_text(encoding="utf-8") + "\n# muutettu\n", encoding="utf-8")
    prepare(paths, "invitation")  # a comment is not content: still the same invitation
    text = agenda.read_text(encoding="utf-8")
    agenda.write_text(text.replace("place: ", "place: Uusi paikka, ", 1), encoding="utf-8")
    with pytest.raises(WorkflowRefused, match="is not built from the files as they are now"):
        prepare(paths, "invitation")


# --- the dry run ----------------------------------------------------------------------------------


def test_dry_run_writes_each_message_to_the_outbox_and_sends_nothing(
    paths: Paths, run: Run, project: Path, server: Server
) -> None:
    """Verify the dry run writes one private .eml per group holding exactly that group's
    message, lists each, records no sending of the invitation, and never connects."""
    use_server(project, server)
    build(run)
    batch = prepare(paths, "invitation")
    report = distribution.write_outbox(batch)
    folder = OUT / "outbox" / "invitation"
    assert sorted(report.written) == sorted(folder / f"{g}.eml" for g in GROUPS)
    for message in batch.messages:
        eml = folder / f"{message.group}.eml"
        assert stat.S_IMODE(eml.stat().st_mode) == 0o600
        written = parsed(eml.read_bytes())
        assert {a.addr_spec for a in written["To"].addresses} == set(message.to)
        files = {p.get_filename(): p.get_content() for p in written.iter_attachments()}
        assert set(files) == names(message)
        for attachment in message.attachments:
            content = files[attachment.filename]
            if isinstance(content, str):  # the calendar event is text
                content = content.encode()
            assert content.replace(b"\r\n", b"\n") == attachment.data.replace(b"\r\n", b"\n")
    assert len([n for n in report.notes if n.startswith(tuple(f"{g}:" for g in GROUPS))]) == 7
    assert not any("minutes send" in n for n in report.notes)  # the command or the page says how
    assert server.mailbox.ehlo == 0 and not server.mailbox.received
    assert not audit_events("invitation sent")
    assert not (OUT / ap.SEND_LOG).exists()


def test_dry_run_review_counts_as_sent_for_review(paths: Paths, run: Run) -> None:
    """Verify the review's dry run records its sending (dry_run) with the code and the hash of
    the draft it holds, which the approval is later checked against."""
    build(run)
    batch = prepare(paths, "review")
    distribution.write_outbox(batch)
    [entry] = audit_events("review sent")
    assert entry["dry_run"] is True and entry["groups"] == ["chair"]
    assert entry["code"] == batch.details["code"]
    draft = f"poytakirja_luonnos_{MEETING}.docx"
    assert entry["attachments"] == {"chair": {draft: storage.sha256((OUT / draft).read_bytes())}}


# --- sending --------------------------------------------------------------------------------------


def test_a_refused_recipient_stops_its_group_only(
    paths: Paths, run: Run, project: Path, server: Server
) -> None:
    """Verify one refused address among a group's three keeps the whole group's message back
    (its other members get no copy now and a second later), the other groups get theirs, and
    the failure names the address and how to resume."""
    use_server(project, server)
    build(run)
    server.mailbox.refuse = {"sanna.sijainen@example.fi"}
    with pytest.raises(ServiceFailed) as failed:
        distribution.send_smtp(prepare(paths, "invitation"))
    text = str(failed.value)
    assert "failed: invitation to sdp" in text and "sanna.sijainen@example.fi" in text
    assert "6 sent, 1 failed, 0 unconfirmed" in text
    assert f"minutes send {MEETING} invitation --smtp" in text
    assert delivered_to(server) == Counter({g: 1 for g in GROUPS if g != "sdp"})
    [refused] = [e for e in send_log() if e["event"] == "failed"]
    assert (refused["group"], refused["refused"]) == ("sdp", ["sanna.sijainen@example.fi"])
    [sent] = audit_events("invitation sent")
    assert sent["groups"] == [g for g in GROUPS if g != "sdp"]


def test_minutes_resume_after_a_550_and_every_group_gets_one_message(
    paths: Paths, run: Run, project: Path, server: Server
) -> None:
    """Verify minutes refused (550) for one group's list are sent to that group alone on the
    next run, that every group ends with exactly one message, and that the meeting is recorded
    distributed once, only after the run that completed it; a third run sends nothing."""
    use_server(project, server)
    approve(run)
    server.mailbox.refuse = {"kd.valtuustoryhma@example.fi"}
    with pytest.raises(ServiceFailed, match="550"):
        distribution.send_smtp(prepare(paths, "minutes"))
    assert sum(delivered_to(server).values()) == 6 and "kd" not in delivered_to(server)
    assert not audit_events("distributed")

    server.mailbox.refuse = set()
    progress: list[tuple[str, str]] = []
    report = distribution.send_smtp(
        prepare(paths, "minutes"), on_progress=lambda m, status: progress.append((m.group, status))
    )
    assert delivered_to(server) == Counter({g: 1 for g in GROUPS})
    assert sorted(progress) == sorted((g, "sent" if g == "kd" else "skipped") for g in GROUPS)
    assert report.notes[0] == "sent minutes to kd: kd.valtuustoryhma@example.fi"
    assert [e["groups"] for e in audit_events("minutes sent")] == [
        [g for g in GROUPS if g != "kd"],
        ["kd"],
    ]
    assert len(audit_events("distributed")) == 1

    again = distribution.send_smtp(prepare(paths, "minutes"))
    assert len(server.mailbox.received) == 7
    assert len(again.notes) == 7 and not again.warnings
    assert len(audit_events("distributed")) == 1

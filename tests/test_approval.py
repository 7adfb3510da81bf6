"""The approval module on its own: review codes, fingerprints, the record's checks, the chained
audit log and the one approval state."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from conftest import CHAIR, MEETING, Run, send_review, without_pdf
from hypothesis import given
from hypothesis import strategies as st

from pipeline import approval as ap
from pipeline import meeting as meetings
from pipeline.errors import WorkflowRefused

HEX = st.text("0123456789abcdef", min_size=64, max_size=64)


@given(HEX)
def test_review_code_survives_retyping(fingerprint: str) -> None:
    """Verify a code typed in lower case, without the dash, or with O for 0 and I or L for 1,
    reads back as the code itself."""
    code = ap.review_code(fingerprint)
    assert len(code) == 9 and code[4] == "-"
    assert not set(code) & set("ILOU")
    retyped = code.lower().replace("-", "").replace("0", "o").replace("1", "l")
    assert ap.normalise_code(retyped) == code
    assert ap.normalise_code(f"  {code[:4]} {code[5:]} ") == code


@given(HEX, HEX)
def test_different_fingerprints_give_different_codes(a: str, b: str) -> None:
    """Verify the code is the fingerprint's first 40 bits: equal codes mean equal prefixes."""
    assert (ap.review_code(a) == ap.review_code(b)) == (a[:10] == b[:10])


def test_fingerprint_binds_content_and_templates(project: Path) -> None:
    """Verify the fingerprint changes with one template byte and with one character of the
    notes, and not with who receives the mail."""
    meeting = meetings.load(meetings.Paths.of(MEETING)).meeting
    templates = {"minutes.docx": "a" * 64, "minutes.odt": "b" * 64}
    base = ap.fingerprint(meeting, templates)
    assert ap.fingerprint(meeting, {**templates, "minutes.odt": "c" * 64}) != base
    notes = project / "inputs" / MEETING / "notes.yaml"
    notes.write_text(notes.read_text(encoding="utf-8").replace("17:03", "17:04"), "utf-8")
    assert ap.fingerprint(meetings.load(meetings.Paths.of(MEETING)).meeting, templates) != base
    notes.write_text(notes.read_text(encoding="utf-8").replace("17:04", "17:03"), "utf-8")
    roster = project / "inputs" / "organisation.yaml"
    roster.write_text(
        roster.read_text(encoding="utf-8").replace(
            "ps.valtuustoryhma@example.fi", "toinen@example.fi"
        ),
        "utf-8",
    )
    assert ap.fingerprint(meetings.load(meetings.Paths.of(MEETING)).meeting, templates) == base


def test_audit_log_is_a_chain(tmp_path: Path) -> None:
    """Verify each audit line names the hash of the one before, and that an edited, removed or
    inserted line is reported with its line number."""
    for event in ("one", "two", "three"):
        ap.audit(tmp_path, event, n=event)
    log = ap.read_audit(tmp_path)
    assert [e["event"] for e in log.entries] == ["one", "two", "three"] and not log.damage
    lines = (tmp_path / ap.AUDIT_FILE).read_text(encoding="utf-8").splitlines(keepends=True)
    assert (
        json.loads(lines[1])["prev"] == hashlib.sha256(lines[0].rstrip("\n").encode()).hexdigest()
    )
    for damaged, line in (
        ([lines[0], lines[1].replace("two", "TWO"), lines[2]], 3),
        ([lines[0], lines[2]], 2),
        ([lines[1], lines[2]], 1),
        ([*lines, "not json\n"], 4),
    ):
        (tmp_path / ap.AUDIT_FILE).write_text("".join(damaged), encoding="utf-8")
        log = ap.read_audit(tmp_path)
        assert f"{ap.AUDIT_FILE}:{line}:" in log.damage
        with pytest.raises(WorkflowRefused):
            ap.audit(tmp_path, "four")


@pytest.mark.usefixtures("held")
def test_approval_state_in_each_case(project: Path, run: Run) -> None:
    """Verify the one approval state: none, approved, stale, tampered and damaged, each with a
    reason the secretary can act on."""
    without_pdf(project)
    paths = meetings.Paths.of(MEETING)

    def state() -> ap.ApprovalState:
        return ap.approval_state(paths.out, meetings.load(paths).meeting)

    code = send_review(run)
    assert state().status == "none"
    assert run("approve", MEETING, "--by", CHAIR, "--code", code).exit_code == 0
    assert state().holds and state().record is not None

    final = paths.out / f"poytakirja_{MEETING}.odt"
    original = final.read_bytes()
    final.write_bytes(original + b" ")
    assert state().status == "tampered" and state().changed == (final.name,)
    final.write_bytes(original)

    notes = paths.folder / "notes.yaml"
    text = notes.read_text(encoding="utf-8")
    notes.write_text(text.replace("17:03", "17:04"), encoding="utf-8")
    assert state().status == "stale" and f"minutes send {MEETING} review" in state().reason
    notes.write_text(text, encoding="utf-8")
    assert state().holds

    record = paths.out / ap.APPROVAL_FILE
    kept = record.read_bytes()
    record.write_text("[]", encoding="utf-8")
    assert state().status == "damaged" and ap.APPROVAL_FILE in state().reason
    record.write_bytes(kept)
    audit = paths.out / ap.AUDIT_FILE
    logged = audit.read_text(encoding="utf-8")
    # The approval is the last line: no later line's hash can tell it was edited, but the
    # record is then anchored nowhere, so the approval does not hold.
    audit.write_text(logged.replace('"approved"', '"approvex"'), encoding="utf-8")
    assert state().status == "tampered"
    audit.write_text(logged, encoding="utf-8")
    ap.audit(paths.out, "later step")
    audit.write_text(
        audit.read_text(encoding="utf-8").replace('"approved"', '"approvex"'), encoding="utf-8"
    )
    assert state().status == "damaged"


def test_record_checks_name_the_field(tmp_path: Path) -> None:
    """Verify a record with a wrong field names that field, and a file name with a path in
    `files` is refused."""
    good = {
        "meeting": MEETING,
        "number": "5/2026",
        "fingerprint": "a" * 64,
        "code": "AAAA-AAAA",
        "approved_by": CHAIR,
        "role": "puheenjohtaja",
        "approved_on": "2026-12-08",
        "recorded_at": "2026-12-08T09:00:00+00:00",
        "recorded_by": "sihteeri",
        "templates": {"minutes.docx": "b" * 64},
        "files": {"poytakirja_2026-12-07.docx": "c" * 64},
    }
    (tmp_path / ap.APPROVAL_FILE).write_text(json.dumps(good), encoding="utf-8")
    assert ap.read_approval(tmp_path) is not None
    for change, field in (
        ({"approved_on": "eilen"}, "approved_on"),
        ({"files": {"../x.docx": "c" * 64}}, "files"),
        ({"templates": {"minutes.docx": "short"}}, "templates"),
        ({"role": ""}, "role"),
    ):
        (tmp_path / ap.APPROVAL_FILE).write_text(json.dumps({**good, **change}), "utf-8")
        with pytest.raises(WorkflowRefused, match=field):
            ap.read_approval(tmp_path)

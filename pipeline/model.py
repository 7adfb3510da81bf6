"""The typed model of the roster, the agenda and the notes; no file access."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
)

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"(\d{1,2}):(\d{2})")
_NUMBER = re.compile(r"\d{1,3}/\d{4}")
_GROUP_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,19}")
# XML 1.0 cannot carry C0 controls other than tab, LF and CR, lone surrogates, or U+FFFE/U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def _text(value: Any) -> Any:
    if isinstance(value, str):
        bad = _NOT_XML.search(value)
        if bad:
            raise ValueError(
                f"contains the invisible character U+{ord(bad.group()):04X} that a document "
                "cannot hold; retype the text without it"
            )
    return value


def _date(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise ValueError(f"{value!r} is not a date: write it as YYYY-MM-DD, for example 2026-12-07")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value} is not a date that exists in the calendar") from None


def _time(value: Any) -> Any:
    if isinstance(value, dt.time):
        return value
    match = _TIME.fullmatch(value) if isinstance(value, str) else None
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValueError(f'{value!r} is not a time: write it as HH:MM, for example "17:00"')
    return dt.time(int(match[1]), int(match[2]))


def _number(value: Any) -> Any:
    if not isinstance(value, str):
        raise ValueError("should be a text such as 5/2026")
    if not _NUMBER.fullmatch(value):
        raise ValueError(f"{value!r} is not a meeting number: write it as number/year, e.g. 5/2026")
    return value


def _group_id(value: Any) -> Any:
    if not isinstance(value, str) or not _GROUP_ID.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a group id: use a short lower-case word such as sdp or kesk"
        )
    return value


# The JSON Schema (`minutes schema`) describes what the secretary types: dates, times and meeting
# numbers are texts in YAML, so the schema says text with the pattern `check` accepts.
Text = Annotated[str, AfterValidator(_text)]
Date = Annotated[
    dt.date,
    BeforeValidator(_date),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{4}-\d{2}-\d{2}$",
            "description": "A date as YYYY-MM-DD, for example 2026-12-07",
        }
    ),
]
Time = Annotated[
    dt.time,
    BeforeValidator(_time),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([01]?\d|2[0-3]):[0-5]\d$",
            "description": 'A time as HH:MM, in quotes, for example "17:00"',
        }
    ),
]
GroupId = Annotated[
    str,
    BeforeValidator(_group_id),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^[a-z0-9][a-z0-9_-]{0,19}$",
            "description": "A group's short lower-case id, for example sdp",
        }
    ),
]
MeetingNumber = Annotated[
    str,
    BeforeValidator(_number),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{1,3}/\d{4}$",
            "description": "The meeting's number/year, for example 5/2026",
        }
    ),
]
Format = Literal["docx", "odt", "pdf"]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class Person(Model):
    name: Text
    title: Text = ""
    email: Text = ""
    phone: Text = ""
    group: GroupId | None = None
    public_key: Text = ""  # the chair's Ed25519 key from `minutes keygen`, for `minutes verify`


class Member(Model):
    name: Text
    email: Text = ""
    substitute: bool = False


class Group(Model):
    id: GroupId
    name: Text
    short: Text
    members: tuple[Member, ...] = ()
    distribution: tuple[Text, ...] = ()
    formats: tuple[Format, ...] | None = None


class Smtp(Model):
    host: Text
    port: int = 587
    security: Literal["starttls", "ssl", "none"] = "starttls"
    username: Text = ""
    password_env: Text = ""
    cafile: Text = ""  # an extra CA bundle to trust, for a server with its own certificate


class Mail(Model):
    sender: Text
    formats: tuple[Format, ...] = ("docx", "odt")
    smtp: Smtp | None = None


class Wording(Model):
    disclaimer: Text = ""
    confidentiality: Text = ""


class Organisation(Model):
    municipality: Text
    body: Text
    appointed_by: Text
    language: Literal["fi"] = "fi"
    chair: Person
    vice_chair: Person | None = None
    secretary: Person
    groups: tuple[Group, ...] = Field(min_length=1)
    mail: Mail
    wording: Wording = Wording()


class AgendaItem(Model):
    title: Text
    presenter: Text = ""
    background: Text = ""
    attachments: tuple[Text, ...] = ()
    confidential: bool = False


class Agenda(Model):
    number: MeetingNumber
    date: Date
    start: Time
    end: Time | None = None
    place: Text = ""
    remote: Text = ""
    invited_on: Date | None = None
    previous: Text = ""
    items: tuple[AgendaItem, ...] = Field(min_length=1)


def _present(value: Any) -> Any:
    return {"name": value} if isinstance(value, str) else value


class Present(Model):
    name: Text
    substitute_for: Text = ""


class Guest(Model):
    name: Text
    title: Text = ""
    items: tuple[int, ...] = ()


class Attendance(Model):
    present: tuple[
        Annotated[Present, BeforeValidator(_present, json_schema_input_type=str | Present)], ...
    ] = ()
    absent: tuple[Text, ...] = ()
    guests: tuple[Guest, ...] = ()


class Dissent(Model):
    groups: tuple[GroupId, ...] = Field(min_length=1)
    position: Text


class FollowUp(Model):
    task: Text
    owner: Text = ""
    due: Date | None = None


class Statement(Model):
    text: Text
    public: bool = False


class ItemNotes(Model):
    title: Text = ""
    discussion: Text = ""
    agreed: tuple[Text, ...] = ()
    dissent: tuple[Dissent, ...] = ()
    follow_up: tuple[FollowUp, ...] = ()
    statement: Statement | None = None
    intended_wording: tuple[Text, ...] = ()  # phrases the secretary marked as intended


class Notes(Model):
    opened: Time | None = None
    closed: Time | None = None
    attendance: Attendance = Attendance()
    items: dict[int, ItemNotes] = Field(
        default={}, json_schema_extra={"propertyNames": {"pattern": r"^\d+$"}}
    )
    follow_up_done: tuple[Text, ...] = ()


class Meeting(BaseModel):
    """One meeting's validated inputs: the roster, the agenda and, once held, the notes."""

    model_config = ConfigDict(frozen=True)

    id: str
    organisation: Organisation
    agenda: Agenda
    notes: Notes | None = None

    def followup_id(self, item: int, n: int) -> str:
        return f"{self.agenda.number}-{item}.{n}"

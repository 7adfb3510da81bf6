"""The typed model of the roster, the agenda and the notes; no file access."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    WithJsonSchema,
)

from pipeline.i18n import N_, _
from pipeline.render.picture import Picture
from pipeline.storage import NOT_XML
from pipeline.wording import invisible_characters

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"(\d{1,2}):(\d{2})")
_NUMBER = re.compile(r"\d{1,3}/\d{4}")
_GROUP_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,19}")
_NOT_XML = re.compile(NOT_XML)


def _text(value: Any) -> Any:
    """Text a document can carry, in Unicode NFC: a name typed with decomposed letters is the
    same name."""
    if isinstance(value, str):
        bad = _NOT_XML.search(value)
        if bad:
            raise ValueError(
                _(
                    "contains the invisible character U+{value:04X} that a document "
                    "cannot hold; retype the text without it"
                ).format(value=ord(bad.group()))
            )
        hidden = invisible_characters(value)
        if hidden:
            raise ValueError(
                _(
                    "contains the invisible character {char}, which can hide a word from the "
                    "wording check; retype the text without it"
                ).format(char=hidden[0][1])
            )
        return unicodedata.normalize("NFC", value)
    return value


def address_problem(address: str) -> str:
    """Why an email address would be refused when sending, or "" when it is sound.

    One rule for `check` and `send`: a plain ASCII address with a real domain, as every mail
    server takes it (no internationalised local part: the messages go without SMTPUTF8).
    """
    from email_validator import EmailNotValidError, validate_email

    try:
        valid = validate_email(
            address, check_deliverability=False, allow_smtputf8=False, allow_display_name=False
        )
    except EmailNotValidError as exc:
        return _address_reason(str(exc))
    if valid.normalized.casefold() != address.casefold():
        return _("write it as {address}").format(address=valid.normalized)
    return ""


# email_validator's reasons (English only) in the secretary's words, the first that fits.
_ADDRESS_REASONS = (
    ("must have an @-sign", N_("the @ sign is missing")),
    ("something before the @-sign", N_("there is nothing before the @ sign")),
    ("something after the @-sign", N_("there is nothing after the @ sign")),
    ("display name and angle brackets", N_("write the address alone, without a name or <>")),
    ("two periods in a row", N_("it has two full stops in a row")),
    ("too long", N_("it is too long")),
    ("The part after the @-sign", N_("the part after the @ sign is not a domain mail can go to")),
    ("before the @-sign", N_("the part before the @ sign has characters an address cannot have")),
)


def _address_reason(reason: str) -> str:
    found = next((words for text, words in _ADDRESS_REASONS if text in reason), "")
    return _(found) if found else _("it has characters an address cannot have")


def control_character(text: str) -> bool:
    """Any character that could end or bend a mail header line: CR, LF, other controls."""
    return any(unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp") for c in text)


def mailbox_problem(value: str) -> str:
    """Why a sender such as `Teppo Testaaja <teppo@example.fi>` would be refused, or ""."""
    from email import policy
    from email.utils import parseaddr

    if control_character(value):
        return _("it contains a line break or control character; write it on one line")
    one = _("write exactly one address, such as Teppo Testaaja <teppo.testaaja@example.fi>")
    header = policy.SMTP.header_factory("from", value)
    addresses: tuple[Any, ...] = getattr(header, "addresses", ())
    if len(addresses) != 1 or header.defects:
        return one
    name, addr_spec = addresses[0].display_name, addresses[0].addr_spec
    # Two parsers that disagree, or a name that looks like an address, smuggle a second one.
    if any(c in name for c in '@<>,;:"') or parseaddr(value) != (name, addr_spec):
        return one
    return address_problem(addr_spec)


def _date(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise ValueError(
            _("{value!r} is not a date: write it as YYYY-MM-DD, for example 2026-12-07").format(
                value=value
            )
        )
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(
            _("{value} is not a date that exists in the calendar; check the day and month").format(
                value=value
            )
        ) from None


def _time(value: Any) -> Any:
    if isinstance(value, dt.time):
        return value
    match = _TIME.fullmatch(value) if isinstance(value, str) else None
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValueError(
            _('{value!r} is not a time: write it as HH:MM, for example "17:00"').format(value=value)
        )
    return dt.time(int(match[1]), int(match[2]))


def _number(value: Any) -> Any:
    if not isinstance(value, str):
        raise ValueError(_("should be a text such as 5/2026"))
    if not _NUMBER.fullmatch(value):
        raise ValueError(
            _("{value!r} is not a meeting number: write it as number/year, e.g. 5/2026").format(
                value=value
            )
        )
    return value


def _group_id(value: Any) -> Any:
    if not isinstance(value, str) or not _GROUP_ID.fullmatch(value):
        raise ValueError(
            _(
                "{value!r} is not a group id: use a short lower-case word such as sdp or kesk"
            ).format(value=value)
        )
    return value


# The JSON Schema (`minutes schema`) describes what the secretary types: dates, times and meeting
# numbers are texts in YAML, so the schema says text with the pattern `check` accepts; its
# descriptions are what the editor shows the secretary, in Finnish.
Text = Annotated[str, AfterValidator(_text)]
Date = Annotated[
    dt.date,
    BeforeValidator(_date),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{4}-\d{2}-\d{2}$",
            "description": "Päivämäärä muodossa VVVV-KK-PP, esimerkiksi 2026-12-07",
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
            "description": 'Kellonaika muodossa HH:MM lainausmerkeissä, esimerkiksi "17:00"',
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
            "description": "Ryhmän lyhyt tunnus pienin kirjaimin, esimerkiksi sdp",
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
            "description": "Kokouksen numero muodossa numero/vuosi, esimerkiksi 5/2026",
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
    record: Literal["pöytäkirja", "muistio"] = "pöytäkirja"  # what the record is called
    disclaimer: Text = ""
    confidentiality: Text = ""


class Organisation(Model):
    municipality: Text
    logo: Text = Field(
        default="",
        description="The municipality's logo or coat of arms: a PNG or SVG file beside "
        "organisation.yaml, printed at the top left of every document",
    )
    body: Text
    appointed_by: Text
    language: Literal["fi"] = "fi"
    chair: Person
    vice_chair: Person | None = None
    secretary: Person
    groups: tuple[Group, ...] = Field(min_length=1)
    mail: Mail
    wording: Wording = Wording()
    # The logo file read and checked by loading (None without `logo:`); not part of the data.
    _logo: Picture | None = PrivateAttr(default=None)

    @property
    def logo_picture(self) -> Picture | None:
        return self._logo

    @property
    def officers(self) -> tuple[Person, ...]:
        """The chair, the vice-chair when there is one, and the secretary."""
        return tuple(p for p in (self.chair, self.vice_chair, self.secretary) if p is not None)

    def formats_of(self, group: Group) -> tuple[Format, ...]:
        """The formats a group receives its documents in: its own, else `mail.formats`."""
        return group.formats or self.mail.formats


def _attachment(value: Any) -> Any:
    return {"title": value} if isinstance(value, str) else value


class Attachment(Model):
    """A paper that goes with an agenda item; with a `file` (relative to the meeting folder) it
    is attached to the invitation emails, else it is delivered separately."""

    title: Text
    file: Text = ""


class AgendaItem(Model):
    title: Text
    presenter: Text = ""
    background: Text = ""
    attachments: tuple[
        Annotated[
            Attachment, BeforeValidator(_attachment, json_schema_input_type=Text | Attachment)
        ],
        ...,
    ] = ()
    confidential: bool = False
    intended_wording: tuple[Text, ...] = ()  # phrases the secretary marked as intended


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


def _item_notes(value: Any) -> Any:
    """An item number with nothing under it (`4:`) is an item with nothing recorded."""
    return {} if value is None else value


class Notes(Model):
    opened: Time | None = None
    closed: Time | None = None
    attendance: Attendance = Attendance()
    items: dict[
        int,
        Annotated[ItemNotes, BeforeValidator(_item_notes, json_schema_input_type=ItemNotes | None)],
    ] = Field(default={}, json_schema_extra={"propertyNames": {"pattern": r"^\d+$"}})
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

    def held_by(self, day: dt.date) -> bool:
        """Whether the meeting counts as held on `day`: its date has come (as approval asks)
        and its notes are written. Notes written ahead of the date are not a held meeting:
        nothing of it (attendance, follow-ups, follow-ups reported done) counts before then."""
        return self.notes is not None and self.agenda.date <= day

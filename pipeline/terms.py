"""Finnish words the documents, emails and messages inflect: the record's name, person names.

The record is called *pöytäkirja* or *muistio* (`wording.record`). Its forms are written out in a
table, one row per word, never made by gluing endings on: *muistio* + *n* happens to work, but
*pöytäkirja* + *luonnos* would not be one word, and the next word someone adds will not follow
the first two.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

RecordWord = Literal["pöytäkirja", "muistio"]
DEFAULT_RECORD: RecordWord = "pöytäkirja"


@dataclass(frozen=True)
class Record:
    """Every form of the record's name that a text uses."""

    nominative: str  # pöytäkirja: "Tämä pöytäkirja ei ole …"
    genitive: str  # pöytäkirjan: "Pöytäkirjan hyväksyminen"
    partitive: str  # pöytäkirjaa: "ei ole vielä hyväksynyt pöytäkirjaa"
    inessive: str  # pöytäkirjassa
    elative: str  # pöytäkirjasta
    draft: str  # pöytäkirjaluonnos (one word)
    draft_genitive: str  # pöytäkirjaluonnoksen
    draft_partitive: str  # pöytäkirjaluonnosta
    stem: str  # file names: poytakirja_5-2026.docx, ASCII only

    @property
    def title(self) -> str:
        """The document's title and the start of a sentence: *Pöytäkirja*."""
        return self.nominative[:1].upper() + self.nominative[1:]

    @property
    def name(self) -> str:
        """The document's name in the header: *PÖYTÄKIRJA*."""
        return self.nominative.upper()

    @property
    def draft_mark(self) -> str:
        """The draft marking, one word: *PÖYTÄKIRJALUONNOS*."""
        return self.draft.upper()


RECORDS: dict[str, Record] = {
    "pöytäkirja": Record(
        nominative="pöytäkirja",
        genitive="pöytäkirjan",
        partitive="pöytäkirjaa",
        inessive="pöytäkirjassa",
        elative="pöytäkirjasta",
        draft="pöytäkirjaluonnos",
        draft_genitive="pöytäkirjaluonnoksen",
        draft_partitive="pöytäkirjaluonnosta",
        stem="poytakirja",
    ),
    "muistio": Record(
        nominative="muistio",
        genitive="muistion",
        partitive="muistiota",
        inessive="muistiossa",
        elative="muistiosta",
        draft="muistioluonnos",
        draft_genitive="muistioluonnoksen",
        draft_partitive="muistioluonnosta",
        stem="muistio",
    ),
}


def record(word: str = DEFAULT_RECORD) -> Record:
    """The forms of the record's name set in `wording.record`."""
    return RECORDS[word]


# The placeholders a translated message may use for the record's name, though its English msgid
# (which says "minutes") does not: Finnish inflects the word the roster chose.
MESSAGE_FORMS = (
    "record",
    "record_genitive",
    "record_partitive",
    "record_inessive",
    "record_elative",
    "Record",
    "draft",
    "Draft",
)


def message_forms(word: str = DEFAULT_RECORD) -> dict[str, str]:
    """`.format(**message_forms(...))` values for a message that names the record."""
    forms = record(word)
    return {
        "record": forms.nominative,
        "record_genitive": forms.genitive,
        "record_partitive": forms.partitive,
        "record_inessive": forms.inessive,
        "record_elative": forms.elative,
        "Record": forms.title,
        "draft": forms.draft,
        "Draft": forms.draft[:1].upper() + forms.draft[1:],
    }


# Person names in the genitive ("Kalle Korvaava (varajäsen, Sanna Sijaisen tilalla)").
#
# Voikko analyses words but has no generator, so the genitive comes from the rules of Finnish
# names (Kielitoimiston ohjepankki: nimien taivutus): only the last part of a full name is
# inflected; -nen → -sen; old words that end a surname keep their old stems (Koski → Kosken,
# Mäki → Mäen, Laine → Laineen, Kangas → Kankaan); -s after a vowel → -ksen (Markus →
# Markuksen); a double k, p or t before the last vowel is made single (Pekka → Pekan,
# Antti → Antin); a name ending in another consonant takes -in (Mikael → Mikaelin).

_OLD_STEMS = {  # the last part of a surname (or the whole of one) → its genitive
    "mäki": "mäen",
    "koski": "kosken",
    "lahti": "lahden",
    "järvi": "järven",
    "kivi": "kiven",
    "lehti": "lehden",
    "niemi": "niemen",
    "saari": "saaren",
    "joki": "joen",
    "salmi": "salmen",
    "lampi": "lammen",
    "vuori": "vuoren",
    "laine": "laineen",
    "rinne": "rinteen",
    "kangas": "kankaan",
    "mies": "miehen",
}
_VOWELS = "aeiouyäöå"
_GRADATION = ("kk", "pp", "tt")


def genitive(full_name: str) -> str:
    """The genitive of a person's name: *Sanna Sijainen* → *Sanna Sijaisen*."""
    name = full_name.strip()
    head, space, last = name.rpartition(" ")
    return f"{head}{space}{_genitive_word(last)}" if last else name


def _genitive_word(word: str) -> str:
    if "-" in word:  # Anna-Kaisa, Mäki-Kangas: the last part inflects
        first, _, rest = word.rpartition("-")
        return f"{first}-{_genitive_word(rest)}"
    lower = word.casefold()
    for ending, form in _OLD_STEMS.items():
        if lower.endswith(ending):
            return word[: len(word) - len(ending)] + _same_case(form, word[-len(ending) :])
    if lower.endswith("nen"):
        return word[:-3] + "sen"
    if lower[-1:] in _VOWELS:
        stem = word[:-1]
        if stem[-2:].casefold() in _GRADATION and len(stem) > 2:
            stem = stem[:-1]  # Pekka → Peka-, Antti → Anti-
        return f"{stem}{word[-1]}n"
    if lower.endswith("s") and lower[-2:-1] in _VOWELS:
        return f"{word[:-1]}ksen"  # Markus → Markuksen, Tuomas → Tuomaksen
    return f"{word}in"  # Mikael → Mikaelin, Lindholm → Lindholmin


def _same_case(form: str, original: str) -> str:
    return form[:1].upper() + form[1:] if original[:1].isupper() else form

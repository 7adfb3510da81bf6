"""The communication guard (rule 4): finds decision language in what the group writes.

Two guards: the Finnish morphology of Voikko (lemmas, cases, compound heads, negation; see
`find_decision_language`), and, where Voikko is not installed, the older regular-expression
rules on word stems (`find_with_rules`).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.errors import Problem
from pipeline.i18n import _

if TYPE_CHECKING:  # the model validates its texts with this module's invisible_characters
    from pipeline.loading import Source
    from pipeline.model import Meeting


@dataclass(frozen=True)
class Finding:
    """One occurrence of decision language, with the group's own words to use instead."""

    word: str  # the flagged word as it appears in the text ("päätettiin")
    start: int  # offset of the word in the checked text
    end: int
    sentence: str  # the sentence it appears in, stripped
    suggestion: str
    reason: str = ""  # why it reads as a decision (the Voikko guard says)


# --- Decision vocabulary: (kind, pattern); a pattern must match a whole word. ---------------------
_CLITIC = r"(?:kin|kaan|kään|ko|kö|han|hän|pa|pä)?"
_DECISION_WORDS: tuple[tuple[str, str], ...] = (
    # päättää, strong grade (päätti, päättivät, päättää, päättäisi, päättänyt, päättäneet, ...),
    # but not päättäjä (decision-maker), päättäväinen (resolute) or päättäminen (the agenda item
    # "Kokouksen päättäminen": closing). päättyä (to end) has "y" and never matches.
    ("verb", r"päätt[äi](?!j|väi|mi[ns])\w*"),
    # päättää, weak grade active: päätin, päätimme, päätän, ... Bare "päätä" is left out: it is
    # also the partitive of "pää" (head), and as a verb only ever negated ("ei päätä").
    ("verb", rf"päät(?:in|it|imme|itte|än|ät|ämme|ätte){_CLITIC}"),
    # päättää, passive: päätetään, päätettiin, päätetty, päätettävä, päätetyt, ... Listed
    # one by one because "pää-t..." starts many compounds: päätehtävä, päätelmä, päätepiste.
    ("verb", rf"päätet(?:ään|tiin|täisiin|täköön|täneen|tävä\w*|ty\w*|y[nitslk]\w*){_CLITIC}"),
    # päätös in every case, also as a compound's head (yhteispäätös) or first part
    # (päätösehdotus); not päätön (headless), not päätöksenteko (the city's decision-making,
    # which rules 1 and 7 say the group supports).
    ("noun", r"\w*päätö(?:s|ks)(?!ente)\w*"),
    ("approve", r"hyväksy\w*"),
    # vahvistaa also means "strengthen" ("vahvistaa vuoropuhelua", rule 7), so only the past and
    # passive forms that minutes use for ratifying are flagged.
    ("verb", rf"vahvist(?:ettiin|i|ivat|ettu\w*|etu\w*|etaan){_CLITIC}"),
    ("english", r"decid(?:e|es|ed|ing)|decisions?|resolved|resolutions?|approv(?:e|es|ed)"),
)
_ENGLISH = re.compile(dict(_DECISION_WORDS)["english"], re.IGNORECASE)
_DECISION = re.compile(
    "|".join(
        rf"(?P<{kind}{i}>\b(?:{pattern})\b)" for i, (kind, pattern) in enumerate(_DECISION_WORDS)
    ),
    re.IGNORECASE,
)
# päättää + "kokouksen" (active) or "kokous" (passive) is closing the meeting, not deciding.
_ACTIVE_PÄÄTTÄÄ = re.compile(r"päät(?:t[äi]|in|it|än|ät)\w*", re.IGNORECASE)
_PASSIVE_PÄÄTTÄÄ = re.compile(r"päätet\w*", re.IGNORECASE)

_ALTERNATIVES = {  # the words themselves, in either language of the messages
    "verb": '"sovittiin" / "linjattiin" / "todettiin" / "suositellaan"',
    "approve": '"sovittiin" / "todettiin yhteisesti"',
    "noun": '"linjaus" / "yhteinen näkemys" / "suositus"',
    "english": '"agreed" / "aligned" / "noted" / "recommends"',
}

# --- Official bodies: a decision by one of them is a fact, not a decision of the group. ---------
# Only the cases in which a body decides or owns the decision are listed: nominative (subject),
# genitive (owner: "valtuuston päätös") and inessive (place: "valtuustossa päätettiin"); not the
# allative of "kaupunginhallitukselle päätettiin esittää", where the group decides. Any prefix is
# allowed (kaupungin-, sivistys-, tarkastus-); whole words only, so "valtuustoryhmä" (a political
# group) and "neuvotteluryhmä" never count.
_KUNTA = r"(?:lauta|johto|edus)kun"
_BODY_SUBJECT = (
    r"valtuustot?",
    r"hallitus|hallitukset",
    rf"{_KUNTA}ta|{_KUNTA}nat",
    r"jaostot?",
    r"valtioneuvostot?",
    r"ministeriöt?",
    r"kaupunginjohtajat?",
    r"viranhaltijat?",
)
_BODY_OWNER = (
    r"valtuusto(?:n|jen)",
    r"hallitu(?:ksen|sten)",
    rf"{_KUNTA}(?:nan|tien)",
    r"jaosto(?:n|jen)",
    r"valtioneuvoston",
    r"ministeriö(?:n|iden)",
    r"kaupunginjohtaja(?:n|ien)",
    r"viranhaltija(?:n|in|ien)|viranhaltijoiden",
)
_BODY_PLACE = (
    r"valtuusto(?:ssa|issa)",
    r"hallitu(?:ksessa|ksissa)",
    rf"{_KUNTA}(?:nassa|nissa)",
    r"jaosto(?:ssa|issa)",
    r"valtioneuvostossa",
    r"ministeriö(?:ssä|issä)",
)
_ENGLISH_BODY = r"(?:councils?|boards?|committees?|parliament|government|ministry)(?:['’]s)?"
_BODY = re.compile(
    rf"[\w-]*(?:{'|'.join(_BODY_SUBJECT + _BODY_OWNER + _BODY_PLACE)})|{_ENGLISH_BODY}",
    re.IGNORECASE,
)
# After the verb only the subject or the place: "Asiasta päättää kaupunginvaltuusto", but
# "päätettiin kaupunginhallituksen esityksen mukaisesti" is the group deciding.
_BODY_AFTER = re.compile(rf"[\w-]*(?:{'|'.join(_BODY_SUBJECT + _BODY_PLACE)})", re.IGNORECASE)
# "valtuustopäätös", "viranhaltijapäätös": the first part of the compound names the body.
_BODY_COMPOUND = re.compile(
    rf"[\w-]*(?:valtuusto|hallitus|{_KUNTA}ta|jaosto|valtioneuvosto|ministeriö|"
    r"kaupunginjohtaja|viranhaltija)",
    re.IGNORECASE,
)
# How many words before the decision word the subject or owner may stand ("Kaupunginhallitus on
# kokouksessaan 3.11. yksimielisesti hyväksynyt"); numbers and dates are not counted.
_WINDOW = 4
# A new subject starts here: the backward look for an official body stops at these words.
_STOP_WORD = re.compile(
    r"\w*ryhm\w*|että|jotta|mutta|koska|kun|jos|me|group\w*|we|that|but|which", re.IGNORECASE
)
_CLOSING_OBJECT = re.compile(r"kokouksen|istunnon|keskustelun", re.IGNORECASE)
_CLOSING_SUBJECT = re.compile(r"kokous|istunto|keskustelu", re.IGNORECASE)  # of the passive
# What may follow "päätti kokouksen" when it means closing ("... klo 18.52", "... ja kiitti").
_CLOSING_TAIL = re.compile(r"klo|kello|ja|puheenjohtaja", re.IGNORECASE)

# --- Sentences and tokens -----------------------------------------------------------------------
# Abbreviations after which a full stop does not end the sentence (ks. Liite 2).
_ABBREVIATIONS = frozenset(
    {"esim", "mm", "ns", "ks", "kts", "vrt", "jne", "yms", "ym", "tms", "ts", "ao", "em", "puh"}
    | {"os", "nk", "huom", "klo", "e.g", "i.e", "etc"}
)
_LIST_MARKER = r"[ \t]*(?:[-*+•]|\d+[.)])[ \t]+"
_BOUNDARY = re.compile(
    r"\n\s*\n"  # a blank line
    rf"|(?:\A|\n){_LIST_MARKER}"
    r"|\n(?![ \t]*[a-zåäö0-9])"  # a line break, unless the sentence goes on in lower case
    r"|(?P<full_stop>(?<=[.!?])\s+(?=[\"'“”(]?[A-ZÅÄÖ]))"
)
_WORD_BEFORE_STOP = re.compile(r"(?<![^\s(])([^\s(]+)\.$")
_TOKEN = re.compile(
    r"(?P<number>\d+(?:[.:,]\d+)*\.?)|(?P<word>[^\W\d_]+(?:[-'’][^\W\d_]+)*)|(?P<stop>[,;:()–—])"
)


@dataclass(frozen=True)
class _Token:
    kind: str  # "word", "number" or "stop"
    text: str
    start: int


def find_with_rules(text: str, intended: Sequence[str] = ()) -> list[Finding]:
    """The regular-expression rules (the fallback without Voikko): every word that makes the
    group look like a decision-making body, in text order.

    A finding is left out when an official body is the subject or owner of the decision (a fact
    about that body), when "päätti kokouksen" means closing the meeting, and when its sentence
    contains one of the `intended` phrases the secretary marked.
    """
    wanted = [_normalise(phrase) for phrase in intended if _normalise(phrase)]
    sentences = _sentences(text)
    findings = []
    for match in _DECISION.finditer(text):
        start, end = match.span()
        sentence_start, sentence_end = sentences[bisect_right(sentences, (start, len(text))) - 1]
        sentence = text[sentence_start:sentence_end]
        tokens = [
            _Token(str(m.lastgroup), m.group(), sentence_start + m.start())
            for m in _TOKEN.finditer(sentence)
        ]
        # The first token that ends after the match's start is the word ("-päätös" too).
        at = next(i for i, token in enumerate(tokens) if token.start + len(token.text) > start)
        kind = str(match.lastgroup).rstrip("0123456789")
        if _by_official_body(tokens, at, kind, match.group()) or _closes_meeting(tokens, at):
            continue
        if any(phrase in _normalise(sentence) for phrase in wanted):
            continue
        word = match.group()
        suggestion = _('write {alternatives} instead of "{word}"').format(
            alternatives=_ALTERNATIVES[kind], word=word
        )
        findings.append(Finding(word, start, end, sentence.strip(), suggestion))
    return findings


def _normalise(phrase: str) -> str:
    return " ".join(phrase.casefold().split())


def _sentences(text: str) -> list[tuple[int, int]]:
    """The spans of the text's sentences; together they cover every character."""
    cuts = [0]
    for boundary in _BOUNDARY.finditer(text):
        end = boundary.start()
        before = _WORD_BEFORE_STOP.search(text, max(0, end - 20), end)
        if boundary.lastgroup == "full_stop" and before:
            # A date or number ("12.11.2026.") ends a sentence; an abbreviation or initial does not.
            stem = before.group(1).lower()
            if stem in _ABBREVIATIONS or (len(stem) == 1 and stem.isalpha()):
                continue
        cuts += [boundary.start(), boundary.end()]
    cuts.append(len(text))
    return [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts), 2) if cuts[i] < cuts[i + 1]]


def _by_official_body(tokens: list[_Token], at: int, kind: str, word: str) -> bool:
    """Whether an official body decided ("Kaupunginvaltuusto päätti", "valtuuston päätös")."""
    prefix = re.split("päätö", word, flags=re.IGNORECASE)[0] if kind == "noun" else ""
    if prefix and _BODY_COMPOUND.fullmatch(prefix.rstrip("-")):
        return True
    words = 0
    for token in reversed(tokens[:at]):
        if token.kind == "stop" or words == _WINDOW or _STOP_WORD.fullmatch(token.text):
            break
        if token.kind == "word":
            if _BODY.fullmatch(token.text):
                return True
            words += 1
    after = tokens[at + 1 : at + 6]
    if after and after[0].text.lower() == "by":  # "approved by the city council"
        return any(_BODY.fullmatch(token.text) for token in after[1:])
    if kind in ("verb", "approve"):  # verb first: "Talousarvion hyväksyy kaupunginvaltuusto."
        for token in after[:2]:
            if token.kind == "stop" or _STOP_WORD.fullmatch(token.text):
                break
            if _BODY_AFTER.fullmatch(token.text):
                return True
    return False


def _closes_meeting(tokens: list[_Token], at: int) -> bool:
    """Whether päättää means closing: "päätti kokouksen klo 18.52", "Kokous päätettiin."."""
    verb = tokens[at].text
    if _ACTIVE_PÄÄTTÄÄ.fullmatch(verb):
        closed = _CLOSING_OBJECT
    elif _PASSIVE_PÄÄTTÄÄ.fullmatch(verb):
        closed = _CLOSING_SUBJECT
    else:
        return False

    def is_closed(i: int) -> bool:
        return 0 <= i < len(tokens) and bool(closed.fullmatch(tokens[i].text))

    def clause_ends(i: int) -> bool:
        # "päätti kokouksen lopuksi, että ..." decides something at the end of the meeting.
        return (
            i >= len(tokens)
            or tokens[i].kind != "word"
            or bool(_CLOSING_TAIL.fullmatch(tokens[i].text))
        )

    return (is_closed(at + 1) and clause_ends(at + 2)) or (
        is_closed(at - 1) and clause_ends(at + 1)
    )


# === The guard on Voikko's morphology ==========================================================
#
# Each sentence is cut into clauses (at punctuation, conjunctions and relative pronouns); each
# word gets Voikko's analyses: base form, case, mood, person, participle, compound parts. A
# decision word is a verb of deciding (its lemma), a noun whose compound head is "päätös" or a
# vote, or a formula of statutory meetings. It is a fact, not the group's decision, when an
# official body is its agent: the subject of the active verb, the genitive agent of a participle,
# infinitive or noun ("valtuuston päätös", "hallituksen hyväksymä"), or the place of a passive
# ("valtuustossa päätettiin"). A negated clause passes unless it records a refusal (the past of
# the passive or of the whole group: "Esitystä ei hyväksytty"), and so does closing a meeting.
# A word Voikko does not know is read as the word it stands for: hyphenated across a line,
# written with look-alike letters of another script, or misspelt by one letter.

_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb]"
)


def strip_invisible(text: str) -> str:
    """The text without the invisible characters that could hide a word from the guard."""
    return _INVISIBLE.sub("", text)


def invisible_characters(text: str) -> list[tuple[int, str]]:
    """Each invisible character of the text: its offset and what it is ("U+00AD soft hyphen")."""
    found = []
    for match in _INVISIBLE.finditer(text):
        char = match.group()
        found.append((match.start(), f"U+{ord(char):04X} {_invisible_name(char)}"))
    return found


def _invisible_name(char: str) -> str:
    names = {
        "\u00ad": _("soft hyphen"),
        "\u200b": _("zero-width space"),
        "\u200c": _("zero-width non-joiner"),
        "\u200d": _("zero-width joiner"),
        "\u200e": _("left-to-right mark"),
        "\u200f": _("right-to-left mark"),
        "\u202e": _("right-to-left override"),
        "\u2060": _("word joiner"),
        "\ufeff": _("zero-width no-break space"),
    }
    return names.get(char) or _("invisible formatting character")


@cache
def _voikko() -> Any:
    """Voikko's Finnish analyser, or None when the library or its dictionary is missing."""
    try:
        import libvoikko  # type: ignore[import-not-found]

        return libvoikko.Voikko("fi")
    except Exception:  # ImportError, OSError, or libvoikko's own bare exceptions
        return None


def voikko_available() -> bool:
    return _voikko() is not None


def voikko_missing() -> str:
    """The warning when Voikko is not installed: what it costs and how to install it."""
    return _(
        "Voikko (Finnish morphology) is not installed, so the wording check uses its older and "
        "less accurate rules. Install it with `bash scripts/setup.sh` (Debian packages "
        "libvoikko1 and voikko-fi, Python package libvoikko)."
    )


def find_decision_language(text: str, intended: Sequence[str] = ()) -> list[Finding]:
    """Every word that makes the group look like a decision-making body, in text order.

    With Voikko the Finnish morphology decides; without it, the older rules. A finding is left
    out when its sentence contains one of the `intended` phrases (at least three words).
    """
    if _voikko() is None:
        return find_with_rules(text, intended)
    return find_with_voikko(text, intended)


# --- Vocabulary, as lemmas ------------------------------------------------------------------------
# Verbs of deciding, approving, rejecting, choosing, voting and binding.
_DECIDE = frozenset(
    {"päättää", "hyväksyä", "ratkaista", "valita", "hylätä", "hyljätä", "äänestää", "sitoutua"}
    | {"kumota", "määrätä", "valtuuttaa", "velvoittaa", "sitoa", "vahvistaa", "edellyttää"}
    | {"nimetä", "myöntää", "oikeuttaa", "kieltää"}
)
# Verbs that are decisions only when the group (or the passive) is their agent: "Hanke edellyttää
# rahoitusta", "Kuntalaki velvoittaa kuntaa", "Laki kieltää luovuttamisen" have a thing as their
# subject.
_ONLY_BY_GROUP = frozenset({"edellyttää", "velvoittaa", "oikeuttaa", "kieltää", "määrätä"})
# nimetä appoints only a person or a group ("nimesi työryhmän", "edustajakseen", "työryhmään");
# "Ryhmät nimesivät kolme riskiä" and "nimesivät haasteiksi" name things. These are the
# compound heads of whom one appoints.
_APPOINTABLE = (
    "ryhmä", "edustaja", "jäsen", "johtaja", "sihteeri", "tarkastaja", "henkilö", "vastaava",
    "valtuutettu", "asiantuntija", "neuvottelija", "yhdyshenkilö",
)  # fmt: skip
# myöntää grants these things (or anything to a recipient: "hankkeelle myönnettiin"); otherwise
# it admits ("myönsi, että aikataulu on tiukka").
_GRANTABLE = (
    "avustus", "lupa", "raha", "rahoitus", "määräraha", "aika", "vapautus", "lykkäys", "euro",
    "tuki", "oikeus", "poikkeus", "lisäaika", "valtuus", "korvaus", "palkkio", "etu",
)  # fmt: skip
# The passive of a wish or a recommendation's että-clause is what others are to do: "Ryhmät
# pitivät tärkeänä, että asia ratkaistaan pian", "suosittelevat, että esitys hyväksytään".
_WISHING = frozenset(
    {"suositella", "suosittaa", "toivoa", "ehdottaa", "pitää", "katsoa", "korostaa", "painottaa"}
    | {"esittää", "odottaa", "tavoitella"}
)
# What a meeting tables or returns for preparation (compound heads: "asiakohta", "muutosesitys").
_MATTERS = ("asia", "esitys", "ehdotus", "kohta", "aloite", "lausunto", "kannanotto")
# What antaa gives as an order, besides a task: a mandate, a permission.
_ORDERS = frozenset({"valtuus", "valtakirja", "lupa", "määräys", "käsky", "toimeksianto"})
# Deciding in the whole group's name: as the subject of a negated past verb, a refusal is the
# group's decision ("Neuvotteluryhmä ei hyväksynyt esitystä"); one group's is its dissent.
_WHOLE_GROUP = ("neuvotteluryhmä", "kokous")
# People whose acceptance (hyväksyntä) is their consent, not a decision.
_PUBLIC = frozenset(
    {"asukas", "kuntalainen", "kaupunkilainen", "henkilöstö", "työntekijä", "yleisö", "väestö"}
    | {"käyttäjä", "yhteisö", "omistaja", "naapuri", "maanomistaja", "kansalainen"}
)
# The political groups, each of which decides its own positions (rule 1).
_POLITICAL = ("valtuustoryhmä", "puolue")
# A negation with these denies any decision ("Mitään ei hyväksytty"), it records no refusal.
_NONE = frozenset({"mikään", "kukaan", "ei mikään"})
# vahvistaa approves only these things; otherwise it strengthens or confirms ("vahvistaa
# luottamusta", "vahvisti, että hanke etenee").
_APPROVABLE = (
    "pöytäkirja", "muistio", "lista", "työjärjestys", "talousarvio", "raami", "suunnitelma",
    "linjaus", "kanta", "sopimus", "ohjelma", "strategia", "päätös", "esitys", "ehdotus", "kaava",
    "tilinpäätös", "sääntö", "hinnasto", "taksa", "prosentti", "aikataulu", "periaate", "valinta",
    "budjetti", "määräraha", "kannanotto", "lausunto", "tiedote", "sanamuoto", "sisältö",
)  # fmt: skip
# päättää with these as object (or passive subject) closes something: "päätti kokouksen".
_CLOSABLE = frozenset({"kokous", "istunto", "keskustelu", "puheenvuoro", "esittely", "käsittely"})
# What may follow "päätti kokouksen" when it means closing ("... klo 18.52", "... ja kiitti").
_CLOSING_NEXT = frozenset({"klo", "kello", "ja", "puheenjohtaja", "kiittää"})

# Official bodies, as lemmas or the last part of a compound lemma ("sivistyslautakunta").
_BODY_ENDINGS = (
    "valtuusto", "hallitus", "lautakunta", "johtokunta", "jaosto", "valtioneuvosto", "eduskunta",
    "ministeriö", "virasto", "viranhaltija", "kaupunginjohtaja", "kunnanjohtaja", "hyvinvointialue",
    "hallinto-oikeus", "käräjäoikeus", "hovioikeus", "markkinaoikeus", "tuomioistuin",
    "ely-keskus", "kuntayhtymä", "toimielin", "kaupunki", "kunta",
    "johtaja",  # sivistysjohtaja, tekninen johtaja: office holders decide by law
)  # fmt: skip
_NOT_BODIES = frozenset({"puheenjohtaja", "varapuheenjohtaja"})
# Official bodies Voikko does not know, written as acronyms ("AVI:n").
_BODY_ACRONYMS = frozenset(
    {"avi", "ely", "kho", "hao", "stm", "okm", "vm", "tem", "ym", "mmm", "lvm", "sm", "om", "um"}
    | {"kela", "thl", "valvira", "kkv", "traficom", "vtv"}
)
# The group and its members: as the agent they make a decision of the group.
_GROUP_ENDINGS = ("ryhmä", "puolue", "osapuoli", "kokous", "jäsen", "valtuutettu")
# Words that start a new clause (with the punctuation of _STOP).
_CLAUSE_WORDS = frozenset(
    {"että", "jotta", "koska", "kun", "jos", "mutta", "vaan", "joten", "sillä", "jolloin"}
    | {"kunnes", "vaikka", "ja", "sekä", "tai", "eikä", "miten", "miksi", "kuinka", "milloin"}
)
# A clause that starts with these goes on with the subject of the clause before it.
_COORDINATING = frozenset({"ja", "sekä", "tai", "eikä"})
_RELATIVE = frozenset({"joka", "mikä"})

_CASE_ENDINGS = {  # of an acronym: AVI:n, ELY:ssä
    "n": "omanto",
    "ssa": "sisaolento",
    "ssä": "sisaolento",
    "sta": "sisaeronto",
    "stä": "sisaeronto",
    "lle": "ulkotulento",
    "lta": "ulkoeronto",
    "ltä": "ulkoeronto",
    "lla": "ulkoolento",
    "llä": "ulkoolento",
    "iin": "sisatulento",
    "ta": "osanto",
    "tä": "osanto",
    "a": "osanto",
    "ä": "osanto",
}

_WORD = re.compile(
    r"(?P<number>\d+(?:[.:,–-]\d+)*\.?)"
    r"|(?P<word>[^\W\d_]+(?:[-'’][^\W\d_]+)*(?::[^\W\d_]{1,4})?-?)"
    r"|(?P<stop>[,;:()–—?!])"
)


@dataclass
class _Word:
    kind: str  # "word", "number" or "stop"
    text: str  # without invisible characters
    start: int  # offsets in the original text
    end: int
    readings: list[dict[str, str]] = field(default_factory=list)

    def lemmas(self) -> set[str]:
        return {r["BASEFORM"].lower() for r in self.readings if "BASEFORM" in r}

    def cases(self) -> set[str]:
        return {r.get("SIJAMUOTO", "") for r in self.readings}

    def is_lemma(self, *lemmas: str) -> bool:
        return bool(self.lemmas() & set(lemmas))

    def in_case(self, case: str, of: Callable[[dict[str, str]], bool]) -> bool:
        return any(r.get("SIJAMUOTO") == case and of(r) for r in self.readings)


def _is_body(reading: dict[str, str]) -> bool:
    lemma = reading.get("BASEFORM", "").lower()
    if lemma in _NOT_BODIES or reading.get("ACRONYM") == "group":
        return False
    return reading.get("ACRONYM") == "body" or lemma.endswith(_BODY_ENDINGS)


def _is_group(reading: dict[str, str]) -> bool:
    lemma = reading.get("BASEFORM", "").lower()
    return lemma.endswith(_GROUP_ENDINGS) or lemma in {"me", "puheenjohtaja", "sihteeri"}


def _verb(reading: dict[str, str]) -> str:
    """The verb lemma of a finite verb, an infinitive or a participle ("" for other words)."""
    if reading.get("CLASS") == "teonsana":
        return "" if reading.get("MOOD") == "MINEN-infinitive" else reading["BASEFORM"].lower()
    if "PARTICIPLE" in reading:
        parts = _parts(reading)
        return parts[0] if parts else ""
    return ""


def _parts(reading: dict[str, str]) -> list[str]:
    """The compound's parts as lemmas, derivational suffixes left out."""
    return [b.lower() for b in re.findall(r"\(([^)+][^)]*)\)", reading.get("WORDBASES", ""))]


@cache
def _analyse(word: str) -> tuple[dict[str, str], ...]:
    voikko = _voikko()
    if ":" in word:  # an acronym with its case ending
        stem, ending = word.split(":", 1)
        return _acronym(stem, _CASE_ENDINGS.get(ending.lower(), ""))
    readings = tuple(dict(r) for r in voikko.analyze(word.rstrip("-")))
    if not readings and _mixed_script(word):  # "Päätеttiin" with a Cyrillic "е"
        latin = _latin(word)
        if not _mixed_script(latin):
            readings = tuple({**r, "READ_AS": latin} for r in _analyse(latin))
    if not readings and word.isupper():
        return _acronym(word, "nimento")
    return readings


def _mixed_script(word: str) -> bool:
    from confusable_homoglyphs import confusables

    return bool(confusables.is_mixed_script(word))


def _latin(word: str) -> str:
    """The word with each look-alike letter of another script (Cyrillic "е", Greek "ο") as the
    Latin letter it looks like, after Unicode's table of confusables."""
    from confusable_homoglyphs import categories, confusables

    chars = []
    for char in word:
        if categories.alias(char) in ("LATIN", "COMMON"):
            chars.append(char)
            continue
        found = confusables.is_confusable(char, preferred_aliases=["latin"], greedy=True) or []
        latin = [g["c"] for f in found for g in f["homoglyphs"] if len(g["c"]) == 1]
        chars.append(latin[0] if latin else char)
    return "".join(chars)


# A misspelt decision word is still one ("päätettin", "hyväsyttiin"): a word Voikko does not
# know is read as each word one letter away from it, and kept as a decision word it may be.
_LETTERS = "abcdefghijklmnopqrstuvwxyzåäö"


@cache
def _misspelt(word: str) -> tuple[dict[str, str], ...]:
    """The readings of the decision words one edit (a letter left out, added, changed or two
    swapped) away from an unknown word; none when there is no such word."""
    voikko = _voikko()
    lower = word.lower()
    splits = [(lower[:i], lower[i:]) for i in range(len(lower) + 1)]
    variants = {a + b[1:] for a, b in splits if b}
    variants |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    variants |= {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    variants |= {a + c + b for a, b in splits for c in _LETTERS}
    found = []
    for variant in sorted(variants - {lower}):
        for reading in voikko.analyze(variant):
            reading = {**dict(reading), "READ_AS": variant}
            verb = _verb(reading)
            lemma = reading.get("BASEFORM", "").lower()
            if verb in _DECIDE or lemma.endswith(("päätös", "hyväksyntä")):
                found.append(reading)
    return tuple(found)


def _is_decision_noun(reading: dict[str, str]) -> bool:
    return reading.get("BASEFORM", "").lower().endswith("päätös")


def _acronym(stem: str, case: str) -> tuple[dict[str, str], ...]:
    kind = "body" if stem.lower() in _BODY_ACRONYMS else "other"
    return ({"BASEFORM": stem.lower(), "CLASS": "lyhenne", "SIJAMUOTO": case, "ACRONYM": kind},)


def _words(text: str, start: int, end: int) -> list[_Word]:
    """The words of text[start:end], invisible characters removed before analysis."""
    words: list[_Word] = []
    for match in _WORD.finditer(text, start, end):
        kind = str(match.lastgroup)
        word = _Word(kind, match.group(), match.start(), match.end())
        if kind == "word":
            word.readings = list(_analyse(word.text))
            joined = _hyphenated(words[-1] if words else None, word, text)
            if joined:
                words[-1] = joined
                continue
            # A name is written with a capital; a misspelt word has none, or starts the sentence.
            guess = word.text.islower() or word.text.isupper() or not words
            if not word.readings and guess and len(word.text) >= 5:
                word.readings = list(_misspelt(word.text))
        words.append(word)
    return words


def _hyphenated(before: _Word | None, word: _Word, text: str) -> _Word | None:
    """A word hyphenated across a line ("päätet-" and "tiin"; as YAML folds lines, also
    "päätet- tiin" on one line) as one word, when that word exists and one of its halves does
    not ("valtuusto- ja kaupunginhallitus" is two)."""
    if before is None or before.kind != "word" or not before.text.endswith("-"):
        return None
    if not text[before.end : word.start].isspace() or not word.text[:1].islower():
        return None
    if before.readings and word.readings:
        return None
    readings = _analyse(before.text[:-1] + word.text)
    if not readings:
        return None
    return _Word("word", before.text[:-1] + word.text, before.start, word.end, list(readings))


def _clean_with_offsets(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The text as Voikko should see it: invisible characters left out and letters composed
    (NFC: "pa\u0308a\u0308tettiin" is "päätettiin"); with the span in `text` of each character."""
    chars: list[str] = []
    spans: list[tuple[int, int]] = []
    for i, char in enumerate(text):
        if _INVISIBLE.fullmatch(char):
            continue
        if chars and unicodedata.combining(char):
            composed = unicodedata.normalize("NFC", chars[-1] + char)
            if len(composed) == 1:
                chars[-1] = composed
                spans[-1] = (spans[-1][0], i + 1)
                continue
        chars.append(char)
        spans.append((i, i + 1))
    return "".join(chars), spans


@dataclass
class _Clause:
    words: list[_Word]
    opener: str  # the conjunction or relative pronoun that starts it ("" or "," for none)
    subject: str = ""  # "group", "body" or "" from the nominatives in it
    governor: set[str] = field(default_factory=set)  # of an että-clause: the lemmas before it
    sentence: list[_Word] = field(default_factory=list)  # all the words of its sentence


def _clauses(words: list[_Word]) -> list[_Clause]:
    clauses = [_Clause([], "")]
    for word in words:
        if word.kind == "stop":
            clauses.append(_Clause([], word.text))
            continue
        lower = word.text.lower()
        relative = word.kind == "word" and any(
            r.get("CLASS") == "asemosana" and r.get("BASEFORM") in _RELATIVE for r in word.readings
        )
        if lower in _CLAUSE_WORDS or relative:
            if clauses[-1].words or clauses[-1].opener not in ("", ","):
                clauses.append(_Clause([], lower))
            else:
                clauses[-1].opener = lower
        clauses[-1].words.append(word)
    previous = ""
    for before, clause in zip([None, *clauses], clauses, strict=False):
        if clause.opener == "että" and before is not None:
            clause.governor = {lemma for w in before.words for lemma in w.lemmas()}
        clause.sentence = words
        clause.subject = _subject(clause.words)
        if not clause.subject and clause.opener in (_COORDINATING | {",", ""}):
            clause.subject = previous
        previous = clause.subject
    return clauses


def _subject(words: list[_Word]) -> str:
    """Whether the clause's subject is the group or an official body: the first of them in the
    nominative (a later nominative plural is rather an object: "valitsi lautakunnan jäsenet")."""
    previous: _Word | None = None
    for word in words:
        if word.kind != "word":
            continue
        if any(r.get("PERSON") == "1" for r in word.readings if r.get("CLASS") == "teonsana"):
            return "group"  # päätimme, hyväksyimme
        finite = any(r.get("CLASS") == "teonsana" and "PERSON" in r for r in word.readings)
        if finite and previous is not None and _thing_subject(previous):
            return ""  # "Laki oikeuttaa valtuutetut": a thing is the subject
        if word.in_case("nimento", _is_body):
            return "body"
        if word.in_case("nimento", _is_group):
            # A body's own meeting: "Valtuuston kokous hyväksyi".
            owned = previous is not None and previous.in_case("omanto", _is_body)
            return "body" if owned and word.is_lemma("kokous", "istunto") else "group"
        previous = word
    return ""


def _thing_subject(word: _Word) -> bool:
    """Whether the word is a noun in the nominative and nothing else: a thing as the subject."""
    return bool(word.readings) and all(
        r.get("CLASS") == "nimisana" and r.get("SIJAMUOTO") == "nimento" for r in word.readings
    )


def _negated(clause: _Clause) -> bool:
    return any(r.get("CLASS") == "kieltosana" for w in clause.words for r in w.readings)


def _refused(hit: _Hit, clause: _Clause) -> bool:
    """Whether a negated clause records a refusal, which is a decision too: the past of the
    passive ("Esitystä ei hyväksytty", "ei ole hyväksytty") or of the whole group ("Emme
    hyväksyneet", "Neuvotteluryhmä ei hyväksynyt esitystä"). The present states what the group
    does ("ei hyväksy eikä hylkää esityksiä"), one group's refusal is its dissent, and "Mitään
    ei hyväksytty" denies any decision."""
    participle = hit.reading.get("PARTICIPLE")
    if hit.kind not in ("verb", "task") or any(w.is_lemma(*_NONE) for w in clause.words):
        return False
    if hit.reading.get("PERSON") == "4" and participle is None:
        # The present passive refuses one matter ("Esitystä ei hyväksytä"); of matters in the
        # plural it says what the group does ("Esityksiä ei hyväksytä eikä hylätä").
        return any(
            r.get("NUMBER") == "singular" and r.get("BASEFORM", "").lower().endswith(_MATTERS)
            for w in clause.words
            for r in w.readings
            if r.get("CLASS") == "nimisana"
        )
    if participle not in ("past_active", "past_passive"):
        return False
    if participle == "past_passive":
        return True
    for word in clause.words:
        for r in word.readings:
            if r.get("CLASS") == "kieltosana" and r.get("PERSON") == "1":
                return r.get("NUMBER") == "plural"  # emme; "en" is one member speaking
    return _whole_group_subject(clause.words)


def _whole_group_subject(words: list[_Word]) -> bool:
    """Whether the negotiation group or its meeting is the subject, or all its groups: "Ryhmät"
    alone, not "Kokoomuksen ja keskustan ryhmät" or "Kaikki ryhmät eivät"."""
    for i, word in enumerate(words):
        if word.in_case("nimento", lambda r: r.get("BASEFORM", "").lower().endswith(_WHOLE_GROUP)):
            return True
        plural_groups = any(
            r.get("SIJAMUOTO") == "nimento"
            and r.get("NUMBER") == "plural"
            and r.get("BASEFORM", "").lower() in ("ryhmä", "valtuustoryhmä")
            for r in word.readings
        )
        before = words[i - 1] if i > 0 else None
        qualified = before is not None and (
            "omanto" in before.cases() or before.is_lemma("kaikki", "osa", "useampi", "moni")
        )
        if plural_groups and not qualified:
            return True
    return False


def _by_others(hit: _Hit, clause: _Clause) -> bool:
    """Whether others than the negotiation group are to decide or decide their own: the
    passive of a wish's että-clause ("pitävät tärkeänä, että asia ratkaistaan"), and a
    political group deciding its own matter ("Valtuustoryhmät päättävät omista kannoistaan")."""
    reading = hit.reading
    if hit.kind not in ("verb", "task"):
        return False
    if reading.get("PERSON") == "4" and reading.get("TENSE") != "past_imperfective":
        return clause.opener == "että" and bool(clause.governor & _WISHING)
    # Own: "omista kannoistaan"; political: a council group or a party, not "Ryhmä" or the
    # negotiation group, whose own communication is the group's (rule 4).
    own = any(w.is_lemma("oma") for w in clause.words)
    political = any(
        w.in_case("nimento", lambda r: r.get("BASEFORM", "").lower().endswith(_POLITICAL))
        for w in clause.words
    )
    return reading.get("PERSON") == "3" and own and political


# --- Deciding on one word -------------------------------------------------------------------------
@dataclass(frozen=True)
class _Hit:
    kind: str  # "verb", "noun", "vote", "quorum", "binding", "formula", "power", "title", "task"
    reading: dict[str, str]
    lemma: str


def _hits(word: _Word, clause: _Clause, at: int) -> list[_Hit]:
    """Each reading of the word that makes it a decision word, before its agent is looked at."""
    # A participle that the language has made a noun is the noun: "Valtuutetut kävivät läpi"
    # are councillors, not people authorised (valtuuttaa).
    nouns = {
        r.get("BASEFORM")
        for r in word.readings
        if r.get("CLASS") == "nimisana" and "PARTICIPLE" not in r
    }
    readings = [r for r in word.readings if not ("PARTICIPLE" in r and r["BASEFORM"] in nouns)]
    # After "ei" a connegative reading is the one meant: "ei hylätä" is the passive, not the
    # infinitive.
    connegative = [r for r in readings if r.get("NEGATIVE") == "true"]
    if connegative and _negated(clause):
        readings = connegative
    found = (_hit(reading, word, clause, at) for reading in readings)
    return [hit for hit in found if hit is not None]


def _hit(reading: dict[str, str], word: _Word, clause: _Clause, at: int) -> _Hit | None:
    lemma = reading.get("BASEFORM", "").lower()
    verb = _verb(reading)
    if verb == "sitoa" or lemma == "sitova":
        return _Hit("binding", reading, "sitova")
    # An imperative decides too ("Hyväksyttäköön esitys", "Päättäkäämme"), except the second
    # person that a letter asks its reader with ("Hyväksy pöytäkirja").
    addressed = reading.get("MOOD") == "imperative" and reading.get("PERSON") == "2"
    if verb in _DECIDE and not addressed:
        if not _in_sense(verb, clause, word, reading):
            return None
        return _Hit("verb", reading, "hylätä" if verb == "hyljätä" else verb)
    # Tabling a matter and returning it for preparation are a statutory meeting's decisions
    # ("Asia jätettiin pöydälle"); "jättivät paperit pöydälle" leaves things on a table.
    matter = any(
        r.get("BASEFORM", "").lower().endswith(_MATTERS) for w in clause.words for r in w.readings
    )
    if (
        verb == "jättää"
        and matter
        and any(w.in_case("ulkotulento", _is("pöytä")) for w in clause.words)
    ):
        return _Hit("formula", reading, "pöydälle")
    if (
        verb == "palauttaa"
        and matter
        and any(w.in_case("sisatulento", _is("valmistelu")) for w in clause.words)
    ):
        return _Hit("formula", reading, "valmisteluun")
    if verb == "esittää" and not addressed and _proposes(clause, word):
        return _Hit("verb", reading, verb)  # "esittää valtuustolle, että": the board's part
    if verb == "antaa" and any(_is_order(w) for w in clause.words):
        return _Hit("task", reading, "antaa")  # "antoi sihteerin tehtäväksi": an order
    parts = _parts(reading)
    noun = reading.get("CLASS") == "nimisana" and "PARTICIPLE" not in reading
    if lemma.endswith("päätös") and noun and not lemma.endswith("tilinpäätös"):
        return _Hit("noun", reading, "päätös")  # not tilinpäätös: the financial statements
    if lemma.endswith("hyväksyntä") and noun:
        return _Hit("noun", reading, "hyväksyntä")
    # "teki ratkaisun", "Ratkaisuksi tuli": made, as a decision is
    made = any(w.is_lemma("tehdä") for w in clause.words) or (
        reading.get("SIJAMUOTO") == "tulento" and any(w.is_lemma("tulla") for w in clause.words)
    )
    if lemma.endswith("ratkaisu") and noun and (made or _group_owns(clause, at, whole=False)):
        return _Hit("noun", reading, "ratkaisu")  # "ryhmän ratkaisu"; not a solution
    if lemma in ("päätösvaltainen", "päätösvaltaisuus"):
        return _Hit("quorum", reading, lemma)
    if parts[:1] == ["päätös"] and noun and _group_owns(clause, at, whole=True):
        return _Hit("power", reading, lemma)  # "Neuvotteluryhmällä on päätösvalta"
    if _is_title(clause) and _action(reading) in _DECIDE and reading.get("SIJAMUOTO") == "nimento":
        return _Hit("title", reading, _action(reading))  # "Talousarvion hyväksyminen"
    if "äänestää" in parts and noun:
        return _Hit("vote", reading, "äänestys")
    if lemma == "ääni" and reading.get("SIJAMUOTO") == "keinonto":
        following = clause.words[at + 1 : at + 2]
        if following and following[0].kind == "number":
            return _Hit("vote", reading, "äänin")
    if lemma in ("laillinen", "laillisesti") and any(
        w.text.lower() == "koolle" for w in clause.words
    ):
        return _Hit("formula", reading, "laillisesti")
    return None


def _proposes(clause: _Clause, verb: _Word) -> bool:
    """Whether esittää is a formal proposal to an official body, a step of the statutory
    preparation (the city board proposes to the council): an allative body and what is proposed,
    an että-clause or an action ("esittää valtuustolle veron korottamista"); not "esitti
    kaupunginhallitukselle kysymyksiä"."""
    words = clause.words
    if not any(w.in_case("ulkotulento", _is_body) for w in words):
        return False
    after = clause.sentence[clause.sentence.index(verb) + 1 :]
    if any(w.text.lower() == "että" for w in after):
        return True
    return any(r.get("MOOD") == "MINEN-infinitive" for w in words for r in w.readings)


def _is(lemma: str) -> Callable[[dict[str, str]], bool]:
    return lambda reading: reading.get("BASEFORM", "").lower() == lemma


def _is_order(word: _Word) -> bool:
    """Whether antaa gives an order with this word: a task ("tehtäväksi"), a mandate or a
    permission ("annettiin valtuudet", "antoi luvan")."""
    return any(
        r.get("CLASS") == "nimisana"
        and (
            (r.get("BASEFORM", "").lower() == "tehtävä" and r.get("SIJAMUOTO") == "tulento")
            or r.get("BASEFORM", "").lower() in _ORDERS
        )
        for r in word.readings
    )


def _action(reading: dict[str, str]) -> str:
    """The verb of an action noun: hyväksyminen, päättäminen; valinta (valita)."""
    if reading.get("MOOD") == "MINEN-infinitive":
        return reading.get("BASEFORM", "").lower()
    parts = _parts(reading)
    if reading.get("BASEFORM", "").lower() == "valinta" and parts[:1] == ["valita"]:
        return "valita"
    return ""


def _is_title(clause: _Clause) -> bool:
    """Whether the sentence has no finite verb: an agenda title ("Puheenjohtajan valinta")
    names what the meeting is to do."""
    finite = ("indicative", "conditional", "potential", "imperative")
    return not any(
        r.get("CLASS") == "kieltosana" or (r.get("CLASS") == "teonsana" and r.get("MOOD") in finite)
        for w in clause.sentence
        for r in w.readings
    )


def _in_sense(verb: str, clause: _Clause, word: _Word, reading: dict[str, str]) -> bool:
    """Whether a verb of several senses decides here: vahvistaa approves (not strengthens),
    nimetä appoints (not names a thing), myöntää grants (not admits), kieltää forbids (not
    denies)."""
    if verb == "vahvistaa":
        return _approves(clause, word, reading)
    if verb not in ("nimetä", "myöntää", "kieltää"):
        return True
    passive = reading.get("PERSON") == "4" or reading.get("PARTICIPLE", "").endswith("passive")
    # The active's subject stands before it; what is appointed or granted is the rest.
    others = [
        w
        for w in (clause.words if passive else clause.words[clause.words.index(word) + 1 :])
        if w is not word and w.kind == "word"
    ]
    if verb == "kieltää":  # "kielsi, että hanke viivästyy" denies
        after = clause.sentence[clause.sentence.index(word) + 1 :]
        following = [w for w in after if w.text != ","][:1]
        return not (following and following[0].text.lower() in ("että", "ettei"))
    if verb == "nimetä":
        return any(
            (r.get("CLASS") in ("etunimi", "sukunimi") and w.text[:1].isupper())
            or r.get("BASEFORM", "").lower().endswith(_APPOINTABLE)
            for w in others
            for r in w.readings
        )
    if any(w.is_lemma("puheenvuoro") for w in others):
        return False  # "Puheenjohtaja myönsi puheenvuoron": chairing (rule 5)
    return any(
        r.get("SIJAMUOTO") == "ulkotulento" or r.get("BASEFORM", "").lower().endswith(_GRANTABLE)
        for w in others
        for r in w.readings
        if r.get("CLASS") in ("nimisana", "etunimi", "sukunimi", "nimi")
    )


def _group_owns(clause: _Clause, at: int, whole: bool) -> bool:
    """Whether the group owns or holds the noun at `at`: its genitive shortly before
    ("neuvotteluryhmän päätösesitys"), or its adessive with olla ("Ryhmällä on päätösvalta");
    with `whole`, only the whole group (not "ryhmien päätöksenteko", the groups' own)."""

    def is_group(r: dict[str, str]) -> bool:
        lemma = r.get("BASEFORM", "").lower()
        return lemma.endswith(_WHOLE_GROUP) if whole else _is_group(r)

    words = clause.words
    for word in reversed(words[max(0, at - 3) : at]):
        if word.kind == "stop":
            break
        if word.in_case("omanto", is_group):
            return True
    held = any(w.in_case("ulkoolento", is_group) for w in words)
    return held and any(w.is_lemma("olla") for w in words)


def _approves(clause: _Clause, verb: _Word, reading: dict[str, str]) -> bool:
    """Whether vahvistaa approves a thing ("vahvistettiin esityslista") in this clause: a thing
    to approve is its object (or its passive's subject, or a translative: "prosentiksi")."""
    passive = reading.get("PERSON") == "4" or reading.get("PARTICIPLE", "").endswith("passive")
    # The object of an active verb is never in the nominative singular: "Linjaus vahvistaa"
    # has the thing as its subject (it strengthens).
    cases = {"nimento", "osanto", "tulento"} if passive else {"omanto", "osanto", "tulento"}
    for word in clause.words:
        if word is verb or word.kind != "word":
            continue
        for other in word.readings:
            # The thing or the compound's head: "esityslista", "kokousaikataulu".
            thing = other.get("BASEFORM", "").lower().endswith(_APPROVABLE)
            if other.get("CLASS") == "nimisana" and thing and other.get("SIJAMUOTO") in cases:
                return True
    return False


def _by_body(hit: _Hit, clause: _Clause, at: int) -> bool:
    """Whether an official body, not the group, is the agent of the decision word at `at`."""
    words = clause.words
    reading = hit.reading
    before = [w for w in words[:at] if w.kind == "word"]
    located = _located_in_body(words)
    if hit.kind == "power":
        return False  # the group holds it: _hit made sure
    if hit.kind == "title":  # "Pöytäkirjan hyväksyminen" is the chair's (rule 3)
        owner = _genitive_before(words, at, reach=1)
        record = at > 0 and any(_names_record(r) for r in words[at - 1].readings)
        return (
            owner == "body"
            or (hit.lemma == "hyväksyä" and record)
            or _located_in_body(words)
            or any(w.in_case("nimento", _is_body) for w in clause.sentence)
        )
    if hit.lemma == "hyväksyntä" and at > 0:  # "Pöytäkirjan hyväksyntä" (rule 3)
        owner_word = words[at - 1]
        if owner_word.in_case("omanto", _names_record) or owner_word.is_lemma("puheenjohtaja"):
            return True
        if owner_word.in_case("omanto", lambda r: r.get("BASEFORM", "").lower() in _PUBLIC):
            return True  # "Kuntalaisten hyväksyntä": the residents' acceptance
    if hit.kind == "noun":
        first = reading.get("BASEFORM", "").lower().removesuffix(hit.lemma).rstrip("-")
        if first and _is_body({"BASEFORM": first}):
            return True  # valtuustopäätös, viranhaltijapäätös
        owner = _genitive_before(words, at)
        if owner:
            return owner == "body"
        return clause.subject == "body" or located
    if hit.kind in ("vote", "quorum", "formula"):
        owner = _genitive_before(words, at)
        return owner == "body" or clause.subject == "body" or located
    if hit.kind == "binding":
        return any(w.in_case(c, _is_body) for w in words for c in ("nimento", "omanto"))
    if hit.lemma == "hyväksyä" and _chair_approves_record(clause, reading):
        return True
    person = reading.get("PERSON")
    if hit.lemma == "äänestää" and located:
        return True  # voting in the council, not in the group
    if hit.lemma in _ONLY_BY_GROUP and person != "4":
        return clause.subject != "group"
    if person == "4" or reading.get("PARTICIPLE") in ("past_passive", "present_passive"):
        # A passive has no subject: only the place ("valtuustossa hyväksyttiin") or, for a
        # participle, a genitive agent ("valtuuston päätettäväksi") names who decides.
        if located:
            return True
        if "PARTICIPLE" in reading:
            return _genitive_before(words, at) == "body" or any(
                w.in_case("sisatulento", _is_body) for w in words
            )
        return False
    if person in ("1", "2"):
        return False
    if "PARTICIPLE" in reading or reading.get("MOOD", "").endswith("infinitive"):
        owner = _genitive_before(words, at, reach=len(before))
        if owner:
            return owner == "body"
    return clause.subject == "body"


def _genitive_before(words: list[_Word], at: int, reach: int = 3) -> str:
    """The group or body in the genitive shortly before the word (its owner or agent)."""
    seen = 0
    for word in reversed(words[:at]):
        if word.kind == "stop":
            break
        if word.kind != "word":
            continue
        if word.in_case("omanto", _is_body):
            return "body"
        if word.in_case("omanto", _is_group):
            return "group"
        seen += 1
        if seen >= reach:
            break
    return ""


def _located_in_body(words: list[_Word]) -> bool:
    """Whether the clause places the event in a body or names it as the agent of a passive:
    "valtuustossa", "valtuuston kokouksessa", "kaupunginhallituksen toimesta"."""
    for i, word in enumerate(words):
        if word.in_case("sisaolento", _is_body):
            return True
        if word.in_case("ulkotulento", _is_body) and any(w.is_lemma("kuulua") for w in words):
            return True  # "Päätösten valmistelu kuuluu viranhaltijoille"
        if word.in_case("omanto", _is_body):
            following = words[i + 1 : i + 2]
            if following and (
                "sisaolento" in following[0].cases()
                or following[0].text.lower() == "toimesta"
                # "kaupunginhallituksen päätöksellä"
                or following[0].in_case("ulkoolento", _is_decision_noun)
            ):
                return True
    return False


def _chair_approves_record(clause: _Clause, reading: dict[str, str]) -> bool:
    """Rule 3: the chair approves the record. "Puheenjohtaja hyväksyi pöytäkirjan", a letter to
    the chair ("Jos hyväksyt pöytäkirjan") and a draft sent "hyväksyttäväksi" pass; "Pöytäkirja
    hyväksyttiin" is the meeting approving it and does not."""
    if not any(_names_record(r) for w in clause.sentence for r in w.readings):
        return False

    def is_chair(r: dict[str, str]) -> bool:  # or the vice-chair, when the chair was absent
        return r.get("BASEFORM", "").lower() in ("puheenjohtaja", "varapuheenjohtaja")

    words = clause.words
    chair = any(w.in_case("nimento", is_chair) for w in words) or any(
        w.in_case("omanto", is_chair) and nxt.text.lower() == "toimesta"
        for w, nxt in pairwise(words)
    )  # "Puheenjohtaja hyväksyi", "hyväksyttiin puheenjohtajan toimesta"
    for_approval = (
        reading.get("PARTICIPLE") == "present_passive" and reading.get("SIJAMUOTO") == "tulento"
    )
    return chair or for_approval or (reading.get("PERSON") == "2" and "NUMBER" in reading)


_RECORD = frozenset({"pöytäkirja", "muistio", "luonnos", "pöytäkirjaluonnos", "muistioluonnos"})


def _names_record(reading: dict[str, str]) -> bool:
    parts = _parts(reading)
    lemma = reading.get("BASEFORM", "").lower()
    return lemma in _RECORD or bool(parts and parts[-1] in _RECORD)


def _closes(hit: _Hit, clause: _Clause, at: int) -> bool:
    """Whether päättää closes something: "päätti kokouksen klo 18.52", "Kokous päätettiin."."""
    if hit.lemma != "päättää":
        return False
    words = clause.words
    if hit.kind == "title":  # "Kokouksen päättäminen"; "Veroprosentista päättäminen" decides
        decided = at > 0 and (
            "sisaeronto" in words[at - 1].cases()
            or words[at - 1].in_case(
                "omanto", lambda r: r.get("BASEFORM", "").lower() not in _CLOSABLE
            )
        )
        return not decided
    passive = hit.reading.get("PERSON") == "4"
    # The closed thing is the object (genitive-accusative: "päätti kokouksen") of the active, the
    # subject (nominative: "Kokous päätettiin") of the passive; "Kokouksessa päätettiin" decides.
    object_at, case = (at - 1, "nimento") if passive else (at + 1, "omanto")
    if not 0 <= object_at < len(words) or not words[object_at].in_case(
        case, lambda r: r.get("BASEFORM", "").lower() in _CLOSABLE
    ):
        return False
    tail = words[max(at, object_at) + 1 : max(at, object_at) + 2]
    return not tail or tail[0].kind != "word" or bool(tail[0].lemmas() & _CLOSING_NEXT)


# --- Suggestions that fit the flagged word's form -------------------------------------------------
# The group's own verbs in the forms minutes use; a form key comes from Voikko's analysis.
_FORMS = [
    "pass_past",
    "pass_pres",
    "3sg_past",
    "3pl_past",
    "3sg_pres",
    "3pl_pres",
    "1pl_past",
    "1pl_pres",
    "pass_cond",
    "3sg_cond",
    "3pl_cond",
    "inf",
    "pcp_act_sg",
    "pcp_act_pl",
    "pcp_pass",
    "pcp_agent",
]
_VERBS = {
    "sopia": "sovittiin sovitaan sopi sopivat sopii sopivat sovimme sovimme sovittaisiin "
    "sopisi sopisivat sopia sopinut sopineet sovittu sopima",
    "linjata": "linjattiin linjataan linjasi linjasivat linjaa linjaavat linjasimme linjaamme "
    "linjattaisiin linjaisi linjaisivat linjata linjannut linjanneet linjattu linjaama",
    "todeta": "todettiin todetaan totesi totesivat toteaa toteavat totesimme toteamme "
    "todettaisiin toteaisi toteaisivat todeta todennut todenneet todettu toteama",
    "suositella": "suositeltiin suositellaan suositteli suosittelivat suosittelee suosittelevat "
    "suosittelimme suosittelemme suositeltaisiin suosittelisi suosittelisivat suositella "
    "suositellut suositelleet suositeltu suosittelema",
    "ehdottaa": "ehdotettiin ehdotetaan ehdotti ehdottivat ehdottaa ehdottavat ehdotimme "
    "ehdotamme ehdotettaisiin ehdottaisi ehdottaisivat ehdottaa ehdottanut ehdottaneet "
    "ehdotettu ehdottama",
    "pitää hyvänä": "pidettiin_hyvänä pidetään_hyvänä piti_hyvänä pitivät_hyvänä pitää_hyvänä "
    "pitävät_hyvänä pidimme_hyvänä pidämme_hyvänä pidettäisiin_hyvänä pitäisi_hyvänä "
    "pitäisivät_hyvänä pitää_hyvänä pitänyt_hyvänä pitäneet_hyvänä hyvänä_pidetty "
    "hyvänä_pitämä",
    "pitää tärkeänä": "pidettiin_tärkeänä pidetään_tärkeänä piti_tärkeänä pitivät_tärkeänä "
    "pitää_tärkeänä pitävät_tärkeänä pidimme_tärkeänä pidämme_tärkeänä "
    "pidettäisiin_tärkeänä pitäisi_tärkeänä pitäisivät_tärkeänä pitää_tärkeänä "
    "pitänyt_tärkeänä pitäneet_tärkeänä tärkeänä_pidetty tärkeänä_pitämä",
    "yhtyä": "yhdyttiin yhdytään yhtyi yhtyivät yhtyy yhtyvät yhdyimme yhdymme yhdyttäisiin "
    "yhtyisi yhtyisivät yhtyä yhtynyt yhtyneet yhteisesti_tuettu yhteisesti_tukema",
    "ei puoltaa": "ei_puollettu ei_puolleta ei_puoltanut eivät_puoltaneet ei_puolla "
    "eivät_puolla emme_puoltaneet emme_puolla ei_puollettaisi ei_puoltaisi eivät_puoltaisi "
    "jättää_puoltamatta ei_puoltanut eivät_puoltaneet ei_puollettu ei_puoltama",
}
_CONJUGATED = {
    verb: dict(zip(_FORMS, (f.replace("_", " ") for f in forms.split()), strict=True))
    for verb, forms in _VERBS.items()
}
_REPLACEMENTS = {
    "päättää": ("sopia", "linjata"),
    "hyväksyä": ("pitää hyvänä", "yhtyä"),
    "vahvistaa": ("todeta", "linjata"),
    "ratkaista": ("linjata", "sopia"),
    "valita": ("ehdottaa", "suositella"),
    "hylätä": ("ei puoltaa",),
    "hyljätä": ("ei puoltaa",),
    "edellyttää": ("pitää tärkeänä", "suositella"),
    "sitoutua": ("suositella", "pitää tärkeänä"),
    "kumota": ("ehdottaa", "suositella"),
    "määrätä": ("ehdottaa", "suositella"),
    "valtuuttaa": ("ehdottaa", "suositella"),
    "velvoittaa": ("suositella", "ehdottaa"),
    "nimetä": ("ehdottaa", "suositella"),
    "myöntää": ("suositella", "ehdottaa"),
    "oikeuttaa": ("ehdottaa", "suositella"),
    "kieltää": ("sopia", "suositella"),
    "esittää": ("suositella",),
}


def _form(reading: dict[str, str]) -> str:
    participle = reading.get("PARTICIPLE")
    if participle:
        plural = reading.get("NUMBER") == "plural"
        return {
            "past_active": "pcp_act_pl" if plural else "pcp_act_sg",
            "past_passive": "pcp_pass",
            "agent": "pcp_agent",
        }.get(participle, "")
    if reading.get("MOOD") == "A-infinitive":
        return "inf"
    person, plural = reading.get("PERSON"), reading.get("NUMBER") == "plural"
    who = "pass" if person == "4" else f"{person}{'pl' if plural else 'sg'}"
    mood = reading.get("MOOD")
    if mood == "conditional":
        return f"{who}_cond"
    if mood in ("indicative", "potential"):
        tense = "past" if reading.get("TENSE") == "past_imperfective" else "pres"
        return f"{who}_{tense}"
    return ""


def _suggest(hit: _Hit, word: str) -> str:
    """The group's own word in the form of the flagged one, or what to do instead."""
    if hit.kind == "noun" and hit.lemma != "päätös":
        instead = "tuki" if hit.lemma == "hyväksyntä" else "linjaus"
        return _('"{word}" (or "{other}")').format(word=instead, other="yhteinen näkemys")
    if hit.kind == "power":
        return _('"{one}" or "{other}"').format(one="suositus", other="yhteinen näkemys")
    if hit.kind == "title":
        return '"käsittely"'
    if hit.kind == "noun":
        at = word.lower().find("päätö")
        fitted = word[:at] + "linjau" + word[at + 5 :]
        fitted = fitted[0].upper() + fitted[1:] if word[0].isupper() else fitted
        other = _fit_case(word, "yhteinen näkemys")
        return _('"{word}" (or "{other}")').format(word=fitted, other=other)
    if hit.lemma in ("pöydälle", "valmisteluun"):
        return _('"asiaan palataan" (for instance "Asiaan palataan seuraavassa kokouksessa")')
    if hit.kind in ("vote", "quorum", "formula", "binding"):
        return {
            "vote": _("the groups' positions, with a dissent for those who differ (`dissent:`)"),
            "quorum": _("nothing: the group is no body with a quorum; list who attended"),
            "formula": _("nothing: the group's meetings are not statutory meetings"),
            "binding": _('"suosituksena" or "yhteisenä näkemyksenä": the group binds no one'),
            "task": _(
                '"sovittiin, että …" with the one who does it as the subject, or a `follow_up:`'
            ),
        }[hit.kind]
    form = _form(hit.reading)
    words = []
    for verb in _REPLACEMENTS.get(hit.lemma, ("sopia",)):
        fitted = _CONJUGATED[verb].get(form, verb)
        words.append(fitted[0].upper() + fitted[1:] if word[0].isupper() else fitted)
    if len(words) == 1:
        return f'"{words[0]}"'
    return _('"{one}" or "{other}"').format(one=words[0], other=words[1])


def _fit_case(word: str, phrase: str) -> str:
    """ "yhteinen näkemys" in the case of the flagged noun (a few common cases)."""
    endings = {
        "ksen": "yhteisen näkemyksen",
        "stä": "yhteistä näkemystä",
        "ksellä": "yhteisellä näkemyksellä",
        "kseen": "yhteiseen näkemykseen",
        "ksestä": "yhteisestä näkemyksestä",
        "kset": "yhteiset näkemykset",
        "ksiä": "yhteisiä näkemyksiä",
    }
    lower = word.lower()
    for ending, fitted in sorted(endings.items(), key=lambda e: -len(e[0])):
        if lower.endswith(ending):
            return fitted
    return phrase


def _reason(hit: _Hit) -> str:
    reason = {
        "verb": _('"{lemma}" is a decision verb and its agent is the group or unstated'),
        "noun": _('"päätös" is the head of the word and no official body owns it')
        if hit.lemma == "päätös"
        else _('"{lemma}" names a decision and no official body owns it'),
        "power": _("it gives the group a power or a part of a body that decides"),
        "title": _("an agenda title that names a decision says the meeting will make it"),
        "task": _(
            "giving someone a task, a mandate or a permission is an order, which only a body "
            "that decides gives"
        ),
        "vote": _("a vote reads as the group's decision"),
        "quorum": _("a quorum belongs to bodies that decide"),
        "formula": _("this is a formula of statutory meetings"),
        "binding": _("the group's positions have no binding force (rule 1)"),
    }[hit.kind].format(lemma=hit.lemma)
    variant = hit.reading.get("READ_AS")
    if variant:  # a misspelling or look-alike letters ("päätettin", Cyrillic "е")
        return _('it reads as "{variant}": {reason}').format(variant=variant, reason=reason)
    return reason


def find_with_voikko(text: str, intended: Sequence[str] = ()) -> list[Finding]:
    """The guard on Voikko's morphology; see the comment at the top of this section."""
    if _voikko() is None:
        raise RuntimeError(voikko_missing())
    clean, spans = _clean_with_offsets(text)
    wanted = [_normalise(p) for p in intended if len(_normalise(p).split()) >= 3]
    findings = []
    for sentence_start, sentence_end in _sentences(clean):
        words = _words(clean, sentence_start, sentence_end)
        sentence = clean[sentence_start:sentence_end].strip()
        if any(phrase in _normalise(sentence) for phrase in wanted):
            continue
        for clause in _clauses(words):
            negated = _negated(clause)
            for at, word in enumerate(clause.words):
                if word.kind != "word":
                    continue
                # An ambiguous word ("päättää": 3rd person or infinitive) is flagged only when
                # every reading of it is.
                hits = _hits(word, clause, at)
                if not hits or any(
                    (negated and not _refused(hit, clause))
                    or _by_body(hit, clause, at)
                    or _closes(hit, clause, at)
                    or _by_others(hit, clause)
                    for hit in hits
                ):
                    continue
                hit = hits[0]
                start, end = spans[word.start][0], spans[word.end - 1][1]
                findings.append(
                    Finding(
                        text[start:end],
                        start,
                        end,
                        sentence,
                        _suggest(hit, word.text),
                        _reason(hit),
                    )
                )
    # English, which Voikko does not analyse, keeps the older rules.
    for finding in find_with_rules(clean, intended):
        if _ENGLISH.fullmatch(finding.word):
            start, end = spans[finding.start][0], spans[finding.end - 1][1]
            findings.append(replace(finding, word=text[start:end], start=start, end=end))
    return sorted(findings, key=lambda finding: finding.start)


# === The guard over a meeting's texts ==========================================================
# Which texts are checked: the agenda's item titles and backgrounds, and in the notes each
# item's discussion, agreed views, dissents, follow-ups and statement. (`texts` yields them with
# the YAML path of each, for the line numbers of the messages.)


@dataclass(frozen=True)
class CheckedText:
    source: Source
    path: tuple[Any, ...]  # in the YAML file: ("items", 3, "agreed", 0)
    number: int  # the agenda item
    label: str  # the YAML field, as the secretary knows it
    text: str


def meeting_texts(
    meeting: Meeting, agenda: Source | None, notes: Source | None
) -> list[CheckedText]:
    """Every text of the agenda and the notes that the group's communication consists of."""
    texts = []
    if agenda is not None:
        for i, item in enumerate(meeting.agenda.items):
            base = ("items", i)
            texts.append(CheckedText(agenda, (*base, "title"), i + 1, "title", item.title))
            if item.background:
                texts.append(
                    CheckedText(agenda, (*base, "background"), i + 1, "background", item.background)
                )
    if notes is not None and meeting.notes is not None:
        for number, notes_item in sorted(meeting.notes.items.items()):
            base = ("items", number)
            texts += [
                CheckedText(
                    notes, (*base, "discussion"), number, "discussion", notes_item.discussion
                ),
                *(
                    CheckedText(notes, (*base, "agreed", i), number, "agreed", text)
                    for i, text in enumerate(notes_item.agreed)
                ),
                *(
                    CheckedText(
                        notes, (*base, "dissent", i, "position"), number, "dissent", t.position
                    )
                    for i, t in enumerate(notes_item.dissent)
                ),
                *(
                    CheckedText(notes, (*base, "follow_up", i, "task"), number, "follow_up", f.task)
                    for i, f in enumerate(notes_item.follow_up)
                ),
            ]
            if notes_item.statement:
                path = (*base, "statement", "text")
                texts.append(
                    CheckedText(notes, path, number, "statement", notes_item.statement.text)
                )
    return [text for text in texts if text.text]


def _intended(
    meeting: Meeting, source: Source
) -> dict[int, tuple[tuple[Any, ...], tuple[str, ...]]]:
    """Each item's `intended_wording` phrases, with the YAML path of the list, in one file."""
    if meeting.notes is not None and source.file.endswith("notes.yaml"):
        return {
            number: (("items", number, "intended_wording"), item.intended_wording)
            for number, item in meeting.notes.items.items()
        }
    return {
        i + 1: (("items", i, "intended_wording"), item.intended_wording)
        for i, item in enumerate(meeting.agenda.items)
    }


def meeting_problems(
    meeting: Meeting, agenda: Source | None, notes: Source | None
) -> list[Problem]:
    """Decision language in the agenda and the notes, each with its file, line and item; and
    `intended_wording` phrases that are too short to mark one sentence, or quote nothing."""
    texts = meeting_texts(meeting, agenda, notes)
    problems = []
    for source in (s for s in (agenda, notes) if s is not None):
        for number, (path, phrases) in _intended(meeting, source).items():
            quoted = [t.text for t in texts if t.source is source and t.number == number]
            for i, phrase in enumerate(phrases):
                line = source.line((*path, i))
                if len(phrase.split()) < 3:
                    problems.append(
                        Problem(
                            source.file,
                            line,
                            _(
                                'item {number}, intended_wording: "{phrase}" is too short to '
                                "mark one sentence; quote at least three words of the sentence "
                                "as they are written"
                            ).format(number=number, phrase=phrase),
                        )
                    )
                elif not any(_normalise(phrase) in _normalise(text) for text in quoted):
                    problems.append(
                        Problem(
                            source.file,
                            line,
                            _(
                                'item {number}, intended_wording: "{phrase}" does not occur in '
                                "the texts of item {number}; quote at least three words of the "
                                "flagged sentence as they are written"
                            ).format(number=number, phrase=phrase),
                        )
                    )
    for text in texts:
        intended = _intended(meeting, text.source).get(text.number, ((), ()))[1]
        for finding in find_decision_language(text.text, intended):
            problems.append(
                Problem(text.source.file, _line_of(text, finding.start), _message(text, finding))
            )
    return problems


def _message(text: CheckedText, finding: Finding) -> str:
    word = strip_invisible(finding.word)
    if finding.reason:
        return _(
            'item {number}, {field}: "{word}" in "{sentence}" reads as a decision of the group, '
            "which decides nothing (rule 4): {reason}. Write {suggestion} instead; if the wording "
            "is intended, quote at least three words of the sentence under `intended_wording:` "
            "of item {number}"
        ).format(
            number=text.number,
            field=text.label,
            word=word,
            reason=finding.reason,
            sentence=" ".join(finding.sentence.split()),
            suggestion=finding.suggestion,
        )
    return _(
        'item {number}, {field}: "{word}" reads as a decision of the group, which decides '
        "nothing (rule 4); {suggestion}. If the wording is intended, quote at least three words "
        "of the sentence under `intended_wording:` of item {number}"
    ).format(number=text.number, field=text.label, word=word, suggestion=finding.suggestion)


def _line_of(text: CheckedText, offset: int) -> int:
    line = text.source.line(text.path)
    # A block text (`|`) starts on the line after its field name.
    multiline = "\n" in text.text.rstrip("\n")
    return line + 1 + text.text.count("\n", 0, offset) if multiline else line


# The email texts of the municipality's templates (templates/mail/*.txt): Jinja tags are left out,
# except that the record's name ("{{ record.genitive }}") reads as the record: approving the
# record is the chair's (rule 3), and the guard must see what is approved.
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)


def _placeholder(tag: re.Match[str]) -> str:
    text = tag.group()
    lines = "\n" * text.count("\n")
    if text.startswith("{{") and "record" in text:
        return (" pöytäkirjan " if "genitive" in text else " pöytäkirja ") + lines
    return " " + lines


def template_problems(folder: Path) -> list[Problem]:
    """Decision language in the email texts of a template folder (`mail/*.txt`), if it has any."""
    problems = []
    for path in sorted((folder / "mail").glob("*.txt")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(str(path), 0, _("cannot be read: {error}").format(error=exc)))
            continue
        plain = _JINJA.sub(_placeholder, text)
        for offset, char in invisible_characters(text):
            line = text.count("\n", 0, offset) + 1
            message = _("contains the invisible character {char}; retype the text without it")
            problems.append(Problem(str(path), line, message.format(char=char)))
        for finding in find_decision_language(plain):
            line = plain.count("\n", 0, finding.start) + 1
            problems.append(
                Problem(
                    str(path),
                    line,
                    _(
                        '"{word}" in "{sentence}" reads as a decision of the group, which '
                        "decides nothing (rule 4). Write {suggestion} instead"
                    ).format(
                        word=strip_invisible(finding.word),
                        sentence=" ".join(finding.sentence.split()),
                        suggestion=finding.suggestion,
                    ),
                )
            )
    return problems

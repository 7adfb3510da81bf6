"""The communication guard (rule 4): finds decision language in the secretary's notes."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    """One occurrence of decision language, with the group's own words to use instead."""

    word: str  # the flagged word as it appears in the text ("päätettiin")
    start: int  # offset of the word in the checked text
    end: int
    sentence: str  # the sentence it appears in, stripped
    suggestion: str


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
_DECISION = re.compile(
    "|".join(
        rf"(?P<{kind}{i}>\b(?:{pattern})\b)" for i, (kind, pattern) in enumerate(_DECISION_WORDS)
    ),
    re.IGNORECASE,
)
# päättää + "kokouksen" (active) or "kokous" (passive) is closing the meeting, not deciding.
_ACTIVE_PÄÄTTÄÄ = re.compile(r"päät(?:t[äi]|in|it|än|ät)\w*", re.IGNORECASE)
_PASSIVE_PÄÄTTÄÄ = re.compile(r"päätet\w*", re.IGNORECASE)

_ALTERNATIVES = {
    "verb": '"sovittiin", "linjattiin", "todettiin" or "suositellaan"',
    "approve": '"sovittiin" or "todettiin yhteisesti"',
    "noun": '"linjaus", "yhteinen näkemys" or "suositus"',
    "english": '"agreed", "aligned", "noted" or "recommends"',
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


def find_decision_language(text: str, intended: Sequence[str] = ()) -> list[Finding]:
    """Every word that makes the group look like a decision-making body, in text order.

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
        suggestion = f'write {_ALTERNATIVES[kind]} instead of "{word}"'
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

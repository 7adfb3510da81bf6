"""Tests of the communication guard (rule 4): decision language in the secretary's notes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.wording import find_decision_language

FLAGGED = [
    ("Neuvotteluryhmä päätti esittää asiaa kaupunginhallitukselle.", "päätti"),
    ("Asiasta päätettiin yksimielisesti.", "päätettiin"),
    ("Talousarvio hyväksyttiin.", "hyväksyttiin"),
    ("Toimitaan päätöksen mukaisesti.", "päätöksen"),
    ("Ryhmä vahvisti linjauksen.", "vahvisti"),
    ("The group decided to ask for a report.", "decided"),
    ("Päätös: selvitetään asia.", "Päätös"),
    ("Neuvotteluryhmän päätös on yksimielinen.", "päätös"),
    ("Ryhmä hyväksyi esityksen.", "hyväksyi"),
    ("Ryhmät ovat päättäneet tukea hanketta.", "päättäneet"),
    ("Asia on päätetty.", "päätetty"),
    ("Päätettiinkö asiasta?", "Päätettiinkö"),
    ("Tehtiin yhteispäätös investoinneista.", "yhteispäätös"),
    ("Päätösehdotus esitellään ryhmille.", "Päätösehdotus"),
    ("Linjaus vahvistettiin.", "vahvistettiin"),
    ("The resolution was drafted.", "resolution"),
    # An official body that receives the proposal is not the one deciding.
    ("Kaupunginhallitukselle päätettiin esittää selvitystä.", "päätettiin"),
    ("Päätettiin kaupunginhallituksen esityksen mukaisesti.", "Päätettiin"),
    ("Kaupunginhallitus pyysi, että neuvotteluryhmä päättää asiasta.", "päättää"),
    # A date that ends a sentence ends it: the body before it is not the subject.
    ("Kaupunginhallitus käsittelee asiaa 3.11. Päätettiin odottaa.", "Päätettiin"),
    # "kokous" with something else than closing.
    ("Kokous päätettiin pitää etänä.", "päätettiin"),
    ("Kokous päätti, että asia selvitetään.", "päätti"),
    ("Ryhmä päätti kokouksen lopuksi, että asia selvitetään.", "päätti"),
    ("Kokouksessa päätettiin, että asia selvitetään.", "päätettiin"),
]

NOT_FLAGGED = [
    "Kaupunginvaltuusto päätti 12.11. talousarviosta.",
    "Kaupunginvaltuusto 12.11. päätti talousarviosta.",
    "Kaupunginvaltuusto päätti 12.11.2026 talousarviosta.",
    "kaupunginhallituksen päätös",
    "Kaupunginhallitus on 3.11. hyväksynyt esityksen.",
    "Kaupunginhallitus on kokouksessaan 3.11.2026 yksimielisesti hyväksynyt esityksen.",
    "Sivistyslautakunnan päätöksen mukaisesti koulu jatkaa.",
    "Sivistyslautakunta on päättänyt asiasta.",
    "Tekninen lautakunta hyväksyi suunnitelman.",
    "Valtuusto hyväksyi talousarvion.",
    "Valtuuston 12.11. tekemä päätös on voimassa.",
    "Toimitaan hallituksen päätöksellä.",
    "Kaupunginjohtaja päätti asiasta viranhaltijapäätöksellä.",
    "Valtuustossa päätettiin asiasta jo keväällä.",
    "Asiasta päättää kaupunginvaltuusto.",
    "Esim. Valtuusto päätti asiasta.",
    "The city council decided to build a school.",
    "Approved by the city council.",
    "Puheenjohtaja päätti kokouksen klo 18.52.",
    "Puheenjohtaja M. Korhonen päätti kokouksen.",
    "Kokous päätettiin klo 19.05.",
    "Kokouksen päättäminen",
    "Kokous päättyi.",
    "Keskustelu vahvistaa vuoropuhelua.",
    "Sovittiin, että asia selvitetään.",
    "Linjattiin yhteisesti investointien taso.",
    "Ryhmä päätyi samaan näkemykseen, ja loppupäätelmä on selvä.",
    "Päätepiste on rautatieasemalla.",
    "Päättäjät saavat muistion tiedoksi.",
    "Ryhmä tukee päätöksentekoa ja sen päätehtävä on vuoropuhelu.",
    "",
    "Talousarvio 2027 ja taloussuunnitelma 2027–2029",
]


@pytest.mark.parametrize(("text", "word"), FLAGGED)
def test_decision_language_is_flagged(text: str, word: str) -> None:
    """Verify that decision language of the group itself is flagged, with the word it uses."""
    assert [finding.word for finding in find_decision_language(text)] == [word]


@pytest.mark.parametrize("text", NOT_FLAGGED)
def test_facts_and_near_misses_are_not_flagged(text: str) -> None:
    """Verify that official bodies' decisions, closing the meeting and look-alikes pass."""
    assert find_decision_language(text) == []


def test_finding_points_at_the_word_and_its_sentence() -> None:
    """Verify that a finding's offsets, sentence and suggestion describe the occurrence."""
    text = "Sovittiin aikataulusta. Asiasta päätettiin 12.11. yksimielisesti! Muuta ei ollut."
    [finding] = find_decision_language(text)
    assert text[finding.start : finding.end] == finding.word == "päätettiin"
    assert finding.sentence == "Asiasta päätettiin 12.11. yksimielisesti!"
    assert finding.suggestion == (
        'write "sovittiin", "linjattiin", "todettiin" or "suositellaan" instead of "päätettiin"'
    )


@pytest.mark.parametrize(
    ("text", "alternative"),
    [
        ("Esitys hyväksyttiin.", '"todettiin yhteisesti"'),
        ("Päätös tehtiin.", '"yhteinen näkemys"'),
        ("We decided.", '"recommends"'),
    ],
)
def test_suggestion_fits_the_word(text: str, alternative: str) -> None:
    """Verify that the suggestion offers the group's own words for that kind of word."""
    [finding] = find_decision_language(text)
    assert alternative in finding.suggestion


def test_every_finding_in_a_text_is_reported() -> None:
    """Verify that several findings in one text, across sentences and list items, all come."""
    text = (
        "Taustaa:\n"
        "- Kaupunginhallitus hyväksyi esityksen.\n"
        "- Neuvotteluryhmä hyväksyi sen ja päätettiin tiedottaa.\n"
        "\n"
        "Päätös: jatketaan. Valtuuston päätös odottaa."
    )
    findings = find_decision_language(text)
    assert [(f.word, f.sentence) for f in findings] == [
        ("hyväksyi", "Neuvotteluryhmä hyväksyi sen ja päätettiin tiedottaa."),
        ("päätettiin", "Neuvotteluryhmä hyväksyi sen ja päätettiin tiedottaa."),
        ("Päätös", "Päätös: jatketaan."),
    ]
    assert all(text[f.start : f.end] == f.word for f in findings)


def test_case_does_not_matter() -> None:
    """Verify that upper-case decision words are flagged and keep their spelling."""
    assert [f.word for f in find_decision_language("ASIASTA PÄÄTETTIIN.")] == ["PÄÄTETTIIN"]
    assert find_decision_language("KAUPUNGINVALTUUSTO PÄÄTTI ASIASTA.") == []


def test_intended_phrase_suppresses_only_its_sentence() -> None:
    """Verify that an intended phrase hides the findings of the sentences containing it."""
    text = "Asiasta päätettiin keväällä. Esitys hyväksyttiin. Päätös odottaa."
    intended = ["ASIASTA   päätettiin", "", "  "]
    findings = find_decision_language(text, intended)
    assert [f.word for f in findings] == ["hyväksyttiin", "Päätös"]
    assert len(find_decision_language(text, ["ei esiinny tekstissä"])) == 3


# Closing objects (kokous, kokouksen) and official bodies are left out on purpose: next to them
# "päätettiin" is closing the meeting ("Kokous päätettiin.") or a fact about the body.
HARMLESS_WORDS = """
    sovittiin linjattiin todettiin suositellaan talousarvio ryhmä kokouksessa investoinnit
    veroprosentti keskusteltiin esitys yhteinen näkemys jatkovalmistelu sihteeri Äänekoski
    puheenjohtaja asia selvitetään linjaus päättyi päätepiste loppupäätelmä päätyi vahvistaa
    vuoropuhelua päättäminen päättäjät päätöksenteko klo 12.11. 2027 Sovittiin Ryhmä
"""
HARMLESS = st.sampled_from(HARMLESS_WORDS.split())
# Words with the punctuation after them, and what joins them: a space, a line, a list item.
WORDS = st.lists(st.builds(str.__add__, HARMLESS, st.sampled_from(["", ".", ",", "!", "?", ":"])))
JOINERS = st.sampled_from([" ", "\n", "\n\n", "\n- "])


@given(WORDS, JOINERS)
def test_harmless_text_is_never_flagged(words: list[str], joiner: str) -> None:
    """Verify that text made of harmless words and punctuation raises no finding."""
    assert find_decision_language(joiner.join(words)) == []


@given(WORDS, JOINERS, st.data())
def test_inserted_decision_word_is_flagged_once(
    words: list[str], joiner: str, data: st.DataObject
) -> None:
    """Verify that " päätettiin " inserted at any word boundary is flagged exactly once."""
    at = data.draw(st.integers(0, len(words)))
    text = joiner.join(words[:at]) + " päätettiin " + joiner.join(words[at:])
    [finding] = find_decision_language(text)
    assert text[finding.start : finding.end] == finding.word == "päätettiin"
    assert "päätettiin" in finding.sentence


@given(st.text())
def test_any_text_gives_consistent_findings(text: str) -> None:
    """Verify that any text is checked without error and every offset points at its word."""
    for finding in find_decision_language(text):
        assert text[finding.start : finding.end] == finding.word
        assert finding.word in finding.sentence

"""Tests of the communication guard (rule 4) as a function: both the Voikko guard and the older
rules it falls back to. The guard through `minutes check` is tested in test_guard_check.py."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.wording import (
    Finding,
    find_decision_language,
    find_with_rules,
    find_with_voikko,
    voikko_available,
)

# CI installs Voikko (scripts/setup.sh) and sets CI: there a missing Voikko fails, never skips.
needs_voikko = pytest.mark.skipif(
    not voikko_available() and not os.environ.get("CI"),
    reason="Voikko is not installed (run scripts/setup.sh)",
)
Guard = Callable[[str, Sequence[str]], list[Finding]]


@pytest.fixture(
    params=[
        pytest.param(find_with_voikko, id="voikko", marks=needs_voikko),
        pytest.param(find_with_rules, id="rules"),
    ]
)
def guard(request: pytest.FixtureRequest) -> Callable[..., list[Finding]]:
    """Each guard: the one on Voikko and the older rules."""
    return request.param  # type: ignore[no-any-return]


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
def test_decision_language_is_flagged(guard: Guard, text: str, word: str) -> None:
    """Verify that decision language of the group itself is flagged, with the word it uses."""
    assert [finding.word for finding in guard(text, ())] == [word]


@pytest.mark.parametrize("text", NOT_FLAGGED)
def test_facts_and_near_misses_are_not_flagged(guard: Guard, text: str) -> None:
    """Verify that official bodies' decisions, closing the meeting and look-alikes pass."""
    assert guard(text, ()) == []


def test_finding_points_at_the_word_and_its_sentence(guard: Guard) -> None:
    """Verify that a finding's offsets and sentence describe the occurrence."""
    text = "Sovittiin aikataulusta. Asiasta päätettiin 12.11. yksimielisesti! Muuta ei ollut."
    [finding] = guard(text, ())
    assert text[finding.start : finding.end] == finding.word == "päätettiin"
    assert finding.sentence == "Asiasta päätettiin 12.11. yksimielisesti!"


def test_old_rules_suggest_the_groups_verbs() -> None:
    """Verify the older rules' suggestion names the group's own verbs."""
    [finding] = find_with_rules("Asiasta päätettiin.")
    assert finding.suggestion == (
        'kirjoita sanan "päätettiin" tilalle "sovittiin" / "linjattiin" / "todettiin" / '
        '"suositellaan"'
    )


@pytest.mark.parametrize(
    ("text", "alternative"),
    [
        ("Esitys hyväksyttiin.", '"todettiin yhteisesti"'),
        ("Päätös tehtiin.", '"yhteinen näkemys"'),
        ("We decided.", '"recommends"'),
    ],
)
def test_old_rules_suggestion_fits_the_kind_of_word(text: str, alternative: str) -> None:
    """Verify that the older rules offer the group's own words for that kind of word."""
    [finding] = find_with_rules(text)
    assert alternative in finding.suggestion


def test_every_finding_in_a_text_is_reported(guard: Guard) -> None:
    """Verify that several findings in one text, across sentences and list items, all come."""
    text = (
        "Taustaa:\n"
        "- Kaupunginhallitus hyväksyi esityksen.\n"
        "- Neuvotteluryhmä hyväksyi sen ja päätettiin tiedottaa.\n"
        "\n"
        "Päätös: jatketaan. Valtuuston päätös odottaa."
    )
    findings = guard(text, ())
    assert [(f.word, f.sentence) for f in findings] == [
        ("hyväksyi", "Neuvotteluryhmä hyväksyi sen ja päätettiin tiedottaa."),
        ("päätettiin", "Neuvotteluryhmä hyväksyi sen ja päätettiin tiedottaa."),
        ("Päätös", "Päätös: jatketaan."),
    ]
    assert all(text[f.start : f.end] == f.word for f in findings)


def test_case_does_not_matter(guard: Guard) -> None:
    """Verify that upper-case decision words are flagged and keep their spelling."""
    assert [f.word for f in guard("ASIASTA PÄÄTETTIIN.", ())] == ["PÄÄTETTIIN"]
    assert guard("KAUPUNGINVALTUUSTO PÄÄTTI ASIASTA.", ()) == []


@needs_voikko
def test_intended_phrase_suppresses_only_its_sentence() -> None:
    """Verify that an intended phrase of three words hides the findings of its sentence only,
    and that a shorter phrase hides nothing."""
    text = "Asiasta päätettiin keväällä. Esitys hyväksyttiin. Päätös odottaa."
    findings = find_with_voikko(text, ["ASIASTA   päätettiin keväällä", "", "  "])
    assert [f.word for f in findings] == ["hyväksyttiin", "Päätös"]
    assert len(find_with_voikko(text, ["Asiasta päätettiin"])) == 3
    assert len(find_with_voikko(text, ["ei esiinny tekstissä"])) == 3


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


# The Voikko guard: what the older rules miss or flag wrongly (issue 10), and its suggestions.
VOIKKO_FLAGGED = [
    ("Neuvotteluryhmä ratkaisi kysymyksen palveluverkosta.", "ratkaisi"),
    ("Neuvotteluryhmä valitsi vaihtoehdon B.", "valitsi"),
    ("Ryhmä hylkäsi esityksen.", "hylkäsi"),
    ("Ryhmät linjasivat sitovasti investointitason.", "sitovasti"),
    ("Ryhmät sitoutuivat tukemaan esitystä valtuustossa.", "sitoutuivat"),
    ("Neuvotteluryhmän kannaksi tuli pohjaesitys äänin 6–3.", "äänin"),
    ("Kaupunginhallituksen esityksen pohjalta hyväksyttiin linjaukset.", "hyväksyttiin"),
    ("Kokous todettiin laillisesti koolle kutsutuksi.", "laillisesti"),
    ("Kokous todettiin päätösvaltaiseksi.", "päätösvaltaiseksi"),
    ("Neuvotteluryhmä edellyttää, että kaupunki selvittää kustannukset.", "edellyttää"),
    ("Kokouksen työjärjestykseksi vahvistettiin esityslista.", "vahvistettiin"),
    ("Pää\u00adtettiin odottaa.", "Pää\u00adtettiin"),  # a soft hyphen hides nothing
    ("Hyväk\u200bsyttiin esitys.", "Hyväk\u200bsyttiin"),  # nor does a zero-width space
    ("Pöytäkirjaluonnos hyväksyttiin kokouksessa.", "hyväksyttiin"),  # the chair approves it
    ("Asiasta pa\u0308a\u0308tettiin.", "pa\u0308a\u0308tettiin"),  # decomposed letters
    ("Asia ratkaistiin neuvotteluryhmän toimesta.", "ratkaistiin"),
    ("Kokous hyväksyi talousarvion.", "hyväksyi"),
]
VOIKKO_NOT_FLAGGED = [
    "Neuvotteluryhmä ei tee päätöksiä.",
    "Neuvotteluryhmällä ei ole päätösvaltaa.",
    "Päätösehdotus valmistellaan kaupunginhallitukselle.",
    "Hyvinvointialue päätti sulkea terveysaseman.",
    "Keski-Suomen hyvinvointialueen aluehallitus hyväksyi palveluverkkosuunnitelman.",
    "Hallinto-oikeus hylkäsi valituksen.",
    "ELY-keskus hyväksyi tiesuunnitelman.",
    "AVI:n päätös on saatu.",
    "Valtiovarainministeriö edellyttää kunnilta tasapainotusta.",
    "Keskustelu vahvisti ryhmien välistä luottamusta.",
    "Kaupunginjohtaja vahvisti, että hanke etenee.",
    "Asia tulee valtuuston päätettäväksi tammikuussa.",
    "Puheenjohtaja on hyväksynyt edellisen kokouksen pöytäkirjan.",
    # Rule 3 in the letters to the chair: the draft goes to her for approval.
    "Pöytäkirjaluonnos lähetetään puheenjohtajalle hyväksyttäväksi.",
    "Jos hyväksyt pöytäkirjan sellaisenaan, vastaa tähän viestiin.",
    "Muistio hyväksyttiin puheenjohtajan toimesta.",
    # The agent of a passive, and a body's own meeting.
    "Asia ratkaistiin kaupunginhallituksen toimesta.",
    "Valtuuston kokous hyväksyi talousarvion.",
]


@needs_voikko
@pytest.mark.parametrize(("text", "word"), VOIKKO_FLAGGED)
def test_voikko_guard_flags_what_the_rules_missed(text: str, word: str) -> None:
    """Verify other decision verbs, genitive modifiers, statutory formulas, vote results and
    words split by invisible characters are flagged, with the word as written."""
    assert [finding.word for finding in find_with_voikko(text)] == [word]


@needs_voikko
@pytest.mark.parametrize("text", VOIKKO_NOT_FLAGGED)
def test_voikko_guard_passes_what_the_rules_flagged(text: str) -> None:
    """Verify negation, compounds with another head, unknown official bodies and "vahvistaa" as
    strengthen or confirm pass."""
    assert find_with_voikko(text) == []


@needs_voikko
@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("Asiasta päätettiin.", '"sovittiin" tai "linjattiin"'),
        ("Ryhmä päätti odottaa.", '"sopi" tai "linjasi"'),
        ("Ryhmät päättivät odottaa.", '"sopivat" tai "linjasivat"'),
        ("Päätetään myöhemmin.", '"Sovitaan" tai "Linjataan"'),
        ("Ryhmä hyväksyi esityksen.", '"piti hyvänä" tai "yhtyi"'),
        ("Esitys hyväksyttiin.", '"pidettiin hyvänä" tai "yhdyttiin"'),
        ("Toimitaan päätöksen mukaisesti.", '"linjauksen" (tai "yhteisen näkemyksen")'),
        ("Päätös: selvitetään.", '"Linjaus" (tai "yhteinen näkemys")'),
        ("Tehtiin periaatepäätös.", '"periaatelinjaus"'),
        ("Neuvotteluryhmä hylkäsi esityksen.", '"ei puoltanut"'),
    ],
)
def test_suggestion_fits_the_form_of_the_word(text: str, suggestion: str) -> None:
    """Verify the replacement is inflected like the flagged word."""
    [finding] = find_with_voikko(text)
    assert finding.suggestion.startswith(suggestion)
    assert finding.reason


@needs_voikko
def test_english_is_still_checked() -> None:
    """Verify English decision words, which Voikko does not analyse, are still flagged."""
    assert [f.word for f in find_with_voikko("Ryhmä päätti. The group decided.")] == [
        "päätti",
        "decided",
    ]

"""Precision and recall of the communication guard on the labelled corpus, new and old side by side.

    .venv/bin/python benchmarks/guard_bench.py [--misses]

A sentence counts as flagged when the guard finds at least one decision word in it. The corpus is
tests/guard_corpus.tsv (label, sentence, why); "decision" sentences must be flagged, "ok" ones not.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.wording import Finding, find_with_rules, find_with_voikko, voikko_available

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "guard_corpus.tsv"
Guard = Callable[[str, Sequence[str]], list[Finding]]


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    misses: list[str]  # decision sentences not flagged
    false_alarms: list[str]  # ok sentences flagged


def corpus(path: Path = CORPUS) -> list[tuple[str, str]]:
    """The (label, sentence) rows of the corpus."""
    with path.open(encoding="utf-8", newline="") as file:
        rows = csv.DictReader(file, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [(row["label"], row["sentence"]) for row in rows]


def score(guard: Guard, rows: list[tuple[str, str]]) -> Score:
    misses, alarms, hits = [], [], 0
    for label, sentence in rows:
        flagged = bool(guard(sentence, ()))
        if label == "decision" and flagged:
            hits += 1
        elif label == "decision":
            misses.append(sentence)
        elif flagged:
            alarms.append(sentence)
    decisions = sum(label == "decision" for label, _ in rows)
    flagged_total = hits + len(alarms)
    return Score(
        hits / flagged_total if flagged_total else 1.0,
        hits / decisions if decisions else 1.0,
        misses,
        alarms,
    )


def main(argv: list[str]) -> int:
    rows = corpus()
    guards: list[tuple[str, Guard]] = [("old rules (regex)", find_with_rules)]
    if voikko_available():
        guards.insert(0, ("Voikko guard", find_with_voikko))
    else:
        print("Voikko is not installed: only the old rules are measured.", file=sys.stderr)
    decisions = sum(label == "decision" for label, _ in rows)
    print(f"corpus: {len(rows)} sentences, {decisions} decision-like, {len(rows) - decisions} ok")
    print(f"{'guard':<20} {'precision':>9} {'recall':>7}")
    for name, guard in guards:
        result = score(guard, rows)
        print(f"{name:<20} {result.precision:>9.3f} {result.recall:>7.3f}")
        if "--misses" in argv:
            for sentence in result.misses:
                print(f"  missed:      {sentence}")
            for sentence in result.false_alarms:
                print(f"  false alarm: {sentence}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

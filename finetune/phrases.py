"""The phrasebook of the SFT data: every intent's phrasings, read from `phrases.yaml` beside this.

Each family has train and held-out eval phrasings, written differently so the held-out score
measures generalisation (the YAML file's header lists the placeholders).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

PHRASES_FILE = Path(__file__).with_name("phrases.yaml")

Family = tuple[list[str], list[str]]  # (train phrasings, eval phrasings)


@dataclass(frozen=True)
class Phrasebook:
    """Phrasings by intent family and ordinal, and the fixed no-tool answers."""

    families: dict[str, Family]
    ordinals: dict[int, Family]
    smalltalk_answers: list[str]
    injection_answer: str
    adjectives: list[str]


def _split(where: str, entry: object) -> Family:
    if not isinstance(entry, dict) or set(entry) != {"train", "eval"}:
        raise ValueError(f"{where} needs exactly `train` and `eval` lists")
    train, held = entry["train"], entry["eval"]
    for side in (train, held):
        if not side or not isinstance(side, list) or not all(isinstance(s, str) for s in side):
            raise ValueError(f"{where} needs non-empty lists of strings")
    return list(train), list(held)


def load_phrasebook(path: Path = PHRASES_FILE) -> Phrasebook:
    """Read and check the phrasebook (ValueError naming the entry that is malformed)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Phrasebook(
        families={n: _split(f"{path.name}: {n}", e) for n, e in raw["families"].items()},
        ordinals={
            int(n): _split(f"{path.name}: ordinal {n}", e) for n, e in raw["ordinals"].items()
        },
        smalltalk_answers=list(raw["smalltalk_answers"]),
        injection_answer=str(raw["injection_answer"]),
        adjectives=list(raw["adjectives"]),
    )

"""The phrasebook of the SFT data: every intent's phrasings, read from `phrases.yaml` beside this.

Each family has train and held-out eval phrasings, written differently so the held-out score
measures generalisation (the YAML file's header lists the placeholders).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

PHRASES_FILE = Path(__file__).with_name("phrases.yaml")
SHOPPER_FILE = Path(__file__).with_name("shopper_phrases.yaml")

Family = tuple[list[str], list[str]]  # (train phrasings, eval phrasings)


@dataclass(frozen=True)
class ShopperSet:
    """One answer set's shopper phrasings by family, and its words for the n-th of the three
    products its questions were written about (some count from the end)."""

    name: str
    families: dict[str, list[str]]
    ordinals: dict[int, list[str]]
    not_sold: list[str] = field(default_factory=list)  # asked for, not sold: still a search


@dataclass(frozen=True)
class Phrasebook:
    """Phrasings by intent family and ordinal, and the fixed no-tool answers."""

    families: dict[str, Family]
    ordinals: dict[int, Family]
    smalltalk_answers: list[str]
    injection_answer: str
    adjectives: list[str]
    # Train-only phrasings of real shoppers, one entry per answer set (shopper_phrases.yaml)
    shopper: list[ShopperSet] = field(default_factory=list)


def _split(where: str, entry: object) -> Family:
    if not isinstance(entry, dict) or set(entry) != {"train", "eval"}:
        raise ValueError(f"{where} needs exactly `train` and `eval` lists")
    train, held = entry["train"], entry["eval"]
    for side in (train, held):
        if not side or not isinstance(side, list) or not all(isinstance(s, str) for s in side):
            raise ValueError(f"{where} needs non-empty lists of strings")
    return list(train), list(held)


def _strings(where: str, entry: object) -> list[str]:
    if not isinstance(entry, list) or not all(isinstance(s, str) and s.strip() for s in entry):
        raise ValueError(f"{where} needs a list of non-empty strings")
    return list(entry)


def load_shopper_phrases(path: Path = SHOPPER_FILE) -> list[ShopperSet]:
    """The shoppers' train-only phrasings, one ShopperSet per answer set."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = []
    for entry in raw["sets"]:
        where = f"{path.name}: {entry['name']}"
        ordinals = {
            int(n): _strings(f"{where} ordinal {n}", e)
            for n, e in entry["ordinals_of_three"].items()
        }
        if set(ordinals) != {1, 2, 3}:
            raise ValueError(f"{where}: ordinals_of_three needs exactly 1, 2 and 3")
        families = {f: _strings(f"{where} {f}", e) for f, e in entry["families"].items() if e}
        raw_not_sold = entry.get("not_sold") or []
        not_sold = _strings(f"{where} not_sold", raw_not_sold) if raw_not_sold else []
        out.append(ShopperSet(str(entry["name"]), families, ordinals, not_sold))
    return out


def load_phrasebook(
    path: Path = PHRASES_FILE, shopper_path: Path | None = SHOPPER_FILE
) -> Phrasebook:
    """Read and check the phrasebook (ValueError naming the entry that is malformed)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    shopper = load_shopper_phrases(shopper_path) if shopper_path else []
    unknown = {f for s in shopper for f in s.families} - set(raw["families"])
    if unknown:
        raise ValueError(f"shopper phrasings for unknown families: {sorted(unknown)}")
    return Phrasebook(
        families={n: _split(f"{path.name}: {n}", e) for n, e in raw["families"].items()},
        ordinals={
            int(n): _split(f"{path.name}: ordinal {n}", e) for n, e in raw["ordinals"].items()
        },
        smalltalk_answers=list(raw["smalltalk_answers"]),
        injection_answer=str(raw["injection_answer"]),
        adjectives=list(raw["adjectives"]),
        shopper=shopper,
    )

"""Search filters and the columnar product attributes they are checked against."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np

from retrieval.corpus import ProductDoc


@dataclass(frozen=True)
class Filters:
    """Optional constraints; prices are inclusive; category matches a path, prefix or segment."""

    category: str | None = None
    brand: str | None = None
    min_price: float | None = None
    max_price: float | None = None
    min_rating: float | None = None
    in_stock: bool | None = None

    def __post_init__(self) -> None:
        for name in ("min_price", "max_price", "min_rating"):
            value = getattr(self, name)
            if value is not None and (
                not isinstance(value, int | float) or math.isnan(value) or value < 0
            ):
                raise ValueError(f"{name} must be a non-negative number, got {value!r}")
        if (
            self.min_price is not None
            and self.max_price is not None
            and self.min_price > self.max_price
        ):
            raise ValueError(
                f"min_price ({self.min_price}) is greater than max_price ({self.max_price})"
            )
        if self.min_rating is not None and self.min_rating > 5:
            raise ValueError(f"min_rating must be between 0 and 5, got {self.min_rating}")

    @classmethod
    def from_dict(cls, data: dict | None) -> Filters:
        """Filters from a plain dict; unknown keys raise ValueError naming the valid ones."""
        data = {k: v for k, v in (data or {}).items() if v is not None}
        valid = [f.name for f in fields(cls)]
        unknown = sorted(set(data) - set(valid))
        if unknown:
            raise ValueError(
                f"unknown filter field(s) {', '.join(unknown)}; valid: {', '.join(valid)}"
            )
        return cls(**data)

    def active(self) -> bool:
        """Whether any constraint is set."""
        return any(getattr(self, f.name) is not None for f in fields(self))

    def as_dict(self) -> dict:
        """The set constraints only."""
        return {
            f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None
        }


def _norm(text: str) -> str:
    return " > ".join(p.strip() for p in " ".join(text.lower().split()).split(">") if p.strip())


class Attributes:
    """Per-row price, rating, stock, brand and category codes, for vectorised filter masks."""

    def __init__(self, docs: list[ProductDoc]) -> None:
        nan = float("nan")
        self.price = np.array([nan if d.price is None else d.price for d in docs], dtype=np.float64)
        self.rating = np.array(
            [nan if d.rating is None else d.rating for d in docs], dtype=np.float64
        )
        self.in_stock = np.array([d.in_stock for d in docs], dtype=bool)
        self.brands, self.brand_code = self._codes([d.brand.strip().lower() for d in docs])
        self.categories, self.category_code = self._codes([_norm(d.category) for d in docs])
        self.groups, self.group_code = self._codes([d.group_id for d in docs])

    @staticmethod
    def _codes(values: list[str]) -> tuple[list[str], np.ndarray]:
        vocab: dict[str, int] = {}
        codes = np.array([vocab.setdefault(v, len(vocab)) for v in values], dtype=np.int32)
        return list(vocab), codes

    def same_group(self, row: int) -> np.ndarray:
        """(n,) bool: rows that are variants of row (same non-empty group_id), row included."""
        if not self.groups[self.group_code[row]]:
            out = np.zeros(len(self.group_code), dtype=bool)
            out[row] = True
            return out
        return self.group_code == self.group_code[row]

    def _category_ok(self, wanted: str) -> np.ndarray:
        w = _norm(wanted)
        ok = np.zeros(len(self.categories), dtype=bool)
        for i, cat in enumerate(self.categories):
            parts = cat.split(" > ")
            prefixes = {" > ".join(parts[: j + 1]) for j in range(len(parts))}
            ok[i] = bool(cat) and (w in prefixes or w in parts)
        return ok

    def mask(self, filters: Filters) -> np.ndarray:
        """(n,) bool: rows satisfying every set constraint (a missing price/rating never passes)."""
        m = np.ones(len(self.price), dtype=bool)
        if filters.category is not None:
            m &= self._category_ok(filters.category)[self.category_code]
        if filters.brand is not None:
            b = filters.brand.strip().lower()
            m &= np.array([x == b for x in self.brands], dtype=bool)[self.brand_code]
        with np.errstate(invalid="ignore"):
            if filters.min_price is not None:
                m &= self.price >= filters.min_price
            if filters.max_price is not None:
                m &= self.price <= filters.max_price
            if filters.min_rating is not None:
                m &= self.rating >= filters.min_rating
        if filters.in_stock is not None:
            m &= self.in_stock == filters.in_stock
        return m

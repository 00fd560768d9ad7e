"""The plain product record the retrieval library works on."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ProductDoc:
    """One product as retrieval sees it (no database types)."""

    product_id: str
    title: str
    description: str = ""
    category: str = ""  # "A > B > C"
    brand: str = ""
    price: float | None = None
    rating: float | None = None
    in_stock: bool = True
    group_id: str = ""  # products sharing a group_id are variants of one another
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

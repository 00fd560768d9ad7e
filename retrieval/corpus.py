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


def product_text(doc: ProductDoc, max_description_chars: int = 300) -> str:
    """The text that represents a product for embedding and BM25: title, brand, category, description start."""
    parts = [doc.title.strip()]
    if doc.brand and doc.brand.lower() not in doc.title.lower():
        parts.append(doc.brand.strip())
    if doc.category:
        # the leaf carries the meaning; the full path mostly repeats generic words
        parts.append(doc.category.split(">")[-1].strip())
    description = " ".join(doc.description.split())
    if description and max_description_chars > 0:
        cut = description[:max_description_chars]
        # stop at the last sentence or word boundary so no token is split
        end = (
            max(cut.rfind(". "), cut.rfind(" ")) if len(description) > max_description_chars else -1
        )
        parts.append(cut[:end] if end > 40 else cut)
    return ". ".join(p for p in parts if p)

"""Search-box query rewriting: spelling, structure (filters) and expansions, from the catalog itself.

`QueryRewriter.from_docs(docs)` learns everything it needs from the catalog (vocabulary, word
pairs, brands, categories, related terms); `rewrite(query)` then runs in a few milliseconds.
Input it cannot read safely (empty, very long, binary, a script the catalog never uses) comes
back unchanged with confidence 0.
"""

from __future__ import annotations

import hashlib
import pickle
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from retrieval.corpus import ProductDoc
from retrieval.query_parse import Lexicon, build_lexicon, parse_query, words
from retrieval.rewrite.expand import EmbedFn, ExpandConfig, Expander
from retrieval.rewrite.spell import SpellConfig, SpellCorrector, letter_words
from retrieval.rewrite.units import UnitNormalizer

_WORD_SPAN = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
FORMAT_VERSION = 3
# search_products filter -> the product field it needs.
SEARCH_FILTER_FIELDS = {
    "category": "category",
    "brand": "brand",
    "min_price": "price",
    "max_price": "price",
    "min_rating": "rating",
    "in_stock": "in_stock",
}


@dataclass(frozen=True)
class RewriteConfig:
    """What the rewriter may do, and its limits."""

    spell: SpellConfig = field(default_factory=SpellConfig)
    expand: ExpandConfig = field(default_factory=ExpandConfig)
    max_query_chars: int = 256
    normalize_units: bool = True  # "18v" -> "18 volt" when the catalog writes "18-Volt"
    extract_filters: bool = True
    keep_colours: bool = True  # a colour is also a good search term: report it, keep the word
    ambiguous_brand_share: float = 0.2  # brand words this often in other brands' titles: not brands
    # BM25 weight of the soft terms (glued dimensions written apart); Home Depot dev half A:
    # 0.3 gains, 1.0 (replacing "2x4" by "2 x 4") puts more queries worse than better
    dimension_weight: float = 0.3

    def __post_init__(self) -> None:
        if self.max_query_chars < 1:
            raise ValueError(f"max_query_chars must be >= 1, got {self.max_query_chars}")
        if not 0.0 <= self.ambiguous_brand_share <= 1.0:
            raise ValueError("ambiguous_brand_share must be in [0, 1]")
        if not 0.0 <= self.dimension_weight <= 1.0:
            raise ValueError("dimension_weight must be in [0, 1]")


@dataclass(frozen=True)
class Change:
    """One edit the rewriter made: kind (spelling|split|join|filter), before, after, confidence."""

    kind: str
    before: str
    after: str
    confidence: float


@dataclass(frozen=True)
class Rewrite:
    """A rewritten query: corrected text without filter phrases, filters, expansions, changes."""

    original: str
    query: str
    filters: dict[str, object]
    expansions: list[str]
    changes: list[Change]
    confidence: float
    fields: frozenset[str] = frozenset(SEARCH_FILTER_FIELDS.values())  # what the catalog can filter
    # (text, weight) searched lexically beside the query at a lower weight, when the rewriter
    # has a likely reading it is not sure enough of to put in the query itself
    soft_terms: tuple[tuple[str, float], ...] = ()

    @classmethod
    def unchanged(cls, query: object) -> Rewrite:
        """The query handed back as it came, with confidence 0 (input we cannot read safely)."""
        text = query if isinstance(query, str) else ""
        return cls(text, text, {}, [], [], 0.0)

    def search_filters(self, fields: Iterable[str] | None = None) -> dict[str, object]:
        """The filters a product search understands, limited to the catalog fields given.

        fields: product fields the corpus has (price, rating, brand, category, in_stock), by
        default those of the rewriter's catalog; a filter on a field the corpus lacks would
        empty the results, so it is dropped.
        """
        have = set(self.fields) if fields is None else set(fields)
        return {
            k: v
            for k, v in self.filters.items()
            if k in SEARCH_FILTER_FIELDS and (have is None or SEARCH_FILTER_FIELDS[k] in have)
        }

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "original": self.original,
            "query": self.query,
            "filters": dict(self.filters),
            "expansions": list(self.expansions),
            "changes": [c.__dict__ for c in self.changes],
            "confidence": self.confidence,
            "soft_terms": [list(t) for t in self.soft_terms],
        }


def _editable(text: str, m: re.Match) -> bool:
    """Words inside a chunk with digits (18v, 2x4, ZL-450ab) and short all-caps acronyms stay."""
    start, end = m.start(), m.end()
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    chunk = text[start:end]
    return not any(ch.isdigit() for ch in chunk) and not (
        m.group(0).isupper() and len(m.group(0)) <= 5
    )


def _script(ch: str) -> str:
    """Coarse Unicode script of a letter ("LATIN", "DEVANAGARI", "CJK", ...)."""
    try:
        return unicodedata.name(ch).split()[0]
    except ValueError:
        return "UNKNOWN"


def ambiguous_brands(docs: list[ProductDoc], share: float) -> set[str]:
    """Brands whose name is also an ordinary word of other brands' titles ("Active", "Clove")."""
    by_name: dict[tuple[str, ...], str] = {}
    for d in docs:
        if d.brand.strip():
            by_name.setdefault(tuple(words(d.brand)), d.brand.strip())
    own_count: Counter[tuple[str, ...]] = Counter()
    other: Counter[tuple[str, ...]] = Counter()
    longest = max((len(k) for k in by_name), default=0)
    for d in docs:
        own = tuple(words(d.brand))
        own_count[own] += 1
        toks = words(d.title)
        found = {
            tuple(toks[i : i + n])
            for n in range(1, longest + 1)
            for i in range(len(toks) - n + 1)
            if tuple(toks[i : i + n]) in by_name
        }
        # "Fresho" inside a "Fresho Signature" product's title is the same family, no rival
        other.update(key for key in found if own[: len(key)] != key)
    return {
        by_name[k]
        for k in by_name
        if other[k] >= 2 and other[k] >= share * (other[k] + own_count[k])
    }


class QueryRewriter:
    """Rewrites search-box queries with what one catalog knows; pickle-able for caching."""

    def __init__(
        self,
        spell: SpellCorrector,
        lexicon: Lexicon,
        expander: Expander,
        units: UnitNormalizer,
        scripts: frozenset[str],
        config: RewriteConfig,
        fingerprint: str = "",
        fields: frozenset[str] | None = None,
    ) -> None:
        self.spell, self.lexicon, self.expander, self.units = spell, lexicon, expander, units
        self.scripts, self.config, self.fingerprint = scripts, config, fingerprint
        self.fields = (
            frozenset(SEARCH_FILTER_FIELDS.values()) | {"size"} if fields is None else fields
        )

    @classmethod
    def from_docs(
        cls,
        docs: list[ProductDoc],
        past_queries: list[str] | None = None,
        config: RewriteConfig | None = None,
        embed: EmbedFn | None = None,
    ) -> QueryRewriter:
        """Learn vocabulary, word pairs, brands, categories and related terms from a catalog.

        embed: optional texts -> normalised vectors function; adds embedding-neighbour synonyms.
        """
        config = config or RewriteConfig()
        texts = [
            " ".join((d.title, d.brand, d.category.replace(">", " "), d.description)) for d in docs
        ]
        brands = sorted({d.brand.strip() for d in docs if d.brand.strip()})
        categories = sorted({d.category.strip() for d in docs if d.category.strip()})
        spell = SpellCorrector(
            texts, protected=brands, past_queries=past_queries or (), config=config.spell
        )
        ambiguous = ambiguous_brands(docs, config.ambiguous_brand_share)
        lexicon = build_lexicon(brands, categories, ambiguous=ambiguous)
        expander = Expander.from_texts([d.title for d in docs], config.expand, embed=embed)
        scripts = frozenset(_script(ch) for t in texts for ch in set(t) if ch.isalpha())
        units = UnitNormalizer.from_texts(texts)
        fingerprint = catalog_fingerprint(docs)
        return cls(
            spell, lexicon, expander, units, scripts, config, fingerprint, catalog_fields(docs)
        )

    def _readable(self, query: object) -> bool:
        if (
            not isinstance(query, str)
            or not query.strip()
            or len(query) > self.config.max_query_chars
        ):
            return False
        for ch in query:
            cat = unicodedata.category(ch)
            if cat in ("Cs", "Co", "Cn") or (cat == "Cc" and not ch.isspace()):
                return False
            if ch.isalpha() and _script(ch) not in self.scripts:
                return False
        return True

    def _correct(self, text: str, context: frozenset[str]) -> tuple[str, list[Change]]:
        """Spell-correct the letter words of text in place, keeping everything else as typed."""
        spans = list(_WORD_SPAN.finditer(text))
        if not spans:
            return text, []
        toks = [m.group(0).lower() for m in spans]
        editable = [_editable(text, m) for m in spans]
        out, pos, changes = [], 0, []
        for i, n, corr in self.spell.correct_words(toks, editable, context):
            out += [text[pos : spans[i].start()], corr.after]
            pos = spans[i + n - 1].end()
            changes.append(Change(corr.kind, corr.before, corr.after, corr.confidence))
        out.append(text[pos:])
        return "".join(out), changes

    def rewrite(self, query: str, context: Sequence[str] = ()) -> Rewrite:
        """Corrected query without its filter phrases, the filters, expansions and every change.

        context: the shopper's earlier searches in this session (they steer spelling choices).
        """
        if not self._readable(query):
            return Rewrite.unchanged(query)
        text = " ".join(query.split())
        changes: list[Change] = []
        if self.config.normalize_units:
            text, pairs = self.units.rewrite_text(text)
            changes += [Change("unit", a, b, 0.9) for a, b in pairs]
        ctx = frozenset(w for q in context if isinstance(q, str) for w in letter_words(q))
        corrected, spelled = self._correct(text, ctx)
        changes += spelled
        filters: dict[str, object] = {}
        remaining = corrected
        if self.config.extract_filters:
            keep = [
                k
                for k, f in (*SEARCH_FILTER_FIELDS.items(), ("size", "size"))
                if f not in self.fields
            ]
            parsed = parse_query(
                corrected, self.lexicon, keep_colours=self.config.keep_colours, keep_keys=keep
            )
            remaining, filters = parsed.text or corrected, parsed.filters
            changes += [
                Change("filter", m.phrase, f"{m.key}={m.value}", m.confidence)
                for m in parsed.matches
            ]
        expansions = self.expander.expand(letter_words(remaining))
        confidence = 1.0
        for c in changes:
            confidence *= c.confidence
        fields = frozenset(self.fields)
        weight = self.config.dimension_weight
        soft = tuple((t, weight) for t in self.units.dimension_terms(remaining)) if weight else ()
        return Rewrite(
            query, remaining, filters, expansions, changes, round(confidence, 3), fields, soft
        )

    def save(self, path: str | Path) -> None:
        """Pickle the rewriter to path (a cache file; rebuildable from the catalog)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        with tmp.open("wb") as fh:
            pickle.dump((FORMAT_VERSION, self), fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)

    @classmethod
    def load(cls, path: str | Path) -> QueryRewriter:
        """Read a rewriter written by save; ValueError when the file is from another version."""
        with Path(path).open("rb") as fh:
            try:
                version, obj = pickle.load(fh)
            except (ModuleNotFoundError, AttributeError) as exc:  # written before a code move
                raise ValueError(f"{path}: rewriter cache of another version; rebuild it") from exc
        if version != FORMAT_VERSION or not isinstance(obj, cls):
            raise ValueError(f"{path}: rewriter cache of another version; rebuild it")
        return obj


def catalog_fields(docs: list[ProductDoc]) -> frozenset[str]:
    """The filterable fields a catalog actually fills (a price filter on no prices empties all)."""
    have = {"in_stock"}
    checks = {
        "price": lambda d: d.price is not None,
        "rating": lambda d: d.rating is not None,
        "brand": lambda d: bool(d.brand.strip()),
        "category": lambda d: bool(d.category.strip()),
        "size": lambda d: any("size" in k.lower() for k in d.extra),
    }
    for name, check in checks.items():
        if any(check(d) for d in docs):
            have.add(name)
    return frozenset(have)


def catalog_fingerprint(docs: list[ProductDoc]) -> str:
    """Short hash of the catalog's ids, titles, brands and categories (cache key)."""
    h = hashlib.sha1()
    for d in docs:
        h.update(f"{d.product_id}\x1f{d.title}\x1f{d.brand}\x1f{d.category}\x1e".encode())
    return h.hexdigest()[:16]

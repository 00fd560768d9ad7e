"""How often the "unknown kind" rules would wrongly say "no match": the share of judged queries
with a relevant product whose head word is an everyday English word that no title of the corpus
uses (`retrieval.relevance.unknown_kind`), whose last two words no title uses together
(`unknown_compound`), or that is one word no title uses nor spells close to (`unknown_word`).

    python -m retrieval.homedepot ../shared/data/homedepot/judgments_dev.csv var/hd
    python -m retrieval.headcheck var/hd/corpus.jsonl var/hd/queries.tsv var/hd/qrels.tsv
"""

from __future__ import annotations

import argparse
import json

from retrieval.calibrate import RELEVANT_GRADE
from retrieval.files import read_corpus, read_qrels, read_queries
from retrieval.lexical import Tokenizer
from retrieval.relevance import (
    EVERYDAY_COUNT,
    head_word,
    unknown_compound,
    unknown_kind,
    unknown_word,
)
from retrieval.rewrite.spell import english_counts


def false_no_match(
    titles: list[str], queries: list[tuple[str, str]], qrels: dict[str, dict[str, float]]
) -> dict[str, object]:
    """Queries with a relevant product, how many the rule calls an unknown kind, and examples."""
    tok = Tokenizer()
    rows: dict[str, set[int]] = {}
    for i, title in enumerate(titles):
        for w in tok(title):
            rows.setdefault(w, set()).add(i)
    stems = frozenset(rows)
    english = english_counts()
    judged = [
        (qid, text)
        for qid, text in queries
        if any(g >= RELEVANT_GRADE for g in qrels.get(qid, {}).values())
    ]
    wrong = [text for _, text in judged if unknown_kind(text, stems, english, tok)]
    compound = [text for _, text in judged if unknown_compound(text, rows, english, tok)]
    word = [text for _, text in judged if unknown_word(text, stems, tok)]
    return {
        "queries_with_a_relevant_product": len(judged),
        "called_unknown_kind": len(wrong),
        "share": round(len(wrong) / max(1, len(judged)), 4),
        "everyday_count": EVERYDAY_COUNT,
        "examples": [f"{t} ({head_word(t, tok)})" for t in wrong[:10]],
        "called_unknown_compound": len(compound),
        "compound_share": round(len(compound) / max(1, len(judged)), 4),
        "compound_examples": compound[:10],
        "called_unknown_word": len(word),
        "word_share": round(len(word) / max(1, len(judged)), 4),
        "word_examples": word[:10],
    }


def main() -> None:
    """Print the rule's false no-match rate on a judged corpus as JSON."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus")
    ap.add_argument("queries")
    ap.add_argument("qrels")
    a = ap.parse_args()
    titles = [d.title for d in read_corpus(a.corpus)]
    print(
        json.dumps(false_no_match(titles, read_queries(a.queries), read_qrels(a.qrels)), indent=1)
    )


if __name__ == "__main__":
    main()

"""Turn Home Depot judgments (id,product_uid,product_title,search_term,relevance) into eval files."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class EvalFiles:
    """Paths of a corpus / queries / qrels triple."""

    corpus: Path
    queries: Path
    qrels: Path


def convert_judgments(
    csv_path: str | Path, out_dir: str | Path, max_queries: int | None = None
) -> EvalFiles:
    """Write corpus.jsonl (every judged product), queries.tsv and qrels.tsv under out_dir.

    With max_queries, keep only the first that many queries (the corpus still holds every
    product, so the task stays as hard as the full one).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    titles: dict[str, str] = {}
    qids: dict[str, str] = {}
    qrels: dict[tuple[str, str], float] = {}
    with Path(csv_path).open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            pid = row["product_uid"].strip()
            titles.setdefault(pid, row["product_title"].strip())
            query = " ".join(row["search_term"].split())
            qid = qids.setdefault(query, f"q{len(qids) + 1}")
            qrels[(qid, pid)] = float(row["relevance"])
    keep = set(list(qids.values())[:max_queries]) if max_queries else set(qids.values())
    files = EvalFiles(out / "corpus.jsonl", out / "queries.tsv", out / "qrels.tsv")
    with files.corpus.open("w", encoding="utf-8") as fh:
        for pid, title in titles.items():
            fh.write(json.dumps({"product_id": pid, "title": title}) + "\n")
    with files.queries.open("w", encoding="utf-8") as fh:
        for query, qid in qids.items():
            if qid in keep:
                fh.write(f"{qid}\t{query}\n")
    with files.qrels.open("w", encoding="utf-8") as fh:
        for (qid, pid), grade in qrels.items():
            if qid in keep:
                fh.write(f"{qid}\t{pid}\t{grade:g}\n")
    return files


def main(argv: list[str] | None = None) -> None:
    """python -m retrieval.homedepot JUDGMENTS.csv OUT_DIR [--max-queries N]."""
    import argparse

    ap = argparse.ArgumentParser(description=convert_judgments.__doc__)
    ap.add_argument("judgments")
    ap.add_argument("out_dir")
    ap.add_argument("--max-queries", type=int, default=None)
    args = ap.parse_args(argv)
    files = convert_judgments(args.judgments, args.out_dir, args.max_queries)
    print(f"{files.corpus}\n{files.queries}\n{files.qrels}")


if __name__ == "__main__":
    main()

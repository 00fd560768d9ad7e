"""Turn Home Depot judgments (id,product_uid,product_title,search_term,relevance) into eval files."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from retrieval.relevance import half


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


def split_judgments(csv_path: str | Path, out_dir: str | Path) -> EvalFiles:
    """The stable train / validation split of the dev judgments (sha1 of the query text, see
    retrieval.relevance.half): judgments_train.csv keeps the train half's rows (what
    `shopassist train ... --judgments` reads); queries_valid.tsv and qrels_valid.tsv hold the
    validation half, with the qids convert_judgments gives them. Returns the validation files
    with the full corpus."""
    full = convert_judgments(csv_path, out_dir)
    out = Path(out_dir)
    with Path(csv_path).open(encoding="utf-8", newline="") as src:
        reader = csv.DictReader(src)
        with (out / "judgments_train.csv").open("w", encoding="utf-8", newline="") as dst:
            writer = csv.DictWriter(dst, fieldnames=reader.fieldnames or [])
            writer.writeheader()
            for row in reader:
                if half(" ".join(row["search_term"].split())) == "fit":
                    writer.writerow(row)
    valid = EvalFiles(full.corpus, out / "queries_valid.tsv", out / "qrels_valid.tsv")
    keep: set[str] = set()
    with full.queries.open(encoding="utf-8") as fh, valid.queries.open("w", encoding="utf-8") as w:
        for line in fh:
            qid, _, query = line.rstrip("\n").partition("\t")
            if half(query) == "report":
                keep.add(qid)
                w.write(line)
    with full.qrels.open(encoding="utf-8") as fh, valid.qrels.open("w", encoding="utf-8") as w:
        w.writelines(line for line in fh if line.split("\t", 1)[0] in keep)
    return valid


def main(argv: list[str] | None = None) -> None:
    """python -m retrieval.homedepot JUDGMENTS.csv OUT_DIR [--max-queries N] [--split]."""
    import argparse

    ap = argparse.ArgumentParser(description=convert_judgments.__doc__)
    ap.add_argument("judgments")
    ap.add_argument("out_dir")
    ap.add_argument("--max-queries", type=int, default=None)
    ap.add_argument(
        "--split", action="store_true", help="also write the train half and validation half"
    )
    args = ap.parse_args(argv)
    if args.split:
        files = split_judgments(args.judgments, args.out_dir)
        print(Path(args.out_dir) / "judgments_train.csv")
    else:
        files = convert_judgments(args.judgments, args.out_dir, args.max_queries)
    print(f"{files.corpus}\n{files.queries}\n{files.qrels}")


if __name__ == "__main__":
    main()

"""Recommender commands: `train recsys|behavior` and `eval recsys|behavior` (EVAL.md)."""

from __future__ import annotations

import time
from pathlib import Path

import typer

from assistant.cli.app import eval_app, fail


@eval_app.command("recsys")
def eval_recsys(
    items: Path = typer.Option(..., help="ITEMS.tsv: item_id<TAB>title (optional header)."),
    train: Path = typer.Option(..., help="SEQS.tsv: user_id<TAB>items oldest first, no header."),
    out: Path = typer.Option(..., help="RECS.tsv to write: user_id<TAB>item_id<TAB>rank."),
    k: int = typer.Option(10, help="Items per user.", min=1, max=1000),
) -> None:
    """Fit the recommender on SEQS and write k unseen next items for every user."""
    from recsys.evaluation import recommend_sequences
    from recsys.io import FormatError, read_items, read_sequences, write_recommendations

    t0 = time.time()
    for p in (items, train):
        if not p.is_file():
            fail(f"file not found: {p}")
    try:
        item_ids, _ = read_items(items)
        seqs = read_sequences(train)
    except FormatError as exc:
        fail(str(exc))
    if not seqs:
        fail(f"{train}: no sequences")
    unknown = len({i for s in seqs.values() for i in s} - set(item_ids))
    users, recs = recommend_sequences(item_ids, seqs, k, show_progress=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_recommendations(out, users, recs)
    short = sum(1 for r in recs if len(r) < k)
    typer.echo(
        f"wrote {len(users)} users x {k} items to {out} in {time.time() - t0:.1f} s"
        f" ({len(item_ids)} items; {unknown} ids in SEQS not in ITEMS were added;"
        f" {short} users got fewer than {k})"
    )

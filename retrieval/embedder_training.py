"""Fine-tuning the sentence embedder on the store's judgments (sentence-transformers, CPU).

Triples (query, relevant product text, hard negative): a relevant product is one judged at
least `positive_grade`; its hard negative is a product the hybrid first stage ranks high for the
same query that was judged irrelevant (grade <= `negative_grade`), else an unjudged one from
lower in the first stage's top 30. MultipleNegativesRankingLoss then treats every other
product text in the batch as a negative too. The model is saved as a sentence-transformers
directory, published like the indexes (versions/ + CURRENT), so the ONNX export that serving
uses is made from it by retrieval.embed.
"""

from __future__ import annotations

import random
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from sentence_transformers import SentenceTransformer
from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss
from tqdm.auto import tqdm
from transformers import get_linear_schedule_with_warmup

from retrieval.engine import SearchEngine
from retrieval.store import write_version


@dataclass(frozen=True)
class EmbedderTrainingConfig:
    """Which pairs, how long, how fast."""

    positive_grade: float = 2.5
    negative_grade: float = 1.5
    epochs: int = 1
    batch_size: int = 32
    learning_rate: float = 2e-5
    warmup_share: float = 0.1
    max_length: int = 48  # product titles and queries are short
    max_minutes: float = 15.0  # the training loop's limit; embedding the corpus comes on top
    threads: int = 1  # shared cores: more threads spin against each other (see ranker.py)
    seed: int = 0

    def __post_init__(self) -> None:
        if self.batch_size < 2 or self.epochs < 1 or self.max_length < 8:
            raise ValueError("need batch_size >= 2, epochs >= 1, max_length >= 8")
        if not 0 < self.learning_rate < 1 or self.max_minutes <= 0:
            raise ValueError("need 0 < learning_rate < 1 and max_minutes > 0")


def training_triples(
    engine: SearchEngine,
    graded: Mapping[str, Mapping[str, float]],
    config: EmbedderTrainingConfig,
    progress: bool = False,
) -> list[tuple[str, str, str]]:
    """(query, relevant product's text, hard negative's text) for every relevant judgment whose
    product the engine holds."""
    rng = random.Random(config.seed)
    out: list[tuple[str, str, str]] = []
    queries = [q for q, g in graded.items() if any(v >= config.positive_grade for v in g.values())]
    qvecs = engine.embedder.embed(queries, progress=progress, desc="queries")
    for i, query in enumerate(tqdm(queries, desc="hard negatives", disable=not progress)):
        grades = graded[query]
        hits = engine.search(query, k=30, explain=False, query_vector=qvecs[i])
        judged_bad = [h for h in hits if grades.get(h.product_id, 9.0) <= config.negative_grade]
        unjudged = [h for h in hits[5:] if h.product_id not in grades]
        pool = judged_bad or unjudged
        if not pool:
            continue
        for pid, grade in grades.items():
            row = engine.row_of.get(pid)
            if grade >= config.positive_grade and row is not None:
                neg = rng.choice(pool)
                out.append((query, engine.texts[row], engine.texts[engine.row_of[neg.product_id]]))
    return out


def fine_tune(
    model_path: str,
    triples: list[tuple[str, str, str]],
    root: str | Path,
    config: EmbedderTrainingConfig | None = None,
    progress: bool = False,
) -> tuple[Path, dict]:
    """Train on the triples and publish the model as a new version under root; returns its
    directory and the training's figures (steps, loss, seconds)."""
    c = config or EmbedderTrainingConfig()
    if len(triples) < c.batch_size:
        raise ValueError(f"need at least {c.batch_size} training triples, got {len(triples)}")
    torch.manual_seed(c.seed)
    torch.set_num_threads(c.threads)
    model = SentenceTransformer(model_path, device="cpu", local_files_only=True)
    model.max_seq_length = c.max_length
    loss_fn = MultipleNegativesRankingLoss(model)
    steps_per_epoch = len(triples) // c.batch_size
    total = steps_per_epoch * c.epochs
    optimizer = torch.optim.AdamW(model.parameters(), lr=c.learning_rate)
    schedule = get_linear_schedule_with_warmup(optimizer, int(c.warmup_share * total), total)
    rng = random.Random(c.seed)
    start, losses, step = time.perf_counter(), [], 0
    model.train()
    with tqdm(total=total, desc="embedder steps", unit="step", disable=not progress) as bar:
        for _ in range(c.epochs):
            order = list(triples)
            rng.shuffle(order)
            for b in range(steps_per_epoch):
                batch = order[b * c.batch_size : (b + 1) * c.batch_size]
                features = [model.preprocess(list(column)) for column in zip(*batch, strict=True)]
                loss = loss_fn(features, torch.zeros(0))
                optimizer.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                optimizer.step()
                schedule.step()
                losses.append(float(loss))
                step += 1
                bar.update(1)
                bar.set_postfix(loss=f"{np.mean(losses[-20:]):.3f}")
                if time.perf_counter() - start > c.max_minutes * 60:
                    break
            else:
                continue
            break  # the time limit ended training
    model.eval()
    window = max(1, min(20, len(losses) // 3))  # the loss's mean over the first and last steps
    figures = {
        "triples": len(triples),
        "steps": step,
        "planned_steps": total,
        "first_loss": round(float(np.mean(losses[:window])), 4),
        "last_loss": round(float(np.mean(losses[-window:])), 4),
        "seconds": round(time.perf_counter() - start, 1),
    }
    path = write_version(root, lambda tmp: model.save(str(tmp)))
    return path, figures

"""SASRec's configuration, network and batching: item + position embeddings, pre-LN causal
self-attention blocks, item embeddings tied with the output layer (`recsys/sasrec.py` trains and
serves it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

LOSSES = ("sampled", "full")


@dataclass
class SASRecConfig:
    """Size, regularisation and training schedule (defaults fit 2 CPU cores on Games-6k)."""

    dim: int = 64
    layers: int = 2
    heads: int = 2
    max_len: int = 50  # the latest max_len items of a history are read
    dropout: float = 0.2
    loss: str = "sampled"  # sampled | full (cross-entropy over every item)
    negatives: int = 1024  # sampled: uniform negatives shared by a batch
    lr: float = 5e-3
    weight_decay: float = 0.0
    batch_tokens: int = 1024  # target positions per batch (sequences of similar length)
    epochs: int = 8  # on Games-6k the best epoch on the validation shoppers (pseudo-dev tuning)
    patience: int = 3  # epochs without a better validation NDCG@10 before stopping
    # None: no time limit (the default: a fixed epoch count trains the same model whatever the
    # machine's load); else training stops (keeping the best epoch) after this long
    max_minutes: float | None = None
    warm_start_std: float | None = 0.1  # item embeddings start from ALS factors (None: random)
    # CPU threads of torch while fitting (scoring leaves the process's setting alone): on 2
    # cores shared with other jobs, 2
    # threads ran an epoch ~5x slower than 1 (busy-waiting threads that lose their core)
    threads: int = 1
    device: str | None = None  # None: cuda when available, else cpu
    seed: int = 0

    def __post_init__(self) -> None:
        if self.loss not in LOSSES:
            raise ValueError(f"unknown loss {self.loss!r}; valid: {', '.join(LOSSES)}")
        if min(self.dim, self.layers, self.heads, self.max_len, self.negatives) < 1:
            raise ValueError("dim, layers, heads, max_len and negatives must be >= 1")
        if self.dim % self.heads:
            raise ValueError("dim must be a multiple of heads")
        if not 0 <= self.dropout < 1:
            raise ValueError("dropout must be in [0, 1)")
        if min(self.batch_tokens, self.epochs, self.patience, self.threads) < 1:
            raise ValueError("batch_tokens, epochs, patience and threads must be >= 1")
        if self.warm_start_std is not None and self.warm_start_std <= 0:
            raise ValueError("warm_start_std must be > 0 (or None)")
        if self.lr <= 0 or self.weight_decay < 0 or (self.max_minutes or 1) <= 0:
            raise ValueError("lr and max_minutes must be > 0, weight_decay >= 0")


class Block(nn.Module):
    """Pre-LN Transformer block: causal self-attention, then a position-wise MLP."""

    def __init__(self, c: SASRecConfig):
        super().__init__()
        self.heads = c.heads
        self.ln1, self.ln2 = nn.LayerNorm(c.dim), nn.LayerNorm(c.dim)
        self.qkv = nn.Linear(c.dim, 3 * c.dim)
        self.proj = nn.Linear(c.dim, c.dim)
        self.mlp = nn.Sequential(
            nn.Linear(c.dim, 4 * c.dim), nn.GELU(), nn.Linear(4 * c.dim, c.dim)
        )
        self.drop = nn.Dropout(c.dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, t, d = x.shape  # (B, T, d)
        q, k, v = self.qkv(self.ln1(x)).split(d, dim=2)
        q, k, v = (z.view(b, t, self.heads, d // self.heads).transpose(1, 2) for z in (q, k, v))
        # Sequences are left-aligned (padding after the items), so the causal mask alone keeps
        # every real position away from padding.
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)  # (B, h, T, d/h)
        x = x + self.drop(self.proj(y.transpose(1, 2).reshape(b, t, d)))
        return x + self.drop(self.mlp(self.ln2(x)))


class SASRecNet(nn.Module):
    """Token sequences -> one hidden state per position; item embeddings double as outputs."""

    def __init__(self, n_items: int, c: SASRecConfig):
        super().__init__()
        self.items = nn.Embedding(n_items + 1, c.dim, padding_idx=0)
        self.positions = nn.Embedding(c.max_len, c.dim)
        self.drop = nn.Dropout(c.dropout)
        self.blocks = nn.ModuleList(Block(c) for _ in range(c.layers))
        self.ln = nn.LayerNorm(c.dim)
        nn.init.normal_(self.items.weight, std=0.02)
        nn.init.normal_(self.positions.weight, std=0.02)
        with torch.no_grad():
            self.items.weight[0].zero_()

    def encode(self, emb: torch.Tensor) -> torch.Tensor:
        """Item embeddings of a left-aligned batch -> hidden states. (B, T, d) -> (B, T, d)."""
        pos = self.positions(torch.arange(emb.shape[1], device=emb.device))  # (T, d)
        x = self.drop(emb + pos)
        for block in self.blocks:
            x = block(x)
        return self.ln(x)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        """(B, T) tokens (0 = padding after the items) -> (B, T, d) hidden states."""
        return self.encode(self.items(tokens))

    def logits(self, h: torch.Tensor) -> torch.Tensor:
        """Scores of every item for hidden states. (N, d) -> (N, n_items)."""
        return h @ self.items.weight[1:].T


def warm_start(item_factors: np.ndarray, dim: int, std: float = 0.1) -> np.ndarray:
    """Item embeddings from other item factors (e.g. ALS): their top `dim` principal directions
    (zero-padded when fewer), scaled to a standard deviation of std. (n, f) -> (n, dim)."""
    x = np.asarray(item_factors, dtype=np.float64)
    _, _, vt = np.linalg.svd(x - x.mean(axis=0), full_matrices=False)
    z = x @ vt[:dim].T  # (n, min(dim, f))
    z = np.pad(z, ((0, 0), (0, dim - z.shape[1])))
    return (z * std / max(float(z.std()), 1e-9)).astype(np.float32)


def pad_left_aligned(seqs: Sequence[Sequence[int]], max_len: int) -> tuple[np.ndarray, np.ndarray]:
    """Each sequence's latest max_len items as tokens (row + 1), padded with 0 after them.
    -> (B, T) int64 tokens, (B,) lengths."""
    tails = [list(s)[-max_len:] for s in seqs]
    lens = np.array([len(s) for s in tails], dtype=np.int64)
    out = np.zeros((len(tails), max(int(lens.max(initial=0)), 1)), dtype=np.int64)
    for r, s in enumerate(tails):
        out[r, : len(s)] = np.asarray(s, dtype=np.int64) + 1
    return out, lens


def length_batches(
    lens: np.ndarray, batch_tokens: int, rng: np.random.Generator
) -> list[np.ndarray]:
    """Indices grouped by similar length, about batch_tokens positions a batch, in random order."""
    order = np.lexsort((rng.random(len(lens)), lens))  # by length, ties shuffled
    batches: list[np.ndarray] = []
    start = 0
    for end in range(1, len(order) + 1):
        # ascending lengths: a batch is padded to its last (longest) sequence
        if end == len(order) or (end + 1 - start) * max(int(lens[order[end]]), 1) > batch_tokens:
            batches.append(order[start:end])
            start = end
    rng.shuffle(batches)
    return batches

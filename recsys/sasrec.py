"""SASRec: a causal Transformer over a shopper's item sequence that scores the next item.

Self-attentive sequential recommendation (Kang & McAuley, 2018) in the shape of nanoGPT: item
and position embeddings, pre-LayerNorm blocks of causal self-attention and an MLP, and the item
embeddings reused as the output layer. Trained with sampled softmax (shared uniform negatives,
log-Q corrected) or full cross-entropy over every item; early-stopped on held-out next items.
Item embeddings can start from ALS item factors (`warm_start`): on Games-6k that took the
validation NDCG@10 past ALS's within a few epochs on one loaded core.

    model = SASRec(SASRecConfig()).fit(histories, n_items, valid=(prefixes, targets))
    ids, scores = model.recommend(histories, N=10)        # never an item of the history
    model.save(d); SASRec.load(d)

Item rows are 0..n_items-1 outside; inside, 0 pads and item i is token i + 1. Runs on CUDA in
bf16 when a GPU is there (`device=None`), else on CPU in fp32 (training with `threads` threads).
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import asdict
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from tqdm import tqdm

from recsys.metrics import ndcg_at_k, recall_at_k
from recsys.mf import rank_scores
from recsys.sasrec_net import (  # noqa: F401 - SASRecConfig, warm_start etc. are public here
    LOSSES,
    SASRecConfig,
    SASRecNet,
    length_batches,
    pad_left_aligned,
    warm_start,
)

log = logging.getLogger(__name__)


def pick_device(requested: str | None) -> torch.device:
    """The device to run on: the requested one, else CUDA when available, else CPU."""
    if requested:
        return torch.device(requested)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def autocast(device: torch.device):
    """bf16 autocast where the device runs it fast (CUDA with bf16), else plain fp32."""
    if device.type == "cuda" and torch.cuda.is_bf16_supported():
        return torch.autocast("cuda", dtype=torch.bfloat16)
    return nullcontext()


@contextmanager
def torch_threads(n: int) -> Iterator[None]:
    """Run with n intra-op threads, then put the process's setting back."""
    before = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)


class SASRec:
    """fit / score / recommend / attribution / save / load over item-row histories."""

    def __init__(self, config: SASRecConfig | None = None):
        self.config = config or SASRecConfig()
        self.n_items = 0
        self.net: SASRecNet | None = None
        self.history: list[dict[str, float]] = []  # one entry per epoch: loss, validation
        self.device = pick_device(self.config.device)

    def _check(self) -> SASRecNet:
        if self.net is None:
            raise RuntimeError("model is not fitted")
        return self.net

    # -- training -------------------------------------------------------------------------
    def fit(
        self,
        sequences: Sequence[Sequence[int]],
        n_items: int,
        valid: tuple[Sequence[Sequence[int]], Sequence[int]] | None = None,
        show_progress: bool = False,
        init_items: np.ndarray | None = None,
    ) -> SASRec:
        """Learn to predict each next item of the sequences (item rows, oldest first).

        valid: (histories, next item of each); the epoch with the best NDCG@10 on them is kept,
        and training stops after `patience` epochs without a better one. init_items: starting
        item embeddings (n_items, dim), e.g. from ALS item factors (see `warm_start`).
        """
        c = self.config
        seqs = [list(s)[-(c.max_len + 1) :] for s in sequences if len(s) >= 2]
        if not seqs:
            raise ValueError("need at least one sequence of 2 or more items")
        torch.manual_seed(c.seed)
        rng = np.random.default_rng(c.seed)
        self.n_items = n_items
        self.net = net = SASRecNet(n_items, c).to(self.device)
        if init_items is not None:
            with torch.no_grad():
                net.items.weight[1:] = torch.as_tensor(init_items, dtype=torch.float32)
        opt = torch.optim.AdamW(net.parameters(), lr=c.lr, weight_decay=c.weight_decay)
        data = pad_left_aligned(seqs, c.max_len + 1)
        best, best_state, bad, t0 = -1.0, None, 0, time.time()
        self.history = []
        with torch_threads(c.threads):
            for epoch in range(c.epochs):
                entry = self._epoch(net, opt, data, rng, f"sasrec epoch {epoch + 1}", show_progress)
                if valid is not None:
                    entry |= self.evaluate(*valid)
                entry = {"epoch": epoch + 1, **entry, "seconds": round(time.time() - t0, 1)}
                self._log(entry, show_progress)
                score = entry.get("ndcg@10", -entry["loss"])
                if score > best:
                    best, bad = score, 0
                    best_state = {k: v.detach().clone() for k, v in net.state_dict().items()}
                else:
                    bad += 1
                late = c.max_minutes is not None and time.time() - t0 > 60 * c.max_minutes
                if bad >= c.patience or late:
                    break
        if best_state is not None:
            net.load_state_dict(best_state)
        net.eval()
        return self

    def resume(
        self, sequences: Sequence[Sequence[int]], epochs: int, show_progress: bool = False
    ) -> SASRec:
        """Train the fitted model on (e.g. longer) sequences for a few more epochs, no
        validation: the learned blend's final SASRec also learns the items held out for it."""
        net, c = self._check(), self.config
        seqs = [list(s)[-(c.max_len + 1) :] for s in sequences if len(s) >= 2]
        if epochs < 1 or not seqs:
            return self
        opt = torch.optim.AdamW(net.parameters(), lr=c.lr, weight_decay=c.weight_decay)
        data, rng, t0 = (
            pad_left_aligned(seqs, c.max_len + 1),
            np.random.default_rng(c.seed + 1),
            time.time(),
        )
        with torch_threads(c.threads):
            for epoch in range(epochs):
                entry = self._epoch(net, opt, data, rng, f"sasrec more {epoch + 1}", show_progress)
                entry = {"more": epoch + 1, **entry, "seconds": round(time.time() - t0, 1)}
                self._log(entry, show_progress)
        net.eval()
        return self

    def _epoch(
        self,
        net: SASRecNet,
        opt: torch.optim.Optimizer,
        data: tuple[np.ndarray, np.ndarray],
        rng: np.random.Generator,
        desc: str,
        show_progress: bool,
    ) -> dict[str, float]:
        """One pass over the (tokens, lengths) in batches of similar length. -> mean loss."""
        tokens, lens = data
        net.train()
        batches = length_batches(lens - 1, self.config.batch_tokens, rng)
        bar = tqdm(batches, desc=desc, disable=not show_progress)
        total, count = 0.0, 0
        for b in bar:
            x = torch.from_numpy(tokens[b, : int(lens[b].max())]).to(self.device)
            total, count = total + self._step(net, opt, x), count + 1
            bar.set_postfix(loss=f"{total / count:.3f}", refresh=False)
        return {"loss": total / max(count, 1)}

    def _log(self, entry: dict[str, float], show_progress: bool) -> None:
        self.history.append(entry)
        log.info("sasrec %s", entry)
        if show_progress:
            tqdm.write(f"sasrec {json.dumps(entry)}")

    def _step(self, net: SASRecNet, opt: torch.optim.Optimizer, x: torch.Tensor) -> float:
        """One optimiser step on a batch of token sequences (inputs x[:, :-1], targets x[:, 1:])."""
        c = self.config
        inp, tgt = x[:, :-1], x[:, 1:]
        with autocast(self.device):
            h = net(inp)  # (B, T, d)
            mask = tgt > 0
            h, y = h[mask], tgt[mask] - 1  # (N, d), (N,) item rows
            if c.loss == "full":
                loss = F.cross_entropy(net.logits(h).float(), y)
            else:
                loss = self._sampled_loss(net, h, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return float(loss.detach())

    def _sampled_loss(self, net: SASRecNet, h: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """Sampled softmax: the target against S uniform negatives shared by the batch, each
        negative's logit raised by log(n_items / S) (the log-Q correction of uniform sampling),
        so the loss estimates full cross-entropy. (N, d), (N,) -> scalar."""
        s = min(self.config.negatives, self.n_items)
        neg = torch.randint(0, self.n_items, (s,), device=h.device)  # (S,)
        emb = net.items.weight[1:]
        pos = (h * emb[y]).sum(-1, keepdim=True)  # (N, 1)
        negs = h @ emb[neg].T + math.log(self.n_items / s)  # (N, S)
        negs = negs.masked_fill(neg[None, :] == y[:, None], float("-inf"))  # accidental hits
        logits = torch.cat([pos, negs], dim=1).float()
        return F.cross_entropy(logits, torch.zeros(len(y), dtype=torch.long, device=h.device))

    def evaluate(
        self, histories: Sequence[Sequence[int]], targets: Sequence[int], k: int = 10
    ) -> dict[str, float]:
        """Recall@k and NDCG@k of the next items, history items never recommended."""
        ranked: list[list[int]] = []
        for s in range(0, len(histories), 1024):  # (1024, n_items) scores at a time
            ids, _ = self.recommend(histories[s : s + 1024], N=k)
            ranked += [list(r) for r in ids]
        return {
            f"recall@{k}": recall_at_k(ranked, list(targets), k),
            f"ndcg@{k}": ndcg_at_k(ranked, list(targets), k),
        }

    # -- inference ------------------------------------------------------------------------
    @torch.no_grad()
    def score(self, histories: Sequence[Sequence[int]], batch_size: int = 1024) -> np.ndarray:
        """Next-item scores of every item after each history. (B,) -> (B, n_items) float32;
        an empty history gets zeros."""
        net = self._check()
        net.eval()
        out = np.zeros((len(histories), self.n_items), dtype=np.float32)
        # No thread change here: scoring runs inside request handlers, and torch's thread count
        # is the whole process's (fit sets it for its own duration).
        with autocast(self.device):
            for s in range(0, len(histories), batch_size):
                part = histories[s : s + batch_size]
                tokens, lens = pad_left_aligned(part, self.config.max_len)
                h = net(torch.from_numpy(tokens).to(self.device))  # (B, T, d)
                last = torch.from_numpy(np.maximum(lens - 1, 0)).to(self.device)
                h = h[torch.arange(len(part), device=self.device), last]  # (B, d)
                scores = net.logits(h).float().cpu().numpy()
                scores[lens == 0] = 0.0
                out[s : s + len(part)] = scores
        return out

    def recommend(
        self,
        histories: Sequence[Sequence[int]],
        N: int = 10,
        filter_already_liked_items: bool = True,
        items: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top-N (ids, scores) after each history, like MatrixFactorization.recommend.
        (B,) -> (B, N), (B, N); items restricts the candidates."""
        scores = self.score(histories)
        if filter_already_liked_items:
            for r, h in enumerate(histories):
                scores[r, list(h)] = -np.inf
        return rank_scores(scores, N, items)

    def attribution(
        self, history: Sequence[int], item: int, steps: int = 32
    ) -> list[tuple[int, float]]:
        """How much each history item moved `item`'s score, by integrated gradients (the item
        embeddings scaled from 0 to their value; attributions sum to the score's change), summed
        over an item's positions; the positive ones, largest first, as shares of their total."""
        net = self._check()
        net.eval()
        tail = list(history)[-self.config.max_len :]
        if not tail:
            return []
        x = torch.tensor([[i + 1 for i in tail]], device=self.device)
        emb = net.items(x).detach()  # (1, T, d)
        alphas = (torch.arange(steps, device=self.device) + 0.5) / steps  # (S,)
        path = (alphas[:, None, None] * emb).requires_grad_(True)  # (S, T, d)
        h = net.encode(path)[:, -1]  # (S, d)
        score = (h @ net.items.weight[item + 1]).sum()
        (grad,) = torch.autograd.grad(score, path)
        per_pos = (grad.mean(0) * emb[0]).sum(-1).detach().float().cpu().numpy()  # (T,)
        per_item: dict[int, float] = {}
        for i, a in zip(tail, per_pos, strict=True):
            per_item[i] = per_item.get(i, 0.0) + float(a)
        total = sum(a for a in per_item.values() if a > 0) or 1.0
        ranked = sorted(per_item.items(), key=lambda p: -p[1])
        return [(i, a / total) for i, a in ranked if a > 0]

    # -- persistence ----------------------------------------------------------------------
    def save(self, directory: str | Path) -> None:
        """Write the weights (torch state dict) and the config (JSON) into directory."""
        net = self._check()
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        torch.save({k: v.cpu() for k, v in net.state_dict().items()}, d / "sasrec.pt")
        meta = {"config": asdict(self.config), "n_items": self.n_items, "history": self.history}
        (d / "sasrec.json").write_text(json.dumps(meta, indent=2))

    @classmethod
    def load(cls, directory: str | Path, device: str | None = None) -> SASRec:
        """Read a model written by save() (onto device, default: as pick_device chooses)."""
        d = Path(directory)
        if not (d / "sasrec.pt").is_file():
            raise FileNotFoundError(f"no sequential model in {d}")
        meta = json.loads((d / "sasrec.json").read_text())
        model = cls(SASRecConfig(**{**meta["config"], "device": device}))
        model.n_items, model.history = int(meta["n_items"]), meta.get("history", [])
        model.net = SASRecNet(model.n_items, model.config).to(model.device)
        state = torch.load(d / "sasrec.pt", map_location=model.device, weights_only=True)
        model.net.load_state_dict(state)
        model.net.eval()
        return model

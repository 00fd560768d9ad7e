"""The recommender's fit as independent steps on a runner (`retrieval/runner.py`): in this
process, one after the other, by default; as Ray tasks with `train recsys --engine ray`.

    learned_blend      SASRec and the stacker on the held-out view (one task: each part needs
                       the one before); a GPU task where the cluster has GPUs (SASRec on CUDA)
    als                the final ALS factors; a GPU task where the cluster has GPUs: implicit's
                       CUDA ALS when the node's implicit was built with CUDA, its CPU ALS else
    transition_counts  integer pair counts per partition of the shoppers, summed here and then
                       normalised: the same matrix as one count over everyone, bit for bit

The three start at once. The runner records where each ran (nodes, GPUs granted) and `devices`
says what each model trained on. Same inputs and seeds give the same model on either runner.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from recsys.blend import BlendConfig, Stacker
from recsys.mf import MatrixFactorization, MFConfig
from recsys.sasrec import SASRec, SASRecConfig, pick_device
from recsys.stacking import learned_blend
from recsys.titles import ItemText
from recsys.transitions import TransitionConfig, transition_counts, transitions_from_counts
from retrieval.runner import LocalRunner, Runner

Configs = tuple[MFConfig, TransitionConfig, SASRecConfig, BlendConfig]


@dataclass
class Fitted:
    """What the fit's steps produce, and where the models trained (model -> cpu | cuda)."""

    mf: MatrixFactorization
    transitions: sp.csr_matrix
    seq: SASRec | None = None
    stacker: Stacker | None = None
    fit_metrics: dict[str, dict[str, float]] = field(default_factory=dict)
    devices: dict[str, str] = field(default_factory=dict)


def fit_als(config: MFConfig, user_items: sp.csr_matrix, show_progress: bool):
    """The final ALS model and the device it trained on (a task's body)."""
    mf = MatrixFactorization(config).fit(user_items, show_progress=show_progress)
    return mf, mf.device


def fit_learned(
    user_items: sp.csr_matrix,
    histories: list[list[int]],
    user_ids: list[str],
    configs: Configs,
    show_progress: bool,
    text: ItemText | None = None,
):
    """SASRec + the stacker (None: too few validation shoppers) and SASRec's device (a task's
    body). SASRec comes back on the CPU, so a driver without a GPU can unpickle it."""
    out = learned_blend(user_items, histories, user_ids, configs, show_progress, text)
    if out is None:
        return None, ""
    seq = out[0]
    device = seq.device.type
    if seq.net is not None and device != "cpu":
        seq.net.to("cpu")
        seq.device = pick_device("cpu")
    return out, device


def partitions(histories: Sequence[Sequence[int]], parts: int) -> list[list[list[int]]]:
    """The shoppers' histories in `parts` contiguous groups of about equal size."""
    bounds = np.linspace(0, len(histories), max(1, parts) + 1).astype(int)
    return [[list(h) for h in histories[a:b]] for a, b in zip(bounds, bounds[1:], strict=False)]


def fit_components(
    user_items: sp.csr_matrix,
    histories: list[list[int]],
    user_ids: list[str],
    configs: Configs,
    learned: bool = True,
    runner: Runner | None = None,
    parts: int = 1,
    show_progress: bool = False,
    text: ItemText | None = None,
) -> Fitted:
    """Every trained component of the recommender (SASRec and the stacker when learned), its
    steps run by runner (default: here); text: the items' titles for the stacker."""
    runner = runner or LocalRunner()
    mf_cfg, t_cfg = configs[0], configs[1]
    n_items = user_items.shape[1]
    blend = None
    if learned:
        args = (user_items, histories, user_ids, configs, show_progress, text)
        blend = runner.start(fit_learned, [args], gpu=True, step="learned_blend")
    als = runner.start(fit_als, [(mf_cfg, user_items, show_progress)], gpu=True, step="als")
    counts = runner.start(
        transition_counts, [(part, n_items, t_cfg) for part in partitions(histories, parts)]
    )
    zero = sp.csr_matrix((n_items, n_items * t_cfg.window), dtype=np.int64)
    merged = sum(counts.result(), zero)  # integers: the sum is exact in any order
    (mf, device), *_ = als.result()
    out = Fitted(mf, transitions_from_counts(merged, t_cfg), devices={"als": device})
    out.devices["transitions"] = "cpu"
    if blend is not None:
        result, device = blend.result()[0]
        if result is not None:
            out.seq, out.stacker, out.fit_metrics = result
            out.devices["sasrec"] = device
    return out

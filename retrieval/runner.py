"""Where batch work runs: in this process (the default) or on a Ray cluster (`--engine ray`).

The one engine of every batch command (`index build`, `eval retrieval`, `bench search`,
`train recsys|behavior`, `finetune build-data`). A runner does three things: `embed` (texts ->
unit vectors), `start` (one function over a list of argument tuples, begun now and collected by
`.result()`, so independent steps overlap) and `map` (start, then wait). The local runner does
them here, one after the other; the Ray runner embeds with Ray Data `map_batches` over a pool of
embedder actors (ONNX on CPU nodes, torch on CUDA when the cluster has GPUs) and runs each
argument tuple as a Ray task (with a GPU when the step asks for one and the cluster has one).
Both record where each step ran (`steps`: nodes, seconds, GPUs granted), so a job can say which
nodes did what. Task functions must be module-level (Ray ships them by reference).

Ray is the optional extra `shopassist[ray]`, imported only when a Ray runner is made; worker
nodes need this package installed (same image), or a `runtime_env` that ships it.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, Protocol

import numpy as np

from retrieval.embed import Embedder, EmbedderConfig, model_dim

ENGINES = ("auto", "local", "ray")
RAY_BATCH = 256  # texts per map_batches call: big enough to amortise a call, small to balance


class Pending(Protocol):
    """A started step: its results, in argument order, once every task of it is done."""

    def result(self) -> list[Any]:
        """Wait for the step's tasks (recording where they ran); their results in order."""
        ...


class Runner(Protocol):
    """Embeds texts and maps a function over argument tuples, somewhere."""

    name: str
    steps: list[dict]

    def embed(self, texts: list[str], config: EmbedderConfig, progress: bool) -> np.ndarray:
        """(n,) texts -> (n, dim) unit vectors in input order."""
        ...

    def start(
        self, fn: Callable[..., Any], args: Sequence[tuple], gpu: bool = False, step: str = ""
    ) -> Pending:
        """Begin [fn(*a) for a in args] (a GPU for each when gpu and there is one); the step is
        recorded as `step` (default fn's name) when its result is collected."""
        ...

    def map(self, fn: Callable[..., Any], args: Sequence[tuple]) -> list[Any]:
        """[fn(*a) for a in args], possibly in parallel elsewhere; results in order."""
        ...

    def close(self) -> None:
        """Release what the runner holds (a cluster connection)."""
        ...


class LocalRunner:
    """Everything in this process."""

    name = "local"

    def __init__(self) -> None:
        self.steps: list[dict] = []
        self._embedder: Embedder | None = None

    def embed(self, texts: list[str], config: EmbedderConfig, progress: bool) -> np.ndarray:
        """Texts embedded by this process's embedder."""
        start = time.perf_counter()
        if self._embedder is None or self._embedder.config != config:
            self._embedder = Embedder(config)
        out = self._embedder.embed(texts, progress=progress)
        self.steps.append(_step("embed", start, len(texts), {"local": len(texts)}))
        return out

    def start(
        self, fn: Callable[..., Any], args: Sequence[tuple], gpu: bool = False, step: str = ""
    ) -> Pending:
        """fn over args now, one after the other (a GPU is the task's own business here)."""
        start = time.perf_counter()
        out = [fn(*a) for a in args]
        self.steps.append(_step(step or fn.__name__, start, len(args), {"local": len(args)}))
        return _Done(out)

    def map(self, fn: Callable[..., Any], args: Sequence[tuple]) -> list[Any]:
        """fn over args, one after the other."""
        return self.start(fn, args).result()

    def close(self) -> None:
        """Nothing to release."""


class _Done:
    def __init__(self, results: list[Any]) -> None:
        self.results = results

    def result(self) -> list[Any]:
        return self.results


def _step(
    name: str, start: float, items: int, nodes: dict[str, int], end: float = 0.0, **extra: Any
) -> dict:
    return {
        "step": name,
        "items": items,
        "seconds": round((end or time.perf_counter()) - start, 2),
        "nodes": nodes,
    } | extra


class EmbedBatches:
    """A Ray Data actor: one embedder loaded once, then batches of {row, text} -> {row, vector}."""

    def __init__(self, config: EmbedderConfig) -> None:
        import ray  # lazy: this runs inside a Ray worker, which has ray imported already

        self.embedder = Embedder(config)
        self.node = ray.get_runtime_context().get_node_id()[:12]

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Embed one batch; each row says which node embedded it."""
        vectors = self.embedder.embed([str(t) for t in batch["text"]])
        return {
            "row": batch["row"],
            "vector": vectors,
            "node": np.full(len(vectors), self.node),
        }


def _on_node(fn: Callable[..., Any], *args: Any) -> tuple[Any, str, float, int]:
    """fn(*args) in a Ray task, with the node it ran on, when it ended (wall clock: the step's
    seconds are the last end minus the start) and how many GPUs Ray gave it."""
    import ray  # lazy: this runs inside a Ray worker

    out = fn(*args)
    node = ray.get_runtime_context().get_node_id()[:12]
    return out, node, time.time(), len(ray.get_gpu_ids())


class _RayPending:
    def __init__(self, runner: RayRunner, name: str, refs: list[Any]) -> None:
        self.runner, self.name, self.refs = runner, name, refs
        self.begun, self.clock = time.time(), time.perf_counter()
        self.results: list[Any] | None = None

    def result(self) -> list[Any]:
        if self.results is None:
            done = self.runner.ray.get(self.refs)
            nodes = Counter(node for _, node, _, _ in done)
            end = self.clock + max((t for _, _, t, _ in done), default=self.begun) - self.begun
            gpus = sum(g for _, _, _, g in done)
            extra = {"gpus": gpus} if gpus else {}
            self.runner.steps.append(
                _step(self.name, self.clock, len(done), dict(nodes), end, **extra)
            )
            self.results = [r for r, _, _, _ in done]
        return self.results


class RayRunner:
    """Batch work on a Ray cluster (address: `ray start --head`'s, or "" for a local Ray)."""

    name = "ray"

    def __init__(self, address: str = "") -> None:
        import ray  # lazy: the optional `ray` extra

        self.ray = ray
        self.steps: list[dict] = []
        self._own = not ray.is_initialized()
        if self._own:
            ray.init(
                address=address or None,
                logging_level=logging.WARNING,
                log_to_driver=False,
                configure_logging=True,
            )
            context = ray.data.DataContext.get_current()
            context.enable_progress_bars = False  # this runner shows its own
            logging.getLogger("ray.data").setLevel(logging.WARNING)
        resources = ray.cluster_resources()
        self.cpus = int(resources.get("CPU", 1))
        self.gpus = int(resources.get("GPU", 0))
        self.nodes = len([n for n in ray.nodes() if n.get("Alive")])

    def embed(self, texts: list[str], config: EmbedderConfig, progress: bool) -> np.ndarray:
        """Ray Data map_batches over embedder actors: one per GPU (torch on CUDA) when the
        cluster has GPUs, else one per CPU (ONNX, one thread each)."""
        from tqdm.auto import tqdm

        start = time.perf_counter()
        out = np.zeros((len(texts), model_dim(config.model_path)), dtype=np.float32)
        if not texts:
            return out
        # one actor per GPU (torch on CUDA), else one per CPU (ONNX, one thread each)
        actors = self.gpus or self.cpus
        if self.gpus:
            cfg = replace(config, backend="torch", device="cuda")
        else:
            cfg = replace(config, threads=1)
        # length-sorted rows, so each batch pads little (the embedder sorts within a batch only)
        order = np.argsort([len(t) for t in texts], kind="stable")
        items = [{"row": int(i), "text": texts[i]} for i in order]
        # a few blocks per actor at least, so every actor gets work while the others load
        blocks = min(len(items), max(4 * actors, len(items) // RAY_BATCH + 1))
        ds = self.ray.data.from_items(items, override_num_blocks=blocks).map_batches(
            EmbedBatches,
            fn_constructor_args=(cfg,),
            batch_size=RAY_BATCH,
            batch_format="numpy",
            compute=self.ray.data.ActorPoolStrategy(size=actors),
            num_cpus=1,
            num_gpus=1 if self.gpus else 0,
        )
        nodes: Counter[str] = Counter()
        with tqdm(total=len(texts), desc="embedding (ray)", disable=not progress) as bar:
            for batch in ds.iter_batches(batch_size=None, batch_format="numpy"):
                out[batch["row"]] = batch["vector"]
                nodes.update(batch["node"].tolist())
                bar.update(len(batch["row"]))
        device = "cuda" if self.gpus else "cpu"
        self.steps.append(
            _step("embed", start, len(texts), dict(nodes), actors=actors, device=device)
        )
        return out

    def start(
        self, fn: Callable[..., Any], args: Sequence[tuple], gpu: bool = False, step: str = ""
    ) -> Pending:
        """One Ray task per argument tuple (1 CPU each, and 1 GPU when gpu and the cluster has
        GPUs), submitted now."""
        gpus = 1 if gpu and self.gpus else 0
        task = self.ray.remote(num_cpus=1, num_gpus=gpus)(_on_node)
        pending = _RayPending(self, step or fn.__name__, [])
        pending.refs = [task.remote(fn, *a) for a in args]
        return pending

    def map(self, fn: Callable[..., Any], args: Sequence[tuple]) -> list[Any]:
        """One Ray task per argument tuple (1 CPU each); results in order."""
        return self.start(fn, args).result()

    def close(self) -> None:
        """Disconnect from the cluster (a local Ray this runner started is stopped)."""
        if self._own:
            self.ray.shutdown()


def runner_shards(runner: Runner) -> int:
    """Parts a job is cut into when nothing else says: one per CPU of a Ray cluster (2 at
    least), one in this process."""
    return max(2, runner.cpus) if isinstance(runner, RayRunner) else 1


def make_runner(engine: str, ray_address: str = "") -> Runner:
    """The runner for --engine: `auto` is Ray when a Ray address is set, else local."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; valid: {', '.join(ENGINES)}")
    if engine == "local" or (engine == "auto" and not ray_address):
        return LocalRunner()
    try:
        return RayRunner(ray_address)
    except ImportError as exc:
        raise ValueError(
            "--engine ray needs Ray: pip install 'shopassist[ray]' (ray[data])"
        ) from exc

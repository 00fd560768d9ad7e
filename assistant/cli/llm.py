"""LLM commands: `finetune build-data|train|eval|export`, `bench generate`."""

from __future__ import annotations

import csv
import json
import os
import time
from pathlib import Path
from typing import Any

import typer
from tqdm.auto import tqdm

from assistant.agent.runtime import ModelRuntime
from assistant.cli.app import bench_app, fail, finetune_app
from assistant.cli.engines import ENGINE_HELP, batch_runner
from assistant.config import get_settings
from assistant.db.session import session_scope
from assistant.demo import DEMO_POLICY, DemoConfig, generate
from assistant.llm.adapters import (
    META,
    adapter_dir,
    base_model_dir,
    catalog_names,
    export_after_training,
    export_gguf,
)
from assistant.llm.backends import validate_turn
from assistant.llm.bench import bench_backend, bench_plan, bench_reference
from assistant.llm.errors import LLMError
from assistant.llm.factory import BACKEND_FACTORIES, build_backend, check_backend_name
from assistant.services.adapter import catalog_rows, store_policy_text
from assistant.services.labels import feedback_labels, label_examples
from assistant.tools.contract import TOOL_ARGS, ToolCallError, tool_specs
from finetune.answer_data import build_writer_data
from finetune.data import DataConfig, build_sft_data, catalog_fingerprint, read_jsonl, write_jsonl
from finetune.evaluate import score
from finetune.format import ToolTextError, parse_turn
from finetune.gguf_export import ExportError
from finetune.train import TrainConfig, train_lora
from retrieval.runner import runner_shards

NAMES = "catalog_names.json"


def _data_dir() -> Path:
    return get_settings().path("finetune")


def _read_queries(path: Path | None) -> list[str]:
    if path is None:
        return []
    if not path.is_file():
        fail(f"{path}: no such file")
    with path.open(encoding="utf-8", errors="replace") as f:
        if path.suffix == ".csv":
            rows = csv.DictReader(f)
            if "search_term" not in (rows.fieldnames or []):
                fail(f"{path}:1: a CSV of queries needs a search_term column")
            return [r["search_term"] for r in rows]
        return [line.strip() for line in f if line.strip()]


@finetune_app.command("build-data")
def build_data(
    n_train: int = typer.Option(0, help="Training examples (0: the finetune_examples setting)."),
    n_eval: int = typer.Option(300, help="Held-out examples (phrased differently)."),
    out: Path | None = typer.Option(None, help="Output folder (default DATA_DIR/finetune)."),
    policy: Path | None = typer.Option(None, help="Store policy / FAQ text (markdown)."),
    queries: Path | None = typer.Option(
        None, help="Real search queries: CSV with search_term, or one per line."
    ),
    seed: int = typer.Option(0),
    shopper_share: float = typer.Option(
        0.0,
        min=0.0,
        max=1.0,
        help="Of the train examples real shoppers' phrasings cover, the share phrased that way "
        "(0.5 trained the README's planner7 / planner8).",
    ),
    feedback: bool = typer.Option(
        True, help="Add the turns shoppers marked right (thumbs up, a card clicked) to train."
    ),
    engine: str = typer.Option("auto", help=ENGINE_HELP),
    shards: int = typer.Option(
        0,
        min=0,
        help="Parts each split is drawn in, one task each (0: 1 here, a Ray cluster's CPUs). "
        "The files are fixed by --seed and the shard count, wherever they are built.",
    ),
) -> None:
    """Build SFT examples from the catalog in the database (train + held-out eval)."""
    settings = get_settings()
    with session_scope(settings.effective_database_url) as s:
        rows = catalog_rows(s)
        labelled = label_examples(feedback_labels(s)) if feedback else []
    if len(rows) < 4:
        fail(
            f"the catalog has {len(rows)} products; ingest a catalog first (shopassist ingest catalog)"
        )
    if policy is not None and not policy.is_file():
        fail(f"{policy}: no such file")
    policy_doc = policy.read_text(encoding="utf-8") if policy else store_policy_text(settings)
    cfg = DataConfig(
        n_train=n_train or settings.finetune_examples,
        n_eval=n_eval,
        seed=seed,
        shopper_share=shopper_share,
    )
    with batch_runner(engine) as runner:
        shards = shards or runner_shards(runner)
        train, held = build_sft_data(
            rows,
            cfg,
            policy_text=policy_doc,
            real_queries=_read_queries(queries),
            shards=shards,
            map_fn=runner.map,
        )
        steps = list(runner.steps)
    train += labelled
    folder = out or _data_dir()
    write_jsonl(folder / "train.jsonl", train)
    write_jsonl(folder / "eval.jsonl", held)
    brands, cats = catalog_names(rows)
    (folder / NAMES).write_text(
        json.dumps(
            {"catalog_fingerprint": catalog_fingerprint(rows), "brands": brands, "categories": cats}
        )
    )
    typer.echo(
        f"{len(train)} train / {len(held)} eval examples from {len(rows)} products"
        f" ({len(labelled)} from shoppers' feedback; {shards} shard(s) per split on"
        f" {runner.name}: {json.dumps(steps)}) -> {folder}"
    )


def _demo_order(o: dict[str, Any]) -> dict[str, Any]:
    """A demo order as get_order_status / list_my_orders return it."""
    items = [{"product_id": i["product_id"], "name": i["name"], "price": i["price"]}
             for i in o["items"]]  # fmt: skip
    tracking = [{"tracking_ids": f["tracking_id"]} for f in o.get("fulfillments", [])]
    keys = ("order_id", "status", "total", "currency", "created_at")
    return {**{k: o[k] for k in keys}, "items": items, "tracking": tracking}


@finetune_app.command("build-writer-data")
def build_writer_data_cmd(
    out: Path = typer.Option(..., help="Output folder (train.jsonl, eval.jsonl)."),
    n_train: int = typer.Option(2400, help="Training examples."),
    n_eval: int = typer.Option(200, help="Held-out examples (another seed)."),
    seed: int = typer.Option(0),
) -> None:
    """SFT examples for the answer writer from the demo store (products, orders, policy): the
    writer is trained on the demo catalog, never on the catalog it is evaluated on."""
    store = generate(DemoConfig(products=1200, users=60))
    products = [dict(p) for p in store.products]
    orders = [_demo_order(dict(o)) for o in store.orders]
    policy = DEMO_POLICY.read_text(encoding="utf-8")
    train = build_writer_data(products, orders, policy, n_train, seed)
    held = build_writer_data(products, orders, policy, n_eval, seed + 1)
    write_jsonl(out / "train.jsonl", train)
    write_jsonl(out / "eval.jsonl", held)
    typer.echo(f"{len(train)} train / {len(held)} eval writer examples -> {out}")


@finetune_app.command("train")
def train(
    data: Path | None = typer.Option(
        None, help="train.jsonl (default DATA_DIR/finetune/train.jsonl)."
    ),
    adapter: str = typer.Option("", help="Adapter name (default: the adapter_name setting)."),
    epochs: float = typer.Option(1.0),
    max_minutes: float = typer.Option(
        -1, help="Time budget (-1: the finetune_max_minutes setting, 0: none)."
    ),
    max_steps: int = typer.Option(0),
    batch_size: int = typer.Option(8),
    lr: float = typer.Option(1e-3),
    r: int = typer.Option(16, help="LoRA rank."),
    layers_from: float = typer.Option(0.4, help="Adapt layers above this fraction of depth."),
    init_adapter: str = typer.Option(
        "", help="Continue from this adapter (name) instead of fresh LoRA."
    ),
    pack: bool = typer.Option(False, help="Pack each batch into one row (no padding)."),
    bf16: bool = typer.Option(
        False, help="bf16 autocast (fast on CPUs with AVX-512 BF16 / AMX; fp32 master weights)."
    ),
) -> None:
    """Train (or resume) a LoRA adapter; adapter + metrics.json land in DATA_DIR/adapters/NAME."""
    settings = get_settings()
    path = data or _data_dir() / "train.jsonl"
    if not path.is_file():
        fail(f"{path}: no training data; run `shopassist finetune build-data` first")
    try:
        rows = read_jsonl(path)
        out = adapter_dir(settings, adapter or None)
        cfg = TrainConfig(
            base_model=str(base_model_dir(settings)),
            out_dir=str(out),
            epochs=epochs,
            max_minutes=settings.finetune_max_minutes if max_minutes < 0 else max_minutes,
            max_steps=max_steps,
            batch_size=batch_size,
            lr=lr,
            r=r,
            layers_from=layers_from,
            init_adapter=str(adapter_dir(settings, init_adapter)) if init_adapter else "",
            pack=pack,
            bf16=bf16,
        )
        metrics = train_lora(cfg, rows)
    except (ValueError, LLMError, OSError) as exc:
        fail(str(exc))
    names = path.parent / NAMES
    meta = json.loads(names.read_text()) if names.is_file() else {}
    (out / META).write_text(
        json.dumps(
            {
                **meta,
                "examples": len(rows),
                "trained_at": time.time(),
                "base_model": settings.llm_model_path,
            },
            indent=1,
        )
    )
    typer.echo(json.dumps({k: v for k, v in metrics.items() if k not in ("config", "loss_curve")}))
    typer.echo(export_after_training(settings, out))


@finetune_app.command("export")
def export(
    adapter: str = typer.Option("", help="Adapter name (default: the adapter_name setting)."),
) -> None:
    """Export a trained adapter as a GGUF LoRA for the llamacpp backend (adapter.gguf)."""
    settings = get_settings()
    folder = adapter_dir(settings, adapter or None)
    t0 = time.monotonic()
    try:
        out = export_gguf(settings, folder)
    except (ExportError, LLMError) as exc:
        fail(str(exc))
    typer.echo(f"{out} ({out.stat().st_size / 1e6:.1f} MB, {time.monotonic() - t0:.1f} s)")


def _balanced(rows: list[dict], limit: int) -> list[dict]:
    """Up to `limit` examples, round-robin over kinds so every tool is represented."""
    by_kind: dict[str, list[dict]] = {}
    for row in rows:
        by_kind.setdefault(row["kind"], []).append(row)
    out: list[dict] = []
    while len(out) < limit and any(by_kind.values()):
        for kind in sorted(by_kind):
            if by_kind[kind] and len(out) < limit:
                out.append(by_kind[kind].pop(0))
    return out


def predict(backend: Any, ex: dict, adapter: str | None, free: bool) -> dict[str, Any]:
    """The runtime's turn for one example: constrained call (+ raw free text when asked)."""
    tools = {s["function"]["name"]: s["function"]["parameters"] for s in tool_specs()}
    msgs = ex["messages"]
    if ex["kind"] == "answer":
        try:
            return {"answer": backend.generate(msgs), "tool": None}
        except LLMError as exc:
            return {"answer": None, "error": str(exc)}
    pred: dict[str, Any] = {}
    try:
        turn = backend.plan(msgs, tools, adapter=adapter)
        pred.update(
            tool=turn.tool_name, arguments=turn.arguments if turn.is_call else None, raw=turn.raw
        )
    except (LLMError, ToolCallError) as exc:
        pred.update(tool="<error>", error=str(exc))
    if free:
        raw = backend.free_turn(msgs, adapter=adapter)
        try:
            parsed = parse_turn(raw)
            if parsed.name is not None:  # is_call, spelled so that the name's type narrows
                validate_turn(parsed.name, parsed.arguments or {}, {n: {} for n in TOOL_ARGS})
            pred.update(valid_json=True, free_tool=parsed.name, free_raw=raw)
        except (ToolTextError, ToolCallError):
            pred.update(valid_json=False, free_raw=raw)
    return pred


@finetune_app.command("eval")
def evaluate(
    data: Path | None = typer.Option(
        None, help="eval.jsonl (default DATA_DIR/finetune/eval.jsonl)."
    ),
    adapter: str = typer.Option("", help="Adapter name (default: the adapter_name setting)."),
    limit: int = typer.Option(60, help="Examples per model, balanced over kinds."),
    free_limit: int = typer.Option(
        20, help="Of those, how many also get an unconstrained decode (JSON validity)."
    ),
    out: Path | None = typer.Option(None, help="Write predictions and metrics as JSON here."),
    as_json: bool = typer.Option(False, "--json", help="Print the metrics as JSON."),
    only: str = typer.Option("both", help="both | base | adapter"),
    backend_name: str = typer.Option(
        "transformers", "--backend", help="transformers | llamacpp | openai (LLM_BASE_URL)."
    ),
) -> None:
    """Held-out accuracy of the base model vs the adapter, side by side."""
    settings = get_settings()
    if only not in ("both", "base", "adapter"):
        fail(f"--only must be both, base or adapter, not {only!r}")
    path = data or _data_dir() / "eval.jsonl"
    if not path.is_file():
        fail(f"{path}: no eval data; run `shopassist finetune build-data` first")
    name = adapter or settings.adapter_name
    try:
        check_backend_name(backend_name)
        rows = _balanced(read_jsonl(path), limit)
        # the backend the service would build for this adapter (its catalog names included)
        backend: Any = build_backend(
            settings.model_copy(update={"llm_backend": backend_name, "adapter_name": name})
        )
        if only != "base" and backend_name != "openai":  # a server knows its adapters by name
            backend.load_adapter(name)
    except (ValueError, LLMError, OSError) as exc:
        fail(str(exc))
    report: dict[str, Any] = {
        "data": str(path),
        "adapter": name,
        "backend": backend_name,
        "quantize": settings.llm_quantize if backend_name == "transformers" else None,
    }
    preds: dict[str, list] = {}
    runs = [r for r in (("base", None), ("adapter", name)) if only in ("both", r[0])]
    for label, ad in runs:
        preds[label] = [
            predict(backend, ex, ad, i < free_limit and hasattr(backend, "free_turn"))
            for i, ex in enumerate(tqdm(rows, desc=f"eval {label}"))
        ]
        report[label] = score(rows, preds[label])
        free_rows = [i for i, p in enumerate(preds[label]) if "valid_json" in p]
        report[label]["json_validity"] = round(
            sum(preds[label][i]["valid_json"] for i in free_rows) / max(1, len(free_rows)), 4
        )
    if out:
        out.write_text(json.dumps({**report, "examples": rows, "predictions": preds}, indent=1))
    if as_json:
        typer.echo(json.dumps(report))
        return
    keys = (
        "tool_name_accuracy",
        "full_call_accuracy",
        "argument_accuracy",
        "json_validity",
        "groundedness",
    )
    labels = [label for label, _ in runs]
    typer.echo(
        f"{'metric':<22}"
        + "".join(f"{x:>10}" for x in labels)
        + f"   ({len(rows)} held-out examples)"
    )
    for k in keys:
        typer.echo(f"{k:<22}" + "".join(f"{report[x][k]!s:>10}" for x in labels))


@bench_app.command("generate")
def bench_generate(
    backend: str = typer.Option(
        "", help=" | ".join(BACKEND_FACTORIES) + " (default: the llm_backend setting)."
    ),
    tokens: int = typer.Option(48, help="New tokens per run."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Tokens/s and time to first token of a backend, with plain transformers fp32 as reference."""
    settings = get_settings()
    backend = backend or settings.llm_backend
    settings = settings.model_copy(update={"llm_backend": backend})
    load_before = [round(x, 2) for x in os.getloadavg()]  # other work on the machine (1/5/15 min)
    try:
        check_backend_name(backend)
        ref = bench_reference(base_model_dir(settings), tokens)
        runtime = ModelRuntime(settings)
        # decoding speed on the base weights, as the reference decodes them (an adapter is
        # merged or applied per token depending on the backend); planning with the adapter
        own = bench_backend(runtime.backend(), tokens, None)
        plans = bench_plan(runtime.backend(), runtime.adapter)
    except LLMError as exc:
        fail(str(exc))
    result = {
        "backend": backend,
        **own,
        "reference": ref,
        "speedup_vs_reference": round(own["tokens_per_s"] / max(1e-9, ref["tokens_per_s"]), 3),
        "quantize": settings.llm_quantize if backend == "transformers" else None,
        "tool_call_planning": {**plans, "adapter": runtime.adapter},
        "load_average_before": load_before,
    }
    typer.echo(json.dumps(result) if as_json else json.dumps(result, indent=2))

"""Customer-service commands: `ingest policy`, `eval policy`, `eval agent-replies`."""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

import typer

from assistant.cli.app import eval_app, fail, ingest_app
from assistant.config import get_settings
from assistant.db.session import session_scope
from assistant.jsontypes import JsonObject
from assistant.services.agent_assist import suggest_for_messages
from assistant.services.policy import (
    PolicySearchConfig,
    build_policy_index,
    install_policy,
    load_passages,
)
from assistant.services.records import Suggestions
from assistant.services.state import AppState
from retrieval.files import json_lines


def read_jsonl(path: Path, required: tuple[str, ...]) -> list[JsonObject]:
    """Rows of a JSON Lines file; a bad line fails with its line number."""
    if not path.is_file():
        fail(f"{path}: no such file")
    rows = []
    try:
        for n, row in json_lines(path, ValueError):
            where = f"{path}:{n}"
            if not isinstance(row, dict):
                fail(f"{where}: expected a JSON object")
            missing = [k for k in required if k not in row]
            if missing:
                fail(f"{where}: missing field(s) {', '.join(missing)}")
            rows.append(row)
    except ValueError as exc:  # a line that is not JSON
        fail(str(exc))
    if not rows:
        fail(f"{path}: no rows")
    return rows


@ingest_app.command("policy")
def ingest_policy(path: Path = typer.Argument(..., help="Policy / FAQ markdown file.")) -> None:
    """Install a policy document into the data directory for `search_policy`."""
    settings = get_settings()
    try:
        target = install_policy(settings, path)
    except (FileNotFoundError, ValueError, UnicodeDecodeError) as exc:
        fail(str(exc))
    typer.echo(f"installed {target} ({len(load_passages(settings))} passages in the policy index)")


@eval_app.command("policy")
def eval_policy(
    questions: Path = typer.Option(..., help="JSONL: {id, question, passage_ids: [...]}"),
    policy: Path | None = typer.Option(None, help="Policy markdown (default: the installed one)."),
    k: int = typer.Option(3, min=1, max=20, help="Passages retrieved per question."),
    mode: str = typer.Option("hybrid", help="bm25 | dense | hybrid"),
    out: Path | None = typer.Option(None, help="Write each question's ranked passage ids here."),
) -> None:
    """Retrieval accuracy@1 / @k and MRR of `search_policy` on labelled policy questions."""
    settings = get_settings()
    if policy is not None:
        if not policy.is_file():
            fail(f"{policy}: no such file")
        settings = settings.model_copy(update={"policy_path": str(policy)})
    rows = read_jsonl(questions, ("question", "passage_ids"))
    try:
        index = build_policy_index(settings, PolicySearchConfig(mode=mode))
    except (FileNotFoundError, ValueError) as exc:
        fail(str(exc))
    known = {p.id for p in index.passages}
    for n, row in enumerate(rows, 1):
        unknown = [p for p in row["passage_ids"] if p not in known]
        if unknown:
            fail(f"{questions}: row {n} names unknown passage id(s) {', '.join(unknown)}")
    hits1 = hitsk = 0
    rr = 0.0
    preds, misses = [], []
    for row in rows:
        ranked = [p.id for p, _ in index.search(row["question"], k=len(index.passages))]
        gold = set(row["passage_ids"])
        rank = next((i for i, pid in enumerate(ranked, 1) if pid in gold), None)
        hits1 += rank == 1
        hitsk += rank is not None and rank <= k
        rr += 1.0 / rank if rank else 0.0
        if rank is None or rank > k:
            misses.append(f"  miss {row.get('id', '?')}: {row['question'][:70]!r} -> {ranked[:k]}")
        preds.append({"id": row.get("id"), "ranked": ranked[:k], "gold_rank": rank})
    if out is not None:
        out.write_text("".join(json.dumps(p) + "\n" for p in preds), encoding="utf-8")
    n = len(rows)
    typer.echo(f"policy retrieval ({mode}, {len(index.passages)} passages, {n} questions)")
    typer.echo(f"accuracy@1 {hits1 / n:.3f}  accuracy@{k} {hitsk / n:.3f}  MRR {rr / n:.3f}")
    for line in misses:
        typer.echo(line)


@eval_app.command("agent-replies")
def eval_agent_replies(
    scenarios: Path = typer.Option(
        ..., help="JSONL: {id, user_id, messages: [str], expect: {...}}"
    ),
    out: Path | None = typer.Option(
        None, help="Write every draft with its grounding verdict here."
    ),
) -> None:
    """Suggested replies on agent scenarios (configured database): grounding and expectations."""
    settings = get_settings()
    rows = read_jsonl(scenarios, ("id", "messages"))
    drafts = ungrounded = met = 0
    lines, latencies = [], []
    with AppState(settings) as state, session_scope(settings.effective_database_url) as session:
        for row in rows:
            start = time.perf_counter()
            res = suggest_for_messages(
                session, state, row.get("user_id"), list(row["messages"]), keep_ungrounded=True
            )
            latencies.append((time.perf_counter() - start) * 1000)
            drafts += len(res["suggestions"])
            bad = [s for s in res["suggestions"] if not s["grounded"]]
            ungrounded += len(bad)
            ok, why = scenario_met(row.get("expect") or {}, res)
            met += ok
            status = "ok" if ok and not bad else "FAIL"
            typer.echo(f"  {status} {row['id']}: {[s['kind'] for s in res['suggestions']]} {why}")
            for s in bad:
                typer.echo(f"      ungrounded {s['kind']}: {s['problems']}")
            for s in res["suggestions"]:
                s.pop("tool_results", None)
            lines.append(json.dumps({"id": row["id"], **res}) + "\n")
        session.rollback()  # drafting never writes; make sure of it
    if out is not None:
        out.write_text("".join(lines), encoding="utf-8")
    typer.echo(
        f"{len(rows)} scenarios, {drafts} drafts, {ungrounded} ungrounded, "
        f"expectations met {met}/{len(rows)}, latency p50 {statistics.median(latencies[1:] or latencies):.0f} ms "
        "(first scenario, which loads the models, excluded)"
    )
    if ungrounded:
        raise typer.Exit(1)


def scenario_met(expect: JsonObject, res: Suggestions) -> tuple[bool, str]:
    """Whether the drafts match a scenario's expectations (intent, order, kinds, words)."""
    problems = []
    if "intent" in expect and res["intent"] != expect["intent"]:
        problems.append(f"intent {res['intent']} != {expect['intent']}")
    if "order_id" in expect and res["order_id"] != expect["order_id"]:
        problems.append(f"order {res['order_id']} != {expect['order_id']}")
    kinds = [s["kind"] for s in res["suggestions"]]
    if "first_kind" in expect and (not kinds or kinds[0] != expect["first_kind"]):
        problems.append(f"first draft {kinds[:1]} != {expect['first_kind']}")
    text = " ".join(s["text"] for s in res["suggestions"]).lower()
    for word in expect.get("mentions", []):
        if word.lower() not in text:
            problems.append(f"no mention of {word!r}")
    sources = {src["id"] for s in res["suggestions"] for src in s["sources"]}
    for sid in expect.get("sources", []):
        if sid not in sources:
            problems.append(f"no source {sid}")
    if not 1 <= len(kinds) <= 3:
        problems.append(f"{len(kinds)} drafts")
    return not problems, "; ".join(problems)

"""`shopassist eval assistant` (EVAL.md): run cases through the agent, write PRED.jsonl; and a
scorer for one's own labelled cases (tool-name and full-call accuracy)."""

from __future__ import annotations

import importlib
import json
import logging
import re
import statistics
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NotRequired

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from sqlalchemy import select
from tqdm import tqdm
from typing_extensions import TypedDict

from assistant import setup
from assistant.agent import grounding
from assistant.agent.memory import ShownProducts
from assistant.agent.runtime import ModelRuntime
from assistant.config import Settings
from assistant.db.models import Conversation, Product
from assistant.db.session import session_scope
from assistant.jsontypes import JsonObject
from assistant.services.products import catalog_for, get_cards
from assistant.services.state import AppState
from assistant.tools.context import ToolContext
from assistant.tools.contract import ToolCall
from retrieval.files import json_lines

log = logging.getLogger(__name__)
HISTORY_CHARS = 300
FREE_TEXT_ARGS = ("query", "question", "reason")
SKIPPED_SETUP = ("demo",)  # eval runs on the ingested catalog: never generate a demo store


class RunSummary(TypedDict):
    """What a run over the cases did: tool use, grounding, fallbacks and latency."""

    cases: int
    with_tool_calls: int
    ungrounded_answers: int
    repaired_answers: int
    planners: dict[str, int]
    writers: dict[str, int]  # who wrote the answers: model (the writer adapter) or template
    fallbacks: dict[str, int]
    latency_ms_p50: float
    latency_ms_p90: float
    model: str
    out: str


class SetScore(TypedDict):
    """The accuracy of the first tool call on one labelled set."""

    cases: int
    tool_name_accuracy: float
    full_call_accuracy: float


class KindScore(TypedDict):
    """Name and full-call accuracy on the cases of one kind."""

    n: int
    name: float
    full: float


class Score(SetScore):
    """The accuracy of the first tool call, by kind of case (and by set when there are several)."""

    missing_predictions: int
    by_kind: dict[str, KindScore]
    by_set: NotRequired[dict[str, SetScore]]


class CaseError(ValueError):
    """A cases or labels file that does not follow the format (with its line number)."""


@dataclass
class Case:
    """One evaluation case: the conversation so far (last message is the user's)."""

    id: str
    messages: list[dict[str, str]]
    user_id: str | None = None


def read_cases(path: Path) -> list[Case]:
    """Parse CASES.jsonl strictly; the first bad line fails the whole file with its number."""
    cases: list[Case] = []
    seen: set[str] = set()
    for n, obj in json_lines(path, CaseError):
        where = f"{path.name}:{n}"
        if not isinstance(obj, dict) or not isinstance(obj.get("id"), str | int):
            raise CaseError(f'{where}: each line needs an "id"')
        msgs = obj.get("messages")
        if not isinstance(msgs, list) or not msgs:
            raise CaseError(f'{where}: "messages" must be a non-empty list')
        for m in msgs:
            if (
                not isinstance(m, dict)
                or m.get("role") not in ("user", "assistant")
                or not isinstance(m.get("content"), str)
            ):
                raise CaseError(
                    f"{where}: each message needs role user|assistant and string content"
                )
        if msgs[-1]["role"] != "user":
            raise CaseError(f"{where}: the last message must be the user's")
        cid = str(obj["id"])
        if cid in seen:
            raise CaseError(f"{where}: duplicate id {cid!r}")
        seen.add(cid)
        user = obj.get("user_id")
        cases.append(Case(cid, msgs, str(user) if user not in (None, "") else None))
    if not cases:
        raise CaseError(f"{path.name}: no cases")
    return cases


def ensure_artifacts(settings: Settings) -> list[str]:
    """Run the service's setup steps (index, recommender, adapter, ...) except the demo store;
    each step builds only what is missing or stale."""
    done = []
    for label, target in setup.SETUP_STEPS:
        if any(word in label for word in SKIPPED_SETUP):
            continue
        module, func = target.split(":")
        log.info("ensuring %s", label)
        try:
            getattr(importlib.import_module(module), func)(settings)
            done.append(label)
        except Exception as exc:  # noqa: BLE001 - the agent degrades without it; say so
            log.warning("could not build %s: %s", label, exc)
    return done


class TitleIndex:
    """Finds catalog products named in free text (for products shown in earlier turns)."""

    def __init__(self, rows: list[tuple[str, str]]):
        self.ids = {pid for pid, _ in rows}
        self.by_title = {
            " ".join(grounding.words(t)): pid for pid, t in rows if len(grounding.words(t)) >= 2
        }

    def shown_in(self, text: str) -> list[str]:
        """Product ids cited as [id], else whose full titles appear, in order of appearance."""
        cited = [c for c in re.findall(r"\[([^\[\]\s]{1,64})\]", text) if c in self.ids]
        if cited:
            return list(dict.fromkeys(cited))
        low = " " + " ".join(grounding.words(text)) + " "
        hits = [(low.find(f" {t} "), pid) for t, pid in self.by_title.items() if f" {t} " in low]
        return list(dict.fromkeys(pid for _, pid in sorted(hits)))


def _context(case: Case, db, titles: TitleIndex) -> tuple[list[BaseMessage], ShownProducts]:  # noqa: ANN001
    history: list[BaseMessage] = []
    shown = ShownProducts()
    for m in case.messages[:-1]:
        shown.note_text(m["content"])
        if m["role"] == "user":
            history.append(HumanMessage(m["content"][:HISTORY_CHARS]))
        else:
            history.append(AIMessage(m["content"][:HISTORY_CHARS]))
            shown.add_list(get_cards(db, titles.shown_in(m["content"])))
    return history[-4:], shown


def run_cases(
    state: AppState, cases: list[Case], out: Path, runtime: ModelRuntime, answers: bool = False
) -> RunSummary:
    """Run every case with runtime's agent over state and write PRED.jsonl; returns a summary
    (no labels are read). The model is loaded first, so no case is answered while it loads.
    With answers (`eval answers`), each line also says who wrote the answer, whether it is
    grounded, who planned and when the first token left."""
    agent = runtime.agent(wait_for_model=True)
    fallbacks: Counter[str] = Counter()
    latencies, ungrounded, with_tools, repaired = [], 0, 0, 0
    planners: Counter[str] = Counter()
    writers: Counter[str] = Counter()
    out.parent.mkdir(parents=True, exist_ok=True)
    settings = state.settings
    url = settings.effective_database_url
    with session_scope(url) as db:
        titles = TitleIndex([(p, t) for p, t in db.execute(select(Product.id, Product.title))])
        catalog = catalog_for(state, db)
    with out.open("w", encoding="utf-8") as fh:
        for case in tqdm(cases, desc="eval assistant", unit="case"):
            conv_id = str(uuid.uuid4())
            with session_scope(url) as db:
                db.add(Conversation(id=conv_id, user_id=case.user_id, channel="eval"))
                db.commit()
                history, shown = _context(case, db, titles)
                ctx = ToolContext(state, db, case.user_id, "widget", conv_id)
                start = time.perf_counter()
                result = agent.complete(ctx, case.messages[-1]["content"], history, shown, catalog)
                ms = (time.perf_counter() - start) * 1000
                db.delete(db.get(Conversation, conv_id))
            calls = [{"name": o.name, "arguments": o.arguments} for o in result.outcomes]
            ev = grounding.evidence_from_results(o.result for o in result.outcomes if o.ok)
            grounded = grounding.check(result.answer, ev).ok
            ungrounded += not grounded
            writers[result.writer] += 1
            with_tools += bool(calls)
            fallbacks[result.fallback or "none"] += 1
            planners[result.planner] += 1
            repaired += result.repaired
            latencies.append(ms)
            pred: JsonObject = {
                "id": case.id, "tool_calls": calls, "answer": result.answer,
                "cited_product_ids": result.cited_product_ids, "latency_ms": round(ms, 1),
            }  # fmt: skip
            if answers:
                pred |= {"writer": result.writer, "grounded": grounded, "planner": result.planner,
                         "first_token_ms": round(result.first_token_ms or ms, 1)}  # fmt: skip
            fh.write(json.dumps(pred, ensure_ascii=False) + "\n")
    return RunSummary(
        cases=len(cases),
        with_tool_calls=with_tools,
        ungrounded_answers=ungrounded,
        repaired_answers=repaired,
        planners=dict(planners),
        writers=dict(writers),
        fallbacks=dict(fallbacks),
        latency_ms_p50=round(statistics.median(latencies), 1),
        latency_ms_p90=round(sorted(latencies)[int(0.9 * (len(latencies) - 1))], 1),
        model="loaded" if agent.model is not None else "none (deterministic plans)",
        out=str(out),
    )


def _same_value(key: str, got: Any, want: Any) -> bool:
    if key in FREE_TEXT_ARGS:  # free text: the expected words must mostly be there
        want_w, got_w = set(grounding.words(str(want))), set(grounding.words(str(got)))
        return bool(want_w) and len(want_w & got_w) / len(want_w) >= 0.5
    if isinstance(want, int | float) and not isinstance(want, bool):
        return isinstance(got, int | float) and abs(float(got) - float(want)) < 1e-6
    if isinstance(want, list):
        return isinstance(got, list) and [str(x) for x in got] == [str(x) for x in want]
    return str(got).strip().casefold() == str(want).strip().casefold()


def call_matches(got: ToolCall | None, want: ToolCall | None) -> tuple[bool, bool]:
    """(name matches, name and arguments match) for a first call; None means no tool call."""
    if want is None or got is None:
        return (want is None and got is None,) * 2
    if got.get("name") != want.get("name"):
        return False, False
    g, w = got.get("arguments") or {}, want.get("arguments") or {}
    return True, set(g) == set(w) and all(_same_value(k, g[k], w[k]) for k in w)


def score(preds: dict[str, JsonObject], labels: dict[str, JsonObject]) -> Score:
    """Tool-name and full-call accuracy of the first call, overall and by the label's kind."""
    sets = sorted({str(lab["set"]) for lab in labels.values() if lab.get("set")})
    if len(sets) > 1:  # score each set on its own too
        by_set = {
            name: score(preds, {k: v for k, v in labels.items() if v.get("set") == name})
            for name in sets
        }
        overall = score(preds, {k: {**v, "set": None} for k, v in labels.items()})
        overall["by_set"] = {
            k: SetScore(
                cases=v["cases"],
                tool_name_accuracy=v["tool_name_accuracy"],
                full_call_accuracy=v["full_call_accuracy"],
            )
            for k, v in by_set.items()
        }
        return overall
    name_ok = full_ok = 0
    by_kind: dict[str, list[int]] = {}
    missing = [cid for cid in labels if cid not in preds]
    for cid, lab in labels.items():
        pred = preds.get(cid, {"tool_calls": []})
        got = (pred.get("tool_calls") or [None])[0]
        want = (lab.get("expected") or [None])[0]
        n, f = call_matches(got, want)
        name_ok += n
        full_ok += f
        stats = by_kind.setdefault(
            lab.get("kind") or (want or {}).get("name", "no_tool"), [0, 0, 0]
        )
        stats[0] += 1
        stats[1] += n
        stats[2] += f
    total = len(labels)
    return Score(
        cases=total,
        missing_predictions=len(missing),
        tool_name_accuracy=round(name_ok / total, 4),
        full_call_accuracy=round(full_ok / total, 4),
        by_kind={
            k: KindScore(n=v[0], name=round(v[1] / v[0], 3), full=round(v[2] / v[0], 3))
            for k, v in sorted(by_kind.items())
        },
    )


def _read_jsonl(
    path: Path, check: Callable[[JsonObject], str] | None = None
) -> dict[str, JsonObject]:
    """JSON objects by id; `check` names what is wrong with one ("" when it is fine)."""
    out = {}
    for n, obj in json_lines(path, CaseError):
        where = f"{path.name}:{n}"
        if not isinstance(obj, dict) or "id" not in obj:
            raise CaseError(f"{where}: not a JSON object with an id")
        out[str(obj["id"])] = obj
        if check and (problem := check(obj)):
            raise CaseError(f"{where}: {problem}")
    return out


def _label_problem(label: JsonObject) -> str:
    expected = label.get("expected")
    ok = isinstance(expected, list) and all(
        isinstance(c, dict)
        and isinstance(c.get("name"), str)
        and isinstance(c.get("arguments", {}), dict)
        for c in expected
    )
    return "" if ok else '"expected" must be a list of {"name", "arguments"} calls'


def read_labels(path: Path) -> dict[str, JsonObject]:
    """Labels JSONL by id: {"id", "expected": [{"name", "arguments"}], "kind"?, "set"?}; the
    first malformed line fails the file with its number."""
    return _read_jsonl(path, _label_problem)


def read_predictions(path: Path) -> dict[str, JsonObject]:
    """A PRED.jsonl by id (the first line that is not a JSON object with an id fails it)."""
    return _read_jsonl(path)


def score_files(pred: Path, labels: Path) -> Score:
    """score() over a PRED.jsonl and a labels JSONL (see read_labels)."""
    return score(_read_jsonl(pred), read_labels(labels))

"""The cart test set (tests/assistant/data/cart_cases.jsonl): multi-turn conversations that
add, change and remove products by reference, run through POST /v1/chat; scored per turn.

`python -m tests.assistant.cart_eval` prints the rules-only figures (no model: agent_use_llm
off), on the known store plus the products below. `--model` plans every turn with the model
instead (the rules fast path off; the model is loaded before the first turn), over the adapter
named by `--adapter` (a folder under the data dir's adapters/, or a shipped one). `--half odd`
(or `even`) keeps the cases whose `int(sha1(id), 16) % 2` is 1 (or 0): the rules were written
on all 54 cases, so neither half is untouched for them; for the model both halves are unseen
(it is not trained on this set), and the figures are reported on the odd half. `--cases PATH`
runs another set of the same shape (default: cart_cases.jsonl), e.g. the fresh, blind set
tests/assistant/data/cart_cases_fresh.jsonl; `--show` prints every turn's calls and the products
it showed on stderr, to check what an ordinal refers to.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import delete

from assistant.config import Settings
from assistant.db.cart_models import Cart
from assistant.db.models import Product
from assistant.db.session import session_scope
from assistant.tools.contract import CART_TOOLS
from tests.assistant.known_store import build_store

CASES = Path(__file__).with_name("data") / "cart_cases.jsonl"
EXTRA = [
    # id, title, brand, category, price
    ("201", "Dark Chocolate Bar 55 g", "Amul", "Foods > Chocolates", 99.0),
    ("202", "Fruit and Nut Chocolate Bar 80 g", "Cadbury", "Foods > Chocolates", 95.0),
    ("203", "Anti-Dandruff Shampoo 400 ml", "Himalaya", "Beauty > Hair Care", 320.0),
    ("204", "Hair Fall Rescue Shampoo 340 ml", "Dove", "Beauty > Hair Care", 350.0),
]


def build_cart_store(settings: Settings) -> dict[str, str]:
    """The known store with chocolate bars and shampoos; its raw keys by name."""
    keys = build_store(settings)
    with session_scope(settings.effective_database_url) as db:
        for pid, title, brand, cat, price in EXTRA:
            db.add(
                Product(
                    id=pid, title=title, brand=brand, category=cat, price=price, rating=4.0,
                    rating_count=10, description=title,
                )
            )  # fmt: skip
    return keys


def read_cases(path: Path = CASES) -> list[dict[str, Any]]:
    """The cases, one JSON object a line."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def half_of(case_id: str) -> str:
    """The stable half a case belongs to: "odd" or "even" by int(sha1(id), 16) % 2."""
    return "odd" if int(hashlib.sha1(case_id.encode()).hexdigest(), 16) % 2 else "even"


def _calls(reply: dict[str, Any]) -> list[list[Any]]:
    return [[c["name"], c["arguments"]] for c in reply["tool_calls"]]


def _matches(expected: list[list[Any]], got: list[list[Any]]) -> bool:
    """Cart calls must match exactly; other calls by name (and product id when one is given)."""
    if len(expected) != len(got):
        return False
    for (name, args), (got_name, got_args) in zip(expected, got, strict=True):
        if name != got_name:
            return False
        if name in CART_TOOLS and args != got_args:
            return False
        if "product_id" in args and args["product_id"] != got_args.get("product_id"):
            return False
    return True


def run_cases(
    client: TestClient,
    settings: Settings,
    keys: dict[str, str],
    cases: list[dict[str, Any]],
    progress: bool = False,
    show: bool = False,
) -> dict[str, Any]:
    """Run every case (each with an empty cart); per-turn accuracy and the misses (progress: a
    line per case on stderr; show: each turn's calls and shown products on stderr)."""
    cart_turns = cart_hits = other_turns = other_hits = 0
    misses: list[dict[str, Any]] = []
    planners: Counter[str] = Counter()
    start = time.perf_counter()
    for n, case in enumerate(cases, 1):
        if progress:
            done = cart_turns + other_turns
            print(f"case {n}/{len(cases)} {case['id']}: {done - len(misses)}/{done} turns right, "
                  f"{time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)  # fmt: skip
        with session_scope(settings.effective_database_url) as db:
            db.execute(delete(Cart))
        conversation = None
        for turn in case["turns"]:
            r = client.post(
                "/v1/chat",
                json={"message": turn["user"], "conversation_id": conversation},
                headers={"X-API-Key": keys[case["user"]]},
            )
            reply = r.json()
            assert r.status_code == 200, (case["id"], turn["user"], reply)
            conversation = reply["conversation_id"]
            if show:
                print(f"  {turn['user']!r} -> {_calls(reply)} shown {reply['cited_product_ids']}",
                      file=sys.stderr, flush=True)  # fmt: skip
            planners[
                reply["planner"] + (f" ({reply['fallback']})" if reply["fallback"] else "")
            ] += 1
            ok = _matches(turn["expect"], _calls(reply))
            if any(name in CART_TOOLS for name, _ in turn["expect"]):
                cart_turns, cart_hits = cart_turns + 1, cart_hits + ok
            else:
                other_turns, other_hits = other_turns + 1, other_hits + ok
            if not ok:
                misses.append(
                    {
                        "case": case["id"],
                        "user": turn["user"],
                        "expected": turn["expect"],
                        "got": _calls(reply),
                    }  # fmt: skip
                )
    return {
        "cases": len(cases),
        "cart_turns": cart_turns,
        "cart_tool_accuracy": round(cart_hits / max(1, cart_turns), 4),
        "other_turns": other_turns,
        "other_accuracy": round(other_hits / max(1, other_turns), 4),
        "planners": dict(planners),
        "seconds": round(time.perf_counter() - start, 1),
        "misses": misses,
    }


def main(argv: list[str] | None = None) -> None:
    """Print the cart test set's figures as JSON: the rules plan, or (--model) the model's."""
    parser = argparse.ArgumentParser(prog="python -m tests.assistant.cart_eval")
    parser.add_argument("--model", action="store_true", help="plan every turn with the model")
    parser.add_argument(
        "--adapter", default="", help="adapter name, or an adapter folder to copy into the data dir"
    )
    parser.add_argument("--half", choices=["odd", "even", "all"], default="all")
    parser.add_argument("--cases", type=Path, default=CASES, help="the cases file (JSON lines)")
    parser.add_argument("--show", action="store_true", help="print each turn's calls and products")
    args = parser.parse_args(argv)
    # lazy: the app (and its model runtime) only when the figures are asked for
    from assistant.api.app import create_app

    cases = [c for c in read_cases(args.cases) if args.half in ("all", half_of(c["id"]))]
    with tempfile.TemporaryDirectory() as tmp:
        update: dict[str, Any] = {"agent_use_llm": args.model, "rate_limit": "10000/minute"}
        if args.model:  # the model plans every turn, with time to do it on a busy CPU
            update |= {"agent_fast_path": False, "agent_time_budget_s": 60.0}
        data_dir = Path(tmp) / "var"
        if args.adapter and Path(args.adapter).is_dir():  # trained elsewhere: use a copy of it
            shutil.copytree(args.adapter, data_dir / "adapters" / Path(args.adapter).name)
            args.adapter = Path(args.adapter).name
        if args.adapter:
            update["adapter_name"] = args.adapter
        settings = Settings(data_dir=data_dir, database_url="").model_copy(update=update)
        keys = build_cart_store(settings)
        app = create_app(settings)
        with TestClient(app) as client:
            runtime = app.state.runtime
            if args.model and runtime.model(wait=True) is None:
                sys.exit(f"the model did not load: {runtime.error}")
            report = run_cases(client, settings, keys, cases, progress=True, show=args.show)
            report = {
                "path": "model" if args.model else "rules",
                "cases_file": str(args.cases),
                "half": args.half,
                "backend": settings.llm_backend if args.model else None,
                "adapter": runtime.adapter if args.model else None,
                **report,
            }
    json.dump(report, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()

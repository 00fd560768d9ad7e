"""Checks that an answer set's labels hold against the shared data (`validate`), for the sets
that make_cases.py and answers_fresh/make_cases.py build."""

from __future__ import annotations

import re
from pathlib import Path

from tests.assistant.data.answers.make_cases import card_line, load, money, words

_CITED = re.compile(r"\[([^\[\]\s]+)\]")
KINDS = {"choice", "attribute", "comparison", "explanation", "reference", "orders", "no_match",
         "match", "policy"}  # fmt: skip


def _choice_problem(cid: str, question: str, chosen: dict, cards: list[dict]) -> str | None:
    # Decidable: the chosen product is the only cheapest, the only best rated, or the only one
    # whose title has a word of the question.
    others = [c for c in cards if c is not chosen]
    if all(chosen["price"] < c["price"] for c in others):
        return None
    if all(chosen["rating"] > c["rating"] for c in others):
        return None
    if (words(chosen["title"]) & words(question)) - set().union(
        *(words(c["title"]) for c in others)
    ):
        return None
    return f"{cid}: {chosen['id']} is neither the only cheapest, best rated nor named"


def validate(cases: list[dict], labels: list[dict], data: Path) -> list[str]:
    """What is wrong with an answer set: ids that do not exist or were not shown, undecidable
    choices, attribute values not in the catalog, orders not the shopper's, no-match items the
    catalog has, policy answers not in the policy (empty: the labels hold)."""
    rows, by_user = load(data)
    catalog = {r["id"]: r for r in rows}
    titles = [words(r["title"]) for r in rows]
    policy = (data / "retail_orders" / "policy.md").read_text(encoding="utf-8").lower()
    by_id = {c["id"]: c for c in cases}
    out = [] if len(by_id) == len(cases) == len(labels) else ["ids are not unique"]
    for lab in labels:
        cid, check, kind = lab["id"], lab["check"], lab["kind"]
        case = by_id.get(cid)
        if case is None or kind not in KINDS or lab["set"] not in ("tune", "report") or not check:
            out.append(f"{cid}: no case, or a bad kind / set / check")
            continue
        msgs, user = case["messages"], case.get("user_id")
        shown_ids = [
            i for m in msgs if m["role"] == "assistant" for i in _CITED.findall(m["content"])
        ]
        for i in shown_ids:
            if i not in catalog or card_line(1, catalog[i])[3:] not in msgs[1]["content"]:
                out.append(f"{cid}: shown product {i} is not as the catalog has it")
        cards = [catalog[i] for i in shown_ids if i in catalog]
        named = [check.get("chosen"), *check.get("cites", ()), *check.get("among", ())]
        for call in lab["expected"]:
            args = call["arguments"]
            named += [
                *args.get("product_ids", ()),
                *([args["product_id"]] if "product_id" in args else []),
            ]
        stray = [i for i in named if i is not None and i not in shown_ids]
        if stray:
            out.append(f"{cid}: ids not shown in the conversation: {stray}")
            continue
        question = msgs[-1]["content"]
        if kind == "choice" and (
            problem := _choice_problem(cid, question, catalog[check["chosen"]], cards)
        ):
            out.append(problem)
        if kind == "attribute":
            c = catalog[check["cites"][0]]
            facts = {money(c["price"]), f"{c['rating']:g}/5", c["brand"]}
            if not set(check["contains"]) <= facts:
                out.append(f"{cid}: {check['contains']} is not {c['id']}'s price, rating or brand")
        if kind == "comparison":
            a, b = (catalog[i] for i in check["cites"])
            if a is b or (a["price"] == b["price"] and a["rating"] == b["rating"]):
                out.append(f"{cid}: the two compared products do not differ")
        if kind == "explanation" and user not in by_user:
            out.append(f"{cid}: explanation for an unknown shopper {user}")
        if kind == "orders" and (user not in by_user or check["orders"] != sorted(by_user[user])):
            out.append(f"{cid}: the orders are not {user}'s")
        if kind in ("no_match", "match"):
            item = words(lab["expected"][0]["arguments"]["query"])
            sold = any(item <= t for t in titles)
            if sold != (kind == "match") or item - words(question):
                out.append(f"{cid}: {sorted(item)} sold={sold} for a {kind} case")
        if kind == "policy" and not any(s.lower() in policy for s in check["contains_any"]):
            out.append(f"{cid}: none of {check['contains_any']} is in the policy")
    return out

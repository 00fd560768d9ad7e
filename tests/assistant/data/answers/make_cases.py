"""Builds the held-out answer cases (cases.jsonl, labels.jsonl) from the BigBasket catalog and
retail_orders in ../shared/data. Deterministic (seed 13); see README.md in this folder.
`build` takes the phrasing and the plan as arguments and `validate` checks any set it made, so
other answer sets (answers_fresh/) reuse both with their own words.

    python -m tests.assistant.data.answers.make_cases ../shared/data
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent
NEEDS = """organic herbal lemon mint sensitive crunchy creamy whitening dark green baby kids aloe
charcoal neem rose coconut almond masala spicy instant brown multigrain oats ginger tulsi vanilla
strawberry chocolate mango onion garlic tomato jasmine lavender sandal turmeric saffron""".split()
ORD = ["first", "second", "third"]
# Phrasings written for this set: none of them is in finetune/answer_data.py or the rules' tests.
NEED_Q = [
    "out of those, which one's the {need} one?",
    "I want the {need} kind - which should I take?",
    "any of these {need}? pick me one",
    "which would suit me if I want {need}?",
    "the {need} option please - which is it?",
]
CHEAP_Q = [
    "which won't break the bank?",
    "which one's the least pricey?",
    "lowest cost option among them?",
    "I want to spend as little as possible, which one?",
]
BEST_Q = [
    "which one do buyers rate the highest?",
    "which is the crowd favourite?",
    "which has the strongest reviews?",
    "your top pick out of these?",
]
PRICE_Q = ["what's the price on the {o} one?", "how much would the {o} one set me back?"]
RATING_Q = ["how well reviewed is the {o} one?", "what score do shoppers give the {o} one?"]
BRAND_Q = ["which company makes the {o} one?", "the {o} one is made by whom?"]
COMPARE_Q = [
    "how do the {a} and {b} ones differ?",
    "{a} vs {b}: what's the real difference?",
    "put the {a} and {b} ones head to head",
    "weigh up the {a} one against the {b} for me",
]
MORE_Q = ["tell me a bit more about the {o} one", "what can you tell me about the {o} item?"]
WHY_Q = ["why would the {o} one suit me?", "what makes the {o} one worth it for me?"]
ORDER_Q = [
    "has the thing I ordered most recently gone out yet?",
    "what's the latest on my order?",
    "can you check on my recent parcel?",
    "is my last delivery on its way?",
    "where's the stuff I bought?",
]
NO_MATCH = """motorcycle helmet, tennis racquet, fishing rod, ski goggles, car battery, sewing machine,
baby stroller, camping tent, paint roller, swimming goggles, guitar amplifier, bed frame,
snow shovel, golf balls, aquarium filter""".replace("\n", " ").split(", ")
NO_MATCH_Q = ["do you carry a {q}?", "I'm after a {q}", "got any {q} in stock?"]
MATCH = ["basmati rice", "green tea", "peanut butter", "hand wash", "instant noodles"]
POLICY = [
    ("if I change my mind about a pending order, can I cancel it?", ["pending", "cancel"]),
    ("how do I send back something that was delivered?", ["delivered", "return"]),
    ("can I swap an item I received for another colour?", ["exchange", "delivered"]),
    ("how long before a refund reaches my card?", ["5 to 7 business days", "refund"]),
    ("can I change the shipping address of an order that hasn't left yet?", ["pending", "address"]),
    ("could I pay with a different card for an order still pending?", ["payment", "pending"]),
    ("my order was delivered, can I return just part of it?", ["return", "delivered"]),
    ("is it possible to cancel after it has been processed?", ["pending", "cancel"]),
    ("what reasons can I give for cancelling?", ["no longer needed", "ordered by mistake"]),
    ("can I exchange a shirt for shoes?", ["same product", "product types"]),
]


@dataclass(frozen=True)
class Phrasing:
    """The words of one answer set: question templates ({need}, {o}, {a}/{b}, {q}) and items.

    Where a field offers one option it is used as is, without a draw from the random generator,
    so the seed-13 set above stays as it was built."""

    needs: Sequence[str]
    need_q: Sequence[str]
    cheap_q: Sequence[str]
    best_q: Sequence[str]
    price_q: Sequence[str]
    rating_q: Sequence[str]
    brand_q: Sequence[str]
    compare_q: Sequence[str]
    more_q: Sequence[str]
    why_q: Sequence[str]
    order_q: Sequence[str]
    no_match: Sequence[str]
    no_match_q: Sequence[str]
    match: Sequence[str]
    policy: Sequence[tuple[str, list[str]]]
    match_q: Sequence[str] = ("do you have {q}?",)
    ordinals: Sequence[Sequence[str]] = (("first",), ("second",), ("third",))
    openers: Sequence[str] = ("{q}",)
    greet: Sequence[str] = ("hi",)
    match_greet: Sequence[str] = ("hello",)
    no_ids: Sequence[str] = ("last", "latest", "recent", "last_order")


def half(cid: str) -> str:
    """`tune` when the id's sha1 is even, else `report` (a stable split)."""
    return "tune" if int(hashlib.sha1(cid.encode()).hexdigest(), 16) % 2 == 0 else "report"


@dataclass(frozen=True)
class Plan:
    """How many cases of each drawn kind, the seed, the id prefix and the tune/report split."""

    seed: int = 13
    prefix: str = ""
    need: int = 30
    pick: int = 20
    attr: int = 30
    cmp: int = 20
    why: int = 12
    ref: int = 15
    orders: int = 20
    split: Callable[[str], str] = half


PHRASING = Phrasing(NEEDS, NEED_Q, CHEAP_Q, BEST_Q, PRICE_Q, RATING_Q, BRAND_Q, COMPARE_Q, MORE_Q,
                    WHY_Q, ORDER_Q, NO_MATCH, NO_MATCH_Q, MATCH, POLICY)  # fmt: skip
CHOICE_TOOLS = ["compare_products", "get_product"]
GREETING = "Hi! What are you looking for?"


def money(v: float) -> str:
    """A price as the assistant's product list writes it (₹28, ₹429.84)."""
    return "₹" + f"{v:,.2f}".rstrip("0").rstrip(".")


def load(data: Path) -> tuple[list[dict], dict[str, list[str]]]:
    """The rated, priced BigBasket products and retail_orders' order ids by shopper."""
    rows = []
    with (data / "bigbasket" / "bigbasket_products.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            try:
                price, rating = float(r["sale_price"]), float(r["rating"])
            except (TypeError, ValueError):
                continue
            title, brand = r["product"].strip(), r["brand"].strip()
            if not title or not brand:
                continue
            rows.append({"id": r["index"], "title": title, "brand": brand, "price": price,
                         "rating": rating, "sub": r["sub_category"].strip()})  # fmt: skip
    orders = json.loads((data / "retail_orders" / "orders.json").read_text())
    by_user: dict[str, list[str]] = defaultdict(list)
    for o in orders.values():
        by_user[o["user_id"]].append(o["order_id"])
    return rows, by_user


def card_line(i: int, c: dict) -> str:
    """One product of the assistant's list, as the shopper saw it."""
    by = "" if c["brand"].lower() in c["title"].lower() else f" by {c['brand']}"
    return f"{i}. {c['title']}{by}, {money(c['price'])}, rated {c['rating']:g}/5 [{c['id']}]"


def shown(cards: list[dict]) -> str:
    """The assistant's turn that lists the cards."""
    return "\n".join(["Here is what I found:", *(card_line(i, c) for i, c in enumerate(cards, 1))])


def words(text: str) -> set[str]:
    """The lower-case words of a text."""
    return set(re.findall(r"[a-z]+", text.lower()))


def _pick(rng: random.Random, options: Sequence[str]) -> str:
    # One option is taken without a draw, so adding options to one set leaves the others as built.
    return options[0] if len(options) == 1 else rng.choice(options)


def build(
    data: Path, words_: Phrasing = PHRASING, plan: Plan | None = None
) -> tuple[list[dict], list[dict]]:
    """The cases and their labels for one phrasing and plan, drawn from the shared data."""
    plan = plan or Plan()
    p = words_
    rng = random.Random(plan.seed)
    rows, by_user = load(data)
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        groups[r["sub"]].append(r)
    subs = sorted(s for s, g in groups.items() if len(g) >= 6)
    cases: list[dict] = []
    labels: list[dict] = []

    def add(cid: str, kind: str, msgs: list[dict], check: dict, expected: list | None = None,
            user: str | None = None) -> None:  # fmt: skip
        cid = plan.prefix + cid
        case = {"id": cid, "messages": msgs}
        if user:
            case["user_id"] = user
        cases.append(case)
        labels.append({"id": cid, "kind": kind, "set": plan.split(cid), "expected": expected or [],
                       "check": check})  # fmt: skip

    def listing(k: int = 3, distinct: bool = True) -> tuple[str, list[dict]]:
        while True:
            g = groups[rng.choice(subs)]
            cards = rng.sample(g, k)
            prices = {c["price"] for c in cards}
            ratings = {c["rating"] for c in cards}
            if not distinct or (len(prices) == k and len(ratings) == k):
                query = " ".join(sorted(words(cards[0]["title"]) & words(cards[1]["title"]))[:2])
                return (query or cards[0]["sub"].lower()), cards

    def convo(query: str, cards: list[dict], question: str) -> list[dict]:
        opener = _pick(rng, p.openers).format(q=query)
        return [{"role": "user", "content": opener}, {"role": "assistant", "content": shown(cards)},
                {"role": "user", "content": question}]  # fmt: skip

    def greeted(i: int, hello: Sequence[str], question: str) -> list[dict]:
        return [{"role": "user", "content": hello[i % len(hello)]},
                {"role": "assistant", "content": GREETING},
                {"role": "user", "content": question}]  # fmt: skip

    def ordinal(j: int) -> str:
        return _pick(rng, p.ordinals[j])

    n = 0
    while n < plan.need:  # a need named by one product's title only
        query, cards = listing(distinct=False)
        own = [(c, (words(c["title"]) & set(p.needs)) - set().union(
            *(words(o["title"]) for o in cards if o is not c))) for c in cards]  # fmt: skip
        picks = [(c, sorted(w)) for c, w in own if w]
        if not picks:
            continue
        c, need = picks[0][0], rng.choice(picks[0][1])
        n += 1
        ids = [x["id"] for x in cards]
        add(f"need{n:02d}", "choice", convo(query, cards, rng.choice(p.need_q).format(need=need)),
            {"chosen": c["id"], "among": ids, "allowed_tools": CHOICE_TOOLS})  # fmt: skip
    for i in range(plan.pick):
        query, cards = listing()
        ids = [x["id"] for x in cards]
        if i % 2:
            pick, q = min(cards, key=lambda x: x["price"]), rng.choice(p.cheap_q)
        else:
            pick, q = max(cards, key=lambda x: x["rating"]), rng.choice(p.best_q)
        add(f"pick{i + 1:02d}", "choice", convo(query, cards, q),
            {"chosen": pick["id"], "among": ids, "allowed_tools": CHOICE_TOOLS})  # fmt: skip
    for i in range(plan.attr):
        query, cards = listing()
        j = rng.randrange(3)
        c, what = cards[j], ["price", "rating", "brand"][i % 3]
        q = rng.choice({"price": p.price_q, "rating": p.rating_q, "brand": p.brand_q}[what])
        said = {"price": money(c["price"]), "rating": f"{c['rating']:g}/5", "brand": c["brand"]}
        add(f"attr{i + 1:02d}", "attribute", convo(query, cards, q.format(o=ordinal(j))),
            {"cites": [c["id"]], "contains": [said[what]], "among": [x["id"] for x in cards]},
            [{"name": "get_product", "arguments": {"product_id": c["id"]}}])  # fmt: skip
    for i in range(plan.cmp):
        query, cards = listing()
        a, b = sorted(rng.sample(range(3), 2))
        q = rng.choice(p.compare_q).format(a=ordinal(a), b=ordinal(b))
        pair = [cards[a]["id"], cards[b]["id"]]
        add(f"cmp{i + 1:02d}", "comparison", convo(query, cards, q),
            {"cites": pair, "among": pair, "allowed_tools": CHOICE_TOOLS,
             "contains_any": ["cheaper", "higher", "better", "cheapest", "best"]},
            [{"name": "compare_products", "arguments": {"product_ids": pair}}])  # fmt: skip
    users = sorted(u for u, o in by_user.items() if len(o) >= 2)
    for i in range(plan.why):
        query, cards = listing()
        j = rng.randrange(3)
        add(f"why{i + 1:02d}", "explanation", convo(query, cards, rng.choice(p.why_q).format(o=ordinal(j))),
            {"cites": [cards[j]["id"]], "among": [x["id"] for x in cards]},
            user=rng.choice(users))  # fmt: skip
    for i in range(plan.ref):
        query, cards = listing()
        j = rng.randrange(3)
        add(f"ref{i + 1:02d}", "reference", convo(query, cards, rng.choice(p.more_q).format(o=ordinal(j))),
            {"cites": [cards[j]["id"]], "among": [x["id"] for x in cards]},
            [{"name": "get_product", "arguments": {"product_id": cards[j]["id"]}}])  # fmt: skip
    for i in range(plan.orders):
        user = rng.choice(sorted(by_user))
        query, cards = listing()
        msgs = convo(query, cards, rng.choice(p.order_q))
        add(f"ord{i + 1:02d}", "orders", msgs,
            {"orders": sorted(by_user[user]), "no_ids": list(p.no_ids)},
            [{"name": "list_my_orders", "arguments": {}}], user=user)  # fmt: skip
    for i, item in enumerate(p.no_match):
        q = p.no_match_q[i % len(p.no_match_q)].format(q=item)
        add(f"nom{i + 1:02d}", "no_match", greeted(i, p.greet, q), {"no_match": True},
            [{"name": "search_products", "arguments": {"query": item}}])  # fmt: skip
    for i, item in enumerate(p.match):
        q = p.match_q[i % len(p.match_q)].format(q=item)
        add(f"mat{i + 1:02d}", "match", greeted(i, p.match_greet, q), {"no_match": False},
            [{"name": "search_products", "arguments": {"query": item}}])  # fmt: skip
    for i, (q, said) in enumerate(p.policy):
        user = rng.choice(users)
        add(f"pol{i + 1:02d}", "policy", greeted(i, p.greet, q),
            {"allowed_tools": ["search_policy"], "contains_any": said},
            [{"name": "search_policy", "arguments": {"question": q}}], user=user)  # fmt: skip
    return cases, labels


def make(folder: Path, phrasing: Phrasing = PHRASING, plan: Plan | None = None) -> None:
    """Builds a set from the data folder named on the command line (default ../shared/data),
    refuses it with the problems when it does not validate, and writes it into `folder`."""
    # Imported here: check_cases imports this module's helpers.
    from tests.assistant.data.answers.check_cases import validate

    data = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")
    cases, labels = build(data, phrasing, plan)
    problems = validate(cases, labels, data)
    if problems:
        sys.exit("\n".join(problems))
    for name, rows in (("cases.jsonl", cases), ("labels.jsonl", labels)):
        with (folder / name).open("w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    print(f"{len(cases)} cases in {folder}")


if __name__ == "__main__":
    make(HERE)

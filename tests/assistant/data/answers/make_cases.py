"""Builds the held-out answer cases (cases.jsonl, labels.jsonl) from the BigBasket catalog and
retail_orders in ../shared/data. Deterministic (seed 13); see README.md in this folder.

    python tests/assistant/data/answers/make_cases.py ../shared/data
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import re
import sys
from collections import defaultdict
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


def money(v: float) -> str:
    return "₹" + f"{v:,.2f}".rstrip("0").rstrip(".")


def load(data: Path) -> tuple[list[dict], dict[str, list[str]]]:
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


def shown(cards: list[dict]) -> str:
    lines = ["Here is what I found:"]
    for i, c in enumerate(cards, 1):
        by = "" if c["brand"].lower() in c["title"].lower() else f" by {c['brand']}"
        lines.append(
            f"{i}. {c['title']}{by}, {money(c['price'])}, rated {c['rating']:g}/5 [{c['id']}]"
        )
    return "\n".join(lines)


def words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text.lower()))


def half(cid: str) -> str:
    return "tune" if int(hashlib.sha1(cid.encode()).hexdigest(), 16) % 2 == 0 else "report"


def build(data: Path) -> tuple[list[dict], list[dict]]:
    rng = random.Random(13)
    rows, by_user = load(data)
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        groups[r["sub"]].append(r)
    subs = sorted(s for s, g in groups.items() if len(g) >= 6)
    cases: list[dict] = []
    labels: list[dict] = []

    def add(cid: str, kind: str, msgs: list[dict], check: dict, expected: list | None = None,
            user: str | None = None) -> None:  # fmt: skip
        case = {"id": cid, "messages": msgs}
        if user:
            case["user_id"] = user
        cases.append(case)
        labels.append({"id": cid, "kind": kind, "set": half(cid), "expected": expected or [],
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
        return [{"role": "user", "content": query}, {"role": "assistant", "content": shown(cards)},
                {"role": "user", "content": question}]  # fmt: skip

    choice_tools = ["compare_products", "get_product"]
    n = 0
    while n < 30:  # a need named by one product's title only
        query, cards = listing(distinct=False)
        own = [(c, (words(c["title"]) & set(NEEDS)) - set().union(
            *(words(o["title"]) for o in cards if o is not c))) for c in cards]  # fmt: skip
        picks = [(c, sorted(w)) for c, w in own if w]
        if not picks:
            continue
        c, need = picks[0][0], rng.choice(picks[0][1])
        n += 1
        ids = [x["id"] for x in cards]
        add(f"need{n:02d}", "choice", convo(query, cards, rng.choice(NEED_Q).format(need=need)),
            {"chosen": c["id"], "among": ids, "allowed_tools": choice_tools})  # fmt: skip
    for i in range(20):
        query, cards = listing()
        ids = [x["id"] for x in cards]
        if i % 2:
            pick, q = min(cards, key=lambda x: x["price"]), rng.choice(CHEAP_Q)
        else:
            pick, q = max(cards, key=lambda x: x["rating"]), rng.choice(BEST_Q)
        add(f"pick{i + 1:02d}", "choice", convo(query, cards, q),
            {"chosen": pick["id"], "among": ids, "allowed_tools": choice_tools})  # fmt: skip
    for i in range(30):
        query, cards = listing()
        j = rng.randrange(3)
        c, what = cards[j], ["price", "rating", "brand"][i % 3]
        q = rng.choice({"price": PRICE_Q, "rating": RATING_Q, "brand": BRAND_Q}[what])
        said = {"price": money(c["price"]), "rating": f"{c['rating']:g}/5", "brand": c["brand"]}
        add(f"attr{i + 1:02d}", "attribute", convo(query, cards, q.format(o=ORD[j])),
            {"cites": [c["id"]], "contains": [said[what]], "among": [x["id"] for x in cards]},
            [{"name": "get_product", "arguments": {"product_id": c["id"]}}])  # fmt: skip
    for i in range(20):
        query, cards = listing()
        a, b = sorted(rng.sample(range(3), 2))
        q = rng.choice(COMPARE_Q).format(a=ORD[a], b=ORD[b])
        pair = [cards[a]["id"], cards[b]["id"]]
        add(f"cmp{i + 1:02d}", "comparison", convo(query, cards, q),
            {"cites": pair, "among": pair, "allowed_tools": choice_tools,
             "contains_any": ["cheaper", "higher", "better", "cheapest", "best"]},
            [{"name": "compare_products", "arguments": {"product_ids": pair}}])  # fmt: skip
    users = sorted(u for u, o in by_user.items() if len(o) >= 2)
    for i in range(12):
        query, cards = listing()
        j = rng.randrange(3)
        add(f"why{i + 1:02d}", "explanation", convo(query, cards, rng.choice(WHY_Q).format(o=ORD[j])),
            {"cites": [cards[j]["id"]], "among": [x["id"] for x in cards]},
            user=rng.choice(users))  # fmt: skip
    for i in range(15):
        query, cards = listing()
        j = rng.randrange(3)
        add(f"ref{i + 1:02d}", "reference", convo(query, cards, rng.choice(MORE_Q).format(o=ORD[j])),
            {"cites": [cards[j]["id"]], "among": [x["id"] for x in cards]},
            [{"name": "get_product", "arguments": {"product_id": cards[j]["id"]}}])  # fmt: skip
    for i in range(20):
        user = rng.choice(sorted(by_user))
        query, cards = listing()
        msgs = convo(query, cards, rng.choice(ORDER_Q))
        add(f"ord{i + 1:02d}", "orders", msgs,
            {"orders": sorted(by_user[user]), "no_ids": ["last", "latest", "recent", "last_order"]},
            [{"name": "list_my_orders", "arguments": {}}], user=user)  # fmt: skip
    for i, item in enumerate(NO_MATCH):
        msgs = [{"role": "user", "content": "hi"},
                {"role": "assistant", "content": "Hi! What are you looking for?"},
                {"role": "user", "content": NO_MATCH_Q[i % 3].format(q=item)}]  # fmt: skip
        add(f"nom{i + 1:02d}", "no_match", msgs, {"no_match": True},
            [{"name": "search_products", "arguments": {"query": item}}])  # fmt: skip
    for i, item in enumerate(MATCH):
        msgs = [{"role": "user", "content": "hello"},
                {"role": "assistant", "content": "Hi! What are you looking for?"},
                {"role": "user", "content": f"do you have {item}?"}]  # fmt: skip
        add(f"mat{i + 1:02d}", "match", msgs, {"no_match": False},
            [{"name": "search_products", "arguments": {"query": item}}])  # fmt: skip
    for i, (q, said) in enumerate(POLICY):
        user = rng.choice(users)
        msgs = [{"role": "user", "content": "hi"},
                {"role": "assistant", "content": "Hi! What are you looking for?"},
                {"role": "user", "content": q}]  # fmt: skip
        add(f"pol{i + 1:02d}", "policy", msgs,
            {"allowed_tools": ["search_policy"], "contains_any": said},
            [{"name": "search_policy", "arguments": {"question": q}}], user=user)  # fmt: skip
    return cases, labels


def main() -> None:
    cases, labels = build(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data"))
    for name, rows in (("cases.jsonl", cases), ("labels.jsonl", labels)):
        with (HERE / name).open("w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    print(f"{len(cases)} cases")


if __name__ == "__main__":
    main()

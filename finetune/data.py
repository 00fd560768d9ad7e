"""SFT examples from a store's own catalog, tool contract and realistic tool outputs.

Plain data in (catalog rows as dicts, policy text, optional orders and real search queries),
examples out: ``{"kind", "messages", "target", "tool", "arguments", "context"}`` where
``messages`` is the conversation before the assistant turn and ``target`` its canonical text.
The eval split draws its phrasings from the held-out side of the phrasebook (`phrases.yaml`).
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from assistant.agent.wording import product_line
from assistant.services.records import ProductCard
from finetune.format import format_answer, format_call, render_tool_result
from finetune.phrases import Phrasebook, ShopperSet, load_phrasebook

PRICES = [
    50,
    99,
    100,
    120,
    150,
    199,
    200,
    250,
    299,
    300,
    350,
    400,
    450,
    499,
    500,
    600,
    750,
    800,
    999,
    1000,
    1200,
    1500,
    2000,
]
STATUSES = {
    "pending": ["pending"],
    "processed": ["processed", "processing"],
    "delivered": ["delivered"],
    "cancelled": ["cancelled", "canceled"],
}
_UNITS = re.compile(r"\b\d+(\.\d+)?\s*(mg|g|gm|kg|ml|l|ltr|pcs|pc|cm|mm|m|x|n)?\b", re.I)


@dataclass
class DataConfig:
    """How many examples to build and how they mix."""

    n_train: int = 2000
    n_eval: int = 300
    seed: int = 0
    weights: dict[str, float] = field(
        default_factory=lambda: {
            "search": 0.22,
            "search_real": 0.07,
            "get_product": 0.06,
            "compare": 0.06,
            "similar": 0.05,
            "explain": 0.06,
            "predict": 0.03,
            "recommend": 0.05,
            "orders": 0.06,
            "order_status": 0.06,
            "policy": 0.04,
            "handoff": 0.03,
            "smalltalk": 0.03,
            "injection": 0.05,
            "answer": 0.04,
            "choice": 0.06,
            "cart_add": 0.07,
            "cart_update": 0.04,
            "cart_remove": 0.04,
            "cart_view": 0.02,
        }
    )

    # Of the train examples whose family real shoppers' phrasings cover (the answer sets',
    # finetune/shopper_phrases.yaml), the share phrased that way; eval examples never are. Off
    # by default: two adapters trained with 0.5 planned no better on unseen sets (README, #13).
    shopper_share: float = 0.0

    def __post_init__(self) -> None:
        if not 0.0 <= self.shopper_share <= 1.0:
            raise ValueError("shopper_share must be in [0, 1]")
        if self.n_train < 1 or self.n_eval < 0:
            raise ValueError("n_train must be >= 1 and n_eval >= 0")
        if not self.weights or min(self.weights.values()) < 0:
            raise ValueError("weights must be non-negative")


def clean_product(row: dict[str, Any]) -> dict[str, Any] | None:
    """A catalog row reduced to what examples use, or None when it has no id or title."""
    pid, title = (
        str(row.get("id") or row.get("product_id") or "").strip(),
        str(row.get("title") or "").strip(),
    )
    if not pid or not title:
        return None
    price = row.get("price")
    rating = row.get("rating")
    return {
        "product_id": pid,
        "title": title,
        "brand": str(row.get("brand") or "").strip(),
        "category": str(row.get("category") or "").strip(),
        "price": float(price) if price not in (None, "") else None,
        "rating": float(rating) if rating not in (None, "") else None,
    }


def product_noun(p: dict[str, Any]) -> str:
    """A short shopper-style noun phrase for a product: its title without brand and sizes."""
    title = p["title"].split(" - ")[0].split("(")[0]
    if p["brand"]:
        title = re.sub(re.escape(p["brand"]), " ", title, flags=re.I)
    title = _UNITS.sub(" ", title).replace("/", " ").replace("&", " ")
    words = [w for w in re.split(r"[\s,]+", title.lower()) if w.isalpha()]
    return " ".join(words[:4]) or p["category"].split(">")[-1].strip().lower()


def typo(text: str, rng: random.Random) -> str:
    """One realistic typo (swap, drop or double a letter) in a word of 4+ letters."""
    words = text.split(" ")
    idx = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
    if not idx:
        return text
    i = rng.choice(idx)
    w, j = words[i], rng.randrange(1, len(words[i]) - 1)
    op = rng.randrange(3)
    words[i] = (
        w[:j] + w[j + 1] + w[j] + w[j + 2 :]
        if op == 0
        else w[:j] + w[j + 1 :]
        if op == 1
        else w[:j] + w[j] + w[j:]
    )
    return " ".join(words)


class Builder:
    """Draws examples of each kind for one split ("train" or "eval")."""

    def __init__(
        self,
        products: list[dict],
        split: str,
        rng: random.Random,
        policy: list[str],
        orders: list[dict],
        queries: list[str],
        phrases: Phrasebook,
        shopper_share: float = 0.0,
    ) -> None:
        self.products, self.split, self.rng = products, split, rng
        self.phrases = phrases
        self.shopper_share = shopper_share if split == "train" else 0.0
        self.places: dict[int, list[str]] | None = None  # the last shopper phrasing's place words
        self.side = 0 if split == "train" else 1
        self.policy, self.orders, self.queries = policy, orders, queries
        self.brands = sorted({p["brand"] for p in products if p["brand"]})
        self.categories = sorted(
            {c.split(">")[-1].strip() for p in products if (c := p["category"])}
        )

    # --- helpers -------------------------------------------------------------------------
    def _shopper_set(self, family: str) -> ShopperSet | None:
        """On the train side, shopper_share of the time one answer set with the family."""
        sets = [s for s in self.phrases.shopper if family in s.families]
        if sets and self.shopper_share > 0 and self.rng.random() < self.shopper_share:
            return self.rng.choice(sets)
        return None

    def earlier(self) -> list[dict]:
        """Sometimes a product list shown before: a question about orders, the store's rules
        or something new comes in the middle of a conversation, not only at its start."""
        if self.shopper_share > 0 and self.rng.random() < 0.4:
            return self.history(self.listing(3))
        return []

    def phrase(self, family: str) -> str:
        """A phrasing of the family; on the train side, shopper_share of the time a real
        shopper's (then `places` holds that set's words for the n-th of three)."""
        chosen = self._shopper_set(family)
        self.places = chosen.ordinals if chosen else None
        if chosen is not None:
            return self.rng.choice(chosen.families[family])
        return self.rng.choice(self.phrases.families[family][self.side])

    def ordinal(self, n: int, of: int = 0) -> str:
        """The words for the n-th listed product: a shopper's phrasing uses its own set's words
        when the list has three (some count from the end), else the phrasebook's."""
        if self.places and of == 3:
            return self.rng.choice(self.places[n])
        return self.rng.choice(self.phrases.ordinals[n][self.side])

    def price(self) -> int:
        return self.rng.choice(PRICES)

    def listing(self, n: int, distinct_brands: bool = False) -> list[dict]:
        items: list[dict] = []
        for p in self.rng.sample(self.products, min(len(self.products), n * 4)):
            if distinct_brands and (not p["brand"] or p["brand"] in {q["brand"] for q in items}):
                continue
            items.append(p)
            if len(items) == n:
                break
        return items

    def user_text(self, text: str) -> str:
        text = text.strip()
        if self.rng.random() < 0.15:
            text = typo(text, self.rng)
        if self.rng.random() < 0.3:
            text = text[0].upper() + text[1:]
        return text

    def history(self, items: list[dict], tool: str = "search_products") -> list[dict]:
        """An earlier turn that listed `items` (with the raw tool result, or only the answer)."""
        ask = (
            self.phrase("search").format(q=product_noun(items[0]))
            if tool == "search_products"
            else self.phrase("recommend")
        )
        args = {"query": product_noun(items[0])} if tool == "search_products" else {}
        cited = ", ".join(f"{p['title'][:40]} [{p['product_id']}]" for p in items)
        r = self.rng.random()
        if r < 0.4:  # the agent's own numbered list, as a served conversation carries it
            listed = [product_line(cast(ProductCard, p), i) for i, p in enumerate(items, 1)]
            return [
                {"role": "user", "content": ask},
                {"role": "assistant", "content": "\n".join(["Here is what I found:", *listed])},
            ]
        if r < 0.8:
            return [
                {"role": "user", "content": ask},
                {"role": "assistant", "content": format_call(tool, args)},
                {"role": "tool", "content": render_tool_result(items)},
                {"role": "assistant", "content": f"Here are {len(items)} options."},
            ]
        return [
            {"role": "user", "content": ask},
            {"role": "assistant", "content": f"Here are some options: {cited}."},
        ]

    def call(self, kind: str, messages: list[dict], user: str, name: str, args: dict) -> dict:
        return {
            "kind": kind,
            "messages": [*messages, {"role": "user", "content": user}],
            "target": format_call(name, args),
            "tool": name,
            "arguments": args,
        }

    def reference(
        self, kind: str, family: str, name: str, tool_hist: str = "search_products"
    ) -> dict:
        """A follow-up that points at listed products by position, brand or id."""
        two = family == "compare"
        items = self.listing(self.rng.choice([2, 3, 4]), distinct_brands=True)
        if len(items) < 2:
            items = self.listing(2)
        hist = self.history(items, tool_hist)
        while True:
            tmpl = self.phrase(family)
            if "{brand" not in tmpl or all(p["brand"] for p in items[:2]):
                break
        places = self.places
        if places and len(items) != 3:  # a shopper's place words name one of three
            items = self.listing(3, distinct_brands=True)
            items = items if len(items) == 3 else self.listing(3)
            hist = self.history(items, tool_hist)
            self.places = places
        # "compare these two" (no place named) means the first two listed
        both = two and "{ord" not in tmpl and any(w in tmpl for w in ("two", "them"))
        if both:
            items = items[:2]
            hist = self.history(items, tool_hist)
        i, j = self.rng.sample(range(len(items)), 2)
        text = tmpl.format(
            ord=self.ordinal(i + 1, len(items)),
            ord2=self.ordinal(j + 1, len(items)),
            brand=items[i]["brand"],
            brand2=items[j]["brand"],
            id=items[i]["product_id"],
            id2=items[j]["product_id"],
        )
        if two:
            ids = (
                [items[0]["product_id"], items[1]["product_id"]]
                if both
                else [items[i]["product_id"], items[j]["product_id"]]
            )
            args: dict[str, Any] = {"product_ids": ids}
        else:
            args = {"product_id": items[i]["product_id"]}
        return self.call(kind, hist, self.user_text(text), name, args)

    # --- kinds ---------------------------------------------------------------------------
    def search(self) -> dict:
        p = self.rng.choice(self.products)
        q = product_noun(p)
        if self.rng.random() < 0.15:
            q = f"{self.rng.choice(self.phrases.adjectives)} {q}"
        args: dict[str, Any] = {"query": q}
        said_q = q
        shopper = self._shopper_set("search")
        if shopper is not None and shopper.not_sold and self.rng.random() < 0.3:
            # a thing the store does not sell, asked in a shopper's words: still a search (its
            # answer is the honest no-match), never the policy
            item = self.rng.choice(shopper.not_sold)
            text = self.rng.choice(shopper.families["search"]).format(q=item)
            return self.call(
                "search", self.earlier(), self.user_text(text), "search_products", {"query": item}
            )
        if p["brand"] and self.rng.random() < 0.3:
            args["brand"] = p["brand"]
            said_q = f"{p['brand'] if self.rng.random() < 0.6 else p['brand'].lower()} {q}"
        filters: list[str] = []
        r = self.rng.random()
        if r < 0.25:
            v = self.price()
            args["max_price"] = v
            filters.append(self.phrase("max_price").format(p=v))
        elif r < 0.38:
            v = self.price()
            args["min_price"] = v
            filters.append(self.phrase("min_price").format(p=v))
        elif r < 0.55:
            a, b = sorted(self.rng.sample(PRICES, 2))
            args["min_price"], args["max_price"] = a, b
            filters.append(self.phrase("range").format(a=a, b=b))
        if self.rng.random() < 0.15:
            rating = self.rng.choice([3, 3.5, 4, 4, 4.5])
            args["min_rating"] = rating
            filters.append(self.phrase("rating").format(r=rating))
        if self.rng.random() < 0.05:
            args["in_stock"] = True
            filters.append(self.phrase("in_stock"))
        self.rng.shuffle(filters)
        x = self.rng.random()
        if x < 0.07:
            n = self.rng.choice([3, 5, 10])
            args["k"] = n
            text = self.phrase("top_k").format(n=n, q=said_q)
        elif x < 0.12 and p["category"]:
            cat = p["category"].split(">")[-1].strip()
            args["category"] = cat
            text = self.phrase("category").format(q=said_q, cat=cat)
        else:
            text = self.phrase("search").format(q=said_q)
        text = " ".join([text.rstrip("?"), *filters]) + ("?" if text.endswith("?") else "")
        if self.rng.random() < 0.04:
            text += self.phrase("injection_suffix")
        return self.call("search", [], self.user_text(text), "search_products", args)

    def search_real(self) -> dict:
        q = (
            self.rng.choice(self.queries)
            if self.queries
            else product_noun(self.rng.choice(self.products))
        )
        args: dict[str, Any] = {"query": q}
        text = self.phrase("search").format(q=q)
        if self.rng.random() < 0.3:
            v = self.price()
            args["max_price"] = v
            text += " " + self.phrase("max_price").format(p=v)
        return self.call("search_real", [], text, "search_products", args)

    def get_product(self) -> dict:
        return self.reference("get_product", "get_product", "get_product")

    def compare(self) -> dict:
        return self.reference("compare", "compare", "compare_products")

    def similar(self) -> dict:
        return self.reference("similar", "similar", "similar_products")

    def explain(self) -> dict:
        return self.reference("explain", "explain", "explain_recommendation", "recommend_for_user")

    def predict(self) -> dict:
        return self.reference("predict", "predict", "predict_purchase")

    def recommend(self) -> dict:
        if self.rng.random() < 0.35 and self.categories:
            cat = self.rng.choice(self.categories)
            return self.call(
                "recommend",
                [],
                self.user_text(self.phrase("recommend_cat").format(cat=cat)),
                "recommend_for_user",
                {"category": cat},
            )
        return self.call(
            "recommend", [], self.user_text(self.phrase("recommend")), "recommend_for_user", {}
        )

    def order_id(self) -> str:
        if self.orders and self.rng.random() < 0.7:
            return str(self.rng.choice(self.orders)["order_id"])
        r = self.rng
        return r.choice(
            [
                f"#W{r.randrange(10**6, 10**7)}",
                f"ORD-{r.randrange(10**4, 10**5)}",
                f"{r.randrange(10**5, 10**6)}",
            ]
        )

    def orders_(self) -> dict:
        before = self.earlier()
        if self.rng.random() < 0.4:
            status = self.rng.choice(list(STATUSES))
            text = self.phrase("orders_status").format(status=self.rng.choice(STATUSES[status]))
            return self.call(
                "orders", before, self.user_text(text), "list_my_orders", {"status": status}
            )
        text = self.user_text(self.phrase("orders"))
        return self.call("orders", before, text, "list_my_orders", {})

    def order_status(self) -> dict:
        oid = self.order_id()
        return self.call(
            "order_status",
            [],
            self.phrase("order_status").format(oid=oid),
            "get_order_status",
            {"order_id": oid},
        )

    def policy_(self) -> dict:
        before = self.earlier()
        text = self.user_text(self.phrase("policy"))
        return self.call("policy", before, text, "search_policy", {"question": text})

    def handoff(self) -> dict:
        text = self.user_text(self.phrase("handoff"))
        return self.call("handoff", [], text, "handoff_to_human", {"reason": text})

    def choice(self) -> dict:
        """A question about which of the listed products fits: compare them all (the answer
        picks one), never a new search."""
        items = self.listing(self.rng.choice([2, 3, 4]))
        hist = self.history(items)
        titles = [set(re.findall(r"[a-z]{4,}", p["title"].lower())) for p in items]
        own = [w for w in sorted(titles[0]) if not any(w in t for t in titles[1:])]
        while True:
            tmpl = self.phrase("choice")
            if "{word}" not in tmpl or own:
                break
        text = tmpl.format(word=self.rng.choice(own) if own else "")
        ids = [p["product_id"] for p in items]
        return self.call(
            "choice", hist, self.user_text(text), "compare_products", {"product_ids": ids}
        )

    # --- the cart: follow-ups that name a listed product, then change or show the cart -----
    def cart_turn(self, user: str, product: dict, args: dict[str, Any]) -> list[dict]:
        """An earlier turn that added product to the cart (call, result, answer)."""
        return [
            {"role": "user", "content": user},
            {"role": "assistant", "content": format_call("add_to_cart", args)},
            {"role": "tool", "content": render_tool_result({"product": product})},
            {
                "role": "assistant",
                "content": f"Added {product['title'][:40]} [{product['product_id']}] to your cart.",
            },
        ]

    def cart_text(self, family: str, items: list[dict], i: int, n: int) -> str:
        while True:
            tmpl = self.phrase(family)
            if "{brand" not in tmpl or items[i]["brand"]:
                break
        return tmpl.format(
            ord=self.ordinal(i + 1), brand=items[i]["brand"], noun=product_noun(items[i]), n=n
        )

    def cart_add(self) -> dict:
        items = self.listing(self.rng.choice([2, 3, 4]), distinct_brands=True)
        i, n = self.rng.randrange(len(items)), self.rng.choice([2, 2, 3, 4, 5, 6])
        text = self.cart_text("cart_add", items, i, n)
        args: dict[str, Any] = {"product_id": items[i]["product_id"]}
        if "{n}" in text or str(n) in text.split():
            args["quantity"] = n
        return self.call("cart_add", self.history(items), self.user_text(text), "add_to_cart", args)

    def cart_change(self, family: str, name: str) -> dict:
        items = self.listing(self.rng.choice([2, 3, 4]), distinct_brands=True)
        i, n = self.rng.randrange(len(items)), self.rng.choice([1, 2, 3, 4, 5])
        product = items[i]
        added = self.cart_turn(
            self.cart_text("cart_add", items, i, 1).replace(" 1 of", ""),
            product,
            {"product_id": product["product_id"]},
        )
        text = self.cart_text(family, items, i, n)
        args: dict[str, Any] = {"product_id": product["product_id"]}
        if name == "update_cart_item":
            args["quantity"] = n
        return self.call(family, [*self.history(items), *added], self.user_text(text), name, args)

    def cart_update(self) -> dict:
        return self.cart_change("cart_update", "update_cart_item")

    def cart_remove(self) -> dict:
        return self.cart_change("cart_remove", "remove_from_cart")

    def cart_view(self) -> dict:
        return self.call("cart_view", [], self.user_text(self.phrase("cart_view")), "view_cart", {})

    def no_tool(self, kind: str, text: str, answer: str) -> dict:
        return {
            "kind": kind,
            "messages": [{"role": "user", "content": text}],
            "target": format_answer(answer),
            "tool": None,
            "arguments": None,
        }

    def smalltalk(self) -> dict:
        text = self.phrase("smalltalk")
        low = text.lower()
        answer = self.phrases.smalltalk_answers[
            1
            if "thank" in low or "cheers" in low or "great" in low
            else 3
            if "bye" in low
            else 2
            if "who" in low or "what can" in low
            else 0
        ]
        return self.no_tool("smalltalk", text, answer)

    def injection(self) -> dict:
        return self.no_tool("injection", self.phrase("injection"), self.phrases.injection_answer)

    def answer(self) -> dict:
        """The second step: a short answer from a tool result, citing ids, inventing nothing."""
        kind = self.rng.random()
        result: list[dict] | dict[str, Any]
        if kind < 0.55:
            items = self.listing(self.rng.choice([0, 1, 2, 3]))
            q = product_noun(items[0]) if items else product_noun(self.rng.choice(self.products))
            call, result = ("search_products", {"query": q}), items
            if items:
                lines = "; ".join(
                    f"{p['title'][:60]} [{p['product_id']}]"
                    + (f" at {render_price(p['price'])}" if p["price"] is not None else "")
                    for p in items
                )
                answer = self.rng.choice(
                    ["Here are some options: {l}.", "I found {n}: {l}.", "You could try {l}."]
                ).format(l=lines, n=len(items))
            else:
                answer = "Sorry, I couldn't find any matching products. Could you try other words?"
            user = self.phrase("search").format(q=q)
        elif kind < 0.7:
            oid = self.order_id()
            status = self.rng.choice(list(STATUSES))
            call, result = (
                ("get_order_status", {"order_id": oid}),
                {"order_id": oid, "status": status},
            )
            answer, user = (
                f"Your order {oid} is {status}.",
                self.phrase("order_status").format(oid=oid),
            )
        elif kind < 0.85 and self.policy:
            passage = self.rng.choice(self.policy)
            user = self.phrase("policy")
            call, result = ("search_policy", {"question": user}), {"passages": [passage]}
            answer = f"According to our policy: {passage}"
        else:
            user = self.phrase("handoff")
            call, result = ("handoff_to_human", {"reason": user}), {"status": "queued"}
            answer = "I've passed your conversation to a human agent; someone will reply shortly."
        rendered = render_tool_result(result)
        return {
            "kind": "answer",
            "messages": [
                {"role": "user", "content": user},
                {"role": "assistant", "content": format_call(*call)},
                {"role": "tool", "content": rendered},
            ],
            "target": format_answer(answer),
            "tool": None,
            "arguments": None,
            "context": rendered,
        }


def render_price(value: float) -> str:
    """A price as the renderer writes it (so answers quote it exactly)."""
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}".rstrip("0").rstrip(".")


def policy_passages(text: str) -> list[str]:
    """Short policy passages (bullet points / paragraphs) of a policy text."""
    out = []
    for block in re.split(r"\n\s*\n|\n- ", text):
        block = " ".join(block.replace("#", " ").split()).lstrip("- ").strip()
        if 40 <= len(block) <= 400:
            out.append(block)
    return out


# example kind -> the Builder method that draws one (the order fixes the plan's draws)
MAKERS = {
    "search": "search",
    "search_real": "search_real",
    "get_product": "get_product",
    "compare": "compare",
    "similar": "similar",
    "explain": "explain",
    "predict": "predict",
    "recommend": "recommend",
    "orders": "orders_",
    "order_status": "order_status",
    "policy": "policy_",
    "handoff": "handoff",
    "smalltalk": "smalltalk",
    "injection": "injection",
    "answer": "answer",
    "choice": "choice",
    "cart_add": "cart_add",
    "cart_update": "cart_update",
    "cart_remove": "cart_remove",
    "cart_view": "cart_view",
}
MapFn = Callable[[Callable[..., Any], Sequence[tuple]], list[Any]]


def build_examples(
    products: list[dict],
    split: str,
    rng_state: tuple,
    policy: list[str],
    orders: list[dict],
    queries: list[str],
    plan: list[str],
    shopper_share: float = 0.0,
) -> list[dict]:
    """The examples of one shard: one per kind in plan, drawn from a random stream that starts
    at rng_state (module-level, so a Ray task can run it)."""
    rng = random.Random()
    rng.setstate(rng_state)
    b = Builder(products, split, rng, policy, orders, queries, load_phrasebook(), shopper_share)
    return [{**getattr(b, MAKERS[k])(), "split": split} for k in plan]


def _in_process(fn: Callable[..., Any], args: Sequence[tuple]) -> list[Any]:
    return [fn(*a) for a in args]


def build_sft_data(
    catalog: Iterable[dict[str, Any]],
    config: DataConfig | None = None,
    *,
    policy_text: str = "",
    orders: list[dict] | None = None,
    real_queries: list[str] | None = None,
    shards: int = 1,
    map_fn: MapFn | None = None,
) -> tuple[list[dict], list[dict]]:
    """Train and eval examples (disjoint phrasings) from a catalog and store data.

    Each split's examples are drawn in `shards` contiguous parts of one plan of kinds, one
    `build_examples` call each, run by map_fn (default: here; a Ray runner's `map` makes each a
    task). One shard continues the plan's random stream; more each start their own, seeded
    "{seed}-{split}-{shard}/{shards}". So the output is fixed by (seed, shards) wherever it
    runs, and the plan (how many of each kind) is the same for every shard count, while the
    examples themselves differ between shard counts.
    """
    cfg = config or DataConfig()
    if shards < 1:
        raise ValueError("shards must be >= 1")
    products = [p for row in catalog if (p := clean_product(row))]
    if len(products) < 4:
        raise ValueError(
            f"the catalog needs at least 4 products with id and title, got {len(products)}"
        )
    queries = sorted({q.strip().lower() for q in real_queries or [] if 2 <= len(q.strip()) <= 60})
    qrng = random.Random(cfg.seed)
    qrng.shuffle(queries)
    cut = len(queries) * 4 // 5
    policy = policy_passages(policy_text)
    jobs = []
    for split, n, qs in (
        ("train", cfg.n_train, queries[:cut]),
        ("eval", cfg.n_eval, queries[cut:]),
    ):
        rng = random.Random(f"{cfg.seed}-{split}")
        kinds = [k for k in MAKERS if cfg.weights.get(k, 0) > 0]
        weights = [cfg.weights[k] for k in kinds]
        # Every kind at least once, then a weighted draw.
        plan = (kinds + rng.choices(kinds, weights, k=max(0, n - len(kinds))))[:n]
        for s in range(shards):
            own = random.Random(f"{cfg.seed}-{split}-{s}/{shards}")
            state = rng.getstate() if shards == 1 else own.getstate()
            part = plan[len(plan) * s // shards : len(plan) * (s + 1) // shards]
            jobs.append((products, split, state, policy, orders or [], qs, part, cfg.shopper_share))
    parts = (map_fn or _in_process)(build_examples, jobs)
    return [e for p in parts[:shards] for e in p], [e for p in parts[shards:] for e in p]


def catalog_fingerprint(catalog: Iterable[dict[str, Any]]) -> str:
    """A stable hash of the catalog fields the examples use (to know when to retrain)."""
    h = hashlib.sha256()
    for p in sorted((p for r in catalog if (p := clean_product(r))), key=lambda p: p["product_id"]):
        h.update(json.dumps(p, sort_keys=True).encode())
    return h.hexdigest()[:16]


def write_jsonl(path: Path, rows: list[dict]) -> None:
    """Write rows as JSON lines (parents created)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def read_jsonl(path: Path) -> list[dict]:
    """Read JSON lines; a bad line raises ValueError naming its line number."""
    rows = []
    with Path(path).open(encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{i}: not valid JSON ({exc.msg})") from exc
    return rows

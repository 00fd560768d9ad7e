"""Agent assist: drafts of replies built from facts, each with sources, grounding-checked.

Drafts are composed from tool-result data (orders, policy passages, product variants) and then
run through the chat's own grounding check (`assistant.agent.grounding`) over those same
results; a draft that fails it is dropped (and counted), never shown.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.agent import grounding
from assistant.db.models import Conversation, ProductVariant
from assistant.errors import Invalid, NotFound, ShopAssistError
from assistant.jsontypes import JsonObject
from assistant.services import orders as order_svc
from assistant.services.order_actions import (
    CANCEL_REASONS,
    REQUIRED_STATUS,
    STATUS_AFTER,
    ActionRequest,
    Actor,
    check_action,
)
from assistant.services.policy import search_policy
from assistant.services.products import vocabulary
from assistant.services.records import (
    ConversationSuggestions,
    OrderItemView,
    OrderView,
    PassageView,
    SourceRef,
    Suggestion,
    Suggestions,
    VariantOption,
)
from assistant.services.state import AppState
from assistant.tools.arguments import ORDER_ID

MAX_SUGGESTIONS = 3
# Intent by keywords, checked in this order ("cancel and refund" is a cancellation).
INTENT_WORDS: list[tuple[str, tuple[str, ...]]] = [
    ("cancel", ("cancel",)),
    (
        "exchange",
        (
            "exchange",
            "swap",
            "different size",
            "different colour",
            "different color",
            "wrong size",
            "replace",
        ),
    ),
    ("return", ("return", "refund", "send back", "send it back", "money back")),
    ("status", ("where is", "track", "status", "shipped", "arrive", "deliver", "when will", "yet")),
]
# Which orders an intent is about when the customer names none.
INTENT_STATUSES = {"cancel": ("pending",), "return": ("delivered",), "exchange": ("delivered",)}
_VERB = {"cancel": "cancelled", "return": "returned", "exchange": "exchanged"}
ASSIST_ACTOR = Actor("agent-assist", "agent")  # dry-run checks only; never executes


def detect_intent(text: str) -> str:
    """The customer's request kind: cancel, exchange, return, status or general."""
    low = (text or "").lower()
    for intent, keys in INTENT_WORDS:
        if any(k in low for k in keys):
            return intent
    return "general"


def conversation_intent(user_messages: list[str]) -> str:
    """The intent of the latest message, or of the latest earlier one that asked for an action
    (a follow-up like "it's #W123" continues the request before it)."""
    latest = detect_intent(user_messages[-1] if user_messages else "")
    if latest in REQUIRED_STATUS:
        return latest
    for text in reversed(user_messages[:-1]):
        if (intent := detect_intent(text)) in REQUIRED_STATUS:
            return intent
    return latest


def _money(amount: float | None, currency: str) -> str:
    return f"{float(amount or 0):.2f} {currency}"


def _options(opts: JsonObject) -> str:
    return ", ".join(str(v) for v in opts.values())


def _item_line(item: OrderItemView, currency: str) -> str:
    # the product name sits right before its citation: the grounding check compares them
    opts = f" ({_options(item['options'])})" if item.get("options") else ""
    qty = f" x{item['quantity']}" if (item.get("quantity") or 1) > 1 else ""
    return f"{item['name']} [{item['product_id']}]{opts}{qty}, {_money(item['price'], currency)}"


def _order_source(order: OrderView) -> SourceRef:
    return SourceRef(type="order", id=order["order_id"], status=order["status"])


def _suggestion(
    kind: str,
    text: str,
    results: list[OrderView | PassageView | VariantOption],
    sources: list[SourceRef],
) -> Suggestion:
    return Suggestion(kind=kind, text=text, sources=sources, tool_results=results)


def check_draft(draft: Suggestion, catalog_titles: list[str] | tuple[str, ...] = ()) -> Suggestion:
    """Run the chat's grounding check on a draft over its own tool results (adds the verdict)."""
    ev = grounding.evidence_from_results(draft.get("tool_results", []))
    report = grounding.check(draft["text"], ev, catalog_titles)
    checked = Suggestion(**draft)  # a copy: the verdict of an earlier check is replaced
    checked["grounded"], checked["problems"] = report.ok, list(report.problems)
    return checked


def _catalog_titles(session: Session) -> list[str]:
    """Catalog titles as the chat's check compares them (naming an unlisted product fails)."""
    return grounding.normalise_titles(vocabulary(session).titles)


def order_facts_reply(order: OrderView) -> Suggestion:
    """Status, items, total and tracking of one order."""
    cur = order["currency"]
    lines = [f"Order {order['order_id']} is {order['status']}."]
    lines.append("Items: " + "; ".join(_item_line(i, cur) for i in order["items"]) + ".")
    lines.append(f"Order total: {_money(order['total'], cur)}.")
    tracking = [t for f in order["tracking"] for t in f["tracking_ids"]]
    if tracking:
        lines.append(f"Tracking number: {', '.join(tracking)}.")
    return _suggestion("order_status", "\n".join(lines), [order], [_order_source(order)])


def _policy_sources(passages: list[PassageView]) -> list[SourceRef]:
    return [SourceRef(type="policy", id=p["passage_id"], heading=p["heading"]) for p in passages]


def policy_reply(passages: list[PassageView]) -> Suggestion:
    """The best policy passage, quoted under its heading."""
    top = passages[0]
    text = f"From our policy ({top['heading']}):\n{top['text']}"
    return _suggestion("policy", text, [top], _policy_sources([top]))


def _section_passages(state: AppState, heading_query: str) -> list[PassageView]:
    try:
        return search_policy(state, heading_query, k=2)
    except (FileNotFoundError, ValueError):
        return []


def _alternatives(session: Session, item: OrderItemView, k: int = 3) -> list[VariantOption]:
    rows = session.scalars(
        select(ProductVariant)
        .where(
            ProductVariant.product_id == item["product_id"], ProductVariant.id != item["item_id"]
        )
        .where(ProductVariant.in_stock.is_(True))
        .order_by(ProductVariant.price, ProductVariant.id)
        .limit(k)
    ).all()
    return [
        VariantOption(
            product_id=v.product_id,
            name=item["name"],
            item_id=v.id,
            options=dict(v.options or {}),
            price=v.price,
        )
        for v in rows
    ]


def _mentioned_items(order: OrderView, said: str) -> list[OrderItemView]:
    """The order's items the customer named (by product name words), else all of them."""
    words = set(re.findall(r"[a-z0-9]+", said.lower().replace("-", "")))
    named, seen = [], set()
    for item in order["items"]:
        name_words = re.findall(r"[a-z0-9]+", item["name"].lower().replace("-", ""))
        if item["product_id"] not in seen and any(
            w in words or w + "s" in words for w in name_words
        ):
            named.append(item)
            seen.add(item["product_id"])
    return named or order["items"]


def action_reply(
    session: Session,
    state: AppState,
    intent: str,
    order: OrderView,
    user_id: str,
    said: str = "",
) -> Suggestion:
    """What the policy allows for this order and request, and what the customer must confirm."""
    oid, cur, need = order["order_id"], order["currency"], REQUIRED_STATUS[intent]
    passages = _section_passages(
        state, f"an order can only be {_VERB[intent]} if its status is {need}"
    )
    results: list[OrderView | PassageView | VariantOption] = [order, *passages[:1]]
    sources = [_order_source(order), *_policy_sources(passages[:1])]
    if order["status"] != need:
        text = f"Order {oid} is {order['status']}, so it cannot be {_VERB[intent]}."
        if passages:
            text += f"\nOur policy ({passages[0]['heading']}) says:\n{passages[0]['text']}"
        return _suggestion(f"{intent}_refused", text, results, sources)
    lines: list[str] = []
    if intent == "cancel":
        # the same rule check the action will run, as a dry run: it also yields the refunds
        req = ActionRequest(intent, oid, user_id, reason=CANCEL_REASONS[0])
        plan = check_action(session, req, ASSIST_ACTOR)
        reasons = " or ".join(f"'{r}'" for r in CANCEL_REASONS)
        lines.append(f"I can cancel order {oid} for you, since it is {order['status']}.")
        lines.append(f"Please confirm the order id and the reason: {reasons}.")
        for r in plan.refunds:
            lines.append(
                f"The refund of {_money(r['amount'], cur)} goes to {r['payment_method_id']} {r['when']}."
            )
    else:
        items = "; ".join(_item_line(i, cur) for i in order["items"])
        lines.append(f"Order {oid} was {order['status']}, so items from it can be {_VERB[intent]}.")
        lines.append(f"Which of these items: {items}?")
        lines.append("Please list all of them at once: this can be done only once per order.")
        if intent == "return":
            methods = sorted(
                {
                    p["payment_method_id"]
                    for p in order["payments"]
                    if p.get("transaction_type") == "payment"
                }
            )
            lines.append(
                f"The refund goes to the original payment method ({', '.join(methods)}) or an existing gift card."
            )
        else:
            for item in _mentioned_items(order, said)[:2]:
                alts = _alternatives(session, item)
                results.extend(alts)
                if alts:
                    opts = "; ".join(
                        f"{_options(a['options'])} at {_money(a['price'], cur)}" for a in alts
                    )
                    lines.append(
                        f"Other available options of {item['name']} [{item['product_id']}]: {opts}."
                    )
                    sources.append(
                        SourceRef(type="product", id=item["product_id"], title=item["name"])
                    )
        lines.append(f"After you confirm, the order status will be '{STATUS_AFTER[intent]}'.")
    return _suggestion(intent, "\n".join(lines), results, sources)


def clarify_reply(intent: str, candidates: list[OrderView]) -> Suggestion:
    """Several orders fit the request: list them and ask which one."""
    cur = candidates[0]["currency"]
    listed = "; ".join(
        f"{o['order_id']} ({o['status']}, {_money(o['total'], cur)})" for o in candidates[:5]
    )
    verb = {"status": "check"}.get(intent, intent)
    text = f"I found these orders: {listed}.\nWhich one would you like to {verb}?"
    shown: list[OrderView | PassageView | VariantOption] = list(candidates[:5])
    return _suggestion("clarify", text, shown, [_order_source(o) for o in candidates[:5]])


def _pick_orders(
    session: Session, user_id: str, text: str, intent: str
) -> tuple[OrderView | None, list[OrderView]]:
    """The order the customer named (if theirs), else the candidates that fit the intent."""
    refs = ORDER_ID.findall(text)
    for ref in reversed(refs):
        try:
            order = order_svc.get_order(session, ref, user_id)
        except ShopAssistError:
            continue  # a foreign or unknown id in the text is not this customer's order
        return order, [order]
    mine = order_svc.list_orders(session, user_id)
    if refs:  # they named an order that is not theirs: ask, never substitute another one
        return None, mine
    wanted = INTENT_STATUSES.get(intent)
    candidates = [o for o in mine if wanted is None or o["status"] in wanted]
    if intent in INTENT_STATUSES and not candidates:
        candidates = mine
    return (candidates[0] if len(candidates) == 1 else None), candidates


def suggest_for_messages(
    session: Session,
    state: AppState,
    user_id: str | None,
    user_messages: list[str],
    keep_ungrounded: bool = False,
) -> Suggestions:
    """Draft replies for what a customer wrote (their messages, oldest first)."""
    last = (user_messages or [""])[-1]
    text = " ".join(user_messages)
    intent = conversation_intent(user_messages)
    drafts: list[Suggestion] = []
    order: OrderView | None = None
    if user_id:
        order, candidates = _pick_orders(session, user_id, text, intent)
        if order is not None and intent in REQUIRED_STATUS:
            drafts.append(action_reply(session, state, intent, order, user_id, last))
        elif order is None and candidates and intent != "general":
            drafts.append(clarify_reply(intent, candidates))
        if order is not None:
            drafts.append(order_facts_reply(order))
    elif intent != "general":
        # an anonymous shopper asking about orders must be identified first (policy)
        auth = _section_passages(
            state, "authenticate the user identity via email or name and zip code"
        )
        if auth:
            drafts.append(policy_reply(auth))
    try:
        passages = search_policy(state, last, k=3) if last.strip() else []
    except FileNotFoundError:
        passages = []
    if passages and not (intent == "status" and order is not None):
        # the best passage always; lower-ranked ones fill free slots as alternatives to pick from
        for i in range(max(1, MAX_SUGGESTIONS - len(drafts))):
            if i < len(passages):
                drafts.append(policy_reply(passages[i:]))
    titles = _catalog_titles(session)
    drafts = [check_draft(d, titles) for d in drafts]
    rejected = [d for d in drafts if not d.get("grounded")]
    shown = drafts if keep_ungrounded else [d for d in drafts if d.get("grounded")]
    return Suggestions(
        intent=intent,
        order_id=order["order_id"] if order else None,
        suggestions=shown[:MAX_SUGGESTIONS],
        rejected=len(rejected),
    )


def suggest_replies(
    session: Session, state: AppState, conversation_id: str
) -> ConversationSuggestions:
    """1-3 grounded draft replies for a conversation, each with its sources."""
    conv = session.get(Conversation, conversation_id) if conversation_id else None
    if conv is None:
        raise NotFound(f"conversation {conversation_id!r} not found")
    said = [m.content for m in conv.messages if m.role == "user" and m.content.strip()]
    if not said:
        raise Invalid(f"conversation {conversation_id} has no customer message yet")
    out = suggest_for_messages(session, state, conv.user_id, said)
    for s in out["suggestions"]:
        s.pop("tool_results", None)
    return ConversationSuggestions(conversation_id=conv.id, user_id=conv.user_id, **out)

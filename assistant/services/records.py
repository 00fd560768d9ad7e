"""Typed records that services return and tools, the agent and the API pass on.

TypedDicts, so they stay plain JSON-ready dicts (stored in JSON columns, sent as tool results)
while every key has a type; the routes declare them as response models.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, NotRequired

from typing_extensions import TypedDict

from assistant.jsontypes import JsonObject
from assistant.tools.contract import ToolCall, ToolCallRecord

# --- catalog ------------------------------------------------------------------------------------


class ProductCard(TypedDict):
    """The compact view of a product that answers, tool results and widget cards use."""

    product_id: str
    title: str
    brand: str
    category: str
    price: float | None
    currency: str
    rating: float | None
    rating_count: int
    in_stock: bool
    image_url: str
    score: NotRequired[float]  # the search or recommendation engine's score, when it ranked it
    relevance: NotRequired[float]  # search: P(the product matches the query), calibrated
    match: NotRequired[bool]  # search: relevance reaches retrieval.relevance's threshold
    related: NotRequired[bool]  # search: relevance reaches its lower related threshold


class VariantView(TypedDict):
    """One purchasable option of a product (size, colour, ...)."""

    variant_id: str
    options: JsonObject
    price: float | None
    in_stock: bool


class ProductDetails(ProductCard):
    """Every attribute of a product (description shortened), with its variants."""

    description: str
    attributes: JsonObject
    variants: list[VariantView]


# --- orders -------------------------------------------------------------------------------------


class OrderItemView(TypedDict):
    """One ordered item: item_id is the variant, the unit a return or exchange names."""

    item_id: str
    product_id: str
    name: str
    options: JsonObject
    price: float | None
    quantity: int


class TrackingView(TypedDict):
    """One shipment: its tracking ids and the items in it."""

    tracking_ids: list[str]
    item_ids: list[str]


class OrderStatus(TypedDict):
    """An order's status, items, totals and tracking (what a shopper's chat shows)."""

    order_id: str
    user_id: str
    status: str
    items: list[OrderItemView]
    total: float
    currency: str
    tracking: list[TrackingView]
    created_at: str | None


class OrderView(OrderStatus):
    """The order as tools and routes show it: status, items, tracking, totals, payments."""

    address: JsonObject  # as the store's data has it (street, city, zip, ...)
    payments: list[JsonObject]  # transactions as stored: type, amount, method id


class UserProfile(TypedDict):
    """Who the customer is: name, email, default address, payment methods."""

    user_id: str
    name: str
    email: str
    address: JsonObject
    payment_methods: list[JsonObject]  # as stored: id, source, brand, balance, ...


# --- conversations and the agent queue ----------------------------------------------------------


class MessageView(TypedDict):
    """A stored message: who wrote it (role user, assistant, agent or system) and when."""

    message_id: int
    role: str
    content: str
    author: str
    created_at: str | None


class ChatMessageView(MessageView):
    """A message with the tool calls and the products an assistant answer cited."""

    tool_calls: list[ToolCallRecord]
    cited_product_ids: list[str]


class ConversationView(TypedDict):
    """A conversation and its messages, oldest first."""

    conversation_id: str
    user_id: str | None
    channel: str
    status: str
    created_at: str | None
    messages: list[ChatMessageView]


class QueueEntry(TypedDict):
    """A conversation as a row of the agent queue."""

    conversation_id: str
    user_id: str | None
    channel: str
    status: str
    reason: str
    summary: str
    assigned_agent: str
    message_count: int
    updated_at: str | None


class AgentConversationView(ConversationView, QueueEntry):
    """A conversation with all its messages plus its queue fields."""


# --- policy -------------------------------------------------------------------------------------


class PassageView(TypedDict):
    """A policy passage as a tool result and in the API, with its fused score when searched."""

    passage_id: str
    doc: str
    heading: str
    section: str  # the heading path, "A > B > C"
    text: str
    score: NotRequired[float]
    highlight: NotRequired[str]  # the sentence of text that best answers the question


# --- order actions ------------------------------------------------------------------------------


class Refund(TypedDict):
    """Money going back to one payment method, and when it arrives."""

    payment_method_id: str
    amount: float
    when: str


class ActionParams(TypedDict):
    """The arguments that define an action (stored with the confirmation and the audit row)."""

    reason: str | None
    item_ids: list[str]
    new_item_ids: list[str]
    payment_method_id: str | None


class ProposedAction(TypedDict):
    """A checked action awaiting confirmation: what will happen and the one-time token."""

    confirmation_token: str
    action: str
    order_id: str
    summary: str
    status_after: str
    price_difference: float
    expires_at: str


class DoneAction(TypedDict):
    """A confirmed, executed action and the order after it."""

    action_id: int
    action: str
    summary: str
    actor: str
    order: OrderView


class HistoryEntry(TypedDict):
    """One executed action in an order's audit log."""

    id: int
    action: str
    summary: str
    status_before: str
    status_after: str
    actor: str
    created_at: str


# --- agent assist -------------------------------------------------------------------------------


class SourceRef(TypedDict):
    """What a draft is based on: an order (with its status), a policy passage or a product."""

    type: Literal["order", "policy", "product"]
    id: str
    status: NotRequired[str]
    heading: NotRequired[str]
    title: NotRequired[str]


class VariantOption(TypedDict):
    """Another in-stock option of an ordered product (what an exchange can switch to)."""

    product_id: str
    name: str
    item_id: str
    options: JsonObject
    price: float | None


class Suggestion(TypedDict):
    """One draft reply with its sources and the grounding check's verdict."""

    kind: str  # order_status, policy, clarify, cancel, return, exchange, <intent>_refused
    text: str
    sources: list[SourceRef]
    # the facts the draft was composed from (checked, then dropped from the API reply)
    tool_results: NotRequired[list[OrderView | PassageView | VariantOption]]
    grounded: NotRequired[bool]
    problems: NotRequired[list[str]]


class Suggestions(TypedDict):
    """Draft replies for what a customer wrote, and how many drafts the check rejected."""

    intent: str
    order_id: str | None
    suggestions: list[Suggestion]
    rejected: int


class ConversationSuggestions(Suggestions):
    """Draft replies for one conversation."""

    conversation_id: str
    user_id: str | None


class RankerSummary(TypedDict):
    """A published learned reranker: where it is, what it was trained on, how it did."""

    path: str
    version: str
    queries: int  # training queries, rows (candidates) and the queries held out to stop early
    rows: int
    held_out_queries: int
    trees: int
    seconds: float
    trained_on: str
    first_stage: str  # where the searched products came from
    products: NotRequired[int]
    embedder_fingerprint: NotRequired[str]  # the vectors its cosine features came from
    held_out_ndcg_at_10: NotRequired[float | None]
    impressions: NotRequired[int]  # from events: the log and the click model's propensities
    clicks: NotRequired[int]
    relative_propensity: NotRequired[list[float]]
    click_model_iterations: NotRequired[int]


class EmbedderSummary(TypedDict):
    """A published fine-tuned embedder and its training's figures."""

    path: str
    version: str
    onnx: str  # the ONNX export serving reads ("" for the torch backend)
    first_stage: str
    in_use: bool  # SHOPASSIST_SEARCH_EMBEDDER=learned
    triples: int
    steps: int
    planned_steps: int
    first_loss: float
    last_loss: float
    seconds: float


class IndexSummary(TypedDict):
    """A published search index: its size and where it is, and what the build or refresh did."""

    products: int
    path: str
    vector_index: NotRequired[str]  # a full build: the index kind, and GPU or not
    gpu: NotRequired[bool]
    embedded: NotRequired[int]  # a full build: products embedded now / taken from the cache
    cached: NotRequired[int]
    added: NotRequired[int]  # a refresh: what changed since the last version
    updated: NotRequired[int]
    unchanged: NotRequired[int]
    deleted: NotRequired[int]
    shards: NotRequired[list[int]]  # a sharded index: live vectors per shard
    engine: NotRequired[str]  # a full build: local | ray, and where each step ran
    steps: NotRequired[list[JsonObject]]


class SimilarProducts(TypedDict):
    """A product's card and the cards of products like it."""

    product: ProductCard
    products: list[ProductCard]


# --- recommendations ----------------------------------------------------------------------------


class RecommendedProduct(ProductCard):
    """A recommended product's card and the signal that ranked it."""

    source: str  # collaborative, transitions, content, popular, ...


class Recommendations(TypedDict):
    """A shopper's top-k and the strategy behind it (popular items for cold starts)."""

    user_id: str | None
    category: str | None
    strategy: str
    items: list[RecommendedProduct]


class SimilarItems(TypedDict):
    """Items bought by the same shoppers (content neighbours for products without any)."""

    product_id: str
    source: str
    items: list[RecommendedProduct]


class FeatureContribution(TypedDict):
    """One model feature, its value and how much it moved the prediction."""

    name: str
    value: float
    contribution: float


class PurchasePrediction(TypedDict):
    """P(the shopper buys the product in the next 24 h) and the features that moved it."""

    user_id: str
    product_id: str
    probability: float | None  # None: no events for this shopper yet
    likely: bool
    basis: str
    top_features: list[FeatureContribution]
    model: str
    threshold: NotRequired[float]
    holdout_roc_auc: NotRequired[float | None]


class EventRef(TypedDict):
    """One of the shopper's own events, as evidence."""

    type: str
    ts: str


class Evidence(TypedDict):
    """One reason behind a recommendation, from the shopper's real events or model signals."""

    # own_event, often_next, similar_to_bought, sequence, category_affinity, popularity
    kind: str
    product_id: NotRequired[str]
    weight: float
    events: NotRequired[list[EventRef]]
    text: str
    title: NotRequired[str]  # the product's title, added where the evidence is shown


class Explanation(TypedDict):
    """Why a product would be recommended to a shopper."""

    product_id: str
    user_id: str
    known_user: bool
    rank: int | None
    score: float | None
    evidence: list[Evidence]
    predictor: PurchasePrediction | None


class LikelyPurchase(TypedDict):
    """An item the customer most likely buys next."""

    product_id: str
    probability: float


class CustomerScores(TypedDict):
    """Churn risk and likely next purchases (None risk and a basis without events)."""

    user_id: str
    churn_risk: float | None
    basis: NotRequired[str]
    churn_days: NotRequired[float]
    churn_top_features: NotRequired[list[FeatureContribution]]
    likely_purchases: NotRequired[list[LikelyPurchase]]


class FeedbackLabel(TypedDict):
    """A shopper's verdict on one assistant turn: thumbs (+1/-1/None), product cards clicked,
    and whether the turn's tool call counts as right (positive) for what they wrote."""

    message_id: int
    conversation_id: str
    user_text: str
    tool_calls: list[ToolCall]
    rating: int | None
    clicked_product_ids: list[str]
    positive: bool


class AtRiskShopper(TypedDict):
    """A shopper's churn risk (at_risk: above the model's threshold) and its main reasons."""

    user_id: str
    churn_risk: float
    at_risk: bool
    hours_since_last_event: float
    top_features: list[FeatureContribution]


class ChurnList(TypedDict):
    """Shoppers by churn risk, the riskiest first, as of a time (unix s)."""

    as_of: float | None
    churn_days: float
    threshold: float | None
    shoppers: list[AtRiskShopper]


# --- customer summary ---------------------------------------------------------------------------


class PurchaseIntent(TypedDict):
    """Purchase intent on one recently touched item."""

    product_id: str
    probability: float | None
    likely: bool
    basis: str


class ChurnRisk(TypedDict):
    """P(the customer has no event at all in the next `days` days) and the features that moved
    it most; probability None without any event of theirs."""

    probability: float | None
    days: float
    basis: str
    top_features: list[FeatureContribution]
    model: str
    holdout_roc_auc: NotRequired[float | None]


class BehaviourScores(TypedDict):
    """Predictor scores for a customer, or a note on why they are missing."""

    available: bool
    churn: NotRequired[ChurnRisk]
    purchase_intent: NotRequired[list[PurchaseIntent]]
    note: NotRequired[str]


class RecentOrder(TypedDict):
    """An order in a customer summary (items counted, not listed)."""

    order_id: str
    status: str
    total: float
    currency: str
    created_at: str | None
    items: int


class OrdersSummary(TypedDict):
    """A customer's orders: how many, by status, the latest ten."""

    count: int
    by_status: dict[str, int]
    recent: list[RecentOrder]


class RecentEvent(TypedDict):
    """A recent behaviour event."""

    type: str
    product_id: str | None
    ts: str
    query: str


class BehaviourSummary(TypedDict):
    """A customer's recent behaviour and predictor scores."""

    events_last_30_days: dict[str, int]
    recent_events: list[RecentEvent]
    predictor: BehaviourScores


class OpenConversation(TypedDict):
    """A conversation of the customer's that is not closed."""

    conversation_id: str
    status: str
    reason: str
    updated_at: str


class CustomerSummary(TypedDict):
    """Who the customer is, for agents: profile, orders, behaviour, open chats."""

    profile: UserProfile
    orders: OrdersSummary
    behaviour: BehaviourSummary
    open_conversations: list[OpenConversation]


# --- behaviour events ---------------------------------------------------------------------------


class NewEvent(TypedDict):
    """One behaviour event as a client sends it (client_event_id makes re-sending harmless)."""

    client_event_id: str
    type: str
    product_id: str | None
    ts: datetime | None
    dwell_seconds: float | None
    session_id: str | None
    query: str | None
    page: NotRequired[str | None]
    value: NotRequired[float | None]
    experiment: NotRequired[str | None]


class ArmSpec(TypedDict):
    """One arm of an experiment: its share of shoppers and the settings it overrides."""

    name: str
    weight: float
    settings: NotRequired[dict[str, str]]


class ExperimentInfo(TypedDict):
    """An experiment as stored: its arms (weights sum to 1) and whether it assigns shoppers."""

    name: str
    description: str
    status: str
    arms: list[ArmSpec]
    created_at: str


class EventAck(TypedDict):
    """What became of one sent event: its row id, and whether it had been stored before."""

    client_event_id: str
    event_id: int
    duplicate: bool


# --- chat ---------------------------------------------------------------------------------------


class ChatReply(TypedDict):
    """The grounded answer with its citations and the tool calls behind it."""

    conversation_id: str
    message_id: int
    answer: str
    cited_product_ids: list[str]
    cited_products: list[ProductCard]
    tool_calls: list[ToolCallRecord]
    repaired: bool  # the grounding check removed unsupported sentences
    fallback: str  # why the model was bypassed ("" when it was not)
    planner: str  # who planned the tool calls: model or rules
    writer: str  # who wrote the answer: model (the writer adapter) or template
    adapter: str | None  # the LoRA adapter the model planned with (null: the rules or base model)
    latency_ms: float

"""Shoppers' feedback on the assistant as training labels for the next adapter.

A thumbs up on an answer, or a click on a product card it showed (a `card_click` event of the
conversation's shopper on one of the products its tool call listed, after the answer), marks
that turn's tool call as right for what the shopper wrote; a thumbs down marks it wrong (a
down outweighs a click). `finetune build-data` adds the turns marked right, with exactly one
successful tool call, to its training examples in the same format.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.db.models import Conversation, Event, Feedback, Message
from assistant.services.records import FeedbackLabel
from finetune.format import format_call


def feedback_labels(db: Session) -> list[FeedbackLabel]:
    """Every assistant turn with a thumb or a card click, oldest first."""
    thumbs: dict[int, int] = {}
    for message_id, thumb in db.execute(select(Feedback.message_id, Feedback.rating)):
        thumbs[message_id] = min(thumbs.get(message_id, 1), thumb)  # any down is a down
    clicks: dict[str, list[tuple[str, datetime]]] = {}
    for clicker, pid, ts in db.execute(
        select(Event.user_id, Event.product_id, Event.ts).where(Event.type == "card_click")
    ):
        clicks.setdefault(clicker, []).append((str(pid), ts))
    labels: list[FeedbackLabel] = []
    stmt = (
        select(Message, Conversation.user_id)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .order_by(Message.conversation_id, Message.id)
    )
    last_user_text: dict[str, str] = {}
    for m, user in db.execute(stmt):
        if m.role == "user":
            last_user_text[m.conversation_id] = m.content
            continue
        if m.role != "assistant":
            continue
        calls = [c for c in m.tool_calls or [] if c.get("ok")]
        shown = {p for c in calls for p in c.get("product_ids", [])} | set(m.cited_product_ids)
        clicked = sorted(
            {p for p, ts in clicks.get(user or "", []) if p in shown and ts >= m.created_at}
        )
        rating = thumbs.get(m.id)
        if rating is None and not clicked:
            continue
        labels.append(
            FeedbackLabel(
                message_id=m.id,
                conversation_id=m.conversation_id,
                user_text=last_user_text.get(m.conversation_id, ""),
                tool_calls=[
                    {"name": c["name"], "arguments": c.get("arguments", {})} for c in calls
                ],
                rating=rating,
                clicked_product_ids=clicked,
                positive=rating != -1 and (rating == 1 or bool(clicked)),
            )
        )
    return labels


def label_examples(labels: list[FeedbackLabel]) -> list[dict[str, object]]:
    """SFT examples (finetune.data's format) from the positive labels with one tool call."""
    return [
        {
            "kind": "feedback",
            "messages": [{"role": "user", "content": label["user_text"]}],
            "target": format_call(call["name"], call["arguments"]),
            "tool": call["name"],
            "arguments": call["arguments"],
            "split": "train",
        }
        for label in labels
        if label["positive"] and label["user_text"] and len(label["tool_calls"]) == 1
        for call in label["tool_calls"]
    ]

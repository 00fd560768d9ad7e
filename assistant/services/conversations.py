"""Conversations: who may see one, loading it under that rule, and its view for the API.

Below the chat turn and the handoff queue, which both read conversations through it.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from assistant.db.models import Conversation, Message
from assistant.errors import NotFound
from assistant.services.records import ChatMessageView, ConversationView, MessageView


def owner_tag(role: str, key_id: int | None, user_id: str | None) -> str:
    """Who wrote a user message: the shopper, else the anonymous key."""
    return f"user:{user_id}" if user_id else f"key:{key_id}"


def can_see(conv: Conversation, role: str, key_id: int | None, user_id: str | None) -> bool:
    """Agents and admins see every conversation; a shopper only their own (or their key's)."""
    if role in ("agent", "admin"):
        return True
    if user_id:
        return conv.user_id == user_id
    first = next((m for m in conv.messages if m.role == "user"), None)
    return conv.user_id is None and first is not None and first.author == f"key:{key_id}"


def load_conversation(
    db: Session, conversation_id: str, role: str, key_id: int | None, user_id: str | None
) -> Conversation:
    """The conversation if the caller may see it; a foreign one reads like a missing one (404)."""
    conv = db.scalar(
        select(Conversation)
        .where(Conversation.id == str(conversation_id)[:36])
        .options(selectinload(Conversation.messages))
    )
    if conv is None or not can_see(conv, role, key_id, user_id):
        raise NotFound(f"conversation {conversation_id!r} not found")
    return conv


def message_view(m: Message) -> MessageView:
    """A stored message, keyed as in the conversation view."""
    return MessageView(
        message_id=m.id,
        role=m.role,
        content=m.content,
        author=m.author,
        created_at=m.created_at.isoformat() if m.created_at else None,
    )


def conversation_view(conv: Conversation) -> ConversationView:
    """A conversation and its messages (with tool calls and cited products) for the API."""
    return ConversationView(
        conversation_id=conv.id,
        user_id=conv.user_id,
        channel=conv.channel,
        status=conv.status,
        created_at=conv.created_at.isoformat() if conv.created_at else None,
        messages=[
            ChatMessageView(
                **message_view(m),
                tool_calls=list(m.tool_calls or []),
                cited_product_ids=list(m.cited_product_ids or []),
            )
            for m in conv.messages
        ],
    )


def claim(db: Session, key_id: int, user_id: str, commit: bool = True) -> list[str]:
    """After sign-in: the conversations an anonymous key (or session) started become the
    shopper's; returns their ids."""
    tag = owner_tag("widget", key_id, None)
    written = select(Message.conversation_id).where(Message.role == "user", Message.author == tag)
    anonymous = db.scalars(
        select(Conversation)
        .where(Conversation.user_id.is_(None), Conversation.id.in_(written))
        .options(selectinload(Conversation.messages))
    )
    claimed = [c for c in anonymous if can_see(c, "widget", key_id, None)]
    for conv in claimed:
        conv.user_id = user_id
    if commit:
        db.commit()
    return [c.id for c in claimed]


MAX_CANDIDATES = 20  # conversations whose last answer matches, looked at newest first


def continued_by(
    db: Session,
    history: list[tuple[str, str]],
    role: str,
    key_id: int | None,
    user_id: str | None,
) -> str | None:
    """The id of the caller's conversation whose user and assistant messages are exactly
    history ((role, text) pairs, oldest first; compared without surrounding white space), or
    None. Stateless clients (OpenAI's chat-completions API) send the whole conversation each
    time: this finds the one it came from, so references to shown products keep working."""
    answers = [text for who, text in history if who == "assistant"]
    if not answers:
        return None
    wanted = [(who, text.strip()) for who, text in history]
    ids = db.scalars(
        select(Message.conversation_id)
        .where(Message.role == "assistant", Message.content == answers[-1].strip())
        .order_by(Message.id.desc())
        .limit(MAX_CANDIDATES)
    ).all()
    for conversation_id in dict.fromkeys(ids):
        conv = load_visible(db, conversation_id, role, key_id, user_id)
        said = [
            (m.role, m.content.strip()) for m in conv.messages if m.role in ("user", "assistant")
        ] if conv else []  # fmt: skip
        if said == wanted:
            return conversation_id
    return None


def load_visible(
    db: Session, conversation_id: str, role: str, key_id: int | None, user_id: str | None
) -> Conversation | None:
    """The conversation if it exists and the caller may see it, else None."""
    try:
        return load_conversation(db, conversation_id, role, key_id, user_id)
    except NotFound:
        return None

"""Handoff from the chat to a human: the agent queue, claiming and answering conversations."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from assistant.db.models import Conversation, Message, utcnow
from assistant.errors import Conflict, Forbidden, Invalid, NotFound
from assistant.services import conversations
from assistant.services.records import AgentConversationView, MessageView, QueueEntry

QUEUE_STATUSES = ("queued", "claimed")
MAX_REPLY_CHARS = 4000
MAX_REASON_CHARS = 500


def _conversation(session: Session, conversation_id: str) -> Conversation:
    conv = session.get(Conversation, conversation_id) if conversation_id else None
    if conv is None:
        raise NotFound(f"conversation {conversation_id!r} not found")
    return conv


def default_summary(conv: Conversation, max_messages: int = 4, max_chars: int = 600) -> str:
    """A summary built from what the shopper wrote last (used when none is given)."""
    said = [m.content.strip() for m in conv.messages if m.role == "user" and m.content.strip()]
    text = " | ".join(said[-max_messages:])
    return text[:max_chars] or "(no messages)"


def handoff(
    session: Session,
    conversation_id: str,
    reason: str,
    summary: str = "",
    user_id: str | None = None,
) -> QueueEntry:
    """Move a conversation into the agent queue with the reason and a summary.

    user_id, when given (a widget caller), must own the conversation; a foreign one reads as
    missing. Handing off a conversation already queued or claimed keeps its place.
    """
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("a handoff needs a reason")
    conv = _conversation(session, conversation_id)
    if user_id is not None and conv.user_id != user_id:
        raise NotFound(f"conversation {conversation_id!r} not found")
    if conv.status == "closed":
        raise Conflict(f"conversation {conv.id} is closed")
    if conv.status not in QUEUE_STATUSES:
        conv.status = "queued"
        conv.handoff_reason = reason[:MAX_REASON_CHARS]
        conv.summary = (summary or "").strip() or default_summary(conv)
        session.add(
            Message(
                conversation_id=conv.id,
                role="system",
                content=f"Handed off to a human agent: {conv.handoff_reason}",
                author="handoff",
            )
        )
        session.commit()
    return queue_entry(session, conv)


def queue_entry(session: Session, conv: Conversation) -> QueueEntry:
    """One conversation as a queue row."""
    n = session.scalar(select(func.count(Message.id)).where(Message.conversation_id == conv.id))
    return QueueEntry(
        conversation_id=conv.id,
        user_id=conv.user_id,
        channel=conv.channel,
        status=conv.status,
        reason=conv.handoff_reason,
        summary=conv.summary,
        assigned_agent=conv.assigned_agent,
        message_count=n or 0,
        updated_at=conv.updated_at.isoformat() if conv.updated_at else None,
    )


def list_queue(
    session: Session, status: str | None = "queued", agent: str | None = None, limit: int = 50
) -> list[QueueEntry]:
    """Queued (or claimed) conversations, oldest first; agent narrows to that agent's claims."""
    statuses = QUEUE_STATUSES if status is None else (status,)
    if any(s not in QUEUE_STATUSES for s in statuses):
        raise Invalid(f"unknown queue status {status!r}; valid: {', '.join(QUEUE_STATUSES)}")
    if not 1 <= limit <= 500:
        raise Invalid("limit must be between 1 and 500")
    query = select(Conversation).where(Conversation.status.in_(statuses))
    if agent:
        query = query.where(Conversation.assigned_agent == agent)
    rows = session.scalars(query.order_by(Conversation.updated_at, Conversation.id).limit(limit))
    return [queue_entry(session, c) for c in rows]


def claim(session: Session, conversation_id: str, agent: str) -> QueueEntry:
    """Assign a queued conversation to agent (idempotent for the same agent)."""
    conv = _conversation(session, conversation_id)
    if conv.status == "claimed" and conv.assigned_agent == agent:
        return queue_entry(session, conv)
    if conv.status == "claimed":
        raise Conflict(f"conversation {conv.id} is already claimed by another agent")
    if conv.status != "queued":
        raise Conflict(f"conversation {conv.id} is {conv.status!r}, not in the queue")
    conv.status, conv.assigned_agent = "claimed", agent
    session.commit()
    return queue_entry(session, conv)


def _owned(session: Session, conversation_id: str, agent: str) -> Conversation:
    conv = _conversation(session, conversation_id)
    if conv.status != "claimed":
        raise Conflict(f"conversation {conv.id} is {conv.status!r}; claim it first")
    if conv.assigned_agent != agent:
        raise Forbidden(f"conversation {conv.id} is claimed by another agent")
    return conv


def reply(session: Session, conversation_id: str, agent: str, text: str) -> MessageView:
    """Store the agent's message (role 'agent') on a conversation the agent has claimed."""
    text = (text or "").strip()
    if not text:
        raise Invalid("empty reply")
    if len(text) > MAX_REPLY_CHARS:
        raise Invalid(f"reply longer than {MAX_REPLY_CHARS} characters")
    conv = _owned(session, conversation_id, agent)
    msg = Message(conversation_id=conv.id, role="agent", content=text, author=agent)
    session.add(msg)
    conv.updated_at = utcnow()
    session.commit()
    return conversations.message_view(msg)


def close(session: Session, conversation_id: str, agent: str) -> QueueEntry:
    """Close a conversation the agent has claimed."""
    conv = _owned(session, conversation_id, agent)
    conv.status = "closed"
    session.commit()
    return queue_entry(session, conv)


def conversation_view(session: Session, conversation_id: str) -> AgentConversationView:
    """A conversation with all its messages (the chat API's view) plus its queue fields."""
    conv = session.scalar(
        select(Conversation)
        .where(Conversation.id == conversation_id)
        .options(selectinload(Conversation.messages))
    )
    if conv is None:
        raise NotFound(f"conversation {conversation_id!r} not found")
    queued = queue_entry(session, conv)
    return AgentConversationView(
        **conversations.conversation_view(conv),
        reason=queued["reason"],
        summary=queued["summary"],
        assigned_agent=queued["assigned_agent"],
        message_count=queued["message_count"],
        updated_at=queued["updated_at"],
    )


def request_handoff(
    session: Session, conversation_id: str, reason: str, summary: str = ""
) -> QueueEntry:
    """The `handoff_to_human` tool's entry point: queue the session's conversation for an agent."""
    return handoff(session, conversation_id, reason, summary)

"""POST /v1/feedback: thumbs up/down and a comment on an assistant message."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import select

from assistant.api.deps import SessionDep, WidgetDep
from assistant.api.errors import AUTH_ERRORS, responses
from assistant.api.requests import MAX_ROW_ID, JsonInt, RequestModel
from assistant.db.models import Feedback, Message
from assistant.errors import Conflict, Invalid, NotFound
from assistant.services import conversations

router = APIRouter(prefix="/v1", tags=["feedback"], responses=AUTH_ERRORS)


class FeedbackIn(RequestModel):
    """Feedback on one assistant message: rating +1 (thumbs up) or -1 (thumbs down)."""

    message_id: JsonInt = Field(ge=1, le=MAX_ROW_ID)
    rating: Literal[1, -1]
    comment: str = Field(
        "",
        max_length=2000,
        json_schema_extra={"pattern": r"^[^\x00]*$"},  # no NUL characters
    )


class FeedbackOut(BaseModel):
    """The stored feedback."""

    feedback_id: int
    message_id: int
    rating: int


@router.post("/feedback", status_code=201, responses=responses(404, 409))
def post_feedback(body: FeedbackIn, db: SessionDep, who: WidgetDep) -> FeedbackOut:
    """Store feedback on an assistant message of a conversation the caller may see."""
    msg = db.scalar(select(Message).where(Message.id == body.message_id))
    missing = NotFound(f"message {body.message_id} not found")
    if msg is None:
        raise missing
    try:  # a message in a conversation the caller may not see reads as missing
        conversations.load_conversation(db, msg.conversation_id, who.role, who.key_id, who.user_id)
    except NotFound as exc:
        raise missing from exc
    if msg.role != "assistant":
        raise Conflict("feedback is only for assistant messages")
    if "\x00" in body.comment:
        raise Invalid("comment contains binary characters")
    fb = Feedback(message_id=msg.id, rating=body.rating, comment=body.comment.strip())
    db.add(fb)
    db.commit()
    return FeedbackOut(feedback_id=fb.id, message_id=msg.id, rating=fb.rating)

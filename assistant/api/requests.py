"""What requests accept, stated so that the OpenAPI schema equals what the server takes.

Bodies are JSON: numbers, booleans and strings are taken only as themselves (strict types, so
`"k": false` or `"k": "3"` is refused as the schema says, while `"k": 3.0` is the integer 3 as
in JSON Schema), unknown fields are refused, and text rules the services check themselves (not
blank, no control characters) are written into the schema too, with the service keeping its own
error message.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from pydantic import BaseModel, ConfigDict

from assistant.db.models import ORDER_STATUSES
from assistant.jsontypes import NOT_BLANK, JsonInt, JsonObject
from assistant.services.chat import CONTROL_CHARS

__all__ = ["NOT_BLANK", "JsonInt", "MAX_ROW_ID", "OrderStatus", "RequestModel", "text_rules"]

# Text with at least one visible character and no control characters (JSON Schema `pattern`).
PRINTABLE_TEXT = rf"^[^{CONTROL_CHARS}]*[^{CONTROL_CHARS}\s][^{CONTROL_CHARS}]*$"
# The largest id an integer primary key holds on every supported database (PostgreSQL INTEGER).
MAX_ROW_ID = 2**31 - 1


# An order status filter: the service names the valid ones when another is asked for.
OrderStatus = Annotated[
    str | None, Query(max_length=32, json_schema_extra={"enum": list(ORDER_STATUSES)})
]


class RequestModel(BaseModel):
    """Base of every JSON request body: strict JSON types, no unknown fields."""

    model_config = ConfigDict(extra="forbid", strict=True)


def text_rules(
    *, pattern: str = PRINTABLE_TEXT, min_length: int = 1, max_length: int | None = None
) -> JsonObject:
    """Schema keywords for text a service validates itself (json_schema_extra of a Field):
    documented for clients and fuzzers, while the service answers with its own message."""
    rules: JsonObject = {"minLength": min_length, "pattern": pattern}
    if max_length is not None:
        rules["maxLength"] = max_length
    return rules

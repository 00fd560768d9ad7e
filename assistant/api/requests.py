"""What requests accept, stated so that the OpenAPI schema equals what the server takes.

Bodies are JSON: numbers, booleans and strings are taken only as themselves (strict types, so
`"k": false` or `"k": "3"` is refused as the schema says, while `"k": 3.0` is the integer 3 as
in JSON Schema), unknown fields are refused, and text
rules the services check themselves (not blank, no control characters) are written into the
schema too, with the service keeping its own error message.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from assistant.db.models import ORDER_STATUSES
from assistant.services.chat import CONTROL_CHARS

# Text with at least one visible character and no control characters (JSON Schema `pattern`).
PRINTABLE_TEXT = rf"^[^{CONTROL_CHARS}]*[^{CONTROL_CHARS}\s][^{CONTROL_CHARS}]*$"
NOT_BLANK = r"\S"  # unanchored: somewhere a character that is not white space
# The largest id an integer primary key holds on every supported database (PostgreSQL INTEGER).
MAX_ROW_ID = 2**31 - 1


# An order status filter: the service names the valid ones when another is asked for.
OrderStatus = Annotated[
    str | None, Query(max_length=32, json_schema_extra={"enum": list(ORDER_STATUSES)})
]


def _json_number(value: object) -> object:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a JSON number")
    return value


# An integer as JSON Schema has it: 3 and 3.0 are the same integer; true and "3" are not numbers.
JsonInt = Annotated[int, Field(strict=False), BeforeValidator(_json_number)]


class RequestModel(BaseModel):
    """Base of every JSON request body: strict JSON types, no unknown fields."""

    model_config = ConfigDict(extra="forbid", strict=True)


def text_rules(
    *, pattern: str = PRINTABLE_TEXT, min_length: int = 1, max_length: int | None = None
) -> dict[str, Any]:
    """Schema keywords for text a service validates itself (json_schema_extra of a Field):
    documented for clients and fuzzers, while the service answers with its own message."""
    rules: dict[str, Any] = {"minLength": min_length, "pattern": pattern}
    if max_length is not None:
        rules["maxLength"] = max_length
    return rules

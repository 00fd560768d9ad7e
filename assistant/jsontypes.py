"""JSON types: request types shared by every request model (the API's and the UCP façade's), so
that what a model accepts is what its JSON Schema says, and the name for a JSON object."""

from __future__ import annotations

from typing import Annotated, Any, TypeAlias

from pydantic import BeforeValidator, Field

NOT_BLANK = r"\S"  # a JSON Schema pattern (unanchored): a character that is not white space


def json_number(value: object) -> object:
    """A BeforeValidator: value unchanged when it is a JSON number (not a bool, not text)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a JSON number")
    return value


# An integer as JSON Schema has it: 3 and 3.0 are the same integer; true and "3" are not numbers.
# Bounds go on the field (`k: JsonInt = Field(10, ge=1)`); inside an optional, spell the bound
# next to strict=False instead (pydantic loses a bound put around the validator from the schema).
JsonInt = Annotated[int, Field(strict=False), BeforeValidator(json_number)]

# A JSON object whose keys are open by nature: an ORM JSON column (product attributes, variant
# options, an address, stored replies), a tool call's arguments (the contract's pydantic models
# judge them), a raw record of an import file, a JSON Schema / OpenAPI fragment, an open UCP
# field. Data with a known shape that crosses layers gets a TypedDict or a pydantic model instead.
JsonObject: TypeAlias = dict[str, Any]

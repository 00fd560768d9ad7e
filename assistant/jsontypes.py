"""JSON request types shared by every request model (the API's and the UCP façade's), so that
what a model accepts is what its JSON Schema says."""

from __future__ import annotations

from typing import Annotated

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

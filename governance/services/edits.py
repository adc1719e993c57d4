"""Edits of a few fields: a keyword the caller leaves out keeps the field's value.

``None`` cannot say so, since it clears a field that may be empty; ``KEEP`` does."""

import enum
from typing import Any


class Keep(enum.Enum):
    KEEP = "keep"


KEEP = Keep.KEEP


def given(**values: Any) -> dict[str, Any]:
    """The values a caller gave, by field name, without the ones left at ``KEEP``."""
    return {name: value for name, value in values.items() if value is not KEEP}

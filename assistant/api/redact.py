"""Keys and tokens never reach the logs: the access log's request line is masked.

Credentials travel in headers, which uvicorn does not log; but a page such as /widget?key=...
carries one in its query string, which the access log line repeats. The filter masks the value
of every query parameter whose name says it is a credential.
"""

from __future__ import annotations

import logging
import re

ACCESS_LOGGERS = ("uvicorn.access",)
MASK = "***"
_SECRET_PARAM = re.compile(
    r"(?i)([?&;](?:[a-z_]*key|[a-z_]*token|session(?:_id)?|secret|password|jwt)=)[^&;#\s\"]*"
)


def mask(text: str) -> str:
    """text with the values of credential-like query parameters replaced by ***."""
    return _SECRET_PARAM.sub(lambda m: m.group(1) + MASK, text)


class RedactCredentials(logging.Filter):
    """Masks credentials in a log record's message and in its string arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drops it."""
        if isinstance(record.msg, str):
            record.msg = mask(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(mask(a) if isinstance(a, str) else a for a in record.args)
        return True


def install() -> None:
    """Put the filter on the access loggers (once per logger, however many apps are made)."""
    for name in ACCESS_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactCredentials) for f in logger.filters):
            logger.addFilter(RedactCredentials())

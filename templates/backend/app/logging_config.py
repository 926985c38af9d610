"""JSON log lines on stdout, one object per line, for Cloud Logging.

Cloud Run sends stdout to Cloud Logging, which stores each line that is a JSON
object as a structured entry. It maps special fields such as ``severity``,
``message`` and ``logging.googleapis.com/sourceLocation`` onto the entry (see
"Structured logging" in the Cloud Logging documentation).
"""

import json
import logging
import sys
from datetime import UTC, datetime

# Python level names that are also Cloud Logging severities. Custom levels are
# reported as DEFAULT.
_SEVERITIES = frozenset({"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"})

# uvicorn installs its own text handlers on these loggers at startup.
_UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")


class JsonFormatter(logging.Formatter):
    """Formatter that renders each record as one JSON object on one line."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.exc_info:
            # Error Reporting detects stack traces inside the message field.
            message = f"{message}\n{self.formatException(record.exc_info)}"
        if record.stack_info:
            message = f"{message}\n{self.formatStack(record.stack_info)}"

        severity = record.levelname if record.levelname in _SEVERITIES else "DEFAULT"
        entry = {
            "severity": severity,
            "message": message,
            # NOTE: not verified that Cloud Logging uses this field as the
            # entry timestamp.
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "logger": record.name,
            "logging.googleapis.com/sourceLocation": {
                "file": record.pathname,
                "line": record.lineno,
                "function": record.funcName,
            },
        }
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(level: str) -> None:
    """Send all log records, uvicorn's included, to stdout as JSON lines."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter())

    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)

    for name in _UVICORN_LOGGERS:
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers.clear()
        uvicorn_logger.propagate = True

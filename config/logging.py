"""Structured logs: `time level logger msg key=value ...`, so lines from web, worker and beat interleave readably."""

import logging

_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


class KeyValueFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        base = f"{self.formatTime(record, '%Y-%m-%dT%H:%M:%S')} {record.levelname.lower()} {record.name} {record.getMessage()}"
        extras = " ".join(f"{k}={v!r}" for k, v in record.__dict__.items() if k not in _STANDARD)
        line = f"{base} {extras}" if extras else base
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line

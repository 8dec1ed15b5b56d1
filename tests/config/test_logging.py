"""One logging style: the message names the event, the values go in `extra`, the formatter writes key=value."""

import ast
import logging
import re
from pathlib import Path

from config.logging import KeyValueFormatter

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("config", "editorial", "newsletter", "operations", "subscribers", "worker")
LEVELS = {"debug", "info", "warning", "error", "exception", "critical"}
EVENT = re.compile(r"event=[a-z0-9_]+")


def _log_calls(path: Path):
    for node in ast.walk(ast.parse(path.read_text())):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in LEVELS
                and isinstance(node.func.value, ast.Name) and node.func.value.id in ("log", "logger")):
            yield node


def test_it_writes_the_event_then_each_extra_value_as_key_value():
    record = logging.makeLogRecord({"name": "worker.planning", "levelno": logging.INFO, "levelname": "INFO",
                                    "msg": "event=digest_prepared", "digest_id": 7, "reason": "no variant"})

    line = KeyValueFormatter().format(record)

    assert line.endswith(" info worker.planning event=digest_prepared digest_id=7 reason='no variant'")


def test_it_logs_only_an_event_name_with_every_value_in_extra():
    wrong = []
    for app in PRODUCT:
        for path in sorted((ROOT / app).rglob("*.py")):
            where = path.relative_to(ROOT).as_posix()
            if "/migrations/" in where:
                continue
            for call in _log_calls(path):
                message = call.args[0] if call.args else None
                if len(call.args) != 1 or not (isinstance(message, ast.Constant) and EVENT.fullmatch(str(message.value))):
                    wrong.append(f"{where}:{call.lineno}")

    assert not wrong, f"log calls with values in the message instead of extra: {wrong}"

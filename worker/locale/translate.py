# ruff: noqa: E501 - a table of translations reads best one entry per line
"""Fill worker/locale/*/LC_MESSAGES/django.po from the table below, then run msgfmt.

Run by `python scripts/messages.py` after makemessages; prints every msgid that has no translation yet.
Plural entries are keyed by their singular msgid and give one French and one Arabic form per plural
case of the language (French: 2, Arabic: 6).
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "scripts"))
from po_fill import fill_all  # noqa: E402 - the script runs standalone, outside the package

# msgid: (French, Arabic)
T: dict[str, tuple[str, str]] = {
}

# singular msgid: (French forms, Arabic forms)
P: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
}

if __name__ == "__main__":
    fill_all(HERE, T, P)

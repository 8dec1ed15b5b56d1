# ruff: noqa: E501 - the .po grammar reads best as one regular expression per line
"""Fill an app's gettext catalogues (locale/{fr,ar}/LC_MESSAGES/django.po) from a translation table and
compile them with msgfmt. Used by each app's locale/translate.py; the .mo files are committed because CI
machines may lack gettext."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

_ENTRY = re.compile(r'((?:msgctxt ((?:"(?:[^"\\]|\\.)*"\s*)+))?msgid ((?:"(?:[^"\\]|\\.)*"\s*)+)msgstr )((?:"(?:[^"\\]|\\.)*"\s*)+)', re.M)
_PLURAL = re.compile(r'(msgid ((?:"(?:[^"\\]|\\.)*"\s*)+)msgid_plural (?:"(?:[^"\\]|\\.)*"\s*)+)((?:msgstr\[\d\] (?:"(?:[^"\\]|\\.)*"\s*)+)+)', re.M)


def _unquote(block: str) -> str:
    return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', block)).replace('\\"', '"').replace("\\n", "\n")


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"\n'


def fill(po: Path, column: int, singles: dict[str, tuple], plurals: dict[str, tuple]) -> list[str]:
    """Fill one catalogue's msgstrs from the tables (column 0 French, 1 Arabic), compile it; returns untranslated msgids."""
    text = po.read_text()
    missing: list[str] = []

    def plural(match: re.Match) -> str:
        msgid = _unquote(match.group(2))
        if msgid not in plurals:
            missing.append(msgid)
            # Emptied, not kept: makemessages' fuzzy guess would be live once its flag goes below.
            count = len(re.findall(r"^msgstr\[\d\]", match.group(3), flags=re.M))
            return match.group(1) + "".join(f'msgstr[{i}] ""\n' for i in range(count)) + "\n"
        forms = "".join(f"msgstr[{i}] " + _quote(form) for i, form in enumerate(plurals[msgid][column]))
        return match.group(1) + forms + "\n"

    def single(match: re.Match) -> str:
        # An entry with a context is keyed "context|msgid" in the table.
        msgid = _unquote(match.group(3))
        if match.group(2):
            msgid = _unquote(match.group(2)) + "|" + msgid
        if not msgid:
            return match.group(0)
        if msgid not in singles:
            missing.append(msgid)
            return match.group(1) + '""\n' + ("\n" if match.group(4).endswith("\n\n") else "")
        return match.group(1) + _quote(singles[msgid][column]) + ("\n" if match.group(4).endswith("\n\n") else "")

    text = _PLURAL.sub(plural, text)
    text = _ENTRY.sub(single, text)
    # Every entry is filled from the table, so makemessages' fuzzy guesses (and their old msgids) go.
    text = re.sub(r"^#\| .*\n", "", text, flags=re.M)
    text = re.sub(r"^#, fuzzy\n", "", text, flags=re.M)
    text = re.sub(r"^#, fuzzy, ", "#, ", text, flags=re.M)
    text = text.replace('"Content-Type: text/plain; charset=CHARSET\\n"', '"Content-Type: text/plain; charset=UTF-8\\n"')
    po.write_text(text)
    subprocess.run(["msgfmt", "--check-format", "-o", str(po.with_suffix(".mo")), str(po)], check=True)
    return missing



def fill_all(locale_dir: Path, singles: dict[str, tuple], plurals: dict[str, tuple] | None = None) -> None:
    for language, column in (("fr", 0), ("ar", 1)):
        po = locale_dir / language / "LC_MESSAGES" / "django.po"
        for msgid in fill(po, column, singles, plurals or {}):
            print(f"{language}: no translation for {msgid!r}")

"""Spreadsheet formula guard for every CSV cell we write, and its inverse for the files we read back.

Spreadsheets run a cell that starts with = + - @ (or a tab or carriage return before one) as a formula:
a name, an attribute or even an address (`=1+2*3@example.org` is valid) would become live code in the
Administrator's spreadsheet. Such cells get a leading apostrophe, which spreadsheets show as text; the
import removes exactly that apostrophe again, so an exported file goes back in unchanged.
"""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    """The cell as text, with a leading ' when a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def neutralise_row(values: list) -> list[str]:
    return [neutralise(value) for value in values]


def restore(cell: str) -> str:
    """Inverse of neutralise: drops the one ' in front of a formula character, leaves every other cell alone."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_START) else cell

"""Every cell that leaves the platform in a spreadsheet (xlsx or CSV) goes through `safe_cell`.

A text cell that begins with = + - @ (or their full-width forms, which spreadsheet programs accept
too), a tab or a carriage return would be read as a formula by Excel, LibreOffice or Google Sheets
(CSV injection: `=HYPERLINK(...)` exfiltrating the row, `=cmd|...` DDE). Such a cell gets a leading
apostrophe, the spreadsheet programs' own "this is text" mark, so it is shown and never evaluated
(OWASP "CSV Injection"). Numbers stay numbers. Control characters that xlsx cannot hold are
replaced, so an old record can never make an export fail.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any

import tablib

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str):
        value = _XLSX_ILLEGAL.sub("\ufffd", value)
        if value.startswith(FORMULA_START):
            return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]


def safe_dataset(dataset: tablib.Dataset) -> tablib.Dataset:
    """A copy of `dataset` with every header and cell made safe; export it to xlsx or csv."""
    safe = tablib.Dataset(headers=safe_row(dataset.headers or []), title=dataset.title)
    for row in dataset:
        safe.append(safe_row(row))
    return safe


class SafeCsvWriter:
    """csv.writer whose rows go through safe_cell."""

    def __init__(self, stream: Any) -> None:
        self._writer = csv.writer(stream)

    def writerow(self, values: Iterable[Any]) -> None:
        self._writer.writerow(safe_row(values))

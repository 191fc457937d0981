"""The shapes every insights figure takes: tables of suppressed cells, by month."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from network.insights.suppression import Cell, protect_row

MONTHS = 12


@dataclass
class Row:
    """One line of a table: a label (a month, a level) and its cells."""

    label: str
    cells: list[Cell]
    total: Cell | None = None


@dataclass
class Table:
    """A figure's table: its columns, its rows, and whether rows carry a total."""

    key: str
    title: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    with_total: bool = False
    note: str = ""
    chart: bool = True

    def protect(self) -> Table:
        """Suppress every row (primary and complementary); returns the table."""
        for row in self.rows:
            protect_row(row.cells, row.total if self.with_total else None)
        return self


def month_keys(now: datetime | None = None, count: int = MONTHS) -> list[str]:
    """The last `count` UTC months, oldest first, as "YYYY-MM"."""
    now = now or datetime.now(UTC)
    year, month = now.year, now.month
    keys = []
    for _ in range(count):
        keys.append(f"{year:04d}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return keys[::-1]


def month_start(key: str) -> datetime:
    """The first instant (UTC) of a "YYYY-MM" month."""
    year, month = key.split("-")
    return datetime(int(year), int(month), 1, tzinfo=UTC)


def median(values: list[float]) -> float | None:
    """The median of the values, None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2

"""Charts drawn on the server as plain SVG (a Jinja template, no script, no
style attributes): one horizontal bar per row, its value written beside it, so
the chart reads without colour; a hidden figure draws no bar and reads "<5"."""

from __future__ import annotations

from dataclasses import dataclass

from network.insights.tables import Table

WIDTH = 320
LABEL = 80
VALUE = 44
ROW = 22
BAR = 14


@dataclass(frozen=True)
class Bar:
    """One row of a chart: its label, bar geometry and the value printed."""

    label: str
    y: int
    width: float
    text: str


@dataclass(frozen=True)
class Chart:
    """A chart's geometry: the series drawn, the bars, the drawing's height."""

    series: str
    bars: list[Bar]
    height: int
    left: int = LABEL
    bar_height: int = BAR


def chart_for(table: Table) -> Chart | None:
    """The chart of a table: its total per row where it has one, else its first
    column; None when the table draws no chart or has no column."""
    if not table.chart or not table.columns:
        return None
    total = table.with_total
    series = "total" if total else str(table.columns[0])
    cells = [row.total if total else row.cells[0] for row in table.rows]
    numbers = [cell.number for cell in cells if cell is not None]
    top = max([n for n in numbers if n is not None] or [0]) or 1
    span = WIDTH - LABEL - VALUE
    bars = []
    for index, (row, cell) in enumerate(zip(table.rows, cells, strict=True)):
        number = None if cell is None else cell.number
        width = 0 if number is None else round(span * number / top, 1)
        text = "" if cell is None else cell.shown
        bars.append(Bar(str(row.label), index * ROW + 4, width, text))
    return Chart(series, bars, len(bars) * ROW + 8)

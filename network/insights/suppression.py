"""Small-cell suppression: no figure from fewer than 5 people is shown, read or
derived (docs/insights.md, "Suppression").

Primary: a cell whose figure comes from 1 to 4 distinct people shows "<5" (a
cell from nobody shows 0). Complementary: in a row whose total is shown, the
suppressed parts must not be recoverable by subtracting the shown parts from the
total, so the next smallest shown parts are suppressed too until at least two
parts are hidden and what they add up to (total minus the shown parts) is at
least 5 and more than the number of hidden parts (so no hidden part is pinned
to one value). When no part is left to add, the total is hidden as well.
"""

from __future__ import annotations

from dataclasses import dataclass

THRESHOLD = 5
SUPPRESSED = "<5"


@dataclass
class Cell:
    """One figure: its value, how many distinct people it comes from, and
    whether it is hidden. `value` may be None (no figure, e.g. no median)."""

    value: float | int | None
    people: int
    hidden: bool = False

    @property
    def shown(self) -> str:
        """What the page, the CSV and the chart print."""
        if self.hidden:
            return SUPPRESSED
        if self.value is None:
            return "–"
        if isinstance(self.value, float):
            return f"{self.value:.1f}"
        return str(self.value)

    @property
    def number(self) -> float | None:
        """The value a chart may draw (None when hidden or absent)."""
        return None if self.hidden or self.value is None else self.value


def primary(cell: Cell) -> Cell:
    """Hide a cell from 1 to 4 people."""
    if 0 < cell.people < THRESHOLD:
        cell.hidden = True
    return cell


def _safe(parts: list[Cell]) -> bool:
    hidden = [cell for cell in parts if cell.hidden]
    if not hidden:
        return True
    residual = sum(cell.value or 0 for cell in hidden)
    return len(hidden) >= 2 and residual >= THRESHOLD and residual > len(hidden)


def protect_row(parts: list[Cell], total: Cell | None) -> None:
    """Apply primary suppression to every cell of a row and, where the row has
    a total, complementary suppression so no hidden part can be derived."""
    for cell in parts:
        primary(cell)
    if total is None:
        return
    primary(total)
    if total.hidden:
        for cell in parts:
            cell.hidden = True
        return
    while not _safe(parts):
        shown = [cell for cell in parts if not cell.hidden]
        if not shown:
            total.hidden = True
            return
        min(shown, key=lambda cell: cell.value or 0).hidden = True
    if all(cell.hidden for cell in parts) and not _safe(parts):
        total.hidden = True

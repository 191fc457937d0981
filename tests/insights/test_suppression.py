"""Small-cell suppression: no cell from fewer than 5 people is visible, or
derivable by subtracting visible cells from a visible total."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from network.insights.suppression import SUPPRESSED, Cell, protect_row


def _row(values, total_people=None):
    parts = [Cell(v, v) for v in values]
    total = Cell(sum(values), total_people if total_people is not None else sum(values))
    protect_row(parts, total)
    return parts, total


def assert_safe(parts, total):
    """What a reader can get from the row: every shown part, the shown total,
    and total minus the shown parts; none may pin a figure below 5."""
    for cell in parts + [total]:
        if not cell.hidden and cell.value:
            assert cell.people >= 5 or cell.people == 0
    hidden = [cell for cell in parts if cell.hidden]
    if total.hidden or not hidden:
        return
    residual = total.value - sum(cell.value for cell in parts if not cell.hidden)
    assert len(hidden) >= 2
    assert residual >= 5 and residual > len(hidden)


def test_a_cell_from_fewer_than_5_people_reads_lt5():
    for people in range(1, 5):
        cell = Cell(people * 3, people)
        protect_row([cell], None)
        assert cell.shown == SUPPRESSED
    assert Cell(0, 0).shown == "0"
    assert Cell(7, 5).shown == "7"


def test_one_hidden_part_hides_the_next_smallest():
    parts, total = _row([3, 6, 9])
    assert [cell.shown for cell in parts] == [SUPPRESSED, SUPPRESSED, "9"]
    assert total.shown == "18"


def test_hidden_parts_adding_up_to_less_than_5_hide_more():
    parts, total = _row([1, 1, 5, 8])
    assert [cell.hidden for cell in parts] == [True, True, True, False]
    assert_safe(parts, total)


def test_nothing_left_to_hide_hides_the_total():
    parts, total = _row([2, 0])
    assert total.hidden and all(cell.hidden for cell in parts)


def test_a_total_from_fewer_than_5_people_hides_every_part():
    parts, total = _row([2, 2], total_people=3)
    assert total.hidden and all(cell.hidden for cell in parts)


def test_zero_is_shown_when_nothing_hides():
    parts, total = _row([0, 5, 6])
    assert [cell.shown for cell in parts] == ["0", "5", "6"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=7))
def test_random_rows_leak_nothing(values):
    parts, total = _row(values)
    assert_safe(parts, total)

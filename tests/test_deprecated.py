"""The old spellings of issue 18, item 20, still work for one release and warn.

The rule now: the book (or books) and the program come first, the date is the keyword
``as_of=``. A positional date, ``needed_to_reach(..., by=)`` and ``clients_table`` without
a program give a DeprecationWarning naming the new spelling, and the same answer.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable
from typing import Any

import pytest

import partner_tiers as pt
from partner_tiers import portfolio

DAY = dt.date(2025, 9, 30)
BOOK = pt.demo_book()
PROGRAM = pt.load_program("hubspot-2025")


def _old(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call in a spelling the type checker no longer accepts."""
    return function(*args, **kwargs)


@pytest.mark.parametrize(
    ("name", "leading"),
    [
        ("evaluate", (BOOK, PROGRAM)),
        ("needed_to_keep", (BOOK, PROGRAM)),
        ("cliff_date", (BOOK, PROGRAM)),
        ("report_html", (BOOK, PROGRAM)),
        ("what_if", (BOOK, PROGRAM)),
        ("program_impact", ([BOOK], PROGRAM, PROGRAM)),
        ("evaluate_portfolio", ([BOOK], [PROGRAM])),
    ],
)
def test_positional_as_of_warns_and_answers_the_same(name: str, leading: tuple[Any, ...]) -> None:
    function = getattr(pt, name, None) or getattr(portfolio, name)
    with pytest.warns(DeprecationWarning, match=rf"write {name}\(.*as_of=day\)") as caught:
        old = _old(function, *leading, DAY)
    assert len(caught) == 1
    assert caught[0].filename == __file__  # the warning points at the caller
    assert old == function(*leading, as_of=DAY)


def test_by_is_an_alias_of_as_of_in_needed_to_reach() -> None:
    with pytest.warns(DeprecationWarning, match=r"needed_to_reach\(\.\.\., as_of=\.\.\.\)"):
        old = _old(pt.needed_to_reach, BOOK, PROGRAM, by=DAY, motions=["managed"])
    assert old == pt.needed_to_reach(BOOK, PROGRAM, as_of=DAY, motions=["managed"])
    with pytest.warns(DeprecationWarning, match="positional"):
        positional = _old(pt.needed_to_reach, BOOK, PROGRAM, DAY, motions=["managed"])
    assert positional == old


def test_clients_table_without_a_program_warns() -> None:
    with pytest.warns(DeprecationWarning, match=r"clients_table\(book, program, as_of=day\)"):
        table = pt.clients_table(BOOK, as_of=DAY)
    assert {row.mrr_usd for row in table.rows} == {None}
    assert pt.clients_table(BOOK, PROGRAM, as_of=DAY).rows[0].mrr_usd is not None


def test_the_new_spelling_does_not_warn(recwarn: pytest.WarningsRecorder) -> None:
    pt.evaluate(BOOK, PROGRAM, as_of=DAY)
    pt.clients_table(BOOK, PROGRAM, as_of=DAY)
    assert [w for w in recwarn if issubclass(w.category, DeprecationWarning)] == []


def _takes_as_of(name: str) -> bool:
    value = getattr(pt, name)
    if not callable(value) or isinstance(value, type):
        return False
    try:
        return "as_of" in inspect.signature(value).parameters
    except (TypeError, ValueError):
        return False


TAKE_AS_OF = sorted(name for name in pt.__all__ if _takes_as_of(name))


def test_the_public_functions_that_take_a_date_are_found() -> None:
    assert {"evaluate", "what_if", "plan", "projection", "alerts"} <= set(TAKE_AS_OF)


@pytest.mark.parametrize("name", TAKE_AS_OF)
def test_as_of_is_keyword_only_everywhere(name: str) -> None:
    parameters = inspect.signature(getattr(pt, name)).parameters
    assert parameters["as_of"].kind is inspect.Parameter.KEYWORD_ONLY
    assert "by" not in parameters


def test_a_date_given_twice_is_refused() -> None:
    with pytest.raises(TypeError):
        _old(pt.evaluate, BOOK, PROGRAM, DAY, DAY)

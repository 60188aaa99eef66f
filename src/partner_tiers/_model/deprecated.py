"""Old spellings of the public functions' arguments, kept working for one release.

The rule everywhere: the book (or books) and the program come first, positionally, and
the date is the keyword ``as_of=``. A positional date, or a renamed keyword such as
``by=``, still works through `keyword_as_of` and warns with a `DeprecationWarning` that
names the new spelling. Every such message contains "is deprecated in partner_tiers", so
a test suite can turn exactly these warnings into errors.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Mapping
from typing import Any, ParamSpec, TypeVar, cast

__all__ = ["DEPRECATED", "keyword_as_of"]

DEPRECATED = "is deprecated in partner_tiers"
"""The words every deprecation message of the package contains."""

_P = ParamSpec("_P")
_R = TypeVar("_R")


def keyword_as_of(
    *leading: str, renamed: Mapping[str, str] | None = None
) -> Callable[[Callable[_P, _R]], Callable[_P, _R]]:
    """Accept the date positionally after the ``leading`` arguments, and the ``renamed``
    keywords (old name -> new name), with a `DeprecationWarning` each.

    The decorated function keeps its signature (``inspect.signature`` and the docs show
    the new spelling); only calls in the old spelling are rewritten before the call.
    """
    renames = dict(renamed or {})

    def decorate(function: Callable[_P, _R]) -> Callable[_P, _R]:
        name = function.__name__
        head = ", ".join(leading)

        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if len(args) == len(leading) + 1 and "as_of" not in kwargs:
                warnings.warn(
                    f"{name}({head}, day) with the date as a positional argument "
                    f"{DEPRECATED}; write {name}({head}, as_of=day)",
                    DeprecationWarning,
                    stacklevel=2,
                )
                kwargs["as_of"] = args[-1]
                args = args[:-1]
            for old, new in renames.items():
                if old in kwargs and new not in kwargs:
                    warnings.warn(
                        f"{name}(..., {old}=...) {DEPRECATED}; write {name}(..., {new}=...)",
                        DeprecationWarning,
                        stacklevel=2,
                    )
                    kwargs[new] = kwargs.pop(old)
            return function(*args, **kwargs)

        return cast("Callable[_P, _R]", wrapper)

    return decorate

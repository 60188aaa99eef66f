"""Testing helpers for users of partner_tiers.

`partner_tiers.testing.strategies` holds Hypothesis strategies for every record, for
consistent books and for points ledgers, so that code built on partner_tiers can be
tested against generated scenarios::

    from hypothesis import given
    from partner_tiers.testing import strategies as pts

    @given(pts.books())
    def test_my_report_handles_any_book(book): ...

Hypothesis is an optional dependency (``pip install "partner-tiers[tests]"``); only the
strategies module imports it, and this package does not import the strategies module, so
``import partner_tiers.testing`` works without it.
"""

__all__: list[str] = []

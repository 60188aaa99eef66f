"""``python -m partner_tiers``: the same as the ``partner-tiers`` command."""

from partner_tiers._cli import main

if __name__ == "__main__":
    main()

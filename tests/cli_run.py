"""Running the command line in-process, for the test modules that check its answers."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from partner_tiers._cli import main


def run_cli(argv: Sequence[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the command line in-process: (exit code, stdout, stderr).

    An exception other than SystemExit escapes from here and fails the test: that is
    what would be a traceback for a user.
    """
    try:
        main(list(argv))
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    else:
        code = 0
    out, err = capsys.readouterr()
    return code, out, err

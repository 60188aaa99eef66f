"""The ``partner-tiers`` command line.

Bad input -- a missing file, a malformed book or program, an impossible date -- is
answered with exit code 2 and one line naming the file, the field and the value, never a
traceback. A book given where a program belongs, or the other way round, is named as
such. ``validate`` prints every problem of a book or program file, one per line.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from partner_tiers._cli import compare, dashboard, kit, plan, programs, receipts, whatif
from partner_tiers._cli.base import DEMO_AS_OF, cli, fail, one_line
from partner_tiers._errors import PartnerTiersError
from partner_tiers._io.bookfile import demo_book

__all__ = ["DEMO_AS_OF", "cli", "demo_book", "main"]

# Each module registers its commands on `cli`.
_COMMANDS = (compare, dashboard, kit, plan, programs, receipts, whatif)


def _bad_parameter(error: click.BadParameter) -> str:
    """Click's message for a bad option value, led by the option's name (click's own
    types, such as ranges, leave it out)."""
    message = error.message
    if not message:  # a missing parameter: only the formatted message says which
        return " ".join(error.format_message().split())
    if error.param is not None:
        option = isinstance(error.param, click.Option) and error.param.opts
        name = error.param.opts[0] if option else error.param.human_readable_name
        if not message.startswith(f"{name}:"):
            message = f"{name}: {message}"
    return " ".join(message.split())


def main(argv: Sequence[str] | None = None) -> None:
    """Run the command line; bad input exits with 2 and one line on stderr."""
    try:
        cli.main(args=list(argv) if argv is not None else None, standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.Abort:
        fail("aborted")
    except click.BadParameter as error:
        fail(_bad_parameter(error))
    except click.ClickException as error:
        fail(" ".join(error.format_message().split()))
    except PartnerTiersError as error:
        fail(one_line(error))
    except ValueError as error:  # an enum value from a command-line field
        fail(" ".join(str(error).split()))
    except RecursionError:
        fail("input is nested too deeply")
    except OSError as error:  # a file the command was asked to write
        fail(f"{error.filename or 'file'}: cannot write: {error.strerror or error}")

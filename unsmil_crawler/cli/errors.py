"""Exit codes of the ``unsmil-crawler`` command and the one-line errors that carry them.

A mistake a user makes every day (a bad URL, a missing file, a busy port) must end in one
line on stderr and a documented exit code, never a traceback: commands raise
:class:`UserError` and ``cli.main`` prints it. Codes above 2 follow ``sysexits.h`` where
one fits, so a supervisor can tell "try again later" from "fix the configuration".
"""

from __future__ import annotations

import os

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_NO_INPUT = os.EX_NOINPUT  # 66
EXIT_UNAVAILABLE = os.EX_UNAVAILABLE  # 69
EXIT_CANT_CREATE = os.EX_CANTCREAT  # 73
EXIT_LOCKED = os.EX_TEMPFAIL  # 75
EXIT_CONFIG = os.EX_CONFIG  # 78
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a writer killed by SIGPIPE

EXIT_CODES: tuple[tuple[int, str, str], ...] = (
    (0, "all", "success / healthy"),
    (1, "crawl, demo, reparse", "crawl failed (finish_reason not finished, storage failed, "
                                "error rate above UNSMIL_MAX_ERROR_RATE) or MongoDB "
                                "unreachable before it started"),
    (1, "status, export, load-spill", "MongoDB unreachable"),
    (1, "warc index", "no WARC directory"),
    (2, "all", "usage error: bad option or value (one line on stderr)"),
    (3, "health", "no completed run recorded"),
    (4, "health", "last successful run older than --max-age"),
    (5, "health", "last completed run failed"),
    (6, "health", "error rate above --max-error-rate"),
    (7, "health", "found fewer than --min-ratio x the usual articles of the same mode"),
    (8, "health", "last run found no articles"),
    (9, "health", "MongoDB unreachable"),
    (10, "health", "the share of parsed articles without a previous/next link rose: the "
                   "chain walk went blind"),
    (11, "health", "the last run stored articles whose body never rendered (kept with "
                   "body_status render_failed, rendered first by the next run)"),
    (66, "load-spill", "the spill file does not exist or cannot be read"),
    (69, "db", "the port is taken or the data directory is already served"),
    (73, "crawl, demo, export", "cannot create the state directory, lock or output file"),
    (75, "crawl, demo, reparse", "another crawl holds the lock; nothing was touched"),
    (78, "all (--env-file)", "the env file is unreadable, malformed or sets no MONGO_URI "
                             "(unless UNSMIL_ALLOW_LOCAL_DB=1)"),
    (141, "export, status", "the reader closed the pipe early (e.g. | head)"),
)
"""(code, commands, meaning): printed by ``--help`` and listed in docs/cli.md."""


class UserError(Exception):
    """A mistake or an unavailable resource the user can fix: one line, one exit code."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def exit_codes_epilog() -> str:
    """The exit-code table as plain text for ``--help``.

    >>> print(exit_codes_epilog().splitlines()[1])
        0  all: success / healthy
    """
    lines = ["exit codes:"]
    lines += [f"  {code:>3}  {commands}: {meaning}" for code, commands, meaning in EXIT_CODES]
    return "\n".join(lines)

"""Option types and shared options of the ``unsmil-crawler`` parser (``cli/main.py``).

A bad value is a usage error, one line and exit 2 (:class:`Parser`), found before anything
runs: a URL that is not http(s), a language the site has not, a date, a duration.
"""

from __future__ import annotations

import argparse
import re
from datetime import date, timedelta
from typing import NoReturn
from urllib.parse import urlsplit

from unsmil_crawler.cli.errors import EXIT_USAGE, exit_codes_epilog
from unsmil_crawler.cli.health import parse_duration


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (argparse prints the whole usage first)."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def duration(text: str) -> timedelta:
    try:
        return parse_duration(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date (YYYY-MM-DD): {text!r}") from None


def langs(text: str) -> str:
    """Comma-separated language codes; which ones a site has is checked against its profile."""
    langs = [part.strip() for part in text.split(",") if part.strip()]
    if not langs or not all(re.fullmatch(r"[a-z]{2,3}", lang) for lang in langs):
        raise argparse.ArgumentTypeError(f"languages are codes such as ar or ar,en; got {text!r}")
    return ",".join(langs)


def site(text: str) -> str:
    from unsmil_crawler.sites import get_profile

    try:
        return get_profile(text).name
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def check_languages(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """``--lang`` must name languages of ``--site`` (a usage error, exit 2, otherwise)."""
    if not getattr(args, "lang", None) or not getattr(args, "site", None):
        return
    from unsmil_crawler.sites import get_profile

    languages = get_profile(args.site).languages
    unknown = [lang for lang in args.lang.split(",") if lang not in languages]
    if unknown:
        parser.error(f"site {args.site} has no language {','.join(unknown)}; "
                     f"its languages: {','.join(languages)}")


def http_url(text: str) -> str:
    """An absolute http(s) URL: anything else would only fail later, after retries."""
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise argparse.ArgumentTypeError(f"not an absolute http(s) URL: {text!r}")
    return text


def positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {text!r}")
    return value


def cron(text: str) -> str:
    from unsmil_crawler.cli.schedule import validate

    try:
        return validate(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def mongo_options(parser: argparse.ArgumentParser, database_default: str = "unsmil") -> None:
    parser.add_argument(
        "--mongo-uri", metavar="URI",
        help="MongoDB URI (default: MONGO_URI setting/env, else the zero-setup local server); "
             "prefer the environment for passwords, ps shows arguments",
    )
    parser.add_argument(
        "--database", metavar="NAME",
        help=f"MongoDB database (default: MONGO_DATABASE setting/env, else {database_default})",
    )


def log_format_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--log-format", choices=("text", "json"), default="text",
        help="json: every line on stderr is one JSON object, the final summary too "
             "(default: text)",
    )


def command(sub: argparse._SubParsersAction, name: str, summary: str) -> Parser:
    """A subcommand whose --help ends with the exit codes."""
    return sub.add_parser(name, help=summary, description=summary, epilog=exit_codes_epilog(),
                          formatter_class=argparse.RawDescriptionHelpFormatter)

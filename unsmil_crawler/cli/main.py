"""The ``unsmil-crawler`` command line: crawl, status, health, export, db, load-spill, demo,
reparse, warc index.

Exit codes: :data:`unsmil_crawler.cli.errors.EXIT_CODES` (also printed by ``--help`` and
listed in docs/cli.md). A user's everyday mistake ends in one line on stderr, never a
traceback: usage errors through :class:`Parser`, the rest as
:class:`~unsmil_crawler.cli.errors.UserError`. argparse is used rather than click to avoid
a dependency.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from unsmil_crawler.cli.arguments import (
    Parser,
    check_languages,
    command,
    cron,
    duration,
    http_url,
    iso_date,
    langs,
    log_format_option,
    mongo_options,
    positive,
    site,
)
from unsmil_crawler.cli.errors import (
    EXIT_BROKEN_PIPE,
    EXIT_CONFIG,
    EXIT_FAILED,
    EXIT_NO_INPUT,
    EXIT_UNAVAILABLE,
    EXIT_USAGE,
    UserError,
    exit_codes_epilog,
)
from unsmil_crawler.cli.health import UNREACHABLE, parse_duration
from unsmil_crawler.sites import DEFAULT_SITE

if TYPE_CHECKING:
    from scrapy.settings import Settings

Handler = Callable[[argparse.Namespace], int]


def _settings(args: argparse.Namespace) -> Settings:
    """Project settings with ``--mongo-uri`` / ``--database`` applied at cmdline priority.

    Scrapy is imported lazily so ``health`` in cron starts fast.
    """
    from scrapy.utils.project import get_project_settings

    from unsmil_crawler.addon import declare_defaults

    settings = get_project_settings()
    declare_defaults(settings)
    if getattr(args, "mongo_uri", None):
        settings.set("MONGO_URI", args.mongo_uri, priority="cmdline")
    if getattr(args, "database", None):
        settings.set("MONGO_DATABASE", args.database, priority="cmdline")
    return settings


def _database_errors() -> tuple[type[Exception], ...]:
    """What an unreachable or refusing MongoDB raises on the way to a query."""
    from pymongo.errors import PyMongoError

    from unsmil_crawler.storage.connection import MongoUnavailable

    return PyMongoError, MongoUnavailable


def _unreachable(settings: Settings, exc: Exception) -> str:
    """One line naming the (password-masked) server, instead of a pymongo traceback."""
    from unsmil_crawler.storage.connection import mask_uri, resolve_uri

    try:
        uri = mask_uri(resolve_uri(settings))
    except Exception:  # the zero-setup server itself failed to start: still one line
        uri = "the zero-setup local server"
    return f"MongoDB at {uri} unreachable ({type(exc).__name__})"


def _stdout_closed() -> UserError:
    """The reader went away (``| head``): say so once, without Python's shutdown traceback
    (which the final flush of a closed stdout would print)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return UserError("output closed before the end (broken pipe)", EXIT_BROKEN_PIPE)


def cmd_crawl(args: argparse.Namespace) -> int:
    from unsmil_crawler.cli.crawl import crawl, parse_setting_pairs

    try:
        overrides = parse_setting_pairs(args.set)
    except ValueError as exc:
        raise UserError(str(exc), EXIT_USAGE) from None
    spider_args = {"site": args.site, "mode": args.mode}
    for name in ("lang", "base_url", "start_url"):
        if getattr(args, name):
            spider_args[name] = getattr(args, name)
    outcome = crawl(
        _settings(args),
        spider_args,
        overrides=overrides,
        progress=args.progress,
        json_logs=args.log_format == "json",
        lock_wait=args.lock_wait,
    )
    from unsmil_crawler.cli.logs import report

    report("unsmil-crawler crawl", outcome.summary, json_logs=args.log_format == "json",
           error=outcome.code != 0)
    return outcome.code


def cmd_status(args: argparse.Namespace) -> int:
    from unsmil_crawler.cli.reports import database, status

    settings = _settings(args)
    try:
        return status(database(settings), args.limit, site=args.site)
    except _database_errors() as exc:
        raise UserError(_unreachable(settings, exc), EXIT_FAILED) from None
    except BrokenPipeError:
        raise _stdout_closed() from None


def cmd_health(args: argparse.Namespace) -> int:
    from unsmil_crawler.cli.reports import database, health

    settings = _settings(args)
    try:
        result = health(
            database(settings),
            site=args.site,
            max_age=args.max_age,
            max_error_rate=(settings.getfloat("UNSMIL_MAX_ERROR_RATE")
                            if args.max_error_rate is None else args.max_error_rate),
            min_ratio=args.min_ratio,
            min_baseline=args.min_baseline,
        )
    except _database_errors() as exc:
        print(f"UNHEALTHY: {_unreachable(settings, exc)}")
        return UNREACHABLE
    print(f"{'OK' if result.ok else 'UNHEALTHY'}: {result.reason}")
    return result.code


def cmd_export(args: argparse.Namespace) -> int:
    from unsmil_crawler.cli.export import search_filter
    from unsmil_crawler.cli.reports import database, export_articles

    if args.search is not None:
        try:
            search_filter(args.search)
        except ValueError as exc:
            raise UserError(str(exc), EXIT_USAGE) from None
    settings = _settings(args)
    try:
        count = export_articles(
            database(settings),
            args.format,
            args.output,
            lang=args.lang,
            site=args.site,
            since=args.since,
            until=args.until,
            search=args.search,
        )
    except _database_errors() as exc:
        raise UserError(_unreachable(settings, exc), EXIT_FAILED) from None
    except BrokenPipeError:
        raise _stdout_closed() from None
    print(f"unsmil-crawler export: {count} articles", file=sys.stderr)
    return 0


def cmd_db(args: argparse.Namespace) -> int:
    from unsmil_crawler.storage.local_server import serve_foreground

    try:
        return serve_foreground(args.data_dir, args.host, args.port)
    except RuntimeError as exc:  # port taken, directory already served, daemon missing
        raise UserError(str(exc), EXIT_UNAVAILABLE) from None


def cmd_load_spill(args: argparse.Namespace) -> int:
    from unsmil_crawler.cli.reports import database, load_spill

    if not os.access(args.file, os.R_OK) or os.path.isdir(args.file):
        raise UserError(f"cannot read spill file {args.file!r}", EXIT_NO_INPUT)
    settings = _settings(args)
    try:
        result = load_spill(database(settings), args.file)
    except _database_errors() as exc:
        raise UserError(_unreachable(settings, exc), EXIT_FAILED) from None
    print(f"unsmil-crawler load-spill: {result} records loaded", file=sys.stderr)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from unsmil_crawler.cli.demo import demo

    return demo(_settings(args), database=args.database, json_logs=args.log_format == "json")


def cmd_schedule(args: argparse.Namespace) -> int:
    import logging

    from unsmil_crawler.cli.schedule import schedule

    logging.basicConfig(level=logging.INFO, format="%(asctime)s [%(name)s] %(message)s")
    crawl_args = [a for a in args.crawl_args if a != "--"]
    return schedule(args.cron, crawl_args, runs=args.runs)


def build_parser() -> argparse.ArgumentParser:
    """The full parser; ``docs/cli.md`` documents the same options."""
    parser = Parser(
        prog="unsmil-crawler", description="Crawl the UNSMIL news archive into MongoDB.",
        epilog=exit_codes_epilog(), formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--env-file", metavar="FILE",
        help="KEY=VALUE lines (e.g. MONGO_URI) read literally into the environment first; "
             "must set MONGO_URI unless UNSMIL_ALLOW_LOCAL_DB=1 (exit 78 otherwise)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    crawl = command(sub, "crawl", "run the spider once (locked, resumable)")
    crawl.add_argument("--site", type=site, default=DEFAULT_SITE,
                       help=f"site profile to crawl (default: {DEFAULT_SITE})")
    crawl.add_argument("--mode", choices=("full", "incremental"), default="incremental",
                       help="full: the whole archive; incremental (default): the newest end "
                            "and the re-check window (full when nothing is stored yet)")
    crawl.add_argument("--lang", type=langs,
                       help="comma-separated languages of the site (default: all of them)")
    crawl.add_argument("--base-url", type=http_url, metavar="URL",
                       help="site root, http(s) only (default: the site's real address)")
    crawl.add_argument("--start-url", type=http_url, metavar="URL",
                       help="also begin the chain walk at this article or listing")
    crawl.add_argument("--lock-wait", type=float, default=0, metavar="SECONDS",
                       help="wait this long for another crawl to end (default: exit 75 at once)")
    mongo_options(crawl)
    log_format_option(crawl)
    crawl.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=sys.stderr.isatty(),
        help="articles found/stored against the known total on stderr "
             "(default: on when stderr is a terminal)",
    )
    crawl.add_argument(
        "-s", "--set", action="append", default=[], metavar="NAME=VALUE",
        help="override a Scrapy setting (repeatable)",
    )
    crawl.set_defaults(func=cmd_crawl)

    status = command(sub, "status", "the last crawl runs as a table")
    status.add_argument("-n", "--limit", type=positive, default=10,
                        help="how many runs, newest first (default: 10)")
    status.add_argument("--site", type=site, help="only this site's runs (default: all)")
    mongo_options(status)
    status.set_defaults(func=cmd_status)

    health = command(sub, "health", "exit 0 if the last run is recent and clean")
    health.add_argument("--max-age", type=duration, default=parse_duration("26h"),
                        metavar="DURATION",
                        help="the last successful run must be younger (default: 26h)")
    health.add_argument("--max-error-rate", type=float, metavar="RATE",
                        help="tolerated errors / requests (default: UNSMIL_MAX_ERROR_RATE)")
    health.add_argument("--min-ratio", type=float, default=0.3, metavar="RATIO",
                        help="lowest articles found / the median of earlier runs of the same "
                             "mode (default: 0.3)")
    health.add_argument("--min-baseline", type=positive, default=3, metavar="N",
                        help="earlier runs of the same mode needed before counts are judged "
                             "(default: 3)")
    health.add_argument("--site", type=site, default=DEFAULT_SITE,
                        help=f"judge this site's runs (default: {DEFAULT_SITE})")
    mongo_options(health)
    health.set_defaults(func=cmd_health)

    export = command(sub, "export", "stream articles as JSON Lines or CSV")
    export.add_argument("--format", choices=("jsonl", "csv"), required=True,
                        help="jsonl: every stored field; csv: fixed columns, UTF-8")
    export.add_argument("--lang", type=langs, help="ar, en or ar,en (default: all)")
    export.add_argument("--site", type=site, help="only this site's articles (default: all)")
    export.add_argument("--since", type=iso_date, help="published on or after (YYYY-MM-DD)")
    export.add_argument("--until", type=iso_date, help="published on or before (YYYY-MM-DD)")
    export.add_argument("--search", metavar="TEXT",
                        help="only articles whose title or body contains TEXT, compared in "
                             "the search form (Arabic letter variants and diacritics folded)")
    export.add_argument("-o", "--output", metavar="FILE",
                        help="file to write, complete or not at all (default: stdout)")
    mongo_options(export)
    export.set_defaults(func=cmd_export)

    db = command(sub, "db", "run the zero-setup SecantusDB server in the foreground")
    db.add_argument("--host", default="127.0.0.1", help="address to listen on (default: "
                    "127.0.0.1; anything else exposes an unauthenticated database)")
    db.add_argument("--port", type=int, default=27017, help="TCP port (default: 27017)")
    db.add_argument("--data-dir", default="var/secantus", metavar="DIR",
                    help="where the data lives; crawls without MONGO_URI use the same "
                         "(default: var/secantus)")
    db.set_defaults(func=cmd_db)

    spill = command(sub, "load-spill", "load a spill file written while MongoDB was down")
    spill.add_argument("file", help="the spill file a crawl named (var/spill/<run id>.jsonl)")
    mongo_options(spill)
    spill.set_defaults(func=cmd_load_spill)

    demo = command(sub, "demo", "crawl the built-in offline site end to end")
    mongo_options(demo, database_default="unsmil_demo, emptied first")
    log_format_option(demo)
    demo.set_defaults(func=cmd_demo)

    sched = command(sub, "schedule", "crawl then health on a cron schedule (containers)")
    sched.add_argument("--cron", type=cron, default="17 3 * * *",
                       help='UTC cron expression (default: "17 3 * * *")')
    sched.add_argument("--runs", type=positive, help="stop after this many runs (default: never)")
    sched.add_argument("crawl_args", nargs=argparse.REMAINDER,
                       help="-- then crawl options; --mongo-uri/--database also go to health")
    sched.set_defaults(func=cmd_schedule)

    from unsmil_crawler.cli.warc import add_parsers

    add_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Console-script entry point; returns the exit code (see module docstring)."""
    # Work from any directory, not only next to scrapy.cfg (cron, systemd, Docker).
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "unsmil_crawler.settings")
    parser = build_parser()
    args = parser.parse_args(argv)
    check_languages(parser, args)
    if args.env_file:
        from unsmil_crawler.cli.envfile import ConfigError, load_env_file

        try:
            load_env_file(args.env_file)
        except ConfigError as exc:  # a global option: no command named in the message
            print(f"unsmil-crawler: {exc}", file=sys.stderr)
            return EXIT_CONFIG
    handler: Handler = args.func
    try:
        return handler(args)
    except UserError as exc:
        print(f"unsmil-crawler {args.command}: {exc}", file=sys.stderr)
        return exc.code

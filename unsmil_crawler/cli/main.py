"""The ``unsmil-crawler`` command line: crawl, status, health, export, db, load-spill, demo.

Exit codes (docs/cli.md): 0 success, 1 crawl failed (or, for ``status``/``export``, MongoDB
unreachable), 2 usage error, 75 another crawl holds the lock (EX_TEMPFAIL: cron may simply
try again later), 78 unusable ``--env-file`` (EX_CONFIG), and 3-9 for ``health`` verdicts
(see ``unsmil_crawler.cli.health``; 9 is MongoDB unreachable). argparse is used rather
than click to avoid a dependency.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from unsmil_crawler.cli.crawl import EXIT_FAILED, EXIT_USAGE
from unsmil_crawler.cli.health import UNREACHABLE, parse_duration
from unsmil_crawler.sites import DEFAULT_SITE

if TYPE_CHECKING:
    from scrapy.settings import Settings

Handler = Callable[[argparse.Namespace], int]


def _duration(text: str) -> timedelta:
    try:
        return parse_duration(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date (YYYY-MM-DD): {text!r}") from None


def _langs(text: str) -> str:
    """Comma-separated language codes; which ones a site has is checked against its profile."""
    langs = [part.strip() for part in text.split(",") if part.strip()]
    if not langs or not all(re.fullmatch(r"[a-z]{2,3}", lang) for lang in langs):
        raise argparse.ArgumentTypeError(f"languages are codes such as ar or ar,en; got {text!r}")
    return ",".join(langs)


def _site(text: str) -> str:
    from unsmil_crawler.sites import get_profile

    try:
        return get_profile(text).name
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _check_languages(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """``--lang`` must name languages of ``--site`` (a usage error, exit 2, otherwise)."""
    if not getattr(args, "lang", None) or not getattr(args, "site", None):
        return
    from unsmil_crawler.sites import get_profile

    languages = get_profile(args.site).languages
    unknown = [lang for lang in args.lang.split(",") if lang not in languages]
    if unknown:
        parser.error(f"site {args.site} has no language {','.join(unknown)}; "
                     f"its languages: {','.join(languages)}")


def _settings() -> Settings:
    """Project settings; Scrapy is imported lazily so ``health`` in cron starts fast."""
    from scrapy.utils.project import get_project_settings

    from unsmil_crawler.addon import declare_defaults

    settings = get_project_settings()
    declare_defaults(settings)
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


def cmd_crawl(args: argparse.Namespace) -> int:
    from unsmil_crawler.cli.crawl import crawl, parse_setting_pairs

    try:
        overrides = parse_setting_pairs(args.set)
    except ValueError as exc:
        print(f"unsmil-crawler crawl: {exc}", file=sys.stderr)
        return EXIT_USAGE
    spider_args = {"site": args.site, "mode": args.mode}
    for name in ("lang", "base_url", "start_url"):
        if getattr(args, name):
            spider_args[name] = getattr(args, name)
    outcome = crawl(
        _settings(),
        spider_args,
        mongo_uri=args.mongo_uri,
        overrides=overrides,
        progress=args.progress,
        json_logs=args.log_format == "json",
        lock_wait=args.lock_wait,
    )
    print(f"unsmil-crawler crawl: {outcome.summary}", file=sys.stderr)
    return outcome.code


def cmd_status(args: argparse.Namespace) -> int:
    from unsmil_crawler.cli.reports import database, status

    settings = _settings()
    try:
        return status(database(settings, args.mongo_uri), args.limit, site=args.site)
    except _database_errors() as exc:
        print(f"unsmil-crawler status: {_unreachable(settings, exc)}", file=sys.stderr)
        return EXIT_FAILED


def cmd_health(args: argparse.Namespace) -> int:
    from unsmil_crawler.cli.reports import database, health

    settings = _settings()
    try:
        result = health(
            database(settings, args.mongo_uri),
            site=args.site,
            max_age=args.max_age,
            max_error_rate=(settings.getfloat("UNSMIL_MAX_ERROR_RATE")
                            if args.max_error_rate is None else args.max_error_rate),
            min_ratio=args.min_ratio,
        )
    except _database_errors() as exc:
        print(f"UNHEALTHY: {_unreachable(settings, exc)}")
        return UNREACHABLE
    print(f"{'OK' if result.ok else 'UNHEALTHY'}: {result.reason}")
    return result.code


def cmd_export(args: argparse.Namespace) -> int:
    from unsmil_crawler.cli.reports import database, export_articles

    settings = _settings()
    try:
        count = export_articles(
            database(settings, args.mongo_uri),
            args.format,
            args.output,
            lang=args.lang,
            site=args.site,
            since=args.since,
            until=args.until,
        )
    except _database_errors() as exc:
        print(f"unsmil-crawler export: {_unreachable(settings, exc)}", file=sys.stderr)
        return EXIT_FAILED
    print(f"unsmil-crawler export: {count} articles", file=sys.stderr)
    return 0


def cmd_db(args: argparse.Namespace) -> int:
    from unsmil_crawler.storage.local_server import serve_foreground

    return serve_foreground(args.data_dir, args.host, args.port)


def cmd_load_spill(args: argparse.Namespace) -> int:
    from unsmil_crawler.cli.reports import database, load_spill

    result = load_spill(database(_settings(), args.mongo_uri), args.file)
    print(f"unsmil-crawler load-spill: {result}", file=sys.stderr)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from unsmil_crawler.cli.demo import demo

    return demo(_settings(), mongo_uri=args.mongo_uri, json_logs=args.log_format == "json")


def cmd_schedule(args: argparse.Namespace) -> int:
    import logging

    from unsmil_crawler.cli.schedule import schedule

    logging.basicConfig(level=logging.INFO, format="%(asctime)s [%(name)s] %(message)s")
    crawl_args = [a for a in args.crawl_args if a != "--"]
    return schedule(args.cron, crawl_args, runs=args.runs)


def _cron(text: str) -> str:
    from unsmil_crawler.cli.schedule import validate

    try:
        return validate(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _mongo_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--mongo-uri", help="MongoDB URI (default: MONGO_URI setting/env, else zero-setup server)"
    )


def build_parser() -> argparse.ArgumentParser:
    """The full parser; ``docs/cli.md`` documents the same options."""
    parser = argparse.ArgumentParser(
        prog="unsmil-crawler", description="Crawl the UNSMIL news archive into MongoDB."
    )
    parser.add_argument(
        "--env-file", metavar="FILE",
        help="KEY=VALUE lines (e.g. MONGO_URI) read literally into the environment first; "
             "must set MONGO_URI unless UNSMIL_ALLOW_LOCAL_DB=1 (exit 78 otherwise)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    crawl = sub.add_parser("crawl", help="run the spider once (locked, resumable)")
    crawl.add_argument("--site", type=_site, default=DEFAULT_SITE,
                       help=f"site profile to crawl (default: {DEFAULT_SITE})")
    crawl.add_argument("--mode", choices=("full", "incremental"), default="incremental")
    crawl.add_argument("--lang", type=_langs,
                       help="comma-separated languages of the site (default: all of them)")
    crawl.add_argument("--base-url", help="site root (default: the site's real address)")
    crawl.add_argument("--start-url", help="begin the chain walk at this article")
    crawl.add_argument("--lock-wait", type=float, default=0, metavar="SECONDS",
                       help="wait this long for another crawl to end (default: exit 75 at once)")
    _mongo_option(crawl)
    crawl.add_argument("--log-format", choices=("text", "json"), default="text")
    crawl.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=sys.stderr.isatty(),
        help="progress line on stderr (default: on when stderr is a terminal)",
    )
    crawl.add_argument(
        "-s", "--set", action="append", default=[], metavar="NAME=VALUE",
        help="override a Scrapy setting (repeatable)",
    )
    crawl.set_defaults(func=cmd_crawl)

    status = sub.add_parser("status", help="the last crawl runs as a table")
    status.add_argument("-n", "--limit", type=int, default=10)
    status.add_argument("--site", type=_site, help="only this site's runs (default: all)")
    _mongo_option(status)
    status.set_defaults(func=cmd_status)

    health = sub.add_parser("health", help="exit 0 if the last run is recent and clean")
    health.add_argument("--max-age", type=_duration, default=parse_duration("26h"))
    health.add_argument("--max-error-rate", type=float,
                        help="tolerated errors / requests (default: UNSMIL_MAX_ERROR_RATE)")
    health.add_argument("--min-ratio", type=float, default=0.3)
    health.add_argument("--site", type=_site, default=DEFAULT_SITE,
                        help=f"judge this site's runs (default: {DEFAULT_SITE})")
    _mongo_option(health)
    health.set_defaults(func=cmd_health)

    export = sub.add_parser("export", help="stream articles as JSON Lines or CSV")
    export.add_argument("--format", choices=("jsonl", "csv"), required=True)
    export.add_argument("--lang", type=_langs)
    export.add_argument("--site", type=_site, help="only this site's articles (default: all)")
    export.add_argument("--since", type=_date, help="published on or after (YYYY-MM-DD)")
    export.add_argument("--until", type=_date, help="published on or before (YYYY-MM-DD)")
    export.add_argument("-o", "--output", help="file to write (default: stdout)")
    _mongo_option(export)
    export.set_defaults(func=cmd_export)

    db = sub.add_parser("db", help="run the zero-setup SecantusDB server in the foreground")
    db.add_argument("--host", default="127.0.0.1")
    db.add_argument("--port", type=int, default=27017)
    db.add_argument("--data-dir", default="var/secantus")
    db.set_defaults(func=cmd_db)

    spill = sub.add_parser("load-spill", help="load a spill file written while MongoDB was down")
    spill.add_argument("file")
    _mongo_option(spill)
    spill.set_defaults(func=cmd_load_spill)

    demo = sub.add_parser("demo", help="crawl the built-in offline site end to end")
    _mongo_option(demo)
    demo.add_argument("--log-format", choices=("text", "json"), default="text")
    demo.set_defaults(func=cmd_demo)

    sched = sub.add_parser("schedule", help="crawl then health on a cron schedule (containers)")
    sched.add_argument("--cron", type=_cron, default="17 3 * * *", help="UTC cron expression")
    sched.add_argument("--runs", type=int, help="stop after this many runs (default: never)")
    sched.add_argument("crawl_args", nargs=argparse.REMAINDER, help="-- then crawl options")
    sched.set_defaults(func=cmd_schedule)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Console-script entry point; returns the exit code (see module docstring)."""
    # Work from any directory, not only next to scrapy.cfg (cron, systemd, Docker).
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "unsmil_crawler.settings")
    parser = build_parser()
    args = parser.parse_args(argv)
    _check_languages(parser, args)
    if args.env_file:
        from unsmil_crawler.cli.envfile import EX_CONFIG, ConfigError, load_env_file

        try:
            load_env_file(args.env_file)
        except ConfigError as exc:
            print(f"unsmil-crawler: {exc}", file=sys.stderr)
            return EX_CONFIG
    handler: Handler = args.func
    return handler(args)


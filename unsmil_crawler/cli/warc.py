"""``unsmil-crawler reparse`` and ``unsmil-crawler warc index`` (docs/warc.md).

``reparse`` holds the crawl lock (a crawl and a reparse never write at once) and runs
:class:`~unsmil_crawler.warc.replay.ReparseSpider` in this process with the reparse
settings: the archive is its only source. Exit codes as ``crawl``.

``warc index`` writes a sorted CDXJ index (default ``<WARC_DIR>/index.cdxj``) and exits 0;
truncated tails are listed on stderr and counted in the summary.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from scrapy.settings import Settings

from unsmil_crawler.cli.arguments import (
    command,
    iso_date,
    langs,
    log_format_option,
    mongo_options,
    site,
)
from unsmil_crawler.cli.crawl import (
    CrawlOutcome,
    LockBusy,
    RunOutcome,
    crawl_exit_code,
    crawl_lock,
    parse_setting_pairs,
    state_dir,
)
from unsmil_crawler.cli.errors import EXIT_FAILED, EXIT_LOCKED, EXIT_USAGE


def reparse(settings: Settings, spider_args: Mapping[str, str], *, mongo_uri: str | None,
            overrides: Mapping[str, str], json_logs: bool = False) -> CrawlOutcome:
    """Lock, replay the selected archived pages through spider and pipelines, report."""
    from scrapy.crawler import CrawlerProcess

    from unsmil_crawler.cli.logs import use_json_logging
    from unsmil_crawler.warc.replay import ReparseSpider, reparse_settings

    settings.setdict(dict(overrides), priority="cmdline")
    if mongo_uri:
        settings.set("MONGO_URI", mongo_uri, priority="cmdline")
    reparse_settings(settings)
    try:
        with crawl_lock(state_dir(settings) / "crawl.lock"):
            if json_logs:
                use_json_logging(settings)
            process = CrawlerProcess(settings)
            crawler = process.create_crawler(ReparseSpider)
            process.crawl(crawler, **spider_args)
            process.start()
    except LockBusy as busy:
        return CrawlOutcome(EXIT_LOCKED, str(busy))
    code, summary = crawl_exit_code(RunOutcome.of(crawler),
                                    settings.getfloat("UNSMIL_MAX_ERROR_RATE"))
    spider = crawler.spider
    if isinstance(spider, ReparseSpider):  # None when the spider never started
        summary += (f"; {spider.selected} archived pages from {spider.scan.files} WARC files, "
                    f"{len(spider.scan.truncated)} truncated tails skipped")
    return CrawlOutcome(code, summary, dict(crawler.stats.get_stats()))


def cmd_reparse(args: argparse.Namespace) -> int:
    from scrapy.utils.project import get_project_settings

    try:
        overrides = parse_setting_pairs(args.set)
    except ValueError as exc:
        print(f"unsmil-crawler reparse: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.warc_dir:
        overrides["WARC_DIR"] = args.warc_dir
    if args.database:
        overrides["MONGO_DATABASE"] = args.database
    spider_args = {name: value for name, value in (
        ("site", args.site), ("since", args.since and args.since.isoformat()),
        ("lang", args.lang), ("url", ",".join(args.url or ())),
    ) if value}
    outcome = reparse(get_project_settings(), spider_args, mongo_uri=args.mongo_uri,
                      overrides=overrides, json_logs=args.log_format == "json")
    print(f"unsmil-crawler reparse: {outcome.summary}", file=sys.stderr)
    return outcome.code


def cmd_index(args: argparse.Namespace) -> int:
    from scrapy.utils.project import get_project_settings

    from unsmil_crawler.warc import warc_dir
    from unsmil_crawler.warc.index import write_cdxj

    settings = get_project_settings()
    if args.warc_dir:
        settings.set("WARC_DIR", args.warc_dir, priority="cmdline")
    directory = warc_dir(settings)
    if not directory.is_dir():
        print(f"unsmil-crawler warc index: no WARC directory at {directory}", file=sys.stderr)
        return EXIT_FAILED
    output = Path(args.output) if args.output else directory / "index.cdxj"
    report = write_cdxj(directory, output)
    for name, offset in report.truncated:
        print(f"unsmil-crawler warc index: skipped the truncated tail of {name} from offset "
              f"{offset}", file=sys.stderr)
    print(f"unsmil-crawler warc index: {output}: {report.records} records of {report.files} "
          f"files, {len(report.truncated)} truncated tails skipped", file=sys.stderr)
    return 0


def add_parsers(sub: Any) -> None:
    """The ``reparse`` and ``warc`` subcommands (``docs/cli.md`` documents them)."""
    rep = command(sub, "reparse", "re-extract stored articles from the WARC archive, "
                                  "without the network")
    rep.add_argument("--site", type=site,
                     help="the site whose archived pages to reparse (default: unsmil)")
    rep.add_argument("--since", type=iso_date,
                     help="only pages fetched on or after this day (YYYY-MM-DD)")
    rep.add_argument("--url", action="append", metavar="URL",
                     help="only this article URL (repeatable)")
    rep.add_argument("--lang", type=langs, help="ar, en or ar,en (default: every language)")
    rep.add_argument("--warc-dir", metavar="DIR", help="archive to read (default: WARC_DIR)")
    mongo_options(rep)
    log_format_option(rep)
    rep.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                     help="override a Scrapy setting (repeatable)")
    rep.set_defaults(func=cmd_reparse)

    warc = command(sub, "warc", "the WARC archive of fetched pages")
    warc_sub = warc.add_subparsers(dest="warc_command", required=True, metavar="ACTION",
                                   help="index: write a CDXJ index of the archive")
    index = command(warc_sub, "index", "write a CDXJ index for pywb or any WARC tool")
    index.add_argument("--warc-dir", metavar="DIR", help="archive to index (default: WARC_DIR)")
    index.add_argument("-o", "--output", metavar="FILE",
                       help="index file (default: <WARC_DIR>/index.cdxj)")
    index.set_defaults(func=cmd_index)

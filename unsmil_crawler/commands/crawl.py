"""``scrapy crawl``, Scrapy's own command, plus: this crawl is recorded in ``crawl_runs``."""

from __future__ import annotations

import argparse

from scrapy.commands.crawl import Command as ScrapyCrawlCommand

from unsmil_crawler.commands import record_runs


class Command(ScrapyCrawlCommand):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        record_runs(self.settings)

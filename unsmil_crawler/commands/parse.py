"""``scrapy parse``, Scrapy's own command, plus: no pipelines (no MongoDB) unless --pipelines."""

from __future__ import annotations

import argparse

from scrapy.commands.parse import Command as ScrapyParseCommand

from unsmil_crawler.commands import without_pipelines


class Command(ScrapyParseCommand):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        if not opts.pipelines:
            without_pipelines(self.settings)

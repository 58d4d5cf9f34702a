"""``scrapy check``, Scrapy's own command, plus: its pipelines stay off under the add-on.

Scrapy's ``check`` empties ``ITEM_PIPELINES`` itself, but the add-on registers the
project's pipelines into the emptied dict afterwards; switched off by name they stay off,
so contracts need no MongoDB.
"""

from __future__ import annotations

import argparse

from scrapy.commands.check import Command as ScrapyCheckCommand

from unsmil_crawler.commands import without_pipelines


class Command(ScrapyCheckCommand):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        without_pipelines(self.settings)

"""``scrapy shell``, Scrapy's own command, plus: no pipelines, so it neither needs nor
writes MongoDB, and Scrapy's own HTTP download handlers: the shell runs the reactor in a
thread, and with scrapy-playwright's handler it hangs after "Spider opened" (seen with
scrapy-playwright 0.0.48). Rendering is tested through crawls, not the shell."""

from __future__ import annotations

import argparse

from scrapy.commands.shell import Command as ScrapyShellCommand

from unsmil_crawler.commands import plain_download_handlers, without_pipelines


class Command(ScrapyShellCommand):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        without_pipelines(self.settings)
        plain_download_handlers(self.settings)

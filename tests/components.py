"""Crawlers for tests that drive the pipelines, middlewares and extensions directly.

``get_crawler`` plus the project's add-on (so every component default is declared, as in a
real crawl) and a spider instance (components take the site profile from the spider).
"""

from __future__ import annotations

from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.utils.test import get_crawler

from unsmil_crawler.addon import UnsmilAddon
from unsmil_crawler.sites import get_profile


class SiteSpider(Spider):
    """The least spider the components accept: a name and a site profile."""

    name = "news"
    profile = get_profile("unsmil")
    mode = "full"
    lang = "en"
    base_url = "https://user:hunter2@unsmil.unmissions.org/en/news"


def component_crawler(spidercls: type[Spider] = SiteSpider, **settings: Any) -> Crawler:
    crawler = get_crawler(spidercls, {"ADDONS": {UnsmilAddon: 0}, **settings})
    crawler.spider = spidercls.from_crawler(crawler)
    return crawler


def with_pipelines(crawler: Crawler, *pipelines: Any) -> None:
    """Let ``crawler.get_item_pipeline()`` find these pipelines, as the engine would: tests
    that drive pipelines and extensions directly run no engine."""
    crawler.get_item_pipeline = lambda cls: next(  # type: ignore[method-assign]
        (p for p in pipelines if isinstance(p, cls)), None)

"""A news spider with an older, wrong extraction rule, for the reparse test.

The "old rule" reads the title from ``<title>`` only and keeps the site suffix
(``… | UNSMIL``): the kind of bug a later extractor fixes, leaving stored documents wrong
until they are extracted again. Its items carry the previous ``EXTRACTOR_VERSION``.
Enabled with ``-s SPIDER_MODULES=unsmil_crawler.spiders,tests.old_rule_spider``.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from unsmil_crawler.extract.article import EXTRACTOR_VERSION
from unsmil_crawler.items import ArticleItem
from unsmil_crawler.sites.unsmil import UNSMIL
from unsmil_crawler.spiders.unsmil_news import UnsmilNewsSpider

OLD_PROFILE = dataclasses.replace(
    UNSMIL, title=(("<title>", "//head/title"),), title_suffix=re.compile(r"(?!)"))


class OldRuleSpider(UnsmilNewsSpider):
    name = "unsmil_news_old_rule"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.profile = OLD_PROFILE

    def _item(self, page: Any, response: Any) -> Any:
        item = super()._item(page, response)
        if isinstance(item, ArticleItem):
            item.extractor_version = EXTRACTOR_VERSION - 1
        return item

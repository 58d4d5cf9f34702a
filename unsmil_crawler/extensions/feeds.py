"""Feed exports (``scrapy crawl ... -O out.jsonl``, ``FEEDS``) carry articles only.

The spider also yields bookkeeping items for the storage pipeline: another URL of an
article already seen (``AliasItem``), a stored article answered 304 (``NotModifiedItem``),
a page now gone (``GoneItem``). They are rows of only ``url``/``lang``/``aliases`` that no
feed reader wants, so this replaces Scrapy's ``FeedExporter`` (settings.py
``EXTENSIONS``) and hands it article rows only. An article row that the pipelines
rejected keeps its ``reject_reason``; one whose text is stored under another URL keeps
``duplicate_of`` (docs/crawling.md). Every other feed option (format, fields,
``item_classes``) works as Scrapy documents it.
"""

from __future__ import annotations

from typing import Any

from scrapy.extensions.feedexport import FeedExporter

from unsmil_crawler.items import ArticleItem


class ArticleFeedExporter(FeedExporter):
    """Scrapy's feed exporter, fed only :class:`~unsmil_crawler.items.ArticleItem` rows."""

    def item_scraped(self, item: Any, spider: Any) -> None:
        if isinstance(item, ArticleItem):
            super().item_scraped(item, spider)

"""Scrapy contracts for ``scrapy check``: the article callback checked against a live page.

``@url`` would pin one host, but the same article path is served by the real site and by
the offline test site (``python -m unsmil_testsite``), so ``@site_path`` takes a path and
the spider's ``base_url`` argument supplies the host (a ``/node/N`` path, as Drupal
serves every article under one, survives a change of URL alias)::

    scrapy check unsmil_news -a base_url=http://127.0.0.1:8000

``@filled`` fails when a field is empty, not only absent: every field of an
:class:`~unsmil_crawler.items.ArticleItem` exists, so Scrapy's ``@scrapes`` cannot fail.
Registered in ``SPIDER_CONTRACTS``.
"""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter, is_item
from scrapy.contracts import Contract
from scrapy.exceptions import ContractFail


class SitePathContract(Contract):
    """``@site_path /en/news/slug``: request that path on the spider's ``base_url``."""

    name = "site_path"

    def __init__(self, method: Any, *args: Any) -> None:
        super().__init__(method, *args)
        self.spider = method.__self__  # the callback is bound to the spider under test

    def adjust_request_args(self, args: dict[str, Any]) -> dict[str, Any]:
        args["url"] = self.spider.profile.url(self.spider.base_url, self.args[0])
        return args


class FilledContract(Contract):
    """``@filled url title body``: every item returned has a non-empty value for each."""

    name = "filled"

    def post_process(self, output: list[Any]) -> None:
        for item in filter(is_item, output):
            adapter = ItemAdapter(item)
            empty = [name for name in self.args if not adapter.get(name)]
            if empty:
                raise ContractFail(f"empty fields: {', '.join(empty)}")

"""Scrapy commands of this project (``COMMANDS_MODULE``): ``scrapy crawl`` records its run.

Only a real crawl is a run: ``scrapy shell``, ``scrapy parse``, ``scrapy check`` and
``scrapy fetch`` run the spider's callbacks too, but must leave no ``crawl_runs`` row
(a row left "running" would be marked failed later, and its error rate judged by
``health``). So ``CRAWL_RUNS_ENABLED`` is off in settings.py, and the crawling entry
points turn it on: this package's ``crawl`` (also what scrapyd runs) and
``unsmil-crawler crawl``. Its ``parse`` (without ``--pipelines``) and ``shell`` also switch
the item pipelines off, as Scrapy's ``check`` does: they only show what a page yields, so
they need no MongoDB and must not write to it.
"""

from __future__ import annotations

from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings

TOOL_PRIORITY = (SETTINGS_PRIORITIES["spider"] + SETTINGS_PRIORITIES["cmdline"]) // 2
"""Above settings.py and the spider's custom_settings, below an explicit ``-s``."""


def record_runs(settings: BaseSettings) -> None:
    """Turn ``CRAWL_RUNS_ENABLED`` on for a real crawl, unless ``-s`` said otherwise."""
    if (settings.getpriority("CRAWL_RUNS_ENABLED") or 0) < SETTINGS_PRIORITIES["cmdline"]:
        settings.set("CRAWL_RUNS_ENABLED", True, priority=TOOL_PRIORITY)


def without_pipelines(settings: BaseSettings) -> None:
    """No item pipelines (so no MongoDB) for a command that only shows what pages yield.

    Each one is switched off by name (``None``) above the add-on's priority: replacing the
    whole dict would not do, as the add-on registers its pipelines into whatever dict the
    setting holds when the crawler starts, after this runs.
    """
    from unsmil_crawler.addon import PIPELINES

    pipelines = settings["ITEM_PIPELINES"]
    for path in {*PIPELINES, *pipelines}:
        pipelines.set(path, None, priority=TOOL_PRIORITY)


def plain_download_handlers(settings: BaseSettings) -> None:
    """Scrapy's own HTTP(S) download handlers instead of scrapy-playwright's (the add-on's)."""
    handlers, base = settings["DOWNLOAD_HANDLERS"], settings["DOWNLOAD_HANDLERS_BASE"]
    for scheme in ("http", "https"):
        handlers.set(scheme, base[scheme], priority=TOOL_PRIORITY)

"""The crawler's components as one Scrapy add-on.

``ADDONS = {"unsmil_crawler.addon.UnsmilAddon": 0}`` in any Scrapy project's settings.

Every component default is declared here, once, at ``addon`` priority: a project's
settings.py, a spider's ``custom_settings`` and ``-s NAME=VALUE`` all override it, and the
modules that read a setting take its value as given (no second default at the read site).
docs/settings.md lists each setting with its default and meaning; tests/test_settings.py
fails when code reads a setting that file does not list.

Environment variables: ``MONGO_DATABASE``, ``MONGO_SPILL_PATH``, ``MONGO_LOCAL_DATA_DIR``,
``UNSMIL_STATE_DIR`` and ``CHROMIUM_PATH`` replace the built-in default of the setting of
the same name (for deployments that configure through the environment); ``MONGO_URI`` is
read from the environment only when the connection is made, so a password never sits in
the settings Scrapy may dump (:mod:`unsmil_crawler.storage.connection`).
"""

from __future__ import annotations

import os
from typing import Any

from scrapy.settings import BaseSettings

PIPELINES = {
    "unsmil_crawler.pipelines.clean.CleanTextPipeline": 100,
    "unsmil_crawler.pipelines.validate.ValidationPipeline": 200,
    "unsmil_crawler.pipelines.dedupe.DedupePipeline": 300,
    "unsmil_crawler.pipelines.mongo.MongoPipeline": 400,
}
"""clean -> validate -> dedupe -> store."""

DOWNLOADER_MIDDLEWARES = {
    # Above RetryMiddleware's 550: responses travel from the highest number down.
    "unsmil_crawler.middlewares.retry_after.RetryAfterMiddleware": 560,
    # Next to the download handler: every browser download passes here exactly once.
    "unsmil_crawler.middlewares.render.RenderMiddleware": 950,
}

SPIDER_MIDDLEWARES = {
    # After HttpErrorMiddleware (50): only responses that reach a callback are archived.
    "unsmil_crawler.middlewares.warc_archive.WarcArchiveMiddleware": 100,
}

EXTENSIONS = {
    # Feed exports carry article rows only (extensions/feeds.py).
    "scrapy.extensions.feedexport.FeedExporter": None,
    "unsmil_crawler.extensions.feeds.ArticleFeedExporter": 0,
    "unsmil_crawler.extensions.jobdir_guard.JobdirGuard": 0,
    "unsmil_crawler.extensions.run_context.RunContext": 50,
    "unsmil_crawler.extensions.crawl_runs.CrawlRunsExtension": 100,
    "unsmil_crawler.extensions.stats_file.StatsFileExtension": 500,
    "unsmil_crawler.extensions.progress.ProgressLine": 510,
}

PLAYWRIGHT_HANDLER = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"


def defaults(environ: dict[str, str] | None = None) -> dict[str, Any]:
    """{setting: default} of every component setting (docs/settings.md explains each).

    >>> d = defaults({"MONGO_DATABASE": "news"})
    >>> d["MONGO_DATABASE"], d["MONGO_BATCH_SIZE"], d["MONGO_URI"]
    ('news', 200, None)
    """
    env = os.environ if environ is None else environ
    chromium = env.get("CHROMIUM_PATH") or "/usr/bin/chromium"
    return {
        # -- run context (extensions/run_context.py) --------------------------------
        "RUN_ID": None,
        # -- MongoDB storage (storage/connection.py, pipelines/mongo.py) ---------------
        "MONGO_URI": None,
        "MONGO_DATABASE": env.get("MONGO_DATABASE") or "unsmil",
        "MONGO_LOCAL_DATA_DIR": env.get("MONGO_LOCAL_DATA_DIR") or "var/secantus",
        "MONGO_BATCH_SIZE": 200,
        "MONGO_FLUSH_INTERVAL": 5.0,
        "MONGO_MAX_BUFFER": 1000,
        "MONGO_RETRY_MAX_WAIT": 60.0,
        "MONGO_SPILL_PATH": env.get("MONGO_SPILL_PATH") or "var/spill/{run_id}.jsonl",
        # -- deduplication (pipelines/dedupe.py; the numbers: docs/text.md) -----------
        "DEDUPE_SHINGLE_SIZE": 5,
        "DEDUPE_THRESHOLD": 0.5,
        "DEDUPE_NUM_PERM": 128,
        # -- what earlier runs stored (storage/known_articles.py, the spider) ---------
        "INCREMENTAL_CONDITIONAL": True,
        "INCREMENTAL_RECHECK": 30,
        "INCREMENTAL_KNOWN_STREAK": 1,
        "INCREMENTAL_SITEMAP_PAGES": 20,
        # -- resuming a killed run (storage/resume.py; docs/crawling.md) ---------------
        "RESUME_ENABLED": True,
        "RESUME_MAX_AGE": 48.0,  # hours: a killed run older than this is not resumed
        # -- Retry-After (middlewares/retry_after.py) ----------------------------------
        "RETRYAFTER_MAX_WAIT": 60.0,
        # -- browser rendering (middlewares/rendering.py, middlewares/render.py) -------
        "RENDER_MAX_PAGES": 500,
        "RENDER_MIN_BODY_CHARS": 1,
        "RENDER_URL_PATTERNS": [],
        "RENDER_WAIT_SELECTOR": None,
        "RENDER_WAIT_TIMEOUT": 10.0,
        "RENDER_PAGES_PER_CONTEXT": 20,
        # a failed render: retried later in the run, then kept without body
        "RENDER_RETRY_TIMES": 2,
        "RENDER_RETRY_BACKOFF": 5.0,  # seconds before the first retry, doubled after
        "RENDER_RETRY_PRIORITY_ADJUST": -20,
        "RENDER_RETRY_CONCURRENCY": 1,
        # scrapy-playwright: plain requests go to Scrapy's own handler, so a crawl of plain
        # pages starts no browser. PLAYWRIGHT_MAX_CONTEXTS stays unset: scrapy-playwright
        # waits on it while holding the lock every new page needs; RenderMiddleware
        # recycles contexts instead.
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": {
            "executable_path": chromium,
            "headless": True,
            "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run"],
        },
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": 30_000,
        "PLAYWRIGHT_ABORT_REQUEST": "unsmil_crawler.middlewares.rendering.abort_request",
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": 4,
        # -- raw pages in WARC files (middlewares/warc_archive.py, warc/; docs/warc.md) --
        "WARC_ENABLED": True,
        "WARC_DIR": None,  # None: <UNSMIL_STATE_DIR>/warc
        "WARC_MAX_FILE_MB": 1000.0,
        "WARC_MIN_FREE_MB": 100.0,
        # -- run records (extensions/crawl_runs.py) ------------------------------------
        # Off: only a real crawl is a run. `scrapy crawl` and `unsmil-crawler crawl` turn
        # it on (unsmil_crawler/commands), so shell, parse and check record nothing.
        "CRAWL_RUNS_ENABLED": False,
        "CRAWL_RUNS_STALE_AFTER": 24.0,
        # -- final stats as JSON (extensions/stats_file.py) ----------------------------
        "STATSFILE_PATH": None,
        # -- progress line (extensions/progress.py) ------------------------------------
        "PROGRESS_ENABLED": False,
        "PROGRESS_INTERVAL": 5.0,
        "PROGRESS_BAR": True,
        # -- the ``unsmil-crawler`` command line (cli/main.py, cli/crawl.py) -------------
        "UNSMIL_STATE_DIR": env.get("UNSMIL_STATE_DIR") or "var/state",
        "UNSMIL_MAX_ERROR_RATE": 0.05,
    }


class UnsmilAddon:
    """Registers the pipelines, middlewares and extensions and declares their defaults."""

    def update_settings(self, settings: BaseSettings) -> None:
        declare_defaults(settings)
        register_components(settings)


def declare_defaults(settings: BaseSettings) -> None:
    """The settings' defaults alone: what the CLI needs before (or without) any crawl."""
    for name, value in defaults().items():
        settings.set(name, value, priority="addon")


def register_components(settings: BaseSettings) -> None:
    """Add the components to Scrapy's dicts; a ``None`` there (``-s``) switches one off."""
    for setting, components in (("ITEM_PIPELINES", PIPELINES),
                                ("DOWNLOADER_MIDDLEWARES", DOWNLOADER_MIDDLEWARES),
                                ("SPIDER_MIDDLEWARES", SPIDER_MIDDLEWARES),
                                ("EXTENSIONS", EXTENSIONS)):
        for path, order in components.items():
            settings[setting].set(path, order, priority="addon")
    for scheme in ("http", "https"):
        settings["DOWNLOAD_HANDLERS"].set(scheme, PLAYWRIGHT_HANDLER, priority="addon")

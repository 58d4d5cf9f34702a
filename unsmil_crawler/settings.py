"""Scrapy settings for unsmil-crawler.

Polite defaults for the real site; every value can be overridden with ``-s NAME=VALUE``
or, for the connection settings, with the environment variable of the same name.
"""

import os

BOT_NAME = "unsmil_crawler"
SPIDER_MODULES = ["unsmil_crawler.spiders"]
NEWSPIDER_MODULE = "unsmil_crawler.spiders"

# -- politeness ----------------------------------------------------------------------
CONTACT_URL = os.environ.get("UNSMIL_CONTACT_URL", "https://github.com/unsmil-crawler/unsmil-crawler")
USER_AGENT = f"unsmil-crawler/0.1 (+{CONTACT_URL})"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 8
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 30
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")

# -- the pipeline: clean -> validate -> dedupe -> store ------------------------------------
ITEM_PIPELINES = {
    "unsmil_crawler.pipelines.clean.CleanTextPipeline": 100,
    "unsmil_crawler.pipelines.validate.ValidationPipeline": 200,
    "unsmil_crawler.pipelines.dedupe.DedupePipeline": 300,
    "unsmil_crawler.pipelines.mongo.MongoPipeline": 400,
}
DOWNLOADER_MIDDLEWARES = {
    "unsmil_crawler.middlewares.retry_after.RetryAfterMiddleware": 560,
    "unsmil_crawler.middlewares.render.RenderMiddleware": 950,
}
RETRY_AFTER_MAX = 60

# -- pages that need JavaScript (docs/rendering.md) ---------------------------------------
# The Playwright handler passes plain requests to Scrapy's own HTTP handler and launches
# Chromium only for a request that asks for it, so a crawl of plain pages starts no browser.
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
DOWNLOAD_HANDLERS = {
    "http": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
    "https": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
}
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_LAUNCH_OPTIONS = {
    "executable_path": CHROMIUM_PATH,
    "headless": True,
    "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run"],
}
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 30_000  # ms
PLAYWRIGHT_ABORT_REQUEST = "unsmil_crawler.middlewares.rendering.abort_request"
# PLAYWRIGHT_MAX_CONTEXTS stays unset: scrapy-playwright waits on it while holding the lock
# every new page needs. RenderMiddleware recycles contexts instead.
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 4
RENDER_PAGES_PER_CONTEXT = 20
RENDER_MAX_PAGES = 500
RENDER_MIN_BODY_CHARS = 1
RENDER_URL_PATTERNS: list[str] = []
RENDER_WAIT_TIMEOUT = 10

# -- MongoDB: see docs/schema.md ----------------------------------------------------------
# MONGO_URI and MONGO_DATABASE are read from the environment by unsmil_crawler.storage, not
# set here: Scrapy logs every overridden setting, and a URI may carry a password.
MONGO_BATCH_SIZE = 200
MONGO_FLUSH_INTERVAL = 5
MONGO_RETRY_MAX_WAIT = 60
# Where unwritten items go when MongoDB stays unreachable ({run_id} is filled in).
MONGO_SPILL_PATH = os.environ.get("MONGO_SPILL_PATH", "var/spill/{run_id}.jsonl")

# -- deduplication (numbers behind these defaults: docs/text.md) ---------------------------
DEDUPE_SHINGLE_SIZE = 5
DEDUPE_THRESHOLD = 0.5
DEDUPE_NUM_PERM = 128

# -- incremental runs -------------------------------------------------------------------
CONDITIONAL_REQUESTS = True
INCREMENTAL_RECHECK = 30
INCREMENTAL_KNOWN_STREAK = 3

# -- run records and operations ----------------------------------------------------------
EXTENSIONS = {
    "scrapy.extensions.feedexport.FeedExporter": None,
    "unsmil_crawler.extensions.feeds.ArticleFeedExporter": 0,
    "unsmil_crawler.extensions.jobdir_guard.JobdirGuard": 0,
    "unsmil_crawler.extensions.crawl_runs.CrawlRunsExtension": 100,
    "unsmil_crawler.extensions.stats_file.StatsFileExtension": 500,
}
# Only real crawls are runs: off here, turned on by `scrapy crawl` (COMMANDS_MODULE) and
# `unsmil-crawler crawl`, so `scrapy shell/parse/check` leave no crawl_runs row.
CRAWL_RUNS_ENABLED = False
COMMANDS_MODULE = "unsmil_crawler.commands"
SPIDER_CONTRACTS = {
    "unsmil_crawler.contracts.SitePathContract": 10,
    "unsmil_crawler.contracts.FilledContract": 20,
}
STATS_JSON_PATH = None
UNSMIL_STATE_DIR = os.environ.get("UNSMIL_STATE_DIR", "var/state")
PROGRESS_ENABLED = False  # `unsmil-crawler crawl --progress` adds the progress line itself
PROGRESS_INTERVAL = 5.0
PROGRESS_BAR = True  # a tqdm bar when stderr is a terminal; log records otherwise

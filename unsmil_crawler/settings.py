"""Scrapy settings of the unsmil-crawler project: politeness, and the add-on.

Only project-level values live here. Every component setting (MONGO_*, RENDER_*, DEDUPE_*,
INCREMENTAL_*, ...) has its one default in :mod:`unsmil_crawler.addon`; docs/settings.md
lists them all. Override any of them here, in a spider's ``custom_settings`` or with
``-s NAME=VALUE``.
"""

import os

BOT_NAME = "unsmil_crawler"
SPIDER_MODULES = ["unsmil_crawler.spiders"]
NEWSPIDER_MODULE = "unsmil_crawler.spiders"

# The crawler's pipelines, middlewares, extensions and their defaults, in one line.
ADDONS = {"unsmil_crawler.addon.UnsmilAddon": 0}

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
# Downloaded pages waiting to be parsed (Scrapy's default is 5 MB, ~300 pages): when parsing
# is the bottleneck, more queued pages only add memory, and a killed run loses them all.
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 1_000_000
TELNETCONSOLE_ENABLED = False

REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")

# The project's Scrapy commands (unsmil_crawler/commands): `scrapy crawl` records its run,
# `scrapy shell` / `scrapy parse` / `scrapy check` are tools that record nothing.
COMMANDS_MODULE = "unsmil_crawler.commands"
# `scrapy check` contracts of the article callback (contracts.py); read by the command
# itself, before any add-on runs, so they are declared here.
SPIDER_CONTRACTS = {
    "unsmil_crawler.contracts.SitePathContract": 10,
    "unsmil_crawler.contracts.FilledContract": 20,
}

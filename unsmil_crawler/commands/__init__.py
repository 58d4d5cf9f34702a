"""The ``unsmil-crawler`` sub-commands, wired by ``unsmil_crawler.cli``."""

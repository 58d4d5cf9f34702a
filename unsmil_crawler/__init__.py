"""unsmil-crawler: the UNSMIL news archive (Arabic and English), crawled into MongoDB."""

__version__ = "0.1.0"

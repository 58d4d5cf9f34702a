"""Honour ``Retry-After`` on 429 and 503 answers before retrying.

Scrapy's RetryMiddleware retries these at once; a server that says how long to wait
should be believed. This middleware waits (an asyncio sleep in this request's own
coroutine: other requests go on; the waiting one keeps its download slot, as a slow
response would) and then retries through Scrapy's ``get_retry_request``, so retry limits
and ``retry/*`` stats stay Scrapy's. Responses travel from the highest order number down,
so install it above RetryMiddleware's 550.

Settings read: ``RETRYAFTER_MAX_WAIT`` (seconds, default 60: a longer ``Retry-After`` is
waited this long). Stats: ``retry_after/waited``, ``retry_after/seconds``.
"""

from __future__ import annotations

import asyncio
import time
from email.utils import parsedate_to_datetime

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.http import Request, Response


def retry_after_seconds(value: bytes | str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP-date).

    >>> retry_after_seconds(b"2")
    2.0
    >>> retry_after_seconds("Wed, 21 Oct 2015 07:28:05 GMT", now=1445412480.0)
    5.0
    >>> retry_after_seconds("soon") is None
    True
    """
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text).timestamp()
    except (TypeError, ValueError):
        return None
    return max(0.0, when - (time.time() if now is None else now))


class RetryAfterMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.max_wait = crawler.settings.getfloat("RETRYAFTER_MAX_WAIT")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        return cls(crawler)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if response.status not in (429, 503) or request.meta.get("dont_retry"):
            return response
        delay = retry_after_seconds(response.headers.get("Retry-After"))
        if delay is None:
            return response
        delay = min(delay, self.max_wait)
        stats = self.crawler.stats
        stats.inc_value("retry_after/waited")
        stats.inc_value("retry_after/seconds", delay)
        await asyncio.sleep(delay)
        retry = get_retry_request(request, spider=self.crawler.spider,
                                  reason=f"{response.status} Retry-After")
        return retry or response

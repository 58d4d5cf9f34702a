"""Browser rendering: JS bodies come back whole, only pages that need it are rendered,
plain crawls start no browser, and the browser's memory stays flat over many renders.

Crawls run in a subprocess (tests/rendering_crawl.py) against a site served here on
127.0.0.1; the site's request log tells which requests came from Chromium.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from scrapy import Request, Spider
from scrapy.http import HtmlResponse

from tests.components import SiteSpider, component_crawler
from tests.process_memory import chromium_pss_kib
from tests.rendering_crawl import RENDER_SETTINGS, serve_site
from unsmil_crawler.middlewares.render import RenderMiddleware
from unsmil_crawler.middlewares.rendering import abort_request, get_render_request

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = RENDER_SETTINGS["PLAYWRIGHT_LAUNCH_OPTIONS"]["executable_path"]
needs_chromium = pytest.mark.skipif(
    shutil.which(CHROMIUM) is None, reason=f"no Chromium at {CHROMIUM}"
)


# -- helpers: the crawl subprocess and the browser processes it starts ---------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Run:
    items: dict[str, dict[str, Any]]
    stats: dict[str, Any]
    samples: list[tuple[int, int]] = field(default_factory=list)
    """(Chromium process count, summed PSS KiB) every 50 ms over the crawl."""


def _crawl(out: Path, urls: list[str], settings: dict[str, Any], timeout: float = 90) -> Run:
    cmd = [sys.executable, "-m", "tests.rendering_crawl", "--out", str(out)]
    cmd += ["--settings", json.dumps({"LOG_LEVEL": "WARNING", **settings}), "--urls", *urls]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    samples: list[tuple[int, int]] = []
    with subprocess.Popen(cmd, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True) as proc:
        deadline = time.monotonic() + timeout
        while proc.poll() is None and time.monotonic() < deadline:
            samples.append(chromium_pss_kib(proc.pid))
            time.sleep(0.05)
        if proc.poll() is None:
            proc.kill()
        _, stderr = proc.communicate()
    assert proc.returncode == 0, stderr[-3000:]
    lines = (out / "items.jsonl").read_text().splitlines()
    items = {urlsplit(item["url"]).path[1:]: item for item in map(json.loads, lines)}
    return Run(items, json.loads((out / "stats.json").read_text()), samples)


# -- crawls with a real browser -----------------------------------------------------------


@needs_chromium
def test_js_bodies_are_rendered_and_only_those_pages(tmp_path: Path) -> None:
    with serve_site(paragraphs=5) as site:
        base = f"http://127.0.0.1:{site.server_address[1]}"
        pages = ["js/0", "js/1", "js/2", "plain/0", "plain/1", "plain/2", "nobody/0", "media/0"]
        settings = {"RENDER_URL_PATTERNS": [r"/media/\d+$"], "RENDER_WAIT_TIMEOUT": 1}
        dead = f"http://127.0.0.1:{_free_port()}/media/9"  # the browser cannot connect
        run = _crawl(tmp_path, [f"{base}/{p}" for p in pages] + [dead], settings)
        browser, plain = site.paths("browser"), site.paths("plain")

    for i in range(3):
        item = run.items[f"js/{i}"]
        assert item["rendered"] and item["paragraphs"] == 5
        assert item["body"].startswith(f"JS body {i}: UNSMIL statement paragraph 0")
        assert not run.items[f"plain/{i}"]["rendered"]
        assert run.items[f"plain/{i}"]["body"] == f"plain body {i}"
    assert run.items["media/0"] == {**run.items["media/0"], "rendered": True, "paragraphs": 1}
    # Rendered, body still missing: the spider gets it and yields it without body.
    assert run.items["nobody/0"]["rendered"] and run.items["nobody/0"]["paragraphs"] == 0

    rendered_pages = {"/js/0", "/js/1", "/js/2", "/nobody/0", "/media/0"}
    assert {p for p in browser if not p.startswith("/_js/")} == rendered_pages
    assert all(n == 1 for n in browser.values()), browser
    assert set(plain) == {f"/{p}" for p in pages if p != "media/0"}  # media: browser only
    assert run.stats["render/rendered"] == len(rendered_pages)
    assert run.stats["render/requested"] == len(rendered_pages) + 1
    assert run.stats["render/requested/empty body"] == 4
    assert run.stats["render/requested/url pattern"] == 2
    assert run.stats["render/body_missing"] == 1
    assert run.stats["render/failed"] == 1 and "media/9" not in run.items
    # Images and third-party hosts were aborted before reaching any server.
    assert not any(p.startswith(("/img/", "/tp.js")) for p in {*browser, *plain})
    assert run.stats["playwright/request_count/aborted"] == 8  # 4 JS pages x (image + script)


@needs_chromium
def test_plain_crawl_launches_no_browser(tmp_path: Path) -> None:
    with serve_site() as site:
        base = f"http://127.0.0.1:{site.server_address[1]}"
        run = _crawl(tmp_path, [f"{base}/plain/{i}" for i in range(30)], {})
        assert not site.paths("browser")

    assert len(run.items) == 30
    assert not any(item["rendered"] for item in run.items.values())
    assert len(run.samples) >= 5 and max(count for count, _ in run.samples) == 0
    assert "playwright/browser_count" not in run.stats
    assert "render/rendered" not in run.stats


@needs_chromium
def test_page_budget_caps_renders_per_run(tmp_path: Path) -> None:
    with serve_site() as site:
        base = f"http://127.0.0.1:{site.server_address[1]}"
        run = _crawl(tmp_path, [f"{base}/js/{i}" for i in range(4)], {"RENDER_MAX_PAGES": 2})
        assert len(site.paths("browser")) == 2 * 2  # two pages, each with its body fetch

    assert run.stats["render/rendered"] == 2
    assert run.stats["render/budget_exhausted"] == 2
    assert sorted(item["paragraphs"] for item in run.items.values()) == [0, 0, 5, 5]


@needs_chromium
@pytest.mark.timeout(120)
def test_browser_memory_stays_flat_over_50_renders(tmp_path: Path) -> None:
    settings = {"CONCURRENT_REQUESTS": 4, "RENDER_PAGES_PER_CONTEXT": 10}
    with serve_site(paragraphs=60) as site:
        base = f"http://127.0.0.1:{site.server_address[1]}"
        started = time.monotonic()
        run = _crawl(tmp_path, [f"{base}/js/{i}" for i in range(50)], settings, timeout=60)
        elapsed = time.monotonic() - started

    assert elapsed < 60
    assert run.stats["render/rendered"] == 50
    assert all(item["paragraphs"] == 60 for item in run.items.values())
    assert run.stats["render/contexts_closed"] >= 4
    pss = [kib for count, kib in run.samples if count]
    assert len(pss) >= 20, "too few samples while the browser ran"
    quarter = len(pss) // 4
    first, last = pss[:quarter], pss[-quarter:]
    assert max(last) <= 1.25 * max(first), (max(first), max(last))


# -- the functions and the middleware on their own ----------------------------------------


def _spider(settings: dict[str, Any] | None = None) -> Spider:
    crawler = component_crawler(**(settings or {}))
    crawler.spider = SiteSpider.from_crawler(crawler)
    crawler.stats.open_spider()
    return crawler.spider


def _process(mw: RenderMiddleware, request: Request) -> None:
    """The middleware's (async) request hook, run to completion."""
    return asyncio.run(mw.process_request(request))


def test_render_request_is_a_fresh_full_download_once() -> None:
    spider = _spider()
    budget = RenderMiddleware.from_crawler(spider.crawler).budget
    original = Request(
        "http://h/en/news/a",
        headers={"If-None-Match": '"x"', "Accept-Language": "ar"},
        meta={"lang": "ar", "redirect_times": 1, "download_latency": 0.2},
        cb_kwargs={"k": 1},
        priority=3,
    )
    copy = get_render_request(original, spider=spider, reason="empty body", budget=budget)
    assert copy is not None and copy.url == original.url and copy.dont_filter
    assert copy.meta["playwright"] and copy.meta["render_reason"] == "empty body"
    assert copy.meta["lang"] == "ar" and "redirect_times" not in copy.meta
    assert "download_latency" not in copy.meta
    assert copy.cb_kwargs == {"k": 1} and copy.priority == 3
    assert b"If-None-Match" not in copy.headers and copy.headers[b"Accept-Language"] == b"ar"
    assert b"If-None-Match" in original.headers and "playwright" not in original.meta
    assert get_render_request(copy, spider=spider, reason="empty body", budget=budget) is None
    assert get_render_request(original, spider=spider, reason="no middleware", budget=None) is None
    assert spider.crawler.stats.get_value("render/requested") == 1


def test_budget_is_shared_with_the_url_pattern_middleware() -> None:
    spider = _spider({"RENDER_MAX_PAGES": 2, "RENDER_URL_PATTERNS": [r"/media/"]})
    mw = RenderMiddleware.from_crawler(spider.crawler)
    marked = Request("http://h/en/media/1")
    assert _process(mw, marked) is None and marked.meta["playwright"]
    assert marked.meta["render_reason"] == "url pattern"
    untouched = Request("http://h/en/news/1")
    _process(mw, untouched)
    assert "playwright" not in untouched.meta
    assert get_render_request(untouched, spider=spider, reason="empty body",
                              budget=mw.budget) is not None
    over_budget = Request("http://h/en/media/2")
    _process(mw, over_budget)
    assert "playwright" not in over_budget.meta
    assert get_render_request(Request("http://h/x"), spider=spider, reason="r",
                              budget=mw.budget) is None
    assert spider.crawler.stats.get_value("render/budget_exhausted") == 2


def test_contexts_rotate_every_n_rendered_requests() -> None:
    spider = _spider({"RENDER_PAGES_PER_CONTEXT": 2})
    mw = RenderMiddleware.from_crawler(spider.crawler)
    names = []
    for i in range(5):
        request = Request(f"http://h/{i}", meta={"playwright": True})
        _process(mw, request)
        names.append(request.meta["playwright_context"])
    assert names == ["render-0", "render-0", "render-1", "render-1", "render-2"]
    own = Request("http://h/own", meta={"playwright": True, "playwright_context": "mine"})
    _process(mw, own)
    assert own.meta["playwright_context"] == "mine" and "playwright_include_page" not in own.meta


@dataclass
class _Frame:
    url: str
    parent_frame: _Frame | None = None

    @property
    def page(self) -> _Frame:  # the main frame stands in for its page
        return self

    @property
    def main_frame(self) -> _Frame:
        return self


@dataclass
class _BrowserRequest:
    """The attributes of playwright's Request that abort_request reads."""

    url: str
    resource_type: str
    frame: _Frame
    is_navigation_request: Callable[[], bool] = lambda: False


@pytest.mark.parametrize(
    ("url", "resource_type", "aborted"),
    [
        ("http://site.test/_js/body/1.json", "fetch", False),
        ("http://site.test/theme.css", "stylesheet", False),
        ("http://site.test/logo.png", "image", True),
        ("http://site.test/font.woff2", "font", True),
        ("http://site.test/clip.mp4", "media", True),
        ("https://www.googletagmanager.com/gtm.js", "script", True),
        ("http://localhost/x.js", "script", True),
    ],
)
def test_abort_request_keeps_only_the_pages_own_text(
    url: str, resource_type: str, aborted: bool
) -> None:
    page = _Frame("http://site.test/en/news/a")
    assert abort_request(_BrowserRequest(url, resource_type, page)) is aborted


def test_abort_request_lets_the_page_navigation_through() -> None:
    blank = _Frame("about:blank")
    nav = _BrowserRequest("http://other.test/en/a", "document", blank, lambda: True)
    assert abort_request(nav) is False
    iframe = _Frame("http://site.test/x", parent_frame=_Frame("http://site.test/"))
    embed = _BrowserRequest("https://youtube.test/embed/1", "document", iframe, lambda: True)
    assert abort_request(embed) is True


@dataclass
class _Closable:
    closed: int = 0
    context: _Closable | None = None

    def is_closed(self) -> bool:
        return self.closed > 0

    async def close(self) -> None:
        self.closed += 1


def test_a_context_is_closed_once_all_its_pages_are_done() -> None:
    spider = _spider({"RENDER_PAGES_PER_CONTEXT": 2})
    mw = RenderMiddleware.from_crawler(spider.crawler)
    context = _Closable()
    a, b, c = (Request(f"http://h/{i}", meta={"playwright": True}) for i in range(3))
    for request in (a, b, c):  # a, b -> render-0; c opens render-1, retiring render-0
        _process(mw, request)
    pages = {}
    for request in (a, b):
        pages[request.url] = request.meta["playwright_page"] = _Closable(context=context)

    async def finish() -> None:
        # a failed, then another middleware turned the failure into a response
        await mw.process_exception(a, RuntimeError("navigation failed"))
        await mw.process_response(a, HtmlResponse(a.url, request=a))
        assert pages[a.url].closed == 1 and context.closed == 0  # b still uses the context
        await mw.process_response(b, HtmlResponse(b.url, request=b, flags=["playwright"]))
        assert pages[b.url].closed == 1 and context.closed == 1

    asyncio.run(finish())
    stats = spider.crawler.stats
    assert stats.get_value("render/failed") == 1 and stats.get_value("render/rendered") == 1
    assert stats.get_value("render/contexts_closed") == 1

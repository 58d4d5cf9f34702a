"""A tiny site with JavaScript-bodied articles, and a crawl of it run in a subprocess.

Used by tests/test_rendering.py and by hand to measure rendering cost::

    .venv/bin/python -m tests.rendering_crawl --js 50 --plain 0 --concurrency 4

The site mimics how the offline site's JavaScript articles work: the article's body
``<div class="field field--name-body">`` is empty in the HTML and filled by an inline
script that fetches ``/_js/body/<id>.json`` from the same host. Each JS page also asks for an
image and a script on another host name (``localhost`` instead of ``127.0.0.1``), which the
browser must abort. The crawl runs in a subprocess because Twisted's reactor cannot restart.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import scrapy
from scrapy.crawler import CrawlerProcess

from unsmil_crawler import addon
from unsmil_crawler.middlewares.render import RenderMiddleware
from unsmil_crawler.middlewares.rendering import body_too_short, get_render_request
from unsmil_crawler.sites import get_profile

_RENDER_MIDDLEWARE = "unsmil_crawler.middlewares.render.RenderMiddleware"
RENDER_SETTINGS: dict[str, Any] = {
    **{name: value for name, value in addon.defaults().items()
       if name.startswith(("PLAYWRIGHT_", "RENDER_"))},
    "DOWNLOAD_HANDLERS": dict.fromkeys(("http", "https"), addon.PLAYWRIGHT_HANDLER),
    "DOWNLOADER_MIDDLEWARES": {
        _RENDER_MIDDLEWARE: addon.DOWNLOADER_MIDDLEWARES[_RENDER_MIDDLEWARE]},
}
"""The rendering settings exactly as the add-on ships them (unsmil_crawler/addon.py)."""

_PARAGRAPH = "UNSMIL statement paragraph {n} on the political process in Libya. " * 3


def _article(title: str, body_html: str, extra: str = "") -> bytes:
    head = f"<!DOCTYPE html><html><head><title>{title}</title></head><body>"
    article = (
        f'<article class="node node--type-news"><h1 class="page-title">{title}</h1>'
        f'<div class="field field--name-body">{body_html}</div></article>'
    )
    return f"{head}{article}{extra}</body></html>".encode()


def _js_page(kind: str, ident: str, port: int) -> bytes:
    # "nobody" pages fetch a body that has no paragraphs: the body never appears.
    script = (
        f'<img src="/img/{ident}.png"><script src="http://localhost:{port}/tp.js"></script>'
        "<script>fetch('/_js/body/" + kind + "-" + ident + ".json').then(r => r.json())"
        ".then(d => { document.querySelector('.field--name-body').innerHTML ="
        " d.paragraphs.map(p => '<p>' + p + '</p>').join(''); });</script>"
    )
    return _article(f"JS article {ident}", "", script)


class _Handler(BaseHTTPRequestHandler):
    server: _Site

    def do_GET(self) -> None:
        # Chromium sends Sec-Fetch-* on every request; Scrapy's HTTP client never does.
        self.server.record(self.path, "browser" if "Sec-Fetch-Mode" in self.headers else "plain")
        status, ctype, body = self.server.route(self.path)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Silence per-request stderr lines; the site keeps its own request log."""


class _Site(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, paragraphs: int) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.paragraphs = paragraphs
        self.hits: Counter[tuple[str, str]] = Counter()
        """Requests served, by (path, "browser" | "plain")."""
        self._lock = threading.Lock()

    def record(self, path: str, client: str) -> None:
        with self._lock:
            self.hits[path, client] += 1

    def paths(self, client: str) -> Counter[str]:
        """How often each path was requested by ``client`` ("browser" or "plain")."""
        with self._lock:
            return Counter({path: n for (path, who), n in self.hits.items() if who == client})

    def route(self, path: str) -> tuple[int, str, bytes]:
        html = "text/html; charset=utf-8"
        if m := re.fullmatch(r"/(js|nobody)/(\d+)", path):
            return 200, html, _js_page(m[1], m[2], self.server_address[1])
        if m := re.fullmatch(r"/_js/body/(js|nobody)-(\d+)\.json", path):
            count = self.paragraphs if m[1] == "js" else 0
            paras = [f"JS body {m[2]}: " + _PARAGRAPH.format(n=n) for n in range(count)]
            return 200, "application/json", json.dumps({"paragraphs": paras}).encode()
        if m := re.fullmatch(r"/(plain|media)/(\d+)", path):
            return 200, html, _article(f"{m[1]} {m[2]}", f"<p>{m[1]} body {m[2]}</p>")
        if path.startswith("/img/"):
            return 200, "image/png", b"\x89PNG\r\n\x1a\n"
        if path == "/tp.js":
            return 200, "text/javascript", b"window.thirdParty = true;"
        return 404, html, b"not found"


@contextmanager
def serve_site(paragraphs: int = 5) -> Iterator[_Site]:
    """Serve the site on a free 127.0.0.1 port for the duration of the block."""
    site = _Site(paragraphs)
    thread = threading.Thread(target=site.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        site.shutdown()
        site.server_close()
        thread.join(5)


class RenderCheckSpider(scrapy.Spider):
    """Extracts article bodies; asks for a render when an article's body is missing."""

    name = "render_check"
    profile = get_profile("unsmil")

    def __init__(self, urls: list[str], out: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.urls = urls
        self.out = Path(out)

    async def start(self) -> Any:
        for url in self.urls:
            yield scrapy.Request(url)

    def parse(self, response: scrapy.http.Response) -> Any:
        paragraphs = response.css(".field--name-body p::text").getall()
        is_article = bool(response.css("article.node--type-news h1.page-title"))
        if is_article and body_too_short(paragraphs, self.settings):
            renderer = self.crawler.get_downloader_middleware(RenderMiddleware)
            render = get_render_request(response.request, spider=self, reason="empty body",
                                        budget=renderer.budget if renderer else None)
            if render is not None:
                yield render
                return
        yield {
            "url": response.url,
            "paragraphs": len(paragraphs),
            "body": "\n\n".join(paragraphs),
            "rendered": bool(response.meta.get("playwright")),
        }

    def closed(self, reason: str) -> None:
        stats = {
            k: v
            for k, v in self.crawler.stats.get_stats().items()
            if k.startswith(
                ("render/", "playwright/", "item_scraped_count", "elapsed_time_seconds")
            )
        }
        (self.out / "stats.json").write_text(json.dumps(stats, indent=1, sort_keys=True))


def run_crawl(urls: list[str], out: str, settings: dict[str, Any]) -> None:
    """Crawl ``urls`` with ``settings``; items to <out>/items.jsonl, stats to <out>/stats.json."""
    all_settings = {
        **RENDER_SETTINGS,
        "ROBOTSTXT_OBEY": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "INFO",
        "FEEDS": {str(Path(out) / "items.jsonl"): {"format": "jsonlines"}},
        **settings,
    }
    process = CrawlerProcess(all_settings)
    process.crawl(RenderCheckSpider, urls=urls, out=out)
    process.start()


def _main(argv: list[str]) -> None:
    """Crawl this site: in the test's subprocess (``--urls``) or by hand for a measurement."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", nargs="*", help="crawl these (the test serves the site)")
    parser.add_argument("--out", default=".")
    parser.add_argument("--settings", default="{}", help="JSON object overriding settings")
    parser.add_argument("--js", type=int, default=20, help="serve and crawl N JS pages")
    parser.add_argument("--plain", type=int, default=0, help="... and N plain pages")
    parser.add_argument("--concurrency", type=int, default=1)
    args = parser.parse_args(argv)
    settings = json.loads(args.settings)
    if args.urls is not None:
        run_crawl(args.urls, args.out, settings)
        return
    settings.setdefault("CONCURRENT_REQUESTS", args.concurrency)
    with serve_site() as site:
        base = f"http://127.0.0.1:{site.server_address[1]}"
        urls = [f"{base}/js/{i}" for i in range(args.js)]
        urls += [f"{base}/plain/{i}" for i in range(args.plain)]
        started = time.monotonic()
        run_crawl(urls, args.out, settings)
        wall = time.monotonic() - started
    stats = json.loads((Path(args.out) / "stats.json").read_text())
    rendered = stats.get("render/rendered", 0)
    sys.stderr.write(
        f"wall {wall:.2f}s for {len(urls)} pages, {rendered} rendered, "
        f"{wall / max(rendered, 1):.3f}s per rendered page (incl. startup)\n"
    )


if __name__ == "__main__":
    _main(sys.argv[1:])

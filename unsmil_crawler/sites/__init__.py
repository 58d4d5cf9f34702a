"""Site profiles: everything the crawler knows about one site's templates and URL shapes.

The spider and the extraction code are generic; a second site or a changed template is a
new or edited :class:`SiteProfile`, not a code change. Each selector list is ordered: the
first signal that yields something wins, and which one did is counted in the stats.

The registry: every module of this package that defines a ``SiteProfile`` at module level
registers it under its ``name`` (``-a site=NAME``, ``unsmil-crawler crawl --site NAME``).
Adding a site is adding a module here (and a test); nothing else names sites.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass, field
from functools import cache

DEFAULT_SITE = "unsmil"
"""The site of a crawl that names none, and of documents stored before sites had names."""

Signals = tuple[tuple[str, str], ...]
"""(signal name, XPath) pairs, tried in order."""


def has_class(name: str) -> str:
    """XPath test: the element has ``name`` as one of its class tokens.

    >>> has_class("pager")
    "contains(concat(' ', normalize-space(@class), ' '), ' pager ')"
    """
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def class_contains(fragment: str) -> str:
    """XPath test: ``fragment`` appears anywhere in the class attribute (for BEM-style
    names such as ``field--name-body`` that carry a prefix or suffix)."""
    return f"contains(@class, '{fragment}')"


@dataclass(frozen=True)
class SiteProfile:
    name: str
    base_url: str
    languages: tuple[str, ...]
    default_language: str
    """The language of paths that carry no language prefix."""
    listing_paths: dict[str, str]
    feed_paths: dict[str, tuple[str, ...]]
    sitemap_paths: tuple[str, ...]
    pager_param: str

    title: Signals
    title_suffix: re.Pattern[str]
    date: Signals
    date_machine: Signals
    """Machine-readable dates (``<time datetime>``, meta): a last resort, since they may be
    in UTC and fall on the day before the date the page shows."""
    body: Signals
    body_fallback_scopes: Signals
    chrome_classes: tuple[str, ...]
    """Class fragments of page chrome whose paragraphs are never body text."""
    prev_link: Signals
    next_link: Signals
    prev_label: re.Pattern[str]
    next_label: re.Pattern[str]
    pager_links: str
    """XPath of every link inside any pager-like block (for label matching)."""
    teaser_row: str
    """XPath, relative to a link, that is non-empty when the link sits in a row of teasers
    (a related or latest news list): such links are never the article's neighbours."""
    canonical: str
    shortlink: str
    hreflang_links: str
    switcher_links: str
    page_lang: str

    listing_article_links: str
    listing_last_page: str
    listing_next_page: str
    skip_url: re.Pattern[str]
    """URLs that discovery never fetches as candidate articles (files, admin, listings)."""
    body_ready: str
    """CSS selector a browser waits for before a rendered page counts as loaded."""
    lang_prefixes: dict[str, str] = field(default_factory=dict)
    second_address: re.Pattern[str] | None = None
    """Paths that are only another address of an article (Drupal's ``/node/<nid>``): an
    incremental run requests such a link last, and only if its article has not come by its
    own URL (whose page names this one as its shortlink)."""

    def url(self, base_url: str, path: str) -> str:
        return base_url.rstrip("/") + path

    def lang_of_path(self, path: str) -> str:
        """The language a URL path belongs to, by its prefix."""
        for lang, prefix in self.lang_prefixes.items():
            if path == prefix.rstrip("/") or path.startswith(prefix):
                return lang
        return self.default_language


@cache
def registry() -> dict[str, SiteProfile]:
    """{name: profile} of every profile defined in this package.

    >>> "unsmil" in registry()
    True
    """
    found: dict[str, SiteProfile] = {}
    for module_info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        for value in vars(module).values():
            if isinstance(value, SiteProfile):
                if found.get(value.name, value) is not value:
                    raise ValueError(f"two site profiles are named {value.name!r}")
                found[value.name] = value
    return dict(sorted(found.items()))


def get_profile(name: str) -> SiteProfile:
    """The registered profile called ``name``; a clear error naming the known ones.

    >>> get_profile("unsmil").languages
    ('ar', 'en')
    >>> get_profile("nowhere")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: unknown site 'nowhere'; known sites: ...unsmil...
    """
    sites = registry()
    if name not in sites:
        raise ValueError(f"unknown site {name!r}; known sites: {', '.join(sites)}")
    return sites[name]

"""Small pure URL functions: one canonical spelling per article URL.

Built on w3lib's ``canonicalize_url`` (sorted query, normalised percent-encoding, no
fragment); on top of it we drop tracking parameters but keep everything else, Drupal's
``page`` pager parameter in particular, and fold the trailing slash Drupal ignores.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url, url_query_cleaner

TRACKING_PARAMS: frozenset[str] = frozenset(
    {"fbclid", "gclid", "mc_cid", "mc_eid", "ref", "share", "amp"}
)
_TRACKING_PREFIXES = ("utm_",)


def _tracking_params(url: str) -> list[str]:
    query = urlsplit(url).query
    names = [part.split("=", 1)[0] for part in query.split("&") if part]
    return [
        n for n in names if n.lower() in TRACKING_PARAMS or n.lower().startswith(_TRACKING_PREFIXES)
    ]


def canonicalize(url: str, base: str | None = None) -> str:
    """Return the one spelling of ``url`` this project stores and compares.

    >>> canonicalize("http://127.0.0.1:8080/en/news/a-b/?utm_source=x&page=2#top")
    'http://127.0.0.1:8080/en/news/a-b?page=2'
    >>> canonicalize("/ar/node/12", base="http://127.0.0.1:8080/ar/x")
    'http://127.0.0.1:8080/ar/node/12'
    >>> canonicalize("http://h/ar/بعثة")
    'http://h/ar/%D8%A8%D8%B9%D8%AB%D8%A9'
    >>> canonicalize("http://h/")
    'http://h/'
    """
    if base is not None:
        url = urljoin(base, url.strip())
    tracking = _tracking_params(url)
    if tracking:
        url = url_query_cleaner(url, tracking, remove=True, keep_fragments=False)
    url = canonicalize_url(url)
    parts = urlsplit(url)
    path = parts.path
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    return urlunsplit((parts.scheme, parts.netloc.lower(), path, parts.query, ""))


def same_host(url: str, base_url: str) -> bool:
    """True when ``url`` is on the host (and port) of ``base_url``.

    >>> same_host("http://127.0.0.1:8080/x", "http://127.0.0.1:8080")
    True
    >>> same_host("https://twitter.com/share", "http://127.0.0.1:8080")
    False
    """
    return urlsplit(url).netloc.lower() == urlsplit(base_url).netloc.lower()


def path_of(url: str) -> str:
    """The path and query of ``url`` (what the offline site's expectations are keyed by).

    >>> path_of("http://h:1/en/news/x?page=2")
    '/en/news/x?page=2'
    """
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def query_int(url: str, name: str) -> int | None:
    """The integer value of query parameter ``name``, or None.

    >>> query_int("http://h/all-press-releases?page=12", "page")
    12
    >>> query_int("http://h/all-press-releases", "page") is None
    True
    """
    match = re.search(rf"(?:^|&){re.escape(name)}=(\d+)(?:&|$)", urlsplit(url).query)
    return int(match.group(1)) if match else None


def with_query_int(url: str, name: str, value: int) -> str:
    """``url`` with query parameter ``name`` set to ``value`` (used to fan out a pager).

    >>> with_query_int("http://h/ar/all-press-releases?page=1", "page", 7)
    'http://h/ar/all-press-releases?page=7'
    >>> with_query_int("http://h/all-press-releases", "page", 3)
    'http://h/all-press-releases?page=3'
    """
    parts = urlsplit(url)
    pairs = [p for p in parts.query.split("&") if p and p.split("=", 1)[0] != name]
    pairs.append(f"{name}={value}")
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "&".join(pairs), ""))

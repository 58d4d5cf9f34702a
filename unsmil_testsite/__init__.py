"""An offline, deterministic copy of the UNSMIL news site for tests, demos and benchmarks.

``build_site()`` makes the model (articles, quirks, expected crawl output); ``SiteServer``
serves it over HTTP. See docs/offline-site.md.
"""

from .builder import build_site
from .model import ExpectedArticle, Site
from .server import LoggedRequest, SiteServer

__all__ = ["ExpectedArticle", "LoggedRequest", "Site", "SiteServer", "build_site"]

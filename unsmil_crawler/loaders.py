"""Item loader for articles: w3lib processors on the way in, one value per field out.

Titles are read from ``<h1>`` but also from ``og:title`` and ``<title>``, where Drupal
double-escapes entities (``&amp;#039;``); ``replace_entities`` undoes that once. Body text
comes from parsed elements, already decoded, so it passes through untouched: the text
pipeline is where bodies are cleaned.
"""

from __future__ import annotations

from itemloaders.processors import Compose, Identity, MapCompose, TakeFirst
from scrapy.loader import ItemLoader
from w3lib.html import replace_entities, strip_html5_whitespace

from unsmil_crawler.items import ArticleItem


class ArticleLoader(ItemLoader):
    """
    >>> loader = ArticleLoader(item=ArticleItem(url="http://h/en/a", lang="en"))
    >>> item = (loader.add_value("title", " Q&amp;A: the road map\\n")
    ...         .add_value("paragraphs", ["One.", "Two."])
    ...         .add_value("translations", {"ar": "http://h/ar/a"})
    ...         .add_value("rendered", True).load_item())
    >>> item.title, item.paragraphs, item.url, item.body, item.translations, item.rendered
    ('Q&A: the road map', ['One.', 'Two.'], 'http://h/en/a', None, {'ar': 'http://h/ar/a'}, True)
    """

    default_item_class = ArticleItem
    default_output_processor = TakeFirst()
    title_in = MapCompose(replace_entities, strip_html5_whitespace)
    published_text_in = MapCompose(strip_html5_whitespace)
    paragraphs_out = Identity()
    aliases_out = Identity()
    # The item's own defaults ({} and False) are values too: merge instead of taking the first.
    translations_out = Compose(lambda found: {k: v for d in found for k, v in d.items()})
    rendered_out = Compose(any)

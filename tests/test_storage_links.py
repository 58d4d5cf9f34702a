"""prev/next links given as aliases end up as canonical URLs, in any arrival order."""

from typing import Any

from unsmil_crawler.storage.links import resolve_links


def test_alias_links_are_rewritten_to_canonical_urls(mongo_db: Any) -> None:
    mongo_db.articles.insert_many([
        {"url": "http://h/en/a", "aliases": ["http://h/node/1"], "prev_url": None,
         "next_url": "http://h/node/2"},
        {"url": "http://h/en/b", "aliases": ["http://h/node/2"], "prev_url": "http://h/node/1",
         "next_url": "http://h/en/dead-link"},
    ])
    links = ["http://h/node/2", "http://h/node/1", "http://h/en/dead-link"]
    assert resolve_links(mongo_db, links) == 2
    docs = {d["url"]: d for d in mongo_db.articles.find()}
    assert docs["http://h/en/a"]["next_url"] == "http://h/en/b"
    assert docs["http://h/en/b"]["prev_url"] == "http://h/en/a"
    assert docs["http://h/en/b"]["next_url"] == "http://h/en/dead-link"  # a 404 stays as given
    assert resolve_links(mongo_db, links) == 0


"""Arabic search finds what the reader means (issue 12, point 11).

``title_norm`` / ``body_norm`` are stored in the search form, so a query must be folded
the same way: ``export --search`` does it with the documented normalizer.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from unsmil_crawler.cli.export import search_filter
from unsmil_crawler.cli.main import main
from unsmil_crawler.text.clean import search_form

TEXTS = {
    "https://x/ar/1": "وصل الوفد إلى الجفرة صباح اليوم",         # ta marbuta
    "https://x/ar/2": "اجتماع بلدي في منطقة الجفره الأسبوع المقبل",  # ha, as often typed
    "https://x/ar/3": "زيارة إلى سبها",
    "https://x/ar/4": "عُقِدَ في الجُفْرَةِ لقاءٌ",                    # with diacritics
}


@pytest.fixture
def archive(mongo_db: Any) -> Any:
    mongo_db.articles.insert_many([
        {"url": url, "lang": "ar", "title": f"خبر {url[-1]}", "body": text,
         "title_norm": search_form(f"خبر {url[-1]}"), "body_norm": search_form(text)}
        for url, text in TEXTS.items()])
    return mongo_db


@pytest.mark.parametrize("query", ["الجفرة", "الجفره", "الجُفرة", "  الجفرة "])
def test_every_spelling_finds_the_same_articles(
    archive: Any, mongo_uri: str, tmp_path: Path, query: str
) -> None:
    out = tmp_path / "found.jsonl"
    assert main(["export", "--format", "jsonl", "--search", query, "-o", str(out),
                 "--mongo-uri", mongo_uri, "--database", archive.name]) == 0
    found = sorted(json.loads(line)["url"] for line in out.read_text().splitlines())
    assert found == ["https://x/ar/1", "https://x/ar/2", "https://x/ar/4"]


def test_the_normalizer_is_what_the_documented_query_uses(archive: Any) -> None:
    """The dashboard query in docs/schema.md: a $regex on the search form of the text."""
    raw = archive.articles.count_documents({"body_norm": {"$regex": "الجفرة"}})
    folded = archive.articles.count_documents(search_filter("الجفرة"))
    assert (raw, folded) == (0, 3)
    docs = (Path(__file__).resolve().parent.parent / "docs" / "schema.md").read_text()
    assert "search_form" in docs and "--search" in docs
    assert '{"$or": [{"title_norm": {"$regex": "الجفره"}},\n' in docs
    assert '{"body_norm": {"$regex": "الجفره"}}]}' in docs


def test_search_text_is_matched_literally(archive: Any, mongo_uri: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert search_filter("5+5")["$or"][0] == {"title_norm": {"$regex": "5\\ 5"}}
    assert main(["export", "--format", "jsonl", "--search", ".*", "--mongo-uri", mongo_uri,
                 "--database", archive.name]) == 2
    assert "nothing to search for" in capsys.readouterr().err

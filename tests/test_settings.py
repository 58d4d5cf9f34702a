"""Issue 13 §2: every setting declared once (the add-on) and documented (docs/settings.md)."""

from __future__ import annotations

import re
from pathlib import Path

from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from unsmil_crawler import addon

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "unsmil_crawler"
READ = re.compile(r"settings(?:\.get\w*\(|\[)\s*[\"']([A-Z][A-Z0-9_]+)[\"']")
"""``settings.get("X")``, ``settings.getint("X")``, ``settings["X"]`` (any settings object)."""
FALLBACK = re.compile(r"settings\.get\w*\(\s*[\"'][A-Z][A-Z0-9_]+[\"']\s*,")
DOC_ROW = re.compile(r"^\| `([A-Z][A-Z0-9_]+)` \|", re.MULTILINE)


def _code() -> dict[Path, str]:
    return {p: p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py")}


def _documented() -> set[str]:
    return set(DOC_ROW.findall((ROOT / "docs" / "settings.md").read_text(encoding="utf-8")))


def test_every_setting_the_code_reads_is_in_docs_settings_md() -> None:
    read = {name for text in _code().values() for name in READ.findall(text)}
    assert len(read) > 30, "the pattern no longer finds the settings reads"
    assert sorted(read - _documented()) == []


def test_every_add_on_default_is_documented_and_no_doc_row_is_stale() -> None:
    declared = set(addon.defaults())
    assert sorted(declared - _documented()) == []
    project = set(re.findall(r"^([A-Z][A-Z0-9_]+) =", (PACKAGE / "settings.py").read_text(),
                             re.MULTILINE))
    read = {name for text in _code().values() for name in READ.findall(text)}
    assert sorted(_documented() - declared - project - read) == []


def test_no_setting_is_read_with_a_second_default() -> None:
    offenders = [f"{path.relative_to(ROOT)}: {match.group(0)}"
                 for path, text in _code().items() for match in FALLBACK.finditer(text)]
    assert offenders == []


def test_settings_py_declares_no_component_setting() -> None:
    project = set(re.findall(r"^([A-Z][A-Z0-9_]+) =", (PACKAGE / "settings.py").read_text(),
                             re.MULTILINE))
    assert project & set(addon.defaults()) == set()
    assert "ADDONS" in project


def test_the_add_on_alone_wires_a_foreign_project() -> None:
    """Another Scrapy project reuses the components with one line, and overrides win."""
    crawler = get_crawler(settings_dict={"ADDONS": {addon.UnsmilAddon: 0},
                                         "MONGO_BATCH_SIZE": 7,
                                         "ITEM_PIPELINES": {"my.Pipeline": 800}})
    s = crawler.settings
    assert s.getint("MONGO_BATCH_SIZE") == 7
    assert s.getint("RENDER_MAX_PAGES") == 500
    assert s.getdict("ITEM_PIPELINES") == {**addon.PIPELINES, "my.Pipeline": 800}
    assert addon.EXTENSIONS.items() <= s.getdict("EXTENSIONS").items()
    assert s.getdict("DOWNLOADER_MIDDLEWARES") == addon.DOWNLOADER_MIDDLEWARES


def test_environment_replaces_a_default_and_a_setting_beats_both(monkeypatch) -> None:
    monkeypatch.setenv("MONGO_DATABASE", "from_env")
    settings = Settings({"MONGO_SPILL_PATH": "mine.jsonl"}, priority="cmdline")
    addon.declare_defaults(settings)
    assert settings["MONGO_DATABASE"] == "from_env"
    assert settings["MONGO_SPILL_PATH"] == "mine.jsonl"

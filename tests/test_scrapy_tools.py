"""Scrapy's own tools on this project: only ``scrapy crawl`` is a run (issue 12, point 2).

``scrapy shell``, ``scrapy parse`` and ``scrapy check`` run against the offline site with
the test MongoDB configured, and must leave no ``crawl_runs`` row (nor anything else);
``parse`` needs no ``-c``; ``check`` runs the article callback's contracts for real.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest

from tests.crawl_harness import REPO

CONTRACT_NODE = "/node/1003"
"""The article ``parse_article``'s contracts fetch (``@site_path`` in its docstring)."""


@pytest.fixture
def tool(fresh_site_server, mongo_uri: str, mongo_db: Any):
    """Run ``scrapy <args>`` with the test database configured, as an operator's shell has.

    The tools must not need it: the URI names a server that is not there, for all but the
    record check (which looks in the real test database afterwards)."""
    server = fresh_site_server(faults=False)
    env = {**os.environ, "MONGO_URI": mongo_uri, "MONGO_DATABASE": mongo_db.name}

    def run(*args: str, offline_db: bool = False) -> subprocess.CompletedProcess[str]:
        argv = [a.replace("{site}", server.url) for a in args]
        extra = {"MONGO_URI": "mongodb://127.0.0.1:9/?serverSelectionTimeoutMS=300"}
        return subprocess.run([sys.executable, "-m", "scrapy", *argv], cwd=REPO,
                              env={**env, **(extra if offline_db else {})},
                              capture_output=True, text=True, timeout=120)

    return run


def contract_article(site) -> Any:
    return next(a for a in site.expected("initial") if a.node_path == CONTRACT_NODE)


def test_the_contract_article_is_on_the_offline_site(site) -> None:
    article = contract_article(site)
    assert article.lang == "en" and (article.prev_path or article.next_path)


def test_shell_parse_and_check_leave_no_run_record(tool, site, mongo_db: Any) -> None:
    article = contract_article(site)
    shell = tool("shell", "{site}/en/rss.xml", "-c", "response.status")
    assert shell.returncode == 0, shell.stderr[-2000:]
    assert shell.stdout.strip() == "200"

    parse = tool("parse", "--spider=unsmil_news", "-a", "base_url={site}",
                 "{site}" + article.path)
    assert parse.returncode == 0, parse.stderr[-2000:]
    assert repr(article.title) in parse.stdout or f'"{article.title}"' in parse.stdout
    neighbour = article.next_path or article.prev_path
    assert "# Requests" in parse.stdout and neighbour in parse.stdout

    listing = tool("parse", "--spider=unsmil_news", "-a", "base_url={site}",
                   "{site}/all-press-releases")
    assert listing.returncode == 0 and "/en/news/" in listing.stdout, "a listing routes too"

    check = tool("check", "unsmil_news", "-a", "base_url={site}")
    assert check.returncode == 0, check.stderr
    assert "Ran 3 contracts" in check.stderr and "OK" in check.stderr

    assert mongo_db.crawl_runs.count_documents({}) == 0
    assert mongo_db.list_collection_names() == []

    for command in (("shell", "{site}/en/rss.xml", "-c", "response.status"),
                    ("parse", "--spider=unsmil_news", "-a", "base_url={site}",
                     "{site}" + article.path),
                    ("check", "unsmil_news", "-a", "base_url={site}")):
        without_db = tool(*command, offline_db=True)
        assert without_db.returncode == 0, (command[0], without_db.stderr[-2000:])


def test_check_fails_when_the_article_callback_breaks(tool) -> None:
    """The contracts are real: pointed at pages that are no article, check fails."""
    check = tool("check", "unsmil_news", "-a", "base_url={site}/en/rss.xml?x=")
    assert check.returncode != 0
    assert "Ran 3 contracts" in check.stderr and "FAILED" in check.stderr

"""Shared fixtures: each fixture module owns one real server (offline site, MongoDB wire)."""

pytest_plugins = ["tests.fixtures_site", "tests.fixtures_mongo", "tests.fixtures_crawl"]

"""``--help`` and docs/cli.md describe what the commands do (issue 12, point 10)."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from unsmil_crawler.cli.errors import EXIT_CODES
from unsmil_crawler.cli.main import build_parser

DOC = (Path(__file__).resolve().parent.parent / "docs" / "cli.md").read_text()


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


@pytest.mark.parametrize("name", list(_subcommands()))
def test_every_option_has_help_and_every_help_lists_the_exit_codes(name: str) -> None:
    command = _subcommands()[name]
    undocumented = [a.option_strings or [a.dest] for a in command._actions
                    if not isinstance(a, argparse._HelpAction) and not a.help]
    assert undocumented == []
    text = command.format_help()
    assert "exit codes:" in text
    for code, _, _ in EXIT_CODES:
        assert re.search(rf"^\s+{code}\s+\S", text, re.MULTILINE), code


@pytest.mark.parametrize("name", list(_subcommands()))
def test_docs_cli_md_names_every_option(name: str) -> None:
    section = DOC.split(f"### `{name}")[1].split("\n### ")[0]
    for action in _subcommands()[name]._actions:
        if action.option_strings and not isinstance(action, argparse._HelpAction):
            names = [o.split("--no-")[-1] for o in action.option_strings]
            assert any(f"`{o}" in section or f"[{o}" in section or f" {o} " in section
                       for o in [*action.option_strings, *names]), (name, action.option_strings)


def test_docs_exit_code_table_is_the_cli_s() -> None:
    rows = re.findall(r"^\| (\d+) \| ([^|]+) \|", DOC.split("## Exit codes")[1], re.MULTILINE)
    documented = {(int(code), commands.strip()) for code, commands in rows
                  if "wrapper" not in commands}
    assert documented == {(code, commands) for code, commands, _ in EXIT_CODES}

"""``--env-file``: KEY=VALUE lines (the cron/systemd env file) read literally into the
environment, before any setting is read.

Literally, never as shell: sourcing it would cut a MONGO_URI at ``&`` and expand ``$...``,
silently falling back to the local database. One pair of surrounding quotes is stripped;
``#`` lines and blank lines are skipped; the file's values win over the environment.
An env file exists to name the database: without a ``MONGO_URI`` it is a configuration
error, unless ``UNSMIL_ALLOW_LOCAL_DB=1`` allows the zero-setup local server.
"""

from __future__ import annotations

import os
import re
from collections.abc import MutableMapping
from pathlib import Path

EX_CONFIG = 78
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class ConfigError(Exception):
    """The env file is missing, unreadable or malformed (exit code 78, EX_CONFIG)."""


def parse_env_file(text: str, name: str = "env file") -> dict[str, str]:
    """The KEY=VALUE pairs of ``text``.

    >>> parse_env_file("# db\\n  MONGO_URI=mongodb://u:p$1@h/?a=1&b=2\\nX='a b'\\n")
    {'MONGO_URI': 'mongodb://u:p$1@h/?a=1&b=2', 'X': 'a b'}
    >>> parse_env_file("not a pair")
    Traceback (most recent call last):
    ...
    unsmil_crawler.cli.envfile.ConfigError: env file line 1: expected KEY=VALUE
    """
    pairs: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip("\r").lstrip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep or not _KEY.fullmatch(key):
            raise ConfigError(f"{name} line {number}: expected KEY=VALUE")
        if len(value) >= 2 and value[0] in "\"'" and value[-1] == value[0]:
            value = value[1:-1]
        pairs[key] = value
    return pairs


def load_env_file(path: str | Path, environ: MutableMapping[str, str] = os.environ) -> None:
    """Export the file's pairs into ``environ``; ConfigError when it cannot be used."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"no env file {path} (or set UNSMIL_ALLOW_LOCAL_DB=1 and pass "
                          "no --env-file)") from None
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    environ.update(parse_env_file(text, str(path)))
    if not environ.get("MONGO_URI") and environ.get("UNSMIL_ALLOW_LOCAL_DB") != "1":
        raise ConfigError(f"MONGO_URI is empty in {path} (set UNSMIL_ALLOW_LOCAL_DB=1 for the "
                          "local database)")

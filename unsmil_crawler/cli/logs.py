"""JSON-lines logging for ``unsmil-crawler --log-format json``: one object per record.

Log shippers (journald, Loki, CloudWatch) parse one JSON object per line far more
reliably than Scrapy's multi-line text format. Scrapy builds its root handler's formatter
from ``LOG_FORMAT`` only and rebuilds that handler for every new ``Crawler``, so
:func:`use_json_logging` turns ``LOG_INSTALL_ROOT_HANDLER`` off and installs its own
handler, honouring the settings Scrapy's would: ``LOG_FILE``, ``LOG_FILE_APPEND``,
``LOG_ENCODING``, ``LOG_LEVEL``.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

from scrapy.settings import Settings

# Attributes every LogRecord has; anything else was passed with ``extra=`` and is kept.
_STANDARD = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


class JsonLinesFormatter(logging.Formatter):
    """Format a record as one line of JSON: ts, level, logger, msg, plus extras and exc.

    >>> record = logging.makeLogRecord(
    ...     {"name": "scrapy.core", "levelno": 20, "levelname": "INFO",
    ...      "msg": "Crawled %d pages", "args": (3,), "created": 0.0, "run_id": "r1"})
    >>> JsonLinesFormatter().format(record)
    '{"ts": "1970-01-01T00:00:00+00:00", "level": "INFO", "logger": "scrapy.core", \
"msg": "Crawled 3 pages", "run_id": "r1"}'
    """

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD:
                # Scrapy passes the Spider object as ``extra``; its name is what a reader wants.
                payload[key] = value.name if key == "spider" and hasattr(value, "name") else value
        if record.exc_info:
            payload["exc"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False, default=str)


def use_json_logging(settings: Settings) -> logging.Handler:
    """Log JSON lines to ``LOG_FILE`` or stderr; call before creating the CrawlerProcess."""
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    filename = settings.get("LOG_FILE")
    handler: logging.Handler
    if filename:
        mode = "a" if settings.getbool("LOG_FILE_APPEND") else "w"
        handler = logging.FileHandler(filename, mode, encoding=settings.get("LOG_ENCODING"))
    else:
        handler = logging.StreamHandler()
    handler.setFormatter(JsonLinesFormatter())
    handler.setLevel(settings.get("LOG_LEVEL"))
    logging.root.setLevel(logging.NOTSET)
    logging.root.addHandler(handler)
    return handler


def report(prefix: str, summary: str, *, json_logs: bool, error: bool = False) -> None:
    """The command's final one-line summary on stderr: a JSON line like every other when
    ``--log-format json``, so a log shipper never meets a line it cannot parse."""
    line = f"{prefix}: {summary}"
    if json_logs:
        level = logging.ERROR if error else logging.INFO
        record = logging.LogRecord("unsmil_crawler.cli", level, __file__, 0, line, None, None)
        line = JsonLinesFormatter().format(record)
    print(line, file=sys.stderr, flush=True)

"""Is the daily crawl healthy? A pure verdict over ``crawl_runs`` documents, for cron and monitors.

``unsmil-crawler health`` feeds this the newest runs from MongoDB and exits with
:attr:`HealthResult.code`, printing :attr:`HealthResult.reason` as one line, so a cron
``MAILTO``, a systemd ``OnFailure=`` unit or a Nagios-style check can page someone.

Exit codes (documented in docs/cli.md; 1, 2 and 75 are taken by ``crawl`` and usage errors):

====  ==============  ==========================================================
0     OK              the last run finished cleanly and recently
3     NO_RUN          no finished or failed run is stored at all
4     STALE           the last successful run is older than ``max_age``
5     FAILED          the last completed run failed or did not finish cleanly
6     ERROR_RATE      errors / requests of the last run is above ``max_error_rate``
7     LOW_YIELD       the last run found far fewer articles than the usual run
8     EMPTY           the last run found no articles at all
9     UNREACHABLE     MongoDB did not answer, so nothing could be judged
10    BROKEN_CHAIN    far more of the last run's parsed articles had no previous/next link
                      than in the last healthy run (a template change broke the chain walk)
11    RENDER_FAILED   the last run stored articles whose body never rendered (kept with
                      ``body_status: "render_failed"``; the next run renders them first)
====  ==============  ==========================================================
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

OK, NO_RUN, STALE, FAILED, ERROR_RATE, LOW_YIELD, EMPTY, UNREACHABLE = 0, 3, 4, 5, 6, 7, 8, 9
BROKEN_CHAIN = 10
RENDER_FAILED = 11
DEFAULT_MAX_ERROR_RATE = 0.05
"""Tolerated errors / requests; the CLI's default is the ``UNSMIL_MAX_ERROR_RATE`` setting."""

_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smhdw])", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


@dataclass(frozen=True)
class HealthResult:
    """The verdict: ``code`` is the process exit code, ``reason`` a single line for humans."""

    ok: bool
    code: int
    reason: str


def parse_duration(text: str) -> timedelta:
    """Parse ``26h``, ``90m``, ``1d12h`` or plain seconds into a timedelta.

    >>> parse_duration("26h")
    datetime.timedelta(days=1, seconds=7200)
    >>> parse_duration("1d12h") == timedelta(hours=36)
    True
    >>> parse_duration("600")
    datetime.timedelta(seconds=600)
    >>> parse_duration("soon")
    Traceback (most recent call last):
    ...
    ValueError: not a duration: 'soon' (use e.g. 26h, 90m, 2d)
    """
    stripped = text.strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", stripped):
        return timedelta(seconds=float(stripped))
    parts = _DURATION.findall(stripped)
    if not parts or _DURATION.sub("", stripped).strip():
        raise ValueError(f"not a duration: {text!r} (use e.g. 26h, 90m, 2d)")
    return timedelta(seconds=sum(float(n) * _UNIT_SECONDS[u.lower()] for n, u in parts))


def articles_found(run: Mapping[str, Any]) -> int:
    """Articles the run saw on the site: new + updated + unchanged, plus the stored ones an
    incremental run saw listed without fetching them (on a quiet day, with the sitemap
    announcing no change, it fetches no article at all).

    >>> articles_found({"stats": {"articles_new": 2, "articles_unchanged": 5,
    ...                           "incremental": {"known_listed": 30}}})
    37
    >>> articles_found({})
    0
    """
    stats = run.get("stats") or {}
    listed = int((stats.get("incremental") or {}).get("known_listed") or 0)
    return listed + sum(
        int(stats.get(k) or 0) for k in ("articles_new", "articles_updated", "articles_unchanged")
    )


def error_rate(run: Mapping[str, Any]) -> float:
    """errors / requests of one run; 0 when it made no request.

    >>> error_rate({"stats": {"errors": 3, "requests": 60}})
    0.05
    >>> error_rate({"stats": {"errors": 3}})
    0.0
    """
    stats = run.get("stats") or {}
    requests = int(stats.get("requests") or 0)
    return int(stats.get("errors") or 0) / requests if requests else 0.0


def neighbourless_share(run: Mapping[str, Any], min_parsed: int) -> float | None:
    """Share of the run's parsed articles that had neither a previous nor a next link; None
    when it parsed fewer than ``min_parsed`` (a small incremental run says nothing).

    >>> neighbourless_share({"stats": {"neighbours": {"parsed": 200, "none": 170}}}, 20)
    0.85
    >>> neighbourless_share({"stats": {"neighbours": {"parsed": 5, "none": 5}}}, 20) is None
    True
    """
    counts = (run.get("stats") or {}).get("neighbours") or {}
    parsed = int(counts.get("parsed") or 0)
    if parsed < max(min_parsed, 1):
        return None
    return int(counts.get("none") or 0) / parsed


def _aware(value: datetime | None) -> datetime | None:
    """MongoDB hands back naive UTC datetimes; make them comparable with an aware ``now``."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def _succeeded(run: Mapping[str, Any]) -> bool:
    return run.get("status") == "finished" and run.get("finish_reason", "finished") == "finished"


def _when(run: Mapping[str, Any]) -> datetime:
    stamp = _aware(run.get("finished_at")) or _aware(run.get("started_at"))
    return stamp or datetime.min.replace(tzinfo=UTC)


def _ago(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours:.1f}h ago" if hours < 72 else f"{hours / 24:.1f}d ago"


def check_health(
    runs: Iterable[Mapping[str, Any]],
    now: datetime,
    *,
    max_age: timedelta = timedelta(hours=26),
    max_error_rate: float = DEFAULT_MAX_ERROR_RATE,
    min_ratio: float = 0.3,
    min_baseline: int = 3,
    max_neighbourless_rise: float = 0.2,
    max_neighbourless: float = 0.5,
    min_parsed: int = 20,
) -> HealthResult:
    """Judge the newest completed run against its age, its errors and the runs before it.

    A run still ``running`` is ignored: it is neither a failure nor a success yet, and a
    crawl in progress must not page anyone. Yield is compared with the median of earlier
    successful runs of the *same mode*, the mode the run actually crawled in (``mode``; an
    incremental run on an empty store crawls in full and says so, keeping
    ``requested_mode: incremental``), because a full run finds the whole archive and an
    incremental one only the newest end. Counts are judged only once ``min_baseline``
    such runs exist: a young deployment has no "usual" yet, and the median of three
    shrugs off one odd run. The share of parsed articles without any
    neighbour link is compared with the last successful run that parsed at least
    ``min_parsed`` articles: a rise above ``max_neighbourless_rise`` (or a share above
    ``max_neighbourless`` with no such run) means the chain walk went blind.
    """
    now = _aware(now) or now
    done = sorted(
        (r for r in runs if r.get("status") in ("finished", "failed")), key=_when, reverse=True
    )
    if not done:
        return HealthResult(False, NO_RUN, "no completed crawl run is recorded")
    last = done[0]
    mode, requested = last.get("mode", "?"), last.get("requested_mode")
    asked = f", requested {requested}" if requested and requested != mode else ""
    label = f"run {last.get('_id')} ({mode}{asked})"
    if not _succeeded(last):
        why = last.get("finish_reason") or last.get("status")
        return HealthResult(False, FAILED, f"last {label} failed: {why}")
    successes = [r for r in done if _succeeded(r)]
    age = now - _when(successes[0])
    if age > max_age:
        return HealthResult(
            False, STALE, f"last successful {label} finished {_ago(age)} (max {max_age})"
        )
    rate = error_rate(last)
    if rate > max_error_rate:
        return HealthResult(
            False, ERROR_RATE, f"last {label} error rate {rate:.1%} > {max_error_rate:.1%}"
        )
    found = articles_found(last)
    if found == 0:
        return HealthResult(False, EMPTY, f"last {label} found no articles")
    unrendered = int((last.get("stats") or {}).get("render_failed") or 0)
    if unrendered:
        return HealthResult(
            False, RENDER_FAILED, f"last {label} stored {unrendered} articles without body: "
            "rendering failed (body_status render_failed; the next run renders them first)",
        )
    usual = [articles_found(r) for r in successes[1:] if r.get("mode") == last.get("mode")]
    if len(usual) >= min_baseline:
        median = statistics.median(usual)
        if found < min_ratio * median:
            return HealthResult(
                False,
                LOW_YIELD,
                f"last {label} found {found} articles, usual {median:g} (min ratio {min_ratio})",
            )
    share = neighbourless_share(last, min_parsed)
    if share is not None:
        earlier = (neighbourless_share(r, min_parsed) for r in successes[1:])
        baseline = next((s for s in earlier if s is not None), None)
        if (share > max_neighbourless if baseline is None
                else share - baseline > max_neighbourless_rise):
            parsed = last["stats"]["neighbours"]["parsed"]
            against = ("no earlier run to compare" if baseline is None
                       else f"{baseline:.0%} in the last healthy run")
            return HealthResult(
                False, BROKEN_CHAIN,
                f"last {label}: {share:.0%} of {parsed} parsed articles had no previous/next "
                f"link, against {against} (template change?)",
            )
    return HealthResult(True, OK, f"ok: last {label} finished {_ago(age)}, {found} articles")

"""Memory of a process tree from /proc (no psutil): the rendering test and the load benchmark
measure the Chromium processes a crawl starts."""

from __future__ import annotations

from pathlib import Path


def descendants(pid: int) -> list[int]:
    """All descendants of ``pid``."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        kids = parents.get(todo.pop(), [])
        found += kids
        todo += kids
    return found


def chromium_pss_kib(pid: int) -> tuple[int, int]:
    """(number of Chromium processes under ``pid``, their summed PSS in KiB).

    PSS, not RSS: Chromium's processes share most pages, and summed RSS would count them
    once per process.
    """
    count = total = 0
    for child in descendants(pid):
        try:
            if b"chrom" not in Path(f"/proc/{child}/cmdline").read_bytes():
                continue
            rollup = Path(f"/proc/{child}/smaps_rollup").read_text()
        except OSError:
            continue
        count += 1
        total += next((int(ln.split()[1]) for ln in rollup.splitlines()
                       if ln.startswith("Pss:")), 0)
    return count, total

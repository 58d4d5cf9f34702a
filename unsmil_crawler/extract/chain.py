"""Bookkeeping for the previous/next chain: what links where, and where it is broken.

The site's ``previous``/``next`` links should form one doubly linked list per language,
but the direction of ``previous`` is not guaranteed and real archives have dead links and
loops. Scrapy's duplicate filter already stops the walk from looping; this tracker only
*reports*: links whose target does not link back (``inconsistent``), and true cycles in
either link direction (found once at the end, in linear time). It keeps three short
strings per article, never page content.
"""

from __future__ import annotations

from collections import defaultdict

OPPOSITE = {"prev": "next", "next": "prev"}


class ChainTracker:
    """Record each article's neighbours as they are parsed, in any order.

    >>> t = ChainTracker()
    >>> t.add("b", [], prev="a", next="c")
    0
    >>> t.add("a", ["/node/1"], prev=None, next="b")
    0
    >>> t.add("c", [], prev="b", next="a")  # c.next loops back to a, whose prev is None
    1
    >>> t.cycles()
    1
    """

    def __init__(self) -> None:
        self._links: dict[str, dict[str, str | None]] = {}
        self._alias: dict[str, str] = {}
        self._pending: dict[str, list[tuple[str, str]]] = defaultdict(list)

    def __len__(self) -> int:
        return len(self._links)

    def resolve(self, url: str | None) -> str | None:
        return self._alias.get(url, url) if url else None

    def add(self, url: str, aliases: list[str], *, prev: str | None, next: str | None) -> int:
        """Store ``url``'s links; return how many links (to or from it) are not reciprocal."""
        for alias in aliases:
            self._alias[alias] = url
        self._links[url] = {"prev": prev, "next": next}
        inconsistent = 0
        for key in (url, *aliases):
            for source, direction in self._pending.pop(key, []):
                if self.resolve(self._links[url][OPPOSITE[direction]]) != source:
                    inconsistent += 1
        for direction, target in (("prev", prev), ("next", next)):
            resolved = self.resolve(target)
            if resolved is None:
                continue
            if resolved in self._links:
                if self.resolve(self._links[resolved][OPPOSITE[direction]]) != url:
                    inconsistent += 1
            else:
                self._pending[resolved].append((url, direction))
        return inconsistent

    def cycles(self) -> int:
        """Number of distinct cycles when following only ``next`` or only ``prev`` links."""
        found = 0
        for direction in ("prev", "next"):
            state: dict[str, int] = {}  # 1 = on the current path, 2 = done
            for start in self._links:
                path: list[str] = []
                node: str | None = start
                while node is not None and node in self._links and node not in state:
                    state[node] = 1
                    path.append(node)
                    node = self.resolve(self._links[node][direction])
                if node is not None and state.get(node) == 1:
                    found += 1
                for visited in path:
                    state[visited] = 2
        return found

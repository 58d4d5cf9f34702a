"""Article extraction from a page, driven by a :class:`~unsmil_crawler.sites.SiteProfile`.

Every field is tried through several signals (class names, ids, ``rel`` attributes, link
labels, metadata, page structure) so one renamed class degrades one signal, not the
crawl. :func:`extract_article` returns which signal produced each field, and the spider
counts them (``extract/<field>/<signal>``) and the misses (``extract/missing/<field>``).

The text is returned raw (entities decoded, ``<br>`` as a line break): cleaning is the
pipelines' job, so a reject can still show what the page really said.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from lxml import etree
from parsel import Selector
from w3lib.html import replace_entities

from unsmil_crawler.extract.urls import canonicalize, path_of, query_int, same_host
from unsmil_crawler.items import ArticleItem
from unsmil_crawler.sites import Signals, SiteProfile
from unsmil_crawler.text.dates import parse_published

_SKIP_TAGS = frozenset({"script", "style", "noscript", "template"})
_BLOCK_XPATH = ".//p | .//li[not(.//p)] | .//blockquote[not(.//p)] | .//h3 | .//h4"
_DATE_ISH = re.compile(r"\d|[٠-٩۰-۹]")
_CHROME_TAGS = frozenset({"nav", "footer", "aside", "header"})
STRUCTURAL_DATE = "date-like line"
EXTRACTOR_VERSION = 2
"""Stored with every article. Raise it when a change of extraction alters what existing pages
yield: stored documents of an older version are then re-fetched in full (no conditional GET),
so a 304 never freezes a wrong extraction. 1 = documents stored before the field existed
(whose Drupal 8+ pages lost their neighbour links); 2 = neighbours told apart by structure."""
_DATE_CHROME = frozenset({"nav", "footer", "aside"})  # an article's <header> often holds it


@dataclass
class ExtractionReport:
    """How extracting one page went, beside its :class:`ArticleItem` (the one shape of an
    article): what the spider counts and decides on, never stored."""

    is_article: bool = False
    """Whether the page is an article at all."""
    has_body_container: bool = False
    dropped_chars: int = 0
    """Text in the body container outside every paragraph-like block (kept nowhere)."""
    signals: dict[str, str] = field(default_factory=dict)
    """{field: name of the signal that produced it}."""


def element_text(element: etree._Element) -> str:
    """The text of an element: ``<br>`` becomes a line break, scripts are skipped.

    >>> element_text(etree.fromstring("<p>a<br/>b <b>c</b><script>x</script> d</p>"))
    'a\\nb c d'
    """
    parts: list[str] = []

    def walk(el: etree._Element) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag.lower() in _SKIP_TAGS:
            return
        if tag.lower() == "br":
            parts.append("\n")
        elif el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return "".join(parts)


def _node_text(sel: Selector) -> str:
    root = sel.root
    if isinstance(root, str):
        return root
    return element_text(root)


def first_signal(doc: Selector, signals: Signals, *, want_text: bool = True) -> tuple[str, str]:
    """The first (signal, value) whose XPath yields non-blank text, else ("", "")."""
    for name, xpath in signals:
        for node in doc.xpath(xpath):
            value = _node_text(node) if want_text else node.get()
            if value and value.strip():
                return name, " ".join(value.split())
    return "", ""


def _clean_title(raw: str, profile: SiteProfile) -> str:
    """Without the site's suffix; entities that Drupal double-escapes in ``og:title`` and
    ``<title>`` (``&amp;#039;``) are undone once.

    >>> from unsmil_crawler.sites import get_profile
    >>> _clean_title("Q&amp;A: the road map | UNSMIL", get_profile("unsmil"))
    'Q&A: the road map'
    """
    raw = replace_entities(raw)
    return profile.title_suffix.sub("", raw).strip()


def _link_signal(
    doc: Selector, signals: Signals, label: re.Pattern[str], profile: SiteProfile, url: str
) -> tuple[str, str]:
    for name, xpath in signals:
        for link in doc.xpath(xpath):
            href = _neighbour_href(link, profile, url)
            if href:
                return name, href
    for signal, xpath in (("pager label", profile.pager_links), ("any label", "//a[@href]")):
        for link in doc.xpath(xpath):
            if _has_label(link, label):
                href = _neighbour_href(link, profile, url)
                if href:
                    return signal, href
    return "", ""


def _has_label(link: Selector, label: re.Pattern[str]) -> bool:
    """Whether the link's text, ``title`` or ``aria-label`` reads as the pager label."""
    texts = (link.xpath("string(.)").get(""), link.attrib.get("title", ""),
             link.attrib.get("aria-label", ""))
    for text in texts:
        text = " ".join(text.split())
        if text and len(text) < 24 and label.match(text):
            return True
    return False


def _neighbour_href(link: Selector, profile: SiteProfile, url: str) -> str:
    """The link's href when it can name this article's neighbour, else "".

    Structure decides, never a class substring (Drupal 8+ wraps the whole article, pager
    included, in ``node--view-mode-full``): a link to a listing page (``?page=N``), a
    listing, feed or file is a listing pager's or a "more" link; a link inside a row of
    teasers belongs to a related or latest news block; a link to the page itself is none.
    """
    href = (link.attrib.get("href") or "").strip()
    if not href or href.startswith("#"):
        return ""
    target = canonicalize(href, base=url)
    if (query_int(target, profile.pager_param) is not None or profile.skip_url.search(target)
            or target == canonicalize(url) or link.xpath(profile.teaser_row)):
        return ""
    return href


def _body_container(doc: Selector, profile: SiteProfile) -> tuple[str, Selector | None]:
    for name, xpath in profile.body:
        nodes = doc.xpath(xpath)
        if nodes:
            return name, nodes[0]
    return "", None


def _depth(node: Selector) -> int:
    return int(float(node.xpath("count(ancestor::*)").get("0")))


def _is_chrome(
    node: Selector, profile: SiteProfile, below: int, tags: frozenset[str] = _CHROME_TAGS
) -> bool:
    """Whether ``node`` sits in page chrome *inside* the scope ``below`` levels deep.

    Only elements under the scope count: a page-wide wrapper such as
    ``<div class="off-canvas-menu-wrapper">`` must not turn the whole article into chrome.
    """
    inner = f"ancestor-or-self::*[count(ancestor::*) >= {below}]"
    classes = " ".join(node.xpath(f"{inner}/@class").getall()).lower()
    names = set(node.xpath(inner).xpath("name()").getall())
    return bool(names & tags) or any(c in classes for c in profile.chrome_classes)


def paragraphs_in(container: Selector, profile: SiteProfile) -> list[str]:
    """Non-blank text blocks inside the body container, in document order."""
    below = _depth(container) + 1
    texts = []
    for block in container.xpath(_BLOCK_XPATH):
        if block.xpath("ancestor::p") or _is_chrome(block, profile, below):
            continue
        text = _node_text(block)
        if text.strip():
            texts.append(text)
    if not texts:
        text = _node_text(container)
        if text.strip():
            texts.append(text)
    return texts


def dropped_chars(container: Selector, paragraphs: list[str]) -> int:
    """Text in the body container that no paragraph kept (bare text, ``<div>`` blocks)."""
    whole = len("".join(_node_text(container).split()))
    return max(0, whole - len("".join("".join(paragraphs).split())))


def _fallback_paragraphs(doc: Selector, profile: SiteProfile) -> tuple[str, list[str]]:
    """Structure signal: the element holding the most body-like ``<p>`` children."""
    for name, xpath in profile.body_fallback_scopes:
        best: list[str] = []
        for scope in doc.xpath(xpath)[:1]:
            below = _depth(scope) + 1
            for parent in scope.xpath(".//*[p]"):
                if _is_chrome(parent, profile, below):
                    continue
                texts = [t for t in (_node_text(p) for p in parent.xpath("./p")) if t.strip()]
                if sum(map(len, texts)) > sum(map(len, best)):
                    best = texts
        if best:
            return f"largest <p> block in {name}", best
    return "", []


def _language_links(
    pairs: Iterable[tuple[str, str]], profile: SiteProfile, url: str
) -> dict[str, str]:
    """{lang: URL} from (language hint, href) pairs; links to a front page are no article."""
    found: dict[str, str] = {}
    for hint, href in pairs:
        code = next((c for c in profile.languages if re.search(rf"\b{c}\b", hint)), None)
        if not code or code in found or not href:
            continue
        target = canonicalize(href, base=url)
        if path_of(target).strip("/") in ("", *profile.languages):
            continue  # a switcher link to a front page means "no translation"
        found[code] = target
    return found


def _switcher_links(doc: Selector, profile: SiteProfile, url: str) -> dict[str, str]:
    return _language_links(
        (
            (
                link.attrib.get("hreflang")
                or link.attrib.get("{http://www.w3.org/XML/1998/namespace}lang")
                or link.attrib.get("lang")
                or " ".join(link.xpath("../@class | ../@hreflang").getall()),
                link.attrib.get("href", ""),
            )
            for link in doc.xpath(profile.switcher_links)
        ),
        profile,
        url,
    )


def _translations(doc: Selector, profile: SiteProfile, url: str, lang: str) -> dict[str, str]:
    hreflang = _language_links(
        ((link.attrib.get("hreflang", ""), link.attrib.get("href", ""))
         for link in doc.xpath(profile.hreflang_links)),
        profile,
        url,
    )
    found = {**_switcher_links(doc, profile, url), **hreflang}
    found.pop(lang, None)
    return found


def extract_article(
    doc: Selector, url: str, profile: SiteProfile
) -> tuple[ArticleItem, ExtractionReport]:
    """Extract an article from a parsed page fetched at ``url``: the item (its extracted
    fields filled) and how that went.

    A page is an article when it has a title, a date shown on the page, and either a
    body container or a previous/next pager: listings, basic pages and error pages lack
    one of these.
    """
    signals: dict[str, str] = {}
    fetched = canonicalize(url)
    page_lang = (doc.xpath(profile.page_lang).get() or "").split("-")[0].lower()
    lang = page_lang if page_lang in profile.languages else profile.lang_of_path(path_of(url))
    canonical_href = doc.xpath(profile.canonical).get()
    if canonical_href and not same_host(canonicalize(canonical_href, base=url), url):
        canonical_href = None  # another site's URL is no name for this page
    if canonical_href:
        canonical, signals["url"] = canonicalize(canonical_href, base=url), "rel=canonical"
    else:
        own = _switcher_links(doc, profile, url).get(lang)
        canonical, signals["url"] = (own, "language switcher") if own else (fetched, "fetched url")

    aliases = {fetched}
    shortlink = doc.xpath(profile.shortlink).get()
    if shortlink:
        aliases.add(canonicalize(shortlink, base=url))
    aliases.discard(canonical)

    out = ArticleItem(url=canonical, lang=lang, aliases=sorted(aliases))
    report = ExtractionReport(signals=signals)

    name, title = first_signal(doc, profile.title)
    if title:
        out.title = _clean_title(title, profile)
        signals["title"] = name

    _published(doc, out, signals, profile)

    for attr, link_signals, label in (
        ("prev_url", profile.prev_link, profile.prev_label),
        ("next_url", profile.next_link, profile.next_label),
    ):
        name, href = _link_signal(doc, link_signals, label, profile, url)
        if href:
            setattr(out, attr, canonicalize(href, base=url))
            signals[attr] = name

    name, container = _body_container(doc, profile)
    if container is not None:
        report.has_body_container = True
        out.paragraphs = paragraphs_in(container, profile)
        report.dropped_chars = dropped_chars(container, out.paragraphs)
        signals["body"] = name
    if not out.paragraphs and container is None:
        name, out.paragraphs = _fallback_paragraphs(doc, profile)
        if out.paragraphs:
            signals["body"] = name

    out.translations = _translations(doc, profile, url, lang)
    has_pager = bool(out.prev_url or out.next_url)
    report.is_article = bool(
        out.title and out.published_text and (report.has_body_container or has_pager)
    )
    return out, report


def _published(
    doc: Selector, out: ArticleItem, signals: dict[str, str], profile: SiteProfile
) -> None:
    """The date shown on the page: the first date signal that parses, then a date-like line
    of its own; the machine date only when the page shows none. A shown date that never
    parses is kept, so the article is rejected with it rather than stored a day off."""
    for name, text in _date_candidates(doc, profile):
        parsed = parse_published(text, out.lang)
        if parsed is not None:
            out.published, out.published_text, signals["published"] = parsed, text, name
            return
        if name != STRUCTURAL_DATE:  # a date field that does not parse is worth a reject
            out.published_text = out.published_text or text
    if out.published_text:
        return  # the machine date may be a day off the shown one: a reject beats a wrong date
    for name, xpath in profile.date_machine:
        for value in doc.xpath(xpath).getall():
            parsed = _parse_machine_date(value)
            if parsed is not None:
                out.published, out.published_text = parsed, value.strip()
                signals["published"] = name
                return


def _date_candidates(doc: Selector, profile: SiteProfile) -> Iterator[tuple[str, str]]:
    """(signal, text) pairs: each date field as a whole, then its leaf elements (a labelled
    Drupal field reads "Date 1 November 2024" as a whole, "1 November 2024" in its item)."""
    for name, xpath in profile.date:
        for node in doc.xpath(xpath):
            texts = [node.xpath("normalize-space(.)").get(""),
                     *(leaf.xpath("normalize-space(.)").get("") for leaf in node.xpath(".//*"))]
            for text in texts:
                if text and _DATE_ISH.search(text):
                    yield name, text
    for _, scope in profile.body_fallback_scopes:
        for root in doc.xpath(scope)[:1]:
            below = _depth(root) + 1
            for node in root.xpath(".//*[not(*) and string-length(normalize-space()) < 48]"):
                text = node.xpath("normalize-space(.)").get("")
                if _DATE_ISH.search(text) and not _is_chrome(node, profile, below, _DATE_CHROME):
                    yield STRUCTURAL_DATE, text


def _parse_machine_date(value: str) -> datetime | None:
    """``2024-11-01T10:00:00+02:00`` -> 2024-11-01 00:00 UTC (the calendar date as written)."""
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", value.strip())
    if not match:
        return None
    try:
        return datetime(*map(int, match.groups()), tzinfo=UTC)
    except ValueError:
        return None

"""What a link in a post points at, decided without Qt.

A reader follows links inside the archive itself: another post opens here, a link to the
site's own category or tag page selects that node, a web address goes to the system
browser, and anything else (``javascript:``, ``data:``, ``file:``, unknown schemes) does
nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from reader.core.archive import Archive
from reader.core.names import unquote

LinkKind = Literal["post", "category", "tag", "external", "none"]

_CATEGORY_PAGE = re.compile(r"/(?:category|categories)/([^/]+?)(?:\.html?|/|/index\.html?)?$")
_TAG_PAGE = re.compile(r"/(?:tag|tags)/([^/]+?)(?:\.html?|/|/index\.html?)?$")
_DATED_PERMALINK = re.compile(r"/(\d{4})/(\d{2})/(\d{2})/([^/]+?)(?:\.html?|/)?$")


@dataclass(frozen=True, slots=True)
class LinkTarget:
    kind: LinkKind
    value: str = ""  # a post key, a category or tag name, or the URL to open


NOTHING = LinkTarget("none")


def _post_by_name(archive: Archive, name: str) -> str | None:
    """A post key from a file name with or without its extension (``2022-06-01-x``)."""
    name = name.rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return archive.key_by_stem().get(stem)


def classify(url: str, archive: Archive | None, post_path: str = "") -> LinkTarget:
    """Decide what clicking ``url`` in the post at ``post_path`` should do."""
    url = url.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "reader":
        kind, _, rest = parts.path.partition("/")
        value = unquote(rest)
        if kind == "category":
            return LinkTarget("category", value)
        if kind == "tag":
            return LinkTarget("tag", value)
        if kind in ("post", "file") and archive is not None:
            key = _post_by_name(archive, value)
            return LinkTarget("post", key) if key else NOTHING
        return NOTHING
    if scheme not in ("", "http", "https"):
        return NOTHING  # javascript:, data:, file:, mailto:, anything unknown
    path = unquote(parts.path)
    site_link = scheme == "" or _same_site(parts.netloc, archive)
    if archive is not None and (site_link or scheme == ""):
        target = _site_target(path, archive, post_path, relative=scheme == "" and not parts.netloc)
        if target is not None:
            return target
    if scheme in ("http", "https"):
        return LinkTarget("external", url)
    if parts.netloc:  # protocol-relative: //host/path
        return LinkTarget("external", "https:" + url)
    return NOTHING


def _same_site(netloc: str, archive: Archive | None) -> bool:
    """Links to the archive's own site: any host when the site's URL is unknown, since
    news mirrors link their category pages on their own, often changing, hosts."""
    if archive is None:
        return False
    site_url = archive.config.values.get("url")
    if not isinstance(site_url, str) or not site_url:
        return True
    return urlsplit(site_url).netloc.lower() == netloc.lower()


def _site_target(path: str, archive: Archive, post_path: str, *, relative: bool) -> LinkTarget | None:
    if match := _CATEGORY_PAGE.search(path):
        name = match.group(1)
        if name in archive.by_category:
            return LinkTarget("category", name)
    if match := _TAG_PAGE.search(path):
        name = match.group(1)
        if name in archive.by_tag:
            return LinkTarget("tag", name)
    if match := _DATED_PERMALINK.search(path):
        year, month, day, slug = match.groups()
        key = _post_by_name(archive, f"{year}-{month}-{day}-{slug}")
        if key:
            return LinkTarget("post", key)
    if relative or path.rstrip("/"):
        key = _post_by_name(archive, path.rstrip("/"))
        if key:
            return LinkTarget("post", key)
    return None

"""The ``site`` and ``page`` variables a post's Liquid sees, as Jekyll makes them.

``page``: the post's front matter and what Jekyll adds (``url``, ``date``, ``id``,
``categories``, ``tags``, ``path``, ``slug``, ``excerpt`` …). ``site``: ``_config.yml``'s
values, ``site.posts`` (newest first), ``site.categories``, ``site.tags``,
``site.data`` (``_data/``) and ``site.time``.

Everything is lazy: a post's front matter is read again only when its Liquid asks for a
key Reader does not keep, an excerpt only when asked for, a data file only when named.
``site.posts`` holds the newest :data:`SITE_POSTS_LIMIT` posts at most (an archive of
37,000 would otherwise make every loop over it read them all).
"""

from __future__ import annotations

import csv
import io
import json
import os
import posixpath
import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime, tzinfo
from typing import Any, overload
from urllib.parse import quote, unquote

from reader.core import dates, front_matter, jekyll
from reader.core.archive import Archive
from reader.core.kramdown import is_markdown
from reader.core.post import Post
from reader.core.resources import open_post_file, read_inside

#: ``site.posts``, ``site.categories[x]`` and ``site.tags[x]`` hold at most this many
#: posts, the newest.
SITE_POSTS_LIMIT = 1000
#: The largest data file read from ``_data/``.
DATA_LIMIT = 4 << 20
#: The most of a post's file read for its front matter or excerpt.
FILE_LIMIT = 4 << 20

_PERMALINK_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
_PLACEHOLDER = re.compile(r":(\w+)")
_HTML_OUTPUT = frozenset({".html", ".htm", ".xhtml"})


class RubyTime(datetime):
    """A time that Liquid prints as Ruby's ``Time#to_s`` does (``2008-11-21 00:00:00 +0000``)."""

    def __str__(self) -> str:
        return self.strftime("%Y-%m-%d %H:%M:%S %z")


def post_instant(post: Post, zone: tzinfo | None) -> datetime:
    """The post's moment in ``zone`` (the system's when None), as Jekyll's ``page.date``."""
    when = dates.instant(post.timestamp, zone)
    return RubyTime.combine(when.date(), when.timetz())


def permalink(post: Post, data: Mapping[str, Any], config: Mapping[str, Any], zone: tzinfo | None) -> str:
    """The post's URL on its site (Jekyll's ``page.url``), from its ``permalink`` or the
    site's style (``date`` by default)."""
    own = data.get("permalink")
    pattern = own if isinstance(own, str) and own else None
    stem, extension = posixpath.splitext(post.path)
    output_ext = ".html" if extension.lower() in _HTML_OUTPUT or is_markdown(extension, config) else extension
    if pattern is None and "/_posts/" not in "/" + post.path and not post.draft:
        # Outside _posts (old_post/, a plain folder) Jekyll builds the file as a page.
        return quote("/" + stem + output_ext, safe="/:@!$&'()*+,;=~.-_%")
    if pattern is None:
        style = config.get("permalink")
        style = style if isinstance(style, str) and style else "date"
        pattern = _PERMALINK_STYLES.get(style, style)
    name = post.path.rsplit("/", 1)[-1]
    slug = jekyll.split_filename(name)[1]
    from reader.core import jekyll_filters  # with the Liquid engine: not at the window's start

    slug_value = data.get("slug")
    title = jekyll_filters.slugify(slug_value if slug_value else slug, "pretty", True)
    when = post_instant(post, zone)
    values = {
        "categories": "/".join(dict.fromkeys(c.lower() for c in post.categories)),
        "year": f"{when.year:04d}",
        "month": f"{when.month:02d}",
        "i_month": str(when.month),
        "short_month": when.strftime("%b"),
        "long_month": when.strftime("%B"),
        "day": f"{when.day:02d}",
        "i_day": str(when.day),
        "y_day": when.strftime("%j"),
        "short_year": when.strftime("%y"),
        "hour": when.strftime("%H"),
        "minute": when.strftime("%M"),
        "second": when.strftime("%S"),
        "week": when.strftime("%V"),
        "short_day": when.strftime("%a"),
        "long_day": when.strftime("%A"),
        "title": title,
        "slug": slug.lower(),
        "name": slug,
        "path": post.path.rsplit(".", 1)[0],
        "output_ext": output_ext,
    }
    url = _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), pattern)
    url = re.sub(r"/{2,}", "/", "/" + unquote(url).replace("..", "/"))  # Jekyll's URL#sanitize_url
    return quote(url, safe="/:@!$&'()*+,;=~.-_%")


def _read_front(root: str, path: str) -> tuple[dict[str, Any], str]:
    """A post file's front matter (as a mapping) and body; empty when it cannot be read."""
    try:
        with open_post_file(path, root) as file:
            raw = file.read(FILE_LIMIT)
        text = front_matter.decode(raw, truncated=len(raw) >= FILE_LIMIT).text
    except (OSError, front_matter.UndecodableError):
        return {}, ""
    front, body = front_matter.split_text(text)
    return (front_matter.parse_post(front, []) if front else {}), body


class PageVariables(Mapping[str, Any]):
    """One post as its Liquid (``page``) or a loop over ``site.posts`` sees it."""

    _COMPUTED = ("title", "date", "url", "id", "categories", "tags", "path", "relative_path",
                 "slug", "name", "collection", "draft", "ext", "excerpt", "layout")  # fmt: skip

    def __init__(self, archive: Archive, post: Post, body: str | None = None) -> None:
        self._archive = archive
        self._post = post
        self._body = body
        self._front: dict[str, Any] | None = None
        self._values: dict[str, Any] = {}

    def _front_matter(self) -> dict[str, Any]:
        if self._front is None:
            self._front, body = _read_front(str(self._archive.root), self._post.path)
            if self._body is None:
                self._body = body
        return self._front

    def _compute(self, key: str) -> Any:
        post = self._post
        config = self._archive.config
        name = post.path.rsplit("/", 1)[-1]
        if key == "title":
            return post.title
        if key == "date":
            return post_instant(post, config.zone)
        if key == "url":
            return permalink(post, self._front_matter(), config.values, config.zone)
        if key == "id":
            return posixpath.splitext(self["url"])[0].rstrip("/") or "/"
        if key == "categories":
            return list(post.categories)
        if key == "tags":
            return list(post.tags)
        if key in ("path", "relative_path"):
            return post.path
        if key == "slug":
            return jekyll.split_filename(name)[1]
        if key == "name":
            return name
        if key == "collection":
            return "posts"
        if key == "draft":
            return post.draft
        if key == "ext":
            return posixpath.splitext(name)[1]
        if key == "excerpt":
            return self._excerpt()
        return self._front_matter().get(key)

    def _excerpt(self) -> str:
        from reader.core import kramdown

        front = self._front_matter()
        given = front.get("excerpt")
        if isinstance(given, str):
            return given
        separator = front.get(
            "excerpt_separator", self._archive.config.values.get("excerpt_separator", "\n\n")
        )
        body = (self._body or "").lstrip("\n")
        cut = body.split(str(separator), 1)[0] if separator else body
        if kramdown.is_markdown(posixpath.splitext(self._post.path)[1], self._archive.config.values):
            return kramdown.to_html(cut)
        return cut

    def __getitem__(self, key: str) -> Any:
        if key in self._values:
            return self._values[key]
        if key in self._COMPUTED:
            value = self._compute(key)
        elif key in self._front_matter():
            value = self._front_matter()[key]
        else:
            raise KeyError(key)
        self._values[key] = value
        return value

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and (key in self._COMPUTED or key in self._front_matter())

    def __iter__(self) -> Iterator[str]:
        yield from self._COMPUTED
        yield from (key for key in self._front_matter() if key not in self._COMPUTED)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class PostList(Sequence[PageVariables]):
    """Posts of the archive (by position, newest first) as ``page``-like mappings."""

    def __init__(self, archive: Archive, positions: Sequence[int]) -> None:
        self._archive = archive
        self._positions = positions

    def __len__(self) -> int:
        return min(len(self._positions), SITE_POSTS_LIMIT)

    @overload
    def __getitem__(self, index: int) -> PageVariables: ...
    @overload
    def __getitem__(self, index: slice) -> list[PageVariables]: ...
    def __getitem__(self, index: int | slice) -> PageVariables | list[PageVariables]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return PageVariables(self._archive, self._archive.posts[self._positions[index]])


class _ByName(Mapping[str, PostList]):
    def __init__(self, archive: Archive, index: Mapping[str, Sequence[int]]) -> None:
        self._archive = archive
        self._index = index

    def __getitem__(self, key: str) -> PostList:
        return PostList(self._archive, sorted(self._index[key]))

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)


def _data_value(raw: bytes, extension: str) -> Any:
    text = front_matter.decode(raw).text
    if extension in (".yml", ".yaml"):
        return front_matter.parse_yaml(text)
    if extension == ".json":
        return json.loads(text)
    if extension in (".csv", ".tsv"):
        return list(csv.DictReader(io.StringIO(text), delimiter="\t" if extension == ".tsv" else ","))
    return None


class DataFolder(Mapping[str, Any]):
    """``site.data``: the files of ``_data/`` (YAML, JSON, CSV, TSV) by name, folders nested."""

    EXTENSIONS = (".yml", ".yaml", ".json", ".csv", ".tsv")

    def __init__(self, root: str, relative: str) -> None:
        self._root = root
        self._relative = relative
        self._entries: dict[str, str] | None = None
        self._loaded: dict[str, Any] = {}

    def _names(self) -> dict[str, str]:
        if self._entries is None:
            entries: dict[str, str] = {}
            folder = os.path.join(self._root, self._relative)
            try:
                names = sorted(os.listdir(folder))
            except OSError:
                names = []
            for name in names:
                stem, extension = posixpath.splitext(name)
                if name.startswith((".", "_")):
                    continue
                if extension.lower() in self.EXTENSIONS:
                    entries.setdefault(stem, name)
                elif os.path.isdir(os.path.join(folder, name)) and not os.path.islink(
                    os.path.join(folder, name)
                ):
                    entries.setdefault(name, name + "/")
            self._entries = entries
        return self._entries

    def __getitem__(self, key: str) -> Any:
        if key in self._loaded:
            return self._loaded[key]
        name = self._names()[key]
        relative = posixpath.join(self._relative, name)
        if name.endswith("/"):
            value: Any = DataFolder(self._root, relative.rstrip("/"))
        else:
            try:
                value = _data_value(
                    read_inside(self._root, relative, DATA_LIMIT), posixpath.splitext(name)[1].lower()
                )
            except Exception:  # a data file that cannot be read is nil, as a missing one
                value = None
        self._loaded[key] = value
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())


class SiteVariables(Mapping[str, Any]):
    """``site``: ``_config.yml``'s values and what Jekyll adds."""

    _ADDED = (
        "posts",
        "categories",
        "tags",
        "data",
        "time",
        "pages",
        "static_files",
        "source",
        "url",
        "baseurl",
    )

    def __init__(self, archive: Archive) -> None:
        self._archive = archive
        self._values: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        if key in self._values:
            return self._values[key]
        archive = self._archive
        config = archive.config.values
        if key == "posts":
            value: Any = PostList(archive, self._posts())
        elif key in ("categories", "tags"):
            built = set(self._posts())
            index = archive.by_category if key == "categories" else archive.by_tag
            value = _ByName(archive, {name: [at for at in ats if at in built] for name, ats in index.items()})
        elif key == "data":
            data_dir = config.get("data_dir")
            value = DataFolder(
                str(archive.root), data_dir.strip("/") if isinstance(data_dir, str) else "_data"
            )
        elif key == "time":
            value = datetime.now(archive.config.zone).astimezone(archive.config.zone)
        elif key in ("pages", "static_files"):
            value = []
        elif key == "source":
            value = str(archive.root)
        elif key in ("url", "baseurl"):
            value = config.get(key) or ""
        elif key in config:
            value = config[key]
        else:
            raise KeyError(key)
        self._values[key] = value
        return value

    def _posts(self) -> list[int]:
        """The positions of the posts Jekyll builds as posts (in a ``_posts`` folder,
        published, not drafts), newest first; the first :data:`SITE_POSTS_LIMIT` of them."""
        if "_positions" not in self._values:
            found = []
            for at, post in enumerate(self._archive.posts):
                if post.published and not post.draft and "/_posts/" in "/" + post.path:
                    found.append(at)
                    if len(found) >= SITE_POSTS_LIMIT:
                        break
            self._values["_positions"] = found
        positions: list[int] = self._values["_positions"]
        return positions

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and (key in self._ADDED or key in self._archive.config.values)

    def __iter__(self) -> Iterator[str]:
        yield from self._ADDED
        yield from (key for key in self._archive.config.values if key not in self._ADDED)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def page_variables(archive: Archive, post: Post) -> PageVariables:
    return PageVariables(archive, post)


def site_variables(archive: Archive) -> SiteVariables:
    return SiteVariables(archive)

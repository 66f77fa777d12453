"""Jekyll 4's rules for posts, as pure functions.

Each function names the Jekyll behaviour it reproduces (``lib/jekyll/document.rb``,
``utils.rb``, ``readers/post_reader.rb``) so that a difference can be traced to its rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

#: Jekyll's ``DATE_FILENAME_MATCHER``, applied to a file name: ``2017-2-5-slug.md``.
#: Ruby's ``\d`` is ASCII only, hence ``[0-9]``.
DATE_FILENAME = re.compile(r"\A([0-9]{2,4}-[0-9]{1,2}-[0-9]{1,2})-(.*)(\.[^.]+)\Z", re.S)
#: Jekyll's ``DATELESS_FILENAME_MATCHER``: any name with an extension.
DATELESS_FILENAME = re.compile(r"\A(.*)(\.[^.]+)\Z", re.S)

POSTS_DIR = "_posts"
DRAFTS_DIR = "_drafts"

#: Jekyll's ``EntryFilter``: names it treats as special (never read as content).
_SPECIAL_LEADING = (".", "_", "#", "~")


def is_special_entry(relative: str) -> bool:
    """Jekyll's ``EntryFilter#special?`` and ``#backup?`` for an entry below ``_posts``."""
    base = relative.rsplit("/", 1)[-1]
    return relative.startswith(_SPECIAL_LEADING) or base.startswith(_SPECIAL_LEADING) or (base.endswith("~"))


def split_filename(name: str) -> tuple[str | None, str, str]:
    """Split a file name into (date text or None, slug, extension), as Jekyll's matchers do.

    The slug loses trailing periods (``populate_title``). A name with no extension has
    an empty extension and the whole name as slug.
    """
    match = DATE_FILENAME.match(name)
    if match:
        day, slug, ext = match.groups()
    else:
        dateless = DATELESS_FILENAME.match(name)
        day = None
        slug, ext = dateless.groups() if dateless else (name, "")
    return day, slug.rstrip("."), ext


def titleize_slug(slug: str) -> str:
    """Jekyll's ``Utils.titleize_slug``: ``no-yaml`` -> ``No Yaml``.

    Ruby's ``String#split("-")`` drops trailing empty fields, and ``capitalize``
    lower-cases the rest of each word.
    """
    words = slug.split("-")
    while words and not words[-1]:
        words.pop()
    return " ".join(word[:1].upper() + word[1:].lower() for word in words)


def categories_from_path(relative_path: str, special_dir: str) -> list[str]:
    """Jekyll's ``categories_from_path``: the folders above ``_posts`` (or ``_drafts``).

    ``movies/horror/_posts/x.md`` -> ``["movies", "horror"]``; ``_posts/es/x.md`` -> ``[]``.
    Like Jekyll, everything from the first occurrence of the special folder's name on is
    cut away.
    """
    cut = relative_path.find(special_dir)
    if cut == 0:
        return []  # the archive's own ``_posts``: nothing above it
    above = relative_path if cut < 0 else relative_path[:cut]
    basename = relative_path.rsplit("/", 1)[-1]
    return [part for part in above.split("/") if part and part not in (special_dir, basename)]


def ruby_to_s(value: object) -> str:
    """``Object#to_s`` for the scalar types YAML produces."""
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, datetime):
        text = value.strftime("%Y-%m-%d %H:%M:%S")
        if value.tzinfo is not None:
            text += " " + value.strftime("%z")
        return text
    return str(value)


def _plural_value(value: object) -> list[object] | None:
    """``Utils.value_from_plural_key``: a string is split on whitespace, a list compacted."""
    if isinstance(value, str):
        return list(value.split())
    if isinstance(value, list):
        return [item for item in value if item is not None]
    return None


def _pluralized(data: Mapping[str, Any], singular: str, plural: str) -> list[object]:
    """``Utils.pluralized_array_from_hash``: the singular key wins and is never split."""
    value: object = data.get(singular) if singular in data else None
    if value is None and plural in data:
        value = _plural_value(data[plural])
    return [item for item in _flatten([value]) if item is not None]


def _flatten(items: Iterable[object]) -> list[object]:
    """Ruby's ``Array#flatten``, with a stack of its own: no nesting overflows Python's."""
    flat: list[object] = []
    stack = [iter(items)]
    while stack:
        for item in stack[-1]:
            if isinstance(item, list):
                stack.append(iter(item))
                break
            flat.append(item)
        else:
            stack.pop()
    return flat


def _ruby_array(value: object) -> list[object]:
    """Ruby's ``Array(value)``."""
    if value is None:
        return []
    if isinstance(value, list):
        return list(value)
    return [value]


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def jekyll_categories(path_categories: list[str], front_matter: Mapping[str, Any]) -> tuple[str, ...]:
    """A post's categories exactly as Jekyll 4 builds them.

    ``categories_from_path`` first, then ``merge_categories!`` appends the front
    matter's ``categories`` (a string split on whitespace, a list as it is) as a set
    union, then ``populate_categories`` adds ``category`` (never split; it wins over
    ``categories`` in ``pluralized_array_from_hash``), converts to strings, flattens
    and de-duplicates. Empty strings are dropped: they name no category.
    """
    merged: object = path_categories
    if "categories" in front_matter:
        raw = front_matter["categories"]
        if raw is None:
            merged = path_categories  # ``deep_merge_hashes!`` keeps the old value for a nil
        else:
            extra = raw.split() if isinstance(raw, str) else _ruby_array(raw)
            merged = list(path_categories) + [c for c in extra if c not in path_categories]
    data = dict(front_matter)
    data["categories"] = merged
    combined = _flatten(_ruby_array(merged) + _pluralized(data, "category", "categories"))
    return tuple(c for c in _unique(ruby_to_s(c) for c in combined) if c)


def jekyll_tags(front_matter: Mapping[str, Any]) -> tuple[str, ...]:
    """A post's tags as Jekyll 4's ``populate_tags`` builds them, as de-duplicated strings."""
    tags = _pluralized(front_matter, "tag", "tags")
    return tuple(t for t in _unique(ruby_to_s(t) for t in tags) if t)


_MISSING = object()
#: (path categories, the four keys' types and values) -> (categories, tags). Thousands
#: of posts share a source's categories and tags: they are worked out once, and the
#: posts share the resulting tuples. Emptied when full.
_NAMES: dict[tuple[object, ...], tuple[tuple[str, ...], tuple[str, ...]]] = {}
_NAMES_MAX = 10_000


def categories_and_tags(
    path_categories: tuple[str, ...], front_matter: Mapping[str, Any]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """:func:`jekyll_categories` and :func:`jekyll_tags` together, remembered."""
    get = front_matter.get
    category, categories = get("category", _MISSING), get("categories", _MISSING)
    tag, tags = get("tag", _MISSING), get("tags", _MISSING)
    # Types are part of the key: ``True == 1`` but they print differently.
    key: tuple[object, ...] | None = (
        path_categories,
        type(category),
        category,
        type(categories),
        categories,
        type(tag),
        tag,
        type(tags),
        tags,
    )
    try:
        names = _NAMES.get(key)  # type: ignore[arg-type]
    except TypeError:  # a list: not hashable, worked out each time
        names, key = None, None
    if names is None:
        names = (jekyll_categories(list(path_categories), front_matter), jekyll_tags(front_matter))
        if key is not None:
            if len(_NAMES) >= _NAMES_MAX:
                _NAMES.clear()
            _NAMES[key] = names
    return names


def is_published(front_matter: Mapping[str, Any]) -> bool:
    """``Document#published?``: only a real boolean ``false`` unpublishes."""
    return front_matter.get("published", True) is not False


# --- identity ------------------------------------------------------------------------


def post_key(relative_path: str) -> str:
    """The stable identity of a post, used for read and starred state.

    The rule: the post's file name, preceded by the site section it belongs to.
    The section is the folders above the post's own container folder: for a file
    under ``_posts`` or ``_drafts`` (at any depth), the folders above that folder
    (Jekyll's path categories); for any other file, the folders above the file's
    own folder.

    So the daily housekeeping move ``_posts/x.md`` -> ``old_post/x.md`` keeps the
    key ``x.md``, ``en/news/_posts/x.md`` (``en/news/x.md``) stays apart from
    ``ja/news/_posts/x.md`` (``ja/news/x.md``), and ``en/news/old_post/x.md`` has the
    same key as ``en/news/_posts/x.md``. When two files still share a key (the same
    name in two subfolders of ``_posts``), the archive keeps the key for one and
    suffixes the others with their path (see ``reader.core.archive``).
    """
    if relative_path.count("/") <= 1:
        return relative_path.rsplit("/", 1)[-1]  # no section: ``_posts/x.md``, ``old_post/x.md``
    parts = relative_path.split("/")
    name = parts[-1]
    for index, part in enumerate(parts[:-1]):
        if part in (POSTS_DIR, DRAFTS_DIR):
            section = parts[:index]
            break
    else:
        section = parts[:-2]
    return "/".join([*section, name])

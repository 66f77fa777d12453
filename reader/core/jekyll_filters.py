"""Jekyll's Liquid filters (``lib/jekyll/filters.rb``, ``filters/url_filters.rb``,
``filters/date_filters.rb``), for python-liquid: what they give for the values a post
sees. Registered on the engine by :func:`register`; Liquid's standard filters come with
python-liquid."""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any
from urllib.parse import quote, quote_plus

from liquid import Environment
from liquid.context import Context
from liquid.exceptions import FilterArgumentError
from liquid.expressions import parse_boolean_expression, parse_filtered_expression
from liquid.filter import with_context
from liquid.undefined import Undefined

from reader.core import dates


def _value(value: object) -> object:
    return None if isinstance(value, Undefined) else value


def to_text(value: object) -> str:
    """A value as Liquid outputs it (Ruby's ``to_s`` for the usual types)."""
    value = _value(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "".join(to_text(item) for item in value)
    return str(value)


def _items(value: object) -> list[Any]:
    value = _value(value)
    if value is None:
        return []
    if isinstance(value, Mapping):
        return list(value.values())
    if isinstance(value, (str, bytes)):
        return [value]
    if isinstance(value, Sequence):
        return list(value)
    try:
        items: list[Any] = list(value)  # type: ignore[call-overload]
    except TypeError:
        return [value]
    return items


def _property(item: object, name: object) -> object:
    if isinstance(item, Mapping):
        return item.get(str(name)) if hasattr(item, "get") else None
    return None


def _as_date(value: object) -> datetime | None:
    value = _value(value)
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        if value.strip().lower() in ("now", "today"):
            return datetime.now().astimezone()
        return dates.parse_date_text(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.fromtimestamp(value).astimezone()
    return None


def _ordinal(day: int) -> str:
    if 10 <= day % 100 <= 20:
        return f"{day}th"
    return f"{day}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th') }"


def _date_string(value: object, month: str, kind: object, style: object) -> object:
    when = _as_date(value)
    if when is None:
        return value
    if kind == "ordinal":
        if style == "US":
            return f"{when.strftime(month)} {_ordinal(when.day)}, {when.year}"
        return f"{_ordinal(when.day)} {when.strftime(month)} {when.year}"
    return f"{when.day:02d} {when.strftime(month)} {when.year}"


def date_to_string(value: object, kind: object = None, style: object = None) -> object:
    return _date_string(value, "%b", kind, style)


def date_to_long_string(value: object, kind: object = None, style: object = None) -> object:
    return _date_string(value, "%B", kind, style)


def date_to_xmlschema(value: object) -> object:
    when = _as_date(value)
    return value if when is None else when.isoformat()


def date_to_rfc822(value: object) -> object:
    when = _as_date(value)
    if when is None:
        return value
    return when.strftime("%a, %d %b %Y %H:%M:%S ") + (when.strftime("%z") or "+0000")


def xml_escape(value: object) -> str:
    return html.escape(to_text(value), quote=True).replace("&#x27;", "&#39;")


def cgi_escape(value: object) -> str:
    return quote_plus(to_text(value), safe="*")


def uri_escape(value: object) -> str:
    return quote(to_text(value), safe="!#$&'()*+,/:;=?@[]~%")


def _json_default(value: object) -> object:
    if isinstance(value, (datetime, date)):
        return str(value)
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, Sequence):
        return list(value)
    return to_text(value)


def jsonify(value: object) -> str:
    return json.dumps(_value(value), ensure_ascii=False, default=_json_default, separators=(",", ":"))


_SLUG = {
    "raw": re.compile(r"\s+"),
    "default": re.compile(r"[^\w]+"),
    "pretty": re.compile(r"[^\w._~!$&'()+,;=@]+"),
    "ascii": re.compile(r"[^a-zA-Z0-9]+"),
    "latin": re.compile(r"[^a-zA-Z0-9]+"),
}


def slugify(value: object, mode: object = "default", cased: object = False) -> str:
    """Jekyll's ``Utils.slugify``: runs of other characters become one ``-``."""
    text = to_text(value)
    mode = to_text(mode) or "default"
    if mode == "none":
        return text
    if mode == "latin":
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    pattern = _SLUG.get(mode, _SLUG["default"])
    slug: str = pattern.sub("-", text).strip("-")
    return slug if cased is True else slug.lower()


@with_context
def relative_url(value: object, *, context: Context) -> str:
    text = to_text(value)
    if re.match(r"[a-zA-Z][\w+.-]*:", text) or text.startswith("//"):
        return text
    site = _value(context.resolve("site"))
    base = to_text(_property(site, "baseurl")).strip()
    joined = "/".join(part.strip("/") for part in (base, text) if part.strip("/"))
    return quote("/" + joined + ("/" if text.endswith("/") and joined else ""), safe="/%:@!$&'()*+,;=~?#[]")


@with_context
def absolute_url(value: object, *, context: Context) -> str:
    text = to_text(value)
    if re.match(r"[a-zA-Z][\w+.-]*:", text) or text.startswith("//"):
        return text
    site = _value(context.resolve("site"))
    url = to_text(_property(site, "url")).rstrip("/")
    return url + str(relative_url(text, context=context))


def markdownify(value: object) -> str:
    from reader.core import kramdown

    return kramdown.to_html(to_text(value))


def smartify(value: object) -> str:
    from reader.core import kramdown

    return kramdown.smart_quotes(to_text(value))


def number_of_words(value: object, mode: object = None) -> int:
    text = to_text(value)
    if mode in ("cjk", "auto"):
        cjk = re.findall(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]", text)
        if cjk or mode == "cjk":
            rest = re.sub(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]", " ", text)
            return len(cjk) + len(rest.split())
    return len(text.split())


def _matches(found: object, wanted: object) -> bool:
    if isinstance(found, (list, tuple)):
        return any(to_text(item) == to_text(wanted) for item in found)
    return to_text(found) == to_text(wanted)


def where(value: object, prop: object, wanted: object = None) -> list[Any]:
    return [item for item in _items(value) if _matches(_property(item, prop), _value(wanted))]


def _test(context: Context, variable: object, expression: object) -> Any:
    try:
        test = parse_boolean_expression(to_text(expression))
    except Exception as error:
        raise FilterArgumentError(f"cannot read the expression {to_text(expression)!r}") from error
    name = to_text(variable)

    def holds(item: object) -> bool:
        with context.extend({name: item}):
            return bool(test.evaluate(context))

    return holds


@with_context
def where_exp(value: object, variable: object, expression: object, *, context: Context) -> list[Any]:
    holds = _test(context, variable, expression)
    return [item for item in _items(value) if holds(item)]


def find(value: object, prop: object, wanted: object = None) -> object:
    return next(iter(where(value, prop, wanted)), None)


@with_context
def find_exp(value: object, variable: object, expression: object, *, context: Context) -> object:
    return next(iter(where_exp(value, variable, expression, context=context)), None)


def _groups(pairs: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    groups: dict[str, list[Any]] = {}
    for name, item in pairs:
        groups.setdefault(name, []).append(item)
    return [{"name": name, "items": items, "size": len(items)} for name, items in groups.items()]


def group_by(value: object, prop: object) -> list[dict[str, Any]]:
    return _groups([(to_text(_property(item, prop)), item) for item in _items(value)])


@with_context
def group_by_exp(
    value: object, variable: object, expression: object, *, context: Context
) -> list[dict[str, Any]]:
    test = parse_filtered_expression(to_text(expression))
    name = to_text(variable)
    pairs = []
    for item in _items(value):
        with context.extend({name: item}):
            pairs.append((to_text(test.evaluate(context)), item))
    return _groups(pairs)


def _sort_key(value: object) -> tuple[int, Any]:
    value = _value(value)
    if isinstance(value, bool):
        return (1, str(value))
    if isinstance(value, (int, float)):
        return (0, value)
    if isinstance(value, datetime):
        return (2, value.timestamp() if value.tzinfo else value.replace(tzinfo=None).timestamp())
    return (3, to_text(value))


def sort(value: object, prop: object = None, nils: object = "first") -> list[Any]:
    """Jekyll's ``sort``: by a property when given, ``nil``s first (or ``last``)."""
    items = _items(value)
    if _value(prop) is None:
        return sorted(items, key=_sort_key)
    present = [item for item in items if _value(_property(item, prop)) is not None]
    absent = [item for item in items if _value(_property(item, prop)) is None]
    present.sort(key=lambda item: _sort_key(_property(item, prop)))
    return present + absent if nils == "last" else absent + present


def array_to_sentence_string(value: object, connector: object = "and") -> str:
    words = [to_text(item) for item in _items(value)]
    if len(words) <= 1:
        return "".join(words)
    if len(words) == 2:
        return f"{words[0]} {to_text(connector)} {words[1]}"
    return f"{', '.join(words[:-1])}, {to_text(connector)} {words[-1]}"


def normalize_whitespace(value: object) -> str:
    return " ".join(to_text(value).split())


def to_integer(value: object) -> int:
    value = _value(value)
    if isinstance(value, bool):
        return int(value)
    try:
        return int(float(to_text(value)))
    except ValueError:
        return 0


def push(value: object, item: object) -> list[Any]:
    return [*_items(value), item]


def pop(value: object, count: object = 1) -> list[Any]:
    items = _items(value)
    return items[: max(0, len(items) - to_integer(count))]


def shift(value: object, count: object = 1) -> list[Any]:
    return _items(value)[to_integer(count) :]


def unshift(value: object, item: object) -> list[Any]:
    return [item, *_items(value)]


def sample(value: object, count: object = None) -> object:
    """Jekyll picks at random; the reader always shows the first (the same on every view)."""
    items = _items(value)
    if count is None:
        return items[0] if items else None
    return items[: to_integer(count)]


def inspect(value: object) -> str:
    return jsonify(value)


FILTERS: dict[str, Callable[..., Any]] = {
    "date_to_string": date_to_string,
    "date_to_long_string": date_to_long_string,
    "date_to_xmlschema": date_to_xmlschema,
    "date_to_rfc822": date_to_rfc822,
    "xml_escape": xml_escape,
    "cgi_escape": cgi_escape,
    "uri_escape": uri_escape,
    "jsonify": jsonify,
    "slugify": slugify,
    "relative_url": relative_url,
    "absolute_url": absolute_url,
    "markdownify": markdownify,
    "smartify": smartify,
    "number_of_words": number_of_words,
    "where": where,
    "where_exp": where_exp,
    "find": find,
    "find_exp": find_exp,
    "group_by": group_by,
    "group_by_exp": group_by_exp,
    "sort": sort,
    "array_to_sentence_string": array_to_sentence_string,
    "normalize_whitespace": normalize_whitespace,
    "to_integer": to_integer,
    "push": push,
    "pop": pop,
    "shift": shift,
    "unshift": unshift,
    "sample": sample,
    "inspect": inspect,
}


def register(env: Environment) -> None:
    """Add Jekyll's filters to ``env`` (those of the same name as Liquid's win, as in Jekyll)."""
    for name, function in FILTERS.items():
        env.add_filter(name, function)

"""A post's front matter: where it is, how it is decoded, and what it says. The one
place front matter is read.

Finding and decoding:

- :data:`FRONT_MATTER_BYTES` / :data:`FRONT_MATTER_TEXT`: Jekyll's
  ``YAML_FRONT_MATTER_REGEXP``, on a file's bytes (the load) or its decoded text (the
  viewer, search); :data:`YAML_HEADER`: does a file start with front matter at all.
- :func:`decode`: UTF-8, else GB18030; :func:`split_text`: a decoded file's front matter
  and body.

Reading, from the fastest path to the most forgiving:

- :func:`parse_simple`: the plain path. Most posts' front matter is a handful of
  ``key: value`` lines; this reads them without YAML, building each value with PyYAML's
  own resolvers and constructors, so the result is identical to YAML's (a property the
  tests check); None when the text is not that simple. Its compiled twin,
  :func:`reader.core.native.simple_front_matter`, reads the same lines from a file's
  bytes before they are decoded, asking this module's rules (:func:`fast_rules`).
- :func:`parse_yaml`: the full YAML path (libyaml), bounded in length, depth and alias
  expansion (see its constants). Raises ``yaml.YAMLError``. Also reads ``_config.yml``.
- :func:`parse_front_matter`: the plain path, else the full one (the two above); raises
  on invalid YAML.
- :func:`parse_post`: a post's front matter as a load reads it, through
  :func:`parse_front_matter`, as a mapping with string keys; never raises. What cannot
  be read is told as a problem; invalid YAML, and front matter too long for YAML, are
  read line by line by :func:`parse_lenient`, which nothing else uses.

YAML types a value as Ruby's YAML, which Jekyll uses, does: a timestamp that is not a
real time stays text (:func:`_timestamp_or_text`); a post's date is then read by
:mod:`reader.core.dates`.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Container, Iterator
from dataclasses import dataclass
from itertools import chain
from typing import Any

import yaml

_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


def _timestamp_or_text(constructor: yaml.constructor.SafeConstructor, node: yaml.ScalarNode) -> Any:
    """A timestamp as PyYAML builds it, but one that is not a real time (``2022-02-30``,
    month 13) stays text, as in Ruby's YAML, which Jekyll uses. PyYAML raises there.
    (A post's date, built here or not, is read by :func:`reader.core.dates.normalise_date`.)"""
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(constructor, node)
    except ValueError:
        return constructor.construct_scalar(node)


_INT_TAG = "tag:yaml.org,2002:int"
#: An integer written longer than this stays text. PyYAML builds a base-60 one
#: (``1:30:…``) digit by digit, in time that grows with the square of its length (25 s
#: for 600 KB), and Python refuses to print an integer of more than 4,300 digits.
MAX_INTEGER_CHARS = 1000


def _integer_or_text(constructor: yaml.constructor.SafeConstructor, node: yaml.ScalarNode) -> Any:
    """An integer as PyYAML builds it, unless it is written too long to build quickly and
    print (see :data:`MAX_INTEGER_CHARS`): then its text, as Ruby would print it."""
    if len(node.value) > MAX_INTEGER_CHARS:
        return constructor.construct_scalar(node)
    return yaml.constructor.SafeConstructor.construct_yaml_int(constructor, node)


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's safe loader (PyYAML's wheels have it; else the pure one), with times
    that are not real, and integers too long to print, kept as text."""


_Loader.add_constructor(_TIMESTAMP_TAG, _timestamp_or_text)
_Loader.add_constructor(_INT_TAG, _integer_or_text)

#: Jekyll's ``YAML_FRONT_MATTER_REGEXP``, ``\A(---\s*\n.*?\n?)^((?:---|\.\.\.)\s*$\n?)``
#: with Ruby's ``m`` flag (Python's ``S``; Ruby's ``^``/``$`` are always line anchors,
#: Python's need ``M``). Its ``.*?\n?^`` can only stop right after a line break, so it is
#: written here as whole lines, ``(?:[^\n]*\n)*?``: the same end positions tried in the
#: same order, hence the same matches (a test checks), with the closing line tried
#: once per line instead of once per character. Ruby's ``\s`` is ASCII only, hence
#: ``re.A`` on text: the text form then matches a decoded file where the bytes form
#: matches its bytes.
FRONT_MATTER_BYTES = re.compile(rb"\A(---\s*\n(?:[^\n]*\n)*?)^((?:---|\.\.\.)\s*$\n?)", re.M)
FRONT_MATTER_TEXT = re.compile(r"\A(---\s*\n(?:[^\n]*\n)*?)^((?:---|\.\.\.)\s*$\n?)", re.M | re.A)
#: Jekyll's ``Utils.has_yaml_header?``: does the file start with front matter at all?
YAML_HEADER = re.compile(rb"\A---\s*\r?\n")

BOM = b"\xef\xbb\xbf"


class UndecodableError(ValueError):
    """The bytes are neither UTF-8 nor GB18030 text."""


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str  # "utf-8" or "gb18030"


def decode(raw: bytes, *, truncated: bool = False) -> Decoded:
    """UTF-8 (a BOM is dropped, as Jekyll's ``bom|utf-8`` does), else GB18030.
    ``truncated``: ``raw`` is the start of a longer file; a character it cuts is dropped."""
    if raw.startswith(BOM):
        raw = raw[len(BOM) :]
    try:
        return Decoded(_decode(raw, "utf-8", truncated), "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return Decoded(_decode(raw, "gb18030", truncated), "gb18030")
    except UnicodeDecodeError as error:
        raise UndecodableError(f"not UTF-8 or GB18030 text (byte {error.start})") from error


def _decode(raw: bytes, encoding: str, truncated: bool) -> str:
    if truncated:  # an incremental decoder keeps back a character cut at the end
        return codecs.getincrementaldecoder(encoding)().decode(raw, final=False)
    return raw.decode(encoding)


def split_text(text: str) -> tuple[str | None, str]:
    """(front matter YAML or None, body) of a whole decoded file, as Jekyll splits it."""
    match = FRONT_MATTER_TEXT.match(text)
    if not match:
        return None, text
    return match.group(1), text[match.end() :]


# --- the fast path -------------------------------------------------------------------

# A plain scalar may not start with an indicator, and ": " / " #" would end it early.
_PLAIN_BAD_START = frozenset("-?:,[]{}#&*!|>'\"%@`")
_RESOLVERS = yaml.resolver.Resolver.yaml_implicit_resolvers
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_CONSTRUCTORS = _Loader.yaml_constructors
_STR_TAG = "tag:yaml.org,2002:str"


#: Of YAML's implicit types, only a timestamp can have a space in it (a test checks):
#: for a value with one, only that type is tried.
_RESOLVERS_WITH_SPACE = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag == _TIMESTAMP_TAG]
    for first, resolvers in _RESOLVERS.items()
}


def _resolve_plain(value: str) -> tuple[bool, Any]:
    """Build a plain scalar as PyYAML would: (ok, value); ok is False to defer to YAML."""
    resolvers = _RESOLVERS_WITH_SPACE if " " in value else _RESOLVERS
    for tag, pattern in resolvers.get(value[:1] if value else "", ()):
        if pattern.match(value):
            if tag in ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value", "tag:yaml.org,2002:yaml"):
                return False, None
            # The tag's own constructor, not ``construct_object``, which caches every node.
            build = _CONSTRUCTORS[tag]
            return True, build(_CONSTRUCTOR, yaml.ScalarNode(tag, value))
    return True, value


def _scalar(raw: str) -> tuple[bool, Any]:
    if raw == "":
        return True, None
    first = raw[0]
    if first == '"':
        inner = raw[1:-1]
        if len(raw) >= 2 and raw.endswith('"') and '"' not in inner and "\\" not in inner:
            return True, inner
        return False, None
    if first == "'":
        inner = raw[1:-1]
        if len(raw) >= 2 and raw.endswith("'") and "'" not in inner:
            return True, inner
        return False, None
    if first == "[":
        return _flow_sequence(raw)
    if first in _PLAIN_BAD_START or ": " in raw or " #" in raw or "\t#" in raw or raw.endswith(":"):
        return False, None
    return _resolve_plain(raw)


#: Inside ``[...]``, anything that could nest, quote, comment or map, and ``?``, which
#: ends a plain scalar in a flow: left to YAML.
_FLOW_UNSAFE = re.compile(r"[\[\]{}\"'#:?]")


def _flow_sequence(raw: str) -> tuple[bool, Any]:
    """``[a, b c, 1]``: a one-line list of plain scalars (``tags: [财联社新闻, 财经]``)."""
    inner = raw[1:-1]
    if not raw.endswith("]") or _FLOW_UNSAFE.search(inner):
        return False, None
    if not inner.strip(" "):
        return True, []
    items = []
    for part in inner.split(","):
        item = part.strip(" ")
        if not item or item[0] in _PLAIN_BAD_START:
            return False, None  # ``[a,,b]``, ``[a,]`` and indicators: YAML decides
        ok, value = _resolve_plain(item)
        if not ok:
            return False, None
        items.append(value)
    return True, items


#: What makes front matter "not simple" at a glance: tabs (context-dependent in YAML),
#: YAML's own line breaks and byte order mark, and the characters YAML does not allow
#: (controls, surrogates, U+FFFE and U+FFFF). Listed rather than negated: a short class
#: searches three times faster than the complement of YAML's printable set.
_NOT_SIMPLE = re.compile(
    "[\t\x85\u2028\u2029\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]"
)
#: A line outcome: nothing to add (blank or a comment), or "give up, use YAML".
_BLANK = object()
_GIVE_UP = object()
#: Lines already read, and what they gave. Front matter repeats itself from post to
#: post (``layout: post``, a source's ``categories:``). Outcomes are shared, so only
#: immutable ones are kept (not a list's). Emptied when full.
_LINE_OUTCOMES: dict[str, Any] = {}
_LINE_OUTCOMES_MAX = 20_000


#: Keys already judged: does the key read as itself, a plain string, in YAML?
_KEY_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")
_KEYS_OK: dict[str, bool] = {}


def _key_ok(key: str) -> bool:
    ok = _KEYS_OK.get(key)
    if ok is None:
        ok = False
        if _KEY_NAME.match(key):
            resolved, value = _resolve_plain(key)
            ok = resolved and value == key  # not ``yes`` or ``null``: other types
        if len(_KEYS_OK) < 1000:
            _KEYS_OK[key] = ok
    return ok


def _line_outcome(line: str) -> Any:
    """One front-matter line (no tabs): (key, value), :data:`_BLANK` or :data:`_GIVE_UP`."""
    if line.endswith("\r"):
        line = line[:-1]
    if "\r" in line:
        return _GIVE_UP  # a lone CR is a line break in YAML
    key, colon, rest = line.partition(":")
    if colon and _key_ok(key):
        if rest[:1] not in ("", " "):
            return _GIVE_UP  # ``key:value`` is one plain scalar, not a pair
        ok, value = _scalar(rest.strip(" "))
        return (key, value) if ok else _GIVE_UP
    stripped = line.strip(" ")
    if not stripped or stripped.startswith("#"):
        if line[:1] == " " and stripped:
            return _GIVE_UP  # an indented comment could be inside a block
        return _BLANK
    return _GIVE_UP


def parse_simple(source: str) -> dict[str, Any] | None:
    """Parse front matter made only of ``key: scalar`` lines, or return None.

    None means "not simple": the caller must use :func:`parse_yaml`. When this returns
    a mapping, it equals what ``yaml.load`` returns for the same text.
    """
    if _NOT_SIMPLE.search(source):
        return None
    lines = source.split("\n")
    if lines and lines[0].rstrip(" \t\r") == "---":
        del lines[0]
    data: dict[str, Any] = {}
    outcomes = _LINE_OUTCOMES
    for line in lines:
        outcome = outcomes.get(line)
        if outcome is None:
            outcome = _line_outcome(line)
            if outcome is not _GIVE_UP and outcome is not _BLANK and type(outcome[1]) is list:
                data[outcome[0]] = outcome[1]  # a list: each post gets its own
                continue
            if len(outcomes) >= _LINE_OUTCOMES_MAX:
                outcomes.clear()
            outcomes[line] = outcome
        if outcome is _GIVE_UP:
            return None
        if outcome is not _BLANK:
            data[outcome[0]] = outcome[1]
    return data


def fast_rules() -> tuple[Callable[[str], bool], Callable[[str], tuple[bool, Any]], str]:
    """What the compiled reader of simple front matter (``_fastio``) asks of this one:
    is a key read as itself, what a plain value is, and the first characters of plain
    values that can be something other than a string (only those need asking)."""
    return _key_ok, _resolve_plain, "".join(first for first in _RESOLVERS if first)


# --- the full YAML path, bounded ----------------------------------------------------

#: Front matter longer than this (in characters) is not given to YAML: PyYAML makes a
#: few hundred bytes of objects per character of some texts (``[[],[],…]``: 120 MB for
#: 450 KB), so 50 MB would take gigabytes. Real front matter is well under a kilobyte.
MAX_YAML_CHARS = 1 << 20
#: A value nested deeper than this is left out: Jekyll's rules and Python's own printing
#: walk a value once per level, and aliases can nest values without limit (libyaml
#: refuses more than 1,000 levels written out). Real front matter nests two or three.
MAX_DEPTH = 64
#: YAML aliases (``*a``) share one value between places; read, a value is expanded (a
#: title printed, a list of tags flattened). Ten levels of ten-fold aliases in 400
#: bytes expand to 10^10 values (the "billion laughs"). A value is left out when its
#: expanded size (characters of text, plus one per value) exceeds this plus twice the
#: length of its front matter, which text without aliases never reaches.
EXPANSION_ALLOWANCE = 10_000


class FrontMatterTooLong(yaml.YAMLError):
    """Front matter longer than :data:`MAX_YAML_CHARS`: not parsed as YAML."""

    def __init__(self, length: int) -> None:
        self.problem = f"too long for YAML ({length:,} characters, more than {MAX_YAML_CHARS:,})"
        super().__init__(self.problem)


class ExpansionError(yaml.YAMLError):
    """Front matter that is not a mapping and that, expanded, would be far larger than its
    text, or nest too deeply, or contain itself (see :func:`parse_yaml`)."""

    def __init__(self, problem: str) -> None:
        self.problem = problem
        super().__init__(problem)


def parse_yaml(source: str, left_out: list[str] | None = None) -> Any:
    """The full YAML path (libyaml), bounded. Raises ``yaml.YAMLError`` on invalid YAML.

    Aliases let a few hundred bytes stand for billions of values, or for a value that
    contains itself. Of a mapping, such values (see :func:`oversized`) are left out, and
    ``left_out`` gets a sentence naming their keys; any other such document raises
    :class:`ExpansionError`. Text longer than :data:`MAX_YAML_CHARS` raises
    :class:`FrontMatterTooLong`.
    """
    if len(source) > MAX_YAML_CHARS:
        raise FrontMatterTooLong(len(source))
    try:
        data = yaml.load(source, Loader=_Loader)
    except RecursionError as error:  # a safety net: PyYAML recurses on a few structures
        raise ExpansionError("nested too deeply to be read") from error
    limit = EXPANSION_ALLOWANCE + 2 * len(source)
    if isinstance(data, dict):
        known: dict[int, tuple[int, int]] = {}  # shared by the keys: each value measured once
        refused: dict[str, list[Any]] = {}  # keys by reason
        for key, value in data.items():
            why = oversized(value, limit, known)
            if why is not None:
                refused.setdefault(why, []).append(key)
        for why, keys in refused.items():
            for key in keys:
                del data[key]
            if left_out is not None:
                named = ", ".join(repr(str(key)) for key in keys[:10])
                more = f" and {len(keys) - 10:,} more" if len(keys) > 10 else ""
                left_out.append(f"front matter {why}: {named}{more} ignored")
    else:
        why = oversized(data, limit, {})
        if why is not None:
            raise ExpansionError(why)
    return data


#: Why a value is left out (see :func:`oversized`).
TOO_LARGE = "too large once YAML aliases are expanded"
TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep"
CONTAINS_ITSELF = "endless (a YAML alias inside its own anchor)"

#: What a YAML value is made of: the safe loader's collections (``!!omap`` makes tuples).
_COLLECTIONS = (list, dict, tuple, set, frozenset)


#: In ``known`` (see :func:`oversized`): a collection whose measure is under way, and
#: one found to contain itself (or such a one).
_OPEN = (-1, -1)
_ENDLESS = (-2, -2)


def _scalar_size(value: object) -> int:
    return (len(value) or 1) if isinstance(value, (str, bytes)) else 1


def _parts(value: Any) -> Iterator[Any]:
    return chain.from_iterable(value.items()) if isinstance(value, dict) else iter(value)


def oversized(value: object, limit: int, known: dict[int, tuple[int, int]] | None = None) -> str | None:
    """Why ``value`` is too big to read, or None. Too big: expanded (every alias replaced
    by a copy of what it names) it is larger than ``limit``, in characters of text plus
    one per value (:data:`TOO_LARGE`); it nests deeper than :data:`MAX_DEPTH`
    (:data:`TOO_DEEP`); or it contains itself (:data:`CONTAINS_ITSELF`).

    A value shared through aliases is measured once (``known``: size and depth by
    ``id``, for values that stay alive meanwhile), so the walk takes time in proportion
    to the YAML text, not to the expanded size; and it keeps its own stack, so no depth
    can overflow Python's.
    """
    if not isinstance(value, _COLLECTIONS):
        size = _scalar_size(value)
        return None if size <= limit else TOO_LARGE
    known = {} if known is None else known
    measured = known.get(id(value))
    if measured is None:
        known[id(value)] = _OPEN
        stack: list[tuple[Any, Iterator[Any], list[int]]] = [(value, _parts(value), [1, 0])]
        while stack:
            collection, parts, totals = stack[-1]
            for part in parts:
                if not isinstance(part, _COLLECTIONS):
                    totals[0] += _scalar_size(part)
                    continue
                seen = known.get(id(part))
                if seen is None:
                    known[id(part)] = _OPEN
                    stack.append((part, _parts(part), [1, 0]))
                    break
                if seen is _OPEN or seen is _ENDLESS:  # inside itself, or holds such a value
                    for inside in stack:
                        known[id(inside[0])] = _ENDLESS
                    return CONTAINS_ITSELF
                totals[0] += seen[0]
                totals[1] = max(totals[1], seen[1])
            else:
                stack.pop()
                known[id(collection)] = done = (totals[0], totals[1] + 1)
                if stack:
                    outer = stack[-1][2]
                    outer[0] += done[0]
                    outer[1] = max(outer[1], done[1])
        measured = known[id(value)]
    if measured is _ENDLESS:
        return CONTAINS_ITSELF
    size, depth = measured
    if depth > MAX_DEPTH:
        return TOO_DEEP
    return TOO_LARGE if size > limit else None


def parse_front_matter(source: str, left_out: list[str] | None = None) -> Any:
    """Front matter text -> Python data, through the fast path when it applies (see
    :func:`parse_yaml` for what is left out, and why)."""
    simple = parse_simple(source)
    if simple is not None:
        return simple
    return parse_yaml(source, left_out)


_LENIENT_LINE = re.compile(r"\A([A-Za-z_][A-Za-z0-9_-]*):[ \t]*(.*?)[ \t]*\Z")


def _lines(text: str) -> Iterator[str]:
    """``text.split("\\n")``, one line at a time: no list of millions of lines at once."""
    start = 0
    while (end := text.find("\n", start)) >= 0:
        yield text[start:end]
        start = end + 1
    yield text[start:]


def parse_lenient(source: str, keys: Container[str] | None = None) -> dict[str, Any]:
    """Recover what can be read from front matter that is not valid YAML.

    One ``key: value`` per line; a value wrapped in quotes loses the outer pair (so an
    unescaped ``"`` inside a quoted title, which some generators write, keeps the title);
    ``[a, b]`` becomes a list. Used only after YAML failed, or for front matter too long
    for it, and the post is flagged. With ``keys``, only those keys are kept.
    """
    data: dict[str, Any] = {}
    for line in _lines(source):
        match = _LENIENT_LINE.match(line.removesuffix("\r"))
        if not match:
            continue
        key, raw = match.groups()
        if keys is not None and key not in keys:
            continue
        value: Any = raw
        if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'":
            value = raw[1:-1]
        elif raw.startswith("[") and raw.endswith("]"):
            value = [item.strip().strip("\"'") for item in raw[1:-1].split(",") if item.strip()]
        elif raw == "":
            value = None
        elif raw[0] in "[{|>&*!%@`":
            continue  # the start of a YAML structure that did not parse: nothing to trust
        elif raw in ("true", "false"):
            value = raw == "true"
        data[key] = value
    return data


def first_line(error: Exception) -> str:
    """The first line of an error's message (of a YAML error, say), for a problem."""
    text = str(error).strip().splitlines()
    return " ".join(line.strip() for line in text[:1]) if text else type(error).__name__


#: The front-matter keys a load reads: of front matter too long for YAML, only these are
#: read (line by line), so that a million other keys make no mapping of a million.
POST_KEYS = frozenset({"title", "date", "categories", "category", "tags", "tag", "published", "layout"})


def parse_post(source: str, problems: list[str]) -> dict[str, Any]:
    """A post's front matter text as a mapping with string keys; never raises. What
    cannot be read is told in ``problems``: YAML that fails is read line by line
    (:func:`parse_lenient`), front matter too long for YAML too (its :data:`POST_KEYS`
    only), anything but a mapping is ignored."""
    if len(source) > MAX_YAML_CHARS:
        why = FrontMatterTooLong(len(source)).problem
        problems.append(f"front matter {why}; its title, date, categories and tags read line by line")
        return parse_lenient(source, POST_KEYS)
    try:
        data = parse_front_matter(source, problems)  # values too big to read: left out, told
    except ExpansionError as error:
        problems.append(f"front matter {error.problem}; ignored")
        return {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        reason = getattr(error, "problem", None) or first_line(error)
        problems.append(f"invalid YAML front matter{where}: {reason}; fields read line by line")
        return parse_lenient(source)
    if data is None:
        return {}
    if not isinstance(data, dict):
        problems.append(f"front matter is not a mapping (it is a {type(data).__name__}); ignored")
        return {}
    if _STRING_KEYS.issuperset(map(type, data)):
        return data  # always, from the plain path
    return {str(key) if not isinstance(key, str) else key: value for key, value in data.items()}


_STRING_KEYS = frozenset({str})

"""Liquid as Jekyll runs it over a post, with a real engine (python-liquid, 1.x).

Jekyll runs Liquid over a post's body before Markdown. Here that is python-liquid's
standard tags and filters, plus Jekyll's own: the tags ``include`` (Jekyll's syntax:
``{% include file.html key="value" other=page.x %}``, from ``_includes/``),
``include_relative``, ``post_url``, ``link`` and ``highlight`` (see
:mod:`reader.core.jekyll_filters` for the filters). ``site`` and ``page`` are what
:mod:`reader.core.site_vars` makes of the archive.

A tag that cannot run (a plugin's tag Reader does not know, a syntax error, an include
that is missing) never blanks the post: its text is shown as written, the rest of the
post is rendered, and the reason is a problem (:attr:`LiquidOutcome.problems`) for the
post's banner and ``reader check``. Limits keep a hostile post's loops and includes from
running away.
"""

from __future__ import annotations

import os
import posixpath
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from io import StringIO
from typing import Any, TextIO
from urllib.parse import quote

from liquid import Environment, Mode
from liquid.ast import BlockNode, ChildNode, Node
from liquid.context import Context
from liquid.exceptions import Error as LiquidError
from liquid.exceptions import LiquidSyntaxError
from liquid.expressions import parse_filtered_expression
from liquid.parse import expect, get_parser
from liquid.stream import TokenStream
from liquid.tag import Tag
from liquid.token import TOKEN_EXPRESSION, TOKEN_TAG, Token

from reader.core import front_matter, highlight, jekyll_filters
from reader.core.resources import read_inside

#: Largest include file read (a site's are a few KB).
INCLUDE_LIMIT = 1 << 20
#: How many failing tags are shown as text before the whole post's Liquid is.
MAX_FAILURES = 25

STASH = "READERSTASH{}X"
STASH_PATTERN = re.compile(r"(?:<p>)?READERSTASH(\d+)X(?:</p>)?")

_MARKUP = re.compile(r"{%-?(?:(?!%}).)*?-?%}|{{-?(?:(?!}}).)*?-?}}", re.S)
_RAW_BLOCK = re.compile(r"{%-?\s*raw\s*-?%}.*?{%-?\s*endraw\s*-?%}", re.S)
_COMMENT_BLOCK = re.compile(r"{%-?\s*comment\s*-?%}.*?{%-?\s*endcomment\s*-?%}", re.S)
_NAMED = re.compile(r"'(\w+)'")
_INCLUDE_EXPRESSION = re.compile(r"\s*((?:{{.*?}}|[^\s{]|{(?!{))+)\s*(.*)\Z", re.S)
_INCLUDE_PARAMETER = re.compile(
    r"""([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([\w.\-\[\]"']+))""", re.S
)
_VARIABLE_IN_NAME = re.compile(r"{{\s*(.*?)\s*}}", re.S)


class TagError(LiquidError):
    """One of Jekyll's tags failed; ``markup`` is its expression, to find it in the post."""

    def __init__(self, message: str, tok: Token, markup: str) -> None:
        super().__init__(message, linenum=tok.linenum)
        self.markup = markup


@dataclass
class LiquidOutcome:
    text: str  # the body with its Liquid run
    stash: list[str] = field(default_factory=list)  # HTML that Markdown must not touch
    problems: list[str] = field(default_factory=list)


@dataclass
class _State:
    """What Jekyll's tags need while one post renders: kept in the context's globals."""

    root: str | None
    post_path: str
    includes_dir: str
    stash: list[str]

    def keep(self, fragment: str) -> str:
        self.stash.append(fragment)
        return STASH.format(len(self.stash) - 1)


def _state(context: Context) -> _State:
    state = context.globals.get("__reader__")
    if not isinstance(state, _State):
        raise LiquidError("Jekyll's tags need the archive")
    return state


class _JekyllEnvironment(Environment):
    # A hostile post's loops, includes and output are bounded.
    context_depth_limit = 30
    loop_iteration_limit = 100_000
    local_namespace_limit = 10_000_000
    output_stream_limit = 32 * 1024 * 1024


# --- tags ---------------------------------------------------------------------------------


class _TextNode(Node):
    """A tag whose output depends on its expression and the context only."""

    __slots__ = ("expression", "tok")

    def __init__(self, tok: Token, expression: str) -> None:
        self.tok = tok
        self.expression = expression

    def children(self) -> list[ChildNode]:
        return []


def _expression(stream: TokenStream) -> tuple[Token, str]:
    tok = stream.current
    stream.next_token()
    expect(stream, TOKEN_EXPRESSION)
    return tok, str(stream.current.value)


def _render_name(text: str, context: Context) -> str:
    """A tag argument that may hold ``{{ variables }}`` (``posts/{{ page.lang }}/a.md``)."""

    def value(match: re.Match[str]) -> str:
        return jekyll_filters.to_text(parse_filtered_expression(match.group(1)).evaluate(context))

    return _VARIABLE_IN_NAME.sub(value, text).strip()


class _IncludeNode(_TextNode):
    relative_to_post = False

    def render_to_output(self, context: Context, buffer: TextIO) -> bool | None:
        state = _state(context)
        match = _INCLUDE_EXPRESSION.match(self.expression)
        if match is None:
            raise TagError("include names no file", self.tok, self.expression)
        name = _render_name(match.group(1), context)
        parameters: dict[str, object] = {}
        for key, double, single, variable in _INCLUDE_PARAMETER.findall(match.group(2)):
            if variable:
                parameters[key] = parse_filtered_expression(variable).evaluate(context)
            else:
                parameters[key] = (double or single).replace('\\"', '"').replace("\\'", "'")
        if self.relative_to_post:
            relative = posixpath.normpath(posixpath.join(posixpath.dirname(state.post_path), name))
        else:
            relative = posixpath.normpath(posixpath.join(state.includes_dir, name))
        if state.root is None or name.startswith("/") or ".." in name.split("/") or relative.startswith(".."):
            raise TagError(f"include {name!r} is not a file inside the archive", self.tok, self.expression)
        try:
            template = _include_template(context.env, state.root, relative)
        except (OSError, front_matter.UndecodableError) as error:
            why = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            raise TagError(f"include {relative} cannot be read: {why}", self.tok, self.expression) from error
        with context.extend({"include": parameters}):
            try:
                template.render_with_context(context, buffer, partial=True)
            except LiquidError as error:
                raise TagError(f"in {relative}: {error.message}", self.tok, self.expression) from error
        return True


class _IncludeRelativeNode(_IncludeNode):
    relative_to_post = True


class IncludeTag(Tag):
    name = "include"
    block = False
    node_class: type[_IncludeNode] = _IncludeNode

    def parse(self, stream: TokenStream) -> Node:
        return self.node_class(*_expression(stream))


class IncludeRelativeTag(IncludeTag):
    name = "include_relative"
    node_class = _IncludeRelativeNode


_include_lock = threading.Lock()
_includes: OrderedDict[tuple[str, str, int, int], Any] = OrderedDict()


def _include_template(env: Environment, root: str, relative: str) -> Any:
    """The parsed include at ``relative`` (kept while unchanged: a site has a few dozen)."""
    info = os.stat(os.path.join(root, relative))
    key = (root, relative, info.st_mtime_ns, info.st_size)
    with _include_lock:
        if key in _includes:
            _includes.move_to_end(key)
            return _includes[key]
    text = front_matter.decode(read_inside(root, relative, INCLUDE_LIMIT)).text
    template = env.from_string(text, name=relative)
    with _include_lock:
        _includes[key] = template
        while len(_includes) > 200:
            _includes.popitem(last=False)
    return template


class _PostUrlNode(_TextNode):
    def render_to_output(self, context: Context, buffer: TextIO) -> bool | None:
        name = _render_name(self.expression, context)
        buffer.write("reader:post/" + quote(name.rsplit("/", 1)[-1]))
        return True


class PostUrlTag(Tag):
    name = "post_url"
    block = False

    def parse(self, stream: TokenStream) -> Node:
        return _PostUrlNode(*_expression(stream))


class _LinkNode(_TextNode):
    def render_to_output(self, context: Context, buffer: TextIO) -> bool | None:
        name = _render_name(self.expression, context)
        buffer.write("reader:file/" + quote(name.lstrip("/")))
        return True


class LinkTag(Tag):
    name = "link"
    block = False

    def parse(self, stream: TokenStream) -> Node:
        return _LinkNode(*_expression(stream))


class _HighlightNode(Node):
    __slots__ = ("block", "language", "line_numbers", "tok")

    def __init__(self, tok: Token, language: str, line_numbers: bool, block: BlockNode) -> None:
        self.tok = tok
        self.language = language
        self.line_numbers = line_numbers
        self.block = block

    def render_to_output(self, context: Context, buffer: TextIO) -> bool | None:
        code = StringIO()
        self.block.render(context, code)
        state = _state(context)
        fragment = highlight.code_block(code.getvalue().strip("\n"), self.language)
        buffer.write("\n\n" + state.keep(fragment) + "\n\n")
        return True

    def children(self) -> list[ChildNode]:
        return [ChildNode(linenum=self.tok.linenum, node=self.block)]


class HighlightTag(Tag):
    name = "highlight"
    end = "endhighlight"

    def parse(self, stream: TokenStream) -> Node:
        expect(stream, TOKEN_TAG, value="highlight")
        tok = stream.current
        stream.next_token()
        expect(stream, TOKEN_EXPRESSION)
        words = str(stream.current.value).split()
        if not words:
            raise LiquidSyntaxError("highlight names no language", linenum=tok.linenum)
        stream.next_token()
        block = get_parser(self.env).parse_block(stream, ("endhighlight", "eof"))
        expect(stream, TOKEN_TAG, value="endhighlight")
        return _HighlightNode(tok, words[0], "linenos" in " ".join(words[1:]), block)


def _environment() -> Environment:
    env = _JekyllEnvironment(tolerance=Mode.STRICT, strict_filters=False, cache_size=0)
    for tag in (IncludeTag, IncludeRelativeTag, PostUrlTag, LinkTag, HighlightTag):
        env.add_tag(tag)
    jekyll_filters.register(env)
    return env


ENVIRONMENT = _environment()


# --- running it ---------------------------------------------------------------------------


def has_liquid(text: str) -> bool:
    """Could ``text`` hold Liquid at all? (Most posts do not: they skip the engine.)"""
    return "{%" in text or "{{" in text


def run_liquid(
    text: str,
    site: Mapping[str, Any],
    page: Mapping[str, Any],
    *,
    root: str | None = None,
    post_path: str = "",
) -> LiquidOutcome:
    """Run the Liquid of a post's body; see the module's description."""
    outcome = LiquidOutcome(text)
    if not has_liquid(text):
        return outcome
    includes_dir = site.get("includes_dir")
    state = _State(
        root,
        post_path,
        includes_dir.strip("/") if isinstance(includes_dir, str) and includes_dir.strip("/") else "_includes",
        outcome.stash,
    )
    source = text
    for _ in range(MAX_FAILURES):
        del state.stash[:]
        try:
            template = ENVIRONMENT.from_string(source)
            outcome.text = template.render(site=site, page=page, __reader__=state)
            return outcome
        except LiquidError as error:
            shown, source = _show_as_text(source, error)
            outcome.problems.append(_problem(error, shown))
            if shown is None:
                break
        except RecursionError:
            outcome.problems.append("Liquid: nested too deeply; shown as written")
            break
    # Too many failures: the whole body as written, but never its raw/comment markers.
    del state.stash[:]
    outcome.text = _COMMENT_BLOCK.sub("", text)
    return outcome


def _problem(error: LiquidError, shown: str | None) -> str:
    where = f" (body line {error.linenum})" if error.linenum else ""
    message = str(error.message) if error.message else type(error).__name__
    message = message.replace("unexpected tag", "unknown tag")
    if shown is None:
        return f"Liquid{where}: {message}; the post's Liquid is shown as written"
    return f"Liquid{where}: {message}; {shown} shown as written"


def _show_as_text(source: str, error: LiquidError) -> tuple[str | None, str]:
    """``source`` with the markup that failed made plain text: (that markup, new source);
    (None, source) when it cannot be told which."""
    line = error.linenum
    if not line:
        return None, source
    start = 0
    for _ in range(line - 1):
        start = source.find("\n", start) + 1
        if start == 0:
            return None, source
    end = source.find("\n", start)
    end = len(source) if end < 0 else end
    protected = [m.span() for m in _RAW_BLOCK.finditer(source)]
    candidates = [
        m
        for m in _MARKUP.finditer(source)
        if m.start() < max(end, start + 1)
        and m.end() > start
        and not any(a <= m.start() < b for a, b in protected)
    ]
    if not candidates:
        return None, source
    chosen = candidates[0]
    if isinstance(error, TagError):
        chosen = next((c for c in candidates if error.markup.strip() in c.group(0)), chosen)
    elif named := _NAMED.search(str(error.message or "")):
        tag = re.compile(r"{%-?\s*" + re.escape(named.group(1)) + r"\b")
        chosen = next((c for c in candidates if tag.match(c.group(0))), chosen)
    markup = chosen.group(0)
    plain = "{% raw %}" + markup + "{% endraw %}"
    return markup, source[: chosen.start()] + plain + source[chosen.end() :]


def restore(fragment: str, stash: list[str]) -> str:
    """Put the stashed HTML (highlighted code) back in place of its markers."""
    if not stash:
        return fragment
    return STASH_PATTERN.sub(
        lambda m: stash[int(m.group(1))] if int(m.group(1)) < len(stash) else "", fragment
    )

"""The fast front-matter path gives exactly what YAML gives, or steps aside."""

from __future__ import annotations

import contextlib
import math
import os
import re

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.front_matter import (
    FRONT_MATTER_BYTES,
    FRONT_MATTER_TEXT,
    MAX_DEPTH,
    MAX_INTEGER_CHARS,
    MAX_YAML_CHARS,
    ExpansionError,
    FrontMatterTooLong,
    parse_front_matter,
    parse_lenient,
    parse_post,
    parse_simple,
    parse_yaml,
    split_text,
)

CORPUS = [
    # The real archive's form.
    '---\nlayout: post\ntitle: "蚂蚁集团发布2021可持续发展报告"\n'
    "date: 2022-06-01 15:43:26 +0800\ncategories: cailianshe\ntags: 财联社新闻\n",
    "---\ntitle: Plain title\ndate: 2022-06-01 15:43:26\n",
    "---\ndate: 2022-06-01\ncategories: 21shijijingjibaodao 21caijingAPP\n",
    "---\ndate: 2022-06-01T15:43:26+08:00\n",
    "---\ndate: '2015-03-9'\ntitle: 'single'\n",
    "---\ndate: 2015-03-9\n",
    "---\ncategories: 2013\npublished: false\ncount: 0x1F\nratio: 1.5e3\nnothing: ~\nempty:\n",
    "---\ntitle: yes\nflag: On\nother: no\n",
    "---\ntitle: C# and F#\nurl: http://example.com/a?b=c\n",
    "---\ntitle: Ends with colon:\n",
    "---\ntitle: has: colon space\n",
    "---\ntitle: value # comment\n",
    "---\n# a comment\n\ntitle: after blank\n",
    "---\ntags: [a, b]\n",
    "---\ntags:\n  - a\n  - b\n",
    "---\ntitle: >\n  folded\n",
    '---\ntitle: "escaped \\" quote"\n',
    "---\ntitle: 'it''s'\n",
    "---\ntitle: -starts with dash\n",
    "---\nyes: key resolves to bool\n",
    "---\ntitle: tab\tinside\n",
    "---\ndate:  +0800\n",
    "---\ntitle: .5\n",
    "---\ntitle: 1_000\n",
    "---\ntitle: 190:20:30\n",
    "---\ntitle: =\n",
    "---\ntitle: <<\n",
    '---\ntitle: ""\n',
    "---\ntitle: 'a\n",
    "---\ntitle:    spaced value   \n",
    "---\r\ntitle: crlf\r\ndate: 2022-06-01 15:43:26 +0800\r\n",
    '---\ntitle: trailing spaces after quote"   \n',
    "---\ntitle: .inf\nn: -.NaN\n",
    "---\ndate: 2022-02-30\nwhen: 2022-13-01 10:00:00\n",
]


class RubyLikeLoader(yaml.SafeLoader):
    """PyYAML's pure safe loader, but a time that is not real (2022-02-30) stays text,
    as Ruby's YAML keeps it."""


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


RubyLikeLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


def reference(source: str) -> object:
    return yaml.load(source, Loader=RubyLikeLoader)


def same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True  # NaN
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


@pytest.mark.parametrize("source", CORPUS)
def test_fast_path_equals_yaml_on_every_corpus_form(source):
    fast = parse_simple(source)
    try:
        expected = reference(source)
    except yaml.YAMLError:
        assert fast is None, "invalid YAML must never come out of the fast path"
        return
    if fast is not None:
        assert same(fast, expected), (fast, expected)
    assert same(parse_front_matter(source), expected)


def test_fast_path_takes_the_real_archives_form():
    assert parse_simple(CORPUS[0]) is not None
    assert parse_simple(CORPUS[1]) is not None  # a naive date, built by PyYAML's constructor


KEYS = st.sampled_from(
    ["title", "date", "categories", "tags", "layout", "published", "yes", "on", "x_1", "a-b"]
)
VALUE_CHARS = st.characters(codec="utf-8", exclude_categories=["Cs"])
VALUES = st.one_of(
    st.text(VALUE_CHARS, max_size=30),
    st.text(alphabet="0123456789-:. +TZ\"'#xe", max_size=25),
    st.sampled_from(
        ["2022-06-01 15:43:26 +0800", "2022-06-01", "true", "False", "~", "null", "0o17", "1e5", "财联社新闻"]
    ),
    # one-line lists, well formed or not
    st.lists(st.text(alphabet="ab 1,.:#-[]{}'\"~&*?<=财", max_size=6), max_size=4).map(
        lambda items: "[" + ", ".join(items) + "]"
    ),
    st.text(alphabet="[], ab1~", max_size=12),
)


def assert_reads_as_yaml(source: str, fast: dict) -> None:
    """What the fast path gave is what YAML gives (and YAML accepts the text)."""
    try:
        expected = reference(source)
    except yaml.YAMLError:
        pytest.fail(f"fast path accepted invalid YAML: {source!r} -> {fast!r}")
    assert same(fast, {} if expected is None else expected), (source, fast, expected)


@settings(max_examples=int(os.environ.get("READER_HYPOTHESIS_EXAMPLES", "600")), deadline=None)
@given(st.lists(st.tuples(KEYS, VALUES), max_size=6), st.booleans())
def test_fast_path_equals_yaml_property(pairs, crlf):
    newline = "\r\n" if crlf else "\n"
    source = "---" + newline + "".join(f"{key}: {value}{newline}" for key, value in pairs)
    fast = parse_simple(source)
    if fast is not None:
        assert_reads_as_yaml(source, fast)


LINES = st.one_of(
    st.tuples(KEYS, VALUES).map(lambda pair: f"{pair[0]}: {pair[1]}"),
    st.text(alphabet="ab#: -'\"x\r", max_size=12),
    st.sampled_from(["", "  ", "# a comment", "  # indented", "title:", "title:x", "a:b: c", " title: x"]),
)


@settings(max_examples=int(os.environ.get("READER_HYPOTHESIS_EXAMPLES", "600")), deadline=None)
@given(st.lists(LINES, max_size=6))
def test_fast_path_equals_yaml_on_any_lines(lines):
    """Blank lines, comments, indentation and stray colons: accepted only as YAML reads them."""
    source = "---\n" + "".join(line + "\n" for line in lines)
    for _ in range(2):  # the second time, every line's outcome comes from the memo
        fast = parse_simple(source)
        if fast is None:
            return
        assert_reads_as_yaml(source, fast)
        for value in fast.values():
            if isinstance(value, list):
                value.append("changed by a caller")  # must not reach the next reading


#: Jekyll's ``YAML_FRONT_MATTER_REGEXP`` written as Jekyll writes it.
JEKYLL_FRONT_MATTER = re.compile(r"\A(---\s*\n.*?\n?)^((?:---|\.\.\.)\s*$\n?)", re.S | re.M | re.A)


@settings(max_examples=int(os.environ.get("READER_HYPOTHESIS_EXAMPLES", "600")), deadline=None)
@given(
    st.lists(
        st.sampled_from(["---", "...", "\n", " ", "\t", "\r", "\x0b", "a", "-", ".", "x: y"]), max_size=14
    )
)
def test_front_matter_boundaries_equal_jekylls_regex(pieces):
    text = "".join(pieces)
    for candidate in (text, "---" + text, "---\n" + text):
        ours = FRONT_MATTER_TEXT.match(candidate)
        theirs = JEKYLL_FRONT_MATTER.match(candidate)
        assert (ours and ours.groups()) == (theirs and theirs.groups()), candidate
        raw = candidate.encode()
        ours_bytes = FRONT_MATTER_BYTES.match(raw)
        assert (ours_bytes and ours_bytes.groups()) == (theirs and tuple(g.encode() for g in theirs.groups()))


def test_the_fast_path_leaves_every_character_yaml_treats_specially_to_yaml():
    from reader.core.front_matter import _NOT_SIMPLE

    special = set("\t\x85\u2028\u2029\ufeff")  # tabs, YAML's own line breaks, the BOM
    for code in [*range(0x10000), 0x10000, 0x1F600, 0x10FFFF]:
        character = chr(code)
        expected = character in special or bool(yaml.reader.Reader.NON_PRINTABLE.match(character))
        assert bool(_NOT_SIMPLE.search(character)) == expected, hex(code)


def test_only_a_timestamp_can_have_a_space():
    """The fast path tries only the timestamp type on a value with a space in it."""
    for resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.values():
        for tag, pattern in resolvers:
            if not tag.endswith(":timestamp"):
                assert not re.search(r"\[ |\\s| \]|\\ ", pattern.pattern), tag
                for probe in ("a b", "1 2", "1 ", " 1", "true ", "0x 1", "1_0 0", ". inf"):
                    assert not pattern.match(probe), (tag, probe)


def test_front_matter_boundaries_follow_jekyll():
    assert split_text("---\ntitle: a\n---\nbody") == ("---\ntitle: a\n", "body")
    assert split_text("---\ntitle: a\n...\nbody") == ("---\ntitle: a\n", "body")
    assert split_text("---   \ntitle: a\n---   \nbody")[1] == "body"
    assert split_text("no front matter\n---\n") == (None, "no front matter\n---\n")
    assert split_text(" ---\ntitle: a\n---\n")[0] is None, "front matter starts the file"
    assert FRONT_MATTER_TEXT.match("---\n---\nbody") is not None, "empty front matter"


# --- bounds on what YAML can make ------------------------------------------------------


def laughs(levels: int, key: str = "tags") -> str:
    """Front matter whose ``key`` is ``levels`` levels of ten-fold aliases ("billion laughs")."""
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 10) + "]" for n in range(1, levels)]
    return "---\ntitle: Laughs\n" + "\n".join(lines) + f"\n{key}: *l{levels - 1}\n"


@pytest.mark.parametrize("key", ["title", "date", "tags", "tag", "categories", "category", "published", "x"])
def test_an_alias_bomb_is_left_out_naming_its_keys(key):
    left_out: list[str] = []
    data = parse_yaml(laughs(12, key), left_out)  # 10^12 values once expanded
    assert data == {
        **({"title": "Laughs"} if key != "title" else {}),
        **{f"l{n}": data[f"l{n}"] for n in range(3)},  # small shared values stay
    }
    assert len(left_out) == 1
    told, _, named = left_out[0].removesuffix(" ignored").partition(": ")
    assert told == "front matter too large once YAML aliases are expanded"
    assert set(named.split(", ")) == {f"'l{n}'" for n in range(3, 12)} | {repr(key)}


def test_sharing_a_value_through_aliases_is_fine():
    source = "---\ncommon: &tags [news, markets, 财经]\ntags: *tags\nmore: [*tags, *tags]\n"
    left_out: list[str] = []
    assert parse_yaml(source, left_out)["more"] == [["news", "markets", "财经"]] * 2
    assert left_out == []


def test_a_value_inside_itself_and_deep_nesting_are_left_out():
    left_out: list[str] = []
    source = "---\ntitle: T\nloop: &a [x, *a]\nmap: &m {k: *m}\ndeep: " + "[" * 100 + "]" * 100 + "\n"
    assert parse_yaml(source, left_out) == {"title": "T"}
    assert left_out == [
        "front matter endless (a YAML alias inside its own anchor): 'loop', 'map' ignored",
        f"front matter nested more than {MAX_DEPTH} levels deep: 'deep' ignored",
    ]
    assert parse_yaml("---\ntags: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n", left_out)["tags"]


def test_a_value_left_out_is_left_out_wherever_an_alias_names_it():
    deep = "[" * 40 + "&inner [" * 1 + "[" * 40 + "]" * 81
    source = f"---\ndeep: &deep {deep}\nagain: *deep\ninner: *inner\nholds: [*deep]\n"
    source += "loop: &loop [*loop]\nholds_loop: [x, *loop]\nsame_loop: *loop\n"
    left_out: list[str] = []
    assert parse_yaml(source, left_out) == {"inner": parse_yaml("---\n- " + "[" * 41 + "]" * 41)[0]}
    assert left_out == [
        f"front matter nested more than {MAX_DEPTH} levels deep: 'deep', 'again', 'holds' ignored",
        "front matter endless (a YAML alias inside its own anchor): 'loop', 'holds_loop', 'same_loop'"
        " ignored",
    ]


def test_nesting_made_by_aliases_is_bounded_like_nesting_written_out():
    chain = "".join(f"c{n}: &c{n} [*c{n - 1}]\n" for n in range(1, 3000))
    left_out: list[str] = []
    data = parse_yaml(f"---\nc0: &c0 [x]\n{chain}tags: *c2999\n", left_out)
    assert "tags" not in data and f"c{MAX_DEPTH - 1}" in data and f"c{MAX_DEPTH}" not in data


def test_a_document_that_is_not_a_mapping_raises_when_too_big():
    source = "---\n- &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for prior, name in zip("abcdefgh", "bcdefghi", strict=True):
        source += f"- &{name} [" + ", ".join([f"*{prior}"] * 10) + "]\n"
    with pytest.raises(ExpansionError, match=r"^too large once YAML aliases are expanded$"):
        parse_yaml(source)


def test_front_matter_longer_than_yaml_is_given_raises():
    with pytest.raises(FrontMatterTooLong, match=r"too long for YAML \(.* characters, more than 1,048,576\)"):
        parse_yaml("---\n" + "x: y\n" * (MAX_YAML_CHARS // 5 + 1))


@pytest.mark.parametrize(
    "written", ["7" * 5000, "0x" + "f" * 5000, "0b" + "1" * 20_000, "1" + ":30" * 200_000, "-" + "9" * 1001]
)
def test_an_integer_too_long_to_build_and_print_stays_text(written):
    """Python refuses to print an integer of more than 4,300 digits, and PyYAML builds a
    base-60 one (``1:30:…``) in time that grows with the square of its length."""
    source = f"---\ntitle: {written}\n"
    assert parse_yaml(source) == {"title": written}
    assert parse_front_matter(source) == {"title": written}
    assert parse_yaml(f"---\ntitle: {written[:MAX_INTEGER_CHARS]}\n")["title"] != written[:MAX_INTEGER_CHARS]


def test_lenient_reading_keeps_only_the_keys_asked_for():
    source = "---\ntitle: T\nother: o\ndate: 2022-06-01\n" + "k: v\n" * 10
    assert parse_lenient(source, {"title", "date"}) == {"title": "T", "date": "2022-06-01"}
    assert parse_lenient(source) == {"title": "T", "other": "o", "date": "2022-06-01", "k": "v"}


YAML_DATA = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(VALUE_CHARS, max_size=20)
    | st.dates(),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=40,
)


@settings(max_examples=int(os.environ.get("READER_HYPOTHESIS_EXAMPLES", "100")), deadline=None)
@given(st.dictionaries(st.text(max_size=10), YAML_DATA, max_size=6), st.booleans())
def test_front_matter_without_aliases_is_never_left_out(data, flow):
    """The bounds are far above anything written out: only aliases can reach them."""
    source = yaml.safe_dump(data, allow_unicode=True, default_flow_style=flow)
    left_out: list[str] = []
    assert same(parse_yaml(source, left_out), reference(source))
    assert left_out == []


HOSTILE_LINES = st.sampled_from(
    [
        "a: &a [x, x]",
        "b: &b [*a, *a]",
        "c: &c [*c]",
        "d: &d {k: *d}",
        "title: *b",
        "tags: *c",
        "<<: *d",
        "title: " + "7" * 5000,
        "title: 0x" + "f" * 4000,
        "title: 1" + ":30" * 3000,
        "date: 0001-01-01",
    ]
)


@settings(max_examples=int(os.environ.get("READER_HYPOTHESIS_EXAMPLES", "300")), deadline=None)
@given(
    st.text(max_size=300)
    | st.text(alphabet="-:[]{}&*!|>'\"#%@ \n\tab1", max_size=300)
    | st.lists(HOSTILE_LINES | st.text(max_size=20), max_size=8).map("\n".join)
)
def test_any_text_gives_data_or_a_yaml_error(source):
    """Never any other exception: the reader turns a YAML error into a problem."""
    for text in (source, "---\n" + source):
        with contextlib.suppress(yaml.YAMLError):
            parse_front_matter(text, [])
        parse_lenient(text)


@pytest.mark.parametrize("source", CORPUS)
def test_a_post_reads_its_front_matter_as_the_strict_reading_does(source):
    """``parse_post`` is ``parse_front_matter`` made forgiving: where the latter reads a
    mapping with string keys, the former gives the same, and tells nothing."""
    try:
        strict = parse_front_matter(source)
    except yaml.YAMLError:
        return
    if isinstance(strict, dict) and all(isinstance(key, str) for key in strict):
        problems: list[str] = []
        assert same(parse_post(source, problems), strict)
        assert problems == []


def test_a_post_s_front_matter_keys_are_text():
    problems: list[str] = []
    assert parse_post("---\n2022: a\n3.5: b\ntitle: t\n", problems) == {"2022": "a", "3.5": "b", "title": "t"}
    assert problems == []

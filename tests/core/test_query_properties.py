"""The search query parser on any text: it never raises, every query can be searched, and
parsing is stable (the same query however it is spaced, joined or written back)."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reader.core.archive import load_archive
from reader.core.search import Query, SearchIndex, _fts_expression, parse_query, scan_search, word_runs
from tests.conftest import post_text

EXAMPLES = int(os.environ.get("READER_HYPOTHESIS_EXAMPLES", "600"))
SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# --- queries built from the syntax, with everything that can go wrong in each part --------

WORD = st.sampled_from(["央行", "央", "A股", "Ａ股", "esg", "ESG", "bond", "188", "碳中和", "rally", "x"])
JUNK = st.text(st.sampled_from(' -:_|*()^~\\\t\n\u3000，。'), max_size=3)  # quotes: below
DAY = st.one_of(
    st.dates().map(str),
    st.sampled_from(["2022-02-30", "2022-13-01", "22-06-01", "2022/06/01", "", "yesterday", "2022-6-1"]),
)
FIELD = st.sampled_from(["title", "tag", "category", "before", "after", "TAG", "Title", "other", "http"])
PART = st.one_of(
    WORD,
    WORD.map(lambda word: "-" + word),
    st.lists(WORD, min_size=1, max_size=3).map(lambda words: '"' + " ".join(words) + '"'),
    st.tuples(FIELD, st.one_of(WORD, DAY, JUNK)).map(lambda pair: f"{pair[0]}:{pair[1]}"),
    st.tuples(FIELD, st.lists(WORD, max_size=2)).map(lambda pair: f'{pair[0]}:"{" ".join(pair[1])}"'),
    st.tuples(st.just("-"), FIELD, st.just(":"), WORD).map("".join),
    JUNK,
)


def well_formed(query: Query) -> None:
    for text, title_only, exclude in query.terms:
        assert isinstance(text, str) and word_runs(text), text
        assert isinstance(title_only, bool) and isinstance(exclude, bool)
        assert _fts_expression(text, title_only)
    assert all(isinstance(tag, str) and tag for tag in query.tags)
    assert all(isinstance(category, str) and category for category in query.categories)
    assert query.empty == (
        not (query.terms or query.tags or query.categories or query.before or query.after)
    )


@SETTINGS
@given(st.text())
@example('"')
@example('-"')
@example("title:")
@example('title:""')
@example("-")
@example("before:2022-02-30 after:0001-01-01")
@example("\x00\ud800")
def test_any_text_parses_into_a_well_formed_query(text):
    query = parse_query(text)
    well_formed(query)
    assert parse_query(text) == query


@SETTINGS
@given(st.text(), st.text(" \t\n\u3000", max_size=3), st.text(" \t\n", max_size=3))
def test_space_around_a_query_changes_nothing(text, before, after):
    assert parse_query(before + text + after) == parse_query(text)


def merged(queries: list[Query]) -> Query:
    whole = Query()
    for query in queries:
        whole.terms += query.terms
        whole.tags += query.tags
        whole.categories += query.categories
        whole.excluded_tags += query.excluded_tags
        whole.excluded_categories += query.excluded_categories
        whole.before = query.before or whole.before
        whole.after = query.after or whole.after
    return whole


@SETTINGS
@given(st.lists(PART, max_size=6), st.sampled_from([" ", "  ", "\t", " \n "]))
def test_a_query_means_what_its_parts_mean(parts, gap):
    """Each part is read on its own: one part's syntax never leaks into the next."""
    assert parse_query(gap.join(parts)) == merged([parse_query(part) for part in parts])


def quoted(value: str) -> str:
    return f'"{value}"' if any(ch.isspace() for ch in value) or value.startswith('"') else value


def written_back(query: Query) -> str:
    """A query as a user would type it to mean exactly ``query``."""
    out = []
    for text, title_only, exclude in query.terms:
        out.append(("-" if exclude else "") + ("title:" if title_only else "") + quoted(text))
    out += [f"tag:{quoted(tag)}" for tag in query.tags]
    out += [f"category:{quoted(c)}" for c in query.categories]
    out += [f"-tag:{quoted(tag)}" for tag in query.excluded_tags]
    out += [f"-category:{quoted(c)}" for c in query.excluded_categories]
    out += [f"before:{query.before}"] if query.before else []
    out += [f"after:{query.after}"] if query.after else []
    return " ".join(out)


@SETTINGS
@given(
    st.lists(PART, max_size=4),
    st.sampled_from(["", "tag:", "-", "title:", "-title:", "category:"]),
    st.lists(PART, max_size=4),
)
def test_an_unclosed_quote_runs_to_the_end(before, opener, after):
    """``a "b c`` reads as ``a "b c"``: what follows an unclosed quote (at the start of a
    part) is one phrase."""
    rest = " ".join(after)
    head = " ".join(before)
    if '"' in rest or head.count('"') % 2:
        return
    text = f'{head} {opener}"{rest}'
    assert parse_query(text) == merged([parse_query(head), parse_query(f'{opener}"{rest}"')])


@SETTINGS
@given(st.lists(PART, max_size=6).map(" ".join))
def test_a_parsed_query_written_back_parses_the_same(text):
    query = parse_query(text)
    assert parse_query(written_back(query)) == query


# --- every query can be searched, with the index and without -----------------------------


@pytest.fixture(scope="module")
def searched(tmp_path_factory):
    root = tmp_path_factory.mktemp("query-archive")
    posts = {
        "old_post/a.md": post_text(title="央行降准", date="2022-06-03 10:00:00 +0800", tags="t1")
        + "<p>A股上涨。ESG bond rally 188</p>",
        "old_post/b.md": post_text(title="Markets wrap", date="2021-12-30 09:00:00", categories="reuters")
        + "<p>Stocks rallied; 央行 held. ＥＳＧ funds.</p>",
        "old_post/c.md": post_text(title="碳中和路线图", date="2022-01-15 16:00:00 +0800")
        + '<p>"quoted" title: x -minus *star* (paren)</p>',
    }
    for relative, text in posts.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    archive = load_archive(root, use_cache=False)
    index = SearchIndex(root, tmp_path_factory.mktemp("query-index") / "index.s0.sqlite3")
    index.update(archive)
    yield archive, index
    index.close()


@SETTINGS
@given(st.one_of(st.text(max_size=40), st.lists(PART, max_size=5).map(" ".join)))
@example('"')
@example("-央行")
@example("title:*")
@example("NEAR(a b)")
@example("a OR b AND NOT c")
def test_any_query_is_searched_without_error_and_the_index_agrees_with_the_files(searched, text):
    archive, index = searched
    indexed = index.search(text, archive)
    scanned = scan_search(text, archive)
    assert {hit.post_index for hit in indexed} == {hit.post_index for hit in scanned}, text


def test_the_written_back_form_says_what_the_query_is():
    text = '央行 -港股 "a phrase" title:蚂蚁 tag:t1 category:x -tag:t2 -category:y before:2022-06-01 after:2021-12-31'  # noqa: E501
    assert written_back(parse_query(text)) == text


def titles(archive, hits):
    return sorted(archive.posts[hit.post_index].title for hit in hits)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("-tag:t1", ["Markets wrap", "碳中和路线图"]),
        ("央行 -tag:t1", ["Markets wrap"]),
        ("-category:reuters", ["央行降准", "碳中和路线图"]),
        ("tag:t1", ["央行降准"]),
        ("before:2022-02-30", []),  # not a date: text, found nowhere
        ("-before:2022-01-01", ["Markets wrap", "央行降准", "碳中和路线图"]),  # text, excluded
    ],
)
def test_a_minus_before_a_field_excludes_what_the_field_names(searched, query, expected):
    archive, index = searched
    assert titles(archive, index.search(query, archive)) == expected
    assert titles(archive, scan_search(query, archive)) == expected

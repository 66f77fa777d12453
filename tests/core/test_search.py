"""Full-text search: every query form, Chinese substrings, ranking, and the index's upkeep."""

from __future__ import annotations

import json
import os
from datetime import datetime

import pytest

from reader.cli import main
from reader.core.archive import load_archive
from reader.core.search import (
    SearchIndex,
    _shard_of,
    index_path,
    parse_query,
    scan_search,
    tokens,
    word_runs,
)
from tests.conftest import post_text


def post(title: str, body: str, date: str, **fields: str) -> str:
    return post_text(title=title, date=date, **fields).replace("Body text.", body)


CORPUS = {
    "old_post/a.md": post(
        "央行降准释放流动性",
        "<p>中国人民银行决定下调存款准备金率。A股应声上涨。</p>",
        "2022-06-03 10:00:00 +0800",
        categories="cailianshe",
        tags="财联社新闻",
    ),
    "old_post/b.md": post(
        "蚂蚁集团发布可持续发展报告",
        "<p>蚂蚁集团研发投入超188亿元，ESG战略升级，碳中和目标实现。央行表示关注。</p>",
        "2022-06-01 15:43:26 +0800",
        categories="cailianshe",
        tags="财联社新闻",
    ),
    "old_post/c.md": post(
        "Markets wrap",
        "<p>Stocks rallied; the central bank (央行) held rates. ＥＳＧ funds grew. Ｂｏｎｄ yields fell.</p>",
        "2021-12-30 09:00:00 +0800",
        categories="reuters",
        tags="markets",
    ),
    "old_post/d.md": post(
        "港股收评",
        "<p>恒生指数收涨，科技股走强。{% raw %}{{ liquid }}{% endraw %} <b>加粗</b></p>\n\n"
        "[链接](//site.example/category/x.html)",
        "2022-01-15 16:00:00 +0800",
        categories="zhitong",
        tags="港股新闻",
    ),
    "old_post/e.md": post(
        "碳中和路线图",
        "<p>多部门联合发布碳中和路线图。</p>",
        "2022-06-02 08:00:00 +0800",
        categories="xinhua",
        tags="新华社新闻",
    ),
}


@pytest.fixture
def archive(write_archive):
    return load_archive(write_archive(CORPUS))


@pytest.fixture
def index(archive):
    idx = SearchIndex(archive.root)
    idx.update(archive)
    yield idx
    idx.close()


def titles(archive, hits):
    return [archive.posts[h.post_index].title for h in hits]


def both(index, archive, query, within=None):
    """Search with the index and by scanning; they must agree on the set."""
    indexed = index.search(query, archive, within)
    scanned = scan_search(query, archive, within)
    assert {h.post_index for h in indexed} == {h.post_index for h in scanned}, query
    return titles(archive, indexed)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("央", {"央行降准释放流动性", "蚂蚁集团发布可持续发展报告", "Markets wrap"}),
        ("央行", {"央行降准释放流动性", "蚂蚁集团发布可持续发展报告", "Markets wrap"}),
        ("蚂蚁", {"蚂蚁集团发布可持续发展报告"}),
        ("碳中和", {"蚂蚁集团发布可持续发展报告", "碳中和路线图"}),
        ("A股", {"央行降准释放流动性"}),
        ("a股", {"央行降准释放流动性"}),
        ("Ａ股", {"央行降准释放流动性"}),
        ("１８８", {"蚂蚁集团发布可持续发展报告"}),
        ("ESG", {"蚂蚁集团发布可持续发展报告", "Markets wrap"}),
        ("esg", {"蚂蚁集团发布可持续发展报告", "Markets wrap"}),
        ("bond", {"Markets wrap"}),
        ("ral", {"Markets wrap"}),  # a word's start
        ("lied", set()),  # not its middle: ASCII words match from their start
        ("超188亿", {"蚂蚁集团发布可持续发展报告"}),
        ("率A股", set()),  # "。" stands between them
        ("行降", {"央行降准释放流动性"}),
        ("liquid", {"港股收评"}),
    ],
)
def test_cjk_latin_and_folding(index, archive, query, expected):
    assert set(both(index, archive, query)) == expected


def test_html_tags_and_link_targets_are_not_text(index, archive):
    assert both(index, archive, "site.example") == []
    assert both(index, archive, "category") == []
    assert both(index, archive, "加粗") == ["港股收评"]


def test_all_words_must_match(index, archive):
    assert both(index, archive, "央行 碳中和") == ["蚂蚁集团发布可持续发展报告"]
    assert both(index, archive, "央行 港股") == []


def test_quoted_phrase(index, archive):
    assert both(index, archive, '"central bank"') == ["Markets wrap"]
    assert both(index, archive, '"bank central"') == []


def test_exclusion(index, archive):
    assert set(both(index, archive, "央行 -蚂蚁")) == {"央行降准释放流动性", "Markets wrap"}
    assert set(both(index, archive, "-央行")) == {"港股收评", "碳中和路线图"}


def test_field_filters(index, archive):
    assert both(index, archive, "title:央行") == ["央行降准释放流动性"]
    assert set(both(index, archive, "tag:财联社新闻")) == {"央行降准释放流动性", "蚂蚁集团发布可持续发展报告"}
    assert both(index, archive, "央行 category:reuters") == ["Markets wrap"]
    assert both(index, archive, "央行 before:2022-06-01") == ["Markets wrap"]
    assert set(both(index, archive, "央行 after:2022-05-31")) == {
        "央行降准释放流动性",
        "蚂蚁集团发布可持续发展报告",
    }


@pytest.mark.parametrize(
    "query",
    ['"unclosed phrase', "title:", "-", "(((", "AND OR NOT", "*", 'a"b', "NEAR(x y)", ":", "before:notadate"],
)
def test_unparsable_queries_are_plain_text_never_errors(index, archive, query):
    both(index, archive, query)
    parse_query(query)


def test_ranking_title_first_then_relevance_then_newest(index, archive):
    hits = index.search("央行", archive)
    assert titles(archive, hits)[0] == "央行降准释放流动性", "the only title match comes first"
    assert [h.in_title for h in hits] == [True, False, False]
    ties = index.search("-zzz", archive)  # no relevance: newest first
    assert [archive.posts[h.post_index].date for h in ties] == sorted(
        (p.date for p in archive.posts), reverse=True
    )


def test_search_within_a_node(index, archive):
    within = archive.by_category["cailianshe"]
    assert set(both(index, archive, "央行", within)) == {"央行降准释放流动性", "蚂蚁集团发布可持续发展报告"}


def test_index_updates_a_changed_file_and_drops_a_deleted_one(index, archive):
    root = archive.root
    path = root / "old_post/e.md"
    path.write_text(
        post("碳达峰方案", "<p>新的内容：光伏</p>", "2022-06-02 08:00:00 +0800"), encoding="utf-8"
    )
    os.utime(path, ns=(path.stat().st_mtime_ns + 10**9,) * 2)
    (root / "old_post/d.md").unlink()
    updated = load_archive(root)
    assert index.update(updated) == 1
    assert titles(updated, index.search("光伏", updated)) == ["碳达峰方案"]
    assert titles(updated, index.search("路线图", updated)) == []
    assert titles(updated, index.search("港股", updated)) == []
    assert index.update(updated) == 0, "nothing changed: nothing read"


@pytest.mark.parametrize("damage", [b"garbage" * 100, b"", b"SQLite format 3\x00" + b"\xff" * 200])
def test_corrupt_index_is_rebuilt(archive, damage):
    first = SearchIndex(archive.root)
    first.update(archive)
    first.close()
    for suffix in ("-wal", "-shm"):
        if os.path.exists(str(index_path(archive.root)) + suffix):
            os.remove(str(index_path(archive.root)) + suffix)
    assert sum(1 for p in archive.posts if _shard_of(p.path) == 0) >= 1
    index_path(archive.root).write_bytes(damage)
    again = SearchIndex(archive.root)
    assert again.rebuilt or damage == b""
    # The damaged shard is started anew and its posts indexed again; the other is kept.
    assert 1 <= again.update(archive) < len(archive.posts)
    assert again.update(archive) == 0
    for post in archive.posts:
        assert titles(archive, again.search(f'title:"{post.title}"', archive)) == [post.title]
    assert titles(archive, again.search("蚂蚁", archive)) == ["蚂蚁集团发布可持续发展报告"]


def test_version_mismatch_is_rebuilt(archive, monkeypatch):
    import reader.core.search as search_module

    SearchIndex(archive.root).close()
    monkeypatch.setattr(search_module, "INDEX_VERSION", search_module.INDEX_VERSION + 1)
    again = SearchIndex(archive.root)
    assert again.rebuilt


def test_tokens_are_cjk_characters_ascii_words_and_run_breaks():
    assert tokens("Ａ股１８８，ＥＳＧ！央行") == ["a", "股", "188", "|", "esg", "|", "央", "行"]
    assert tokens("，。") == []


def test_word_runs_fold_width_and_case():
    assert word_runs("Ａ股１８８，ＥＳＧ！") == ["a股188", "esg"]
    assert word_runs("碳中和（路线图）") == ["碳中和", "路线图"]


# --- the command line ------------------------------------------------------------------


def test_cli_search_json_and_exit_codes(write_archive, capsys, tmp_path):
    root = write_archive(CORPUS)
    assert main(["search", str(root), "央行", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["title"] == "央行降准释放流动性"
    assert set(rows[0]) == {"key", "path", "title", "date", "score"}
    # No _config.yml: the instant in the system's zone, with its offset, as Jekyll gives it.
    assert datetime.fromisoformat(rows[0]["date"]) == datetime.fromisoformat("2022-06-03T10:00:00+08:00")
    assert datetime.fromisoformat(rows[0]["date"]).utcoffset() is not None
    assert main(["search", str(root), "央行", "--json", "--limit", "1"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1
    assert main(["search", str(root), "不存在的词"]) == 1
    assert main(["search", str(tmp_path / "missing"), "x"]) == 2
    assert "no such folder" in capsys.readouterr().err


@pytest.mark.parametrize("query", ["蚂蚁", "碳中和", "ESG"])
def test_news_seed_is_found(news_seed, capsys, query):
    assert main(["search", str(news_seed), query, "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["title"] == "蚂蚁集团发布2021可持续发展报告：2021年研发投入超188亿元"


@pytest.mark.slow
def test_parallel_build_gives_the_same_results(archive, tmp_path):
    serial = SearchIndex(archive.root, tmp_path / "serial.s0.sqlite3")
    parallel = SearchIndex(archive.root, tmp_path / "parallel.s0.sqlite3")
    assert serial.update(archive, workers=1) == parallel.update(archive, workers=2) == len(archive.posts)
    for query in ("央行", "碳中和", "ESG", "-央行", "title:港股", "央"):
        assert serial.search(query, archive) == parallel.search(query, archive)


def test_checking_the_index_takes_file_stamps_from_the_load(index, archive, monkeypatch):
    """The load has just stat'ed every file: the index check does not do it again (it
    looks at ``_config.yml`` only, for the listing it stores)."""
    import reader.core.search as search_module

    stat = os.stat
    asked: list[str] = []

    def stat_no_post(path, *args, **kwargs):
        asked.append(os.fspath(path))
        return stat(path, *args, **kwargs)

    monkeypatch.setattr(search_module.os, "stat", stat_no_post)
    assert index.stale(archive) == []
    assert index.update(archive) == 0
    monkeypatch.undo()
    assert not [path for path in asked if path.startswith(str(archive.root)) and path.endswith(".md")]
    path = archive.root / "old_post/e.md"
    os.utime(path, ns=(path.stat().st_mtime_ns + 10**9,) * 2)
    changed = load_archive(archive.root)
    assert [changed.posts[i].path for i in index.stale(changed)] == ["old_post/e.md"]


def test_indexing_runs_below_the_window_and_its_loads(archive, tmp_path, monkeypatch):
    """The index is built in the background: its processes run at a lower priority, so
    a window and the loads it waits for get the processors first."""
    import concurrent.futures

    from reader.core import archive as archive_module

    initializers = []
    real_pool = concurrent.futures.ProcessPoolExecutor

    class RecordingPool(real_pool):
        def __init__(self, *arguments, **options):
            initializers.append(options.get("initializer"))
            super().__init__(*arguments, **options)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", RecordingPool)
    index = SearchIndex(archive.root, tmp_path / "index")
    assert index.update(archive, workers=2) == len(archive.posts)
    index.close()
    assert initializers and all(i is archive_module.background_priority for i in initializers)
    context = archive_module.worker_context()
    with real_pool(max_workers=1, mp_context=context, initializer=archive_module.background_priority) as pool:
        niceness = pool.submit(os.nice, 0).result()
    assert niceness == min(os.nice(0) + archive_module.BACKGROUND_NICENESS, 19)


def test_what_an_index_update_keeps_alive_is_not_walked_by_the_collector(write_archive, tmp_path):
    """An update of the whole index takes minutes at 100,000 posts; every full garbage
    collection meanwhile (by any thread: the window's too, holding the GIL) walks the
    containers the collector tracks. The update's own big ones must be untracked."""
    import gc

    names = [f"old_post/2022-06-{day % 28 + 1:02d}-p{day}.md" for day in range(1200)]
    files = {name: post_text(title=name) for name in names}
    files["_posts/2022-07-01-gone.md"] = post_text()
    root = write_archive(files)
    index = SearchIndex(root, tmp_path / "index")
    index.update(load_archive(root), workers=1)
    (root / "_posts/2022-07-01-gone.md").unlink()
    for name in names:
        (root / name).write_text(post_text(title="new"), "utf-8")
    archive = load_archive(root)
    before = dict.fromkeys(map(id, gc.get_objects()))  # a dict of ints: not tracked itself
    walked: list[tuple[str, int]] = []

    def progress(done: int, total: int) -> None:
        gc.collect()
        gc.collect()  # a tuple is let go of once its items were, in an earlier pass
        walked.extend(
            (type(o).__name__, len(o))
            for o in gc.get_objects()
            if id(o) not in before and isinstance(o, (list, set, dict, tuple)) and len(o) >= 500
        )

    assert index.update(archive, progress=progress, workers=1) == 1200
    index.close()
    assert walked == []

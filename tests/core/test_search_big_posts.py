"""Search and a huge post: the first megabyte of its file is searched, read and turned into
tokens in bounded memory, with the same tokens as a small post gets."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core import search
from reader.core.archive import load_archive
from reader.core.search import BODY_LIMIT, SearchIndex, body_stream, scan_search, stream
from tests.conftest import REPO, post_text

PARAGRAPH = "<p>中国人民银行今日公布，人民币对美元汇率中间价上调，市场保持稳定。</p>"


def huge_post(megabytes: int, start: str, end: str) -> str:
    filler = PARAGRAPH * (megabytes * 1_000_000 // len(PARAGRAPH.encode()))
    body = f"<p>{start}</p>{filler}<p>{end}</p>"
    return post_text(title="年报全文", date="2022-06-01 08:00:00 +0800").replace("Body text.", body)


def test_search_finds_a_word_near_the_start_of_a_50_mb_post_and_nothing_past_its_first_mb(
    write_archive, tmp_path
):
    root = write_archive(
        {
            "_posts/2022-06-01-huge.md": huge_post(50, "开头说到碳中和", "结尾说到北交所"),
            "_posts/2022-06-02-small.md": post_text(title="小", date="2022-06-02").replace(
                "Body text.", "北交所开市"
            ),
        }
    )
    archive = load_archive(root)
    huge = archive.by_key["2022-06-01-huge.md"]
    index = SearchIndex(root, tmp_path / "index" / "i.s0.sqlite3")
    index.update(archive)
    for found in (index.search("碳中和", archive), scan_search("碳中和", archive)):
        assert [hit.post_index for hit in found] == [huge]
    # Past the first megabyte the post is not searched: the other post only.
    for found in (index.search("北交所", archive), scan_search("北交所", archive)):
        assert huge not in [hit.post_index for hit in found] and len(found) == 1


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab A股央行，。 \n１２ESG-_é①ﬁ\u0301", max_size=400), st.integers(8, 60))
def test_a_body_made_into_tokens_in_slices_gets_the_tokens_of_all_at_once(text, size):
    original = search.TOKEN_SLICE
    search.TOKEN_SLICE = size
    try:
        assert body_stream(text) == stream(text)
    finally:
        search.TOKEN_SLICE = original


def test_indexing_a_50_mb_post_takes_little_memory(tmp_path):
    """A child process turns a 50 MB post into its search tokens; its peak memory grows by
    a few MB (all of the post took 1.5 GB)."""
    path = Path(tmp_path / "huge.md")
    path.write_text(huge_post(50, "开头", "结尾"), encoding="utf-8")
    code = (
        "import sys\n"
        "from reader.core.search import _tokens_of\n"
        "def peak():\n"
        "    with open('/proc/self/status') as status:\n"
        "        return next(int(l.split()[1]) for l in status if l.startswith('VmHWM:'))\n"
        "before = peak()\n"
        "title, body = _tokens_of(sys.argv[1], 'title')\n"
        "print(len(body), peak() - before)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True, cwd=REPO
    )
    tokens, grown_kb = (int(value) for value in result.stdout.split())
    assert grown_kb < 100_000, f"indexing grew the process by {grown_kb} KB"
    assert BODY_LIMIT // 3 < tokens < 3 * BODY_LIMIT  # the first MB's characters, spaced

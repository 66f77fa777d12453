"""``reader search`` answering from a current index without loading the archive, as a
whole process: the answer is the one a full load gives, and any post added, removed,
moved or edited in place since the index was written is seen before answering."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from reader.cli import _minute
from reader.core.search import _shard_paths, index_path
from tests.conftest import REPO, post_text

#: What the command's debug lines say when the index answered alone.
ALONE = "from the index alone"


def search(
    root: Path, *query: str, json_output: bool = True, cache: Path | None = None
) -> tuple[object, bool]:
    """The command's answer (parsed JSON, or the text) and whether the index gave it alone."""
    result = subprocess.run(
        [sys.executable, "-m", "reader", "search", str(root), *query, "--debug", *(["--json"] * json_output)],
        cwd=REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        env={**os.environ, "READER_DEBUG": "", **({"XDG_CACHE_HOME": str(cache)} if cache else {})},
    )
    assert result.returncode in (0, 1), result.stderr
    assert "warning" not in result.stderr, result.stderr
    return (json.loads(result.stdout) if json_output else result.stdout), ALONE in result.stderr


def paths(found: object) -> list[str]:
    assert isinstance(found, list)
    return [row["path"] for row in found]


@pytest.fixture
def archive(write_archive) -> Path:
    return write_archive(
        {
            "_posts/2022-06-01-rates.md": post_text("央行 cuts rates", tags="macro") + "央行 body\n",
            "_posts/2022-06-02-stocks.md": post_text("A股 rally", categories="markets") + "港股 and 央行\n",
            "old_post/2021-03-01-older.md": post_text("Older news", date="2021-03-01 08:00:00 +0800")
            + "央行 again\n",
            "old_post/2021-03-02-other.md": post_text("Something else") + "nothing to see\n",
        }
    )


def indexed(root: Path, *query: str) -> object:
    """The answer after the index has been brought up to date; the next asks it alone."""
    first, _alone = search(root, *query)
    again, alone = search(root, *query)
    assert alone, "a current index answers alone"
    assert again == first
    return first


def test_a_current_index_answers_alone_exactly_as_a_full_load_does(archive, tmp_path):
    queries = [
        ("央行",),
        ("央行", "-港股"),
        ("-央行",),
        ("tag:macro",),
        ("央行", "after:2022-01-01"),
        ("nothing",),
    ]
    indexed(archive, "央行")
    for query in queries:
        for json_output in (True, False):
            # A new cache folder each time: the archive is loaded and its index made.
            fresh = tmp_path / f"cache-{len(list(tmp_path.iterdir()))}"
            loaded, alone = search(archive, *query, json_output=json_output, cache=fresh)
            assert not alone
            assert search(archive, *query, json_output=json_output) == (loaded, True), query
    assert sorted(paths(indexed(archive, "央行"))) == [
        "_posts/2022-06-01-rates.md",
        "_posts/2022-06-02-stocks.md",
        "old_post/2021-03-01-older.md",
    ]


def test_an_added_post_is_seen(archive):
    indexed(archive, "央行")
    (archive / "old_post" / "2020-01-01-new.md").write_text(post_text("New") + "央行 new\n", encoding="utf-8")
    found, alone = search(archive, "央行")
    assert not alone
    assert "old_post/2020-01-01-new.md" in paths(found)
    assert indexed(archive, "央行") == found


def test_a_removed_post_is_seen(archive):
    indexed(archive, "央行")
    (archive / "_posts" / "2022-06-02-stocks.md").unlink()
    found, alone = search(archive, "央行")
    assert not alone
    assert "_posts/2022-06-02-stocks.md" not in paths(found)
    assert len(paths(found)) == 2


def test_a_moved_post_is_seen(archive):
    indexed(archive, "央行")
    (archive / "_posts" / "2022-06-01-rates.md").rename(archive / "old_post" / "2022-06-01-rates.md")
    found, alone = search(archive, "央行")
    assert not alone
    assert "old_post/2022-06-01-rates.md" in paths(found)
    assert "_posts/2022-06-01-rates.md" not in paths(found)


def test_a_post_edited_in_place_to_the_same_size_is_seen(archive):
    indexed(archive, "港股")
    post = archive / "old_post" / "2021-03-01-older.md"
    text = post.read_text(encoding="utf-8")
    edited = text.replace("央行 again", "港股 again")  # the same number of bytes
    assert len(edited.encode()) == len(text.encode()) and edited != text
    before = post.stat().st_mtime_ns
    post.write_text(edited, encoding="utf-8")
    os.utime(post, ns=(before + 1_000_000_000, before + 1_000_000_000))  # a new mtime, whatever the clock
    found, alone = search(archive, "港股")
    assert not alone
    assert "old_post/2021-03-01-older.md" in paths(found)
    assert "old_post/2021-03-01-older.md" not in paths(indexed(archive, "央行"))


def test_a_new_file_that_is_no_post_is_checked_once_then_the_index_answers_alone(archive):
    indexed(archive, "央行")
    (archive / "old_post" / "notes.md").write_text("no front matter: not a post 央行\n", encoding="utf-8")
    found, alone = search(archive, "央行")
    assert not alone
    assert indexed(archive, "央行") == found
    assert "old_post/notes.md" not in paths(found)


def test_a_changed_site_config_is_seen(archive):
    indexed(archive, "央行")
    (archive / "_config.yml").write_text("timezone: Asia/Shanghai\n", encoding="utf-8")
    _found, alone = search(archive, "央行")
    assert not alone


def test_a_damaged_shard_is_not_trusted(archive):
    expected = indexed(archive, "央行")
    shard = _shard_paths(index_path(archive))[0]
    data = bytearray(shard.read_bytes())
    rng = random.Random(7)
    for at in rng.sample(range(len(data)), 8):
        data[at] ^= 0xFF
    shard.write_bytes(bytes(data))
    found, alone = search(archive, "央行")
    assert not alone
    assert found == expected


@pytest.mark.parametrize(
    "when",
    [
        datetime(2022, 6, 1, 15, 43, 26),
        datetime(2022, 6, 1, 15, 43, 26, 5, tzinfo=timezone(timedelta(hours=8))),
        datetime(999, 1, 2, 3, 4),
        datetime(1, 1, 1),
    ],
)
def test_the_printed_minute_is_what_strftime_writes(when):
    assert _minute(when.isoformat()) == f"{when:%Y-%m-%d %H:%M}"


def test_fields_of_an_unchanged_file_that_change_are_taken(archive, tmp_path):
    """A post's key made unique beside a new file of the same name, its moment in a
    new time zone: its file is unchanged, what the index printed of it is not."""
    indexed(archive, "央行")
    # The same key as old_post/2021-03-01-older.md, which then takes "key@path".
    twin = archive / "_posts" / "2021-03-01-older.md"
    twin.write_text(post_text("Twin") + "央行 twin\n", encoding="utf-8")
    (archive / "_config.yml").write_text("timezone: America/New_York\n", encoding="utf-8")
    found = indexed(archive, "央行")
    loaded, alone = search(archive, "央行", cache=tmp_path / "fresh-cache")
    assert not alone
    assert found == loaded
    keys = [row["key"] for row in found]
    assert len(set(keys)) == len(keys) == 4

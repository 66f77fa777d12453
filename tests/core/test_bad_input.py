"""Bad input becomes a clear problem attached to the post or the archive, never a crash."""

from __future__ import annotations

import os
import threading
from datetime import datetime, timedelta, timezone

import pytest

from reader.core import archive as archive_module
from reader.core.archive import ArchiveError, load_archive
from tests.conftest import deny_reading, post_text

CST = timezone(timedelta(hours=8))

UNESCAPED_QUOTE = (
    '---\nlayout: post\ntitle: "央行："稳增长"政策加码"\n'
    "date: 2022-06-01 15:43:26 +0800\ncategories: cailianshe\ntags: 财联社新闻\n---\n<p>正文</p>\n"
)


def load(root):
    archive = load_archive(root)
    return archive, {post.path: post for post in archive.posts}


def test_invalid_yaml_post_is_listed_with_a_problem(write_archive):
    root = write_archive(
        {"_posts/2022-06-01-NW1.md": UNESCAPED_QUOTE, "_posts/2022-06-02-ok.md": post_text()}
    )
    _, posts = load(root)
    post = posts["_posts/2022-06-01-NW1.md"]
    assert len(post.problems) == 1
    assert post.problems[0].startswith("invalid YAML front matter (line 3)")
    # What could be read line by line is kept: the title, the date with its offset.
    assert post.title == '央行："稳增长"政策加码'
    assert post.date == datetime(2022, 6, 1, 15, 43, 26, tzinfo=CST)
    assert post.categories == ("cailianshe",)
    assert "_posts/2022-06-02-ok.md" in posts


def test_invalid_yaml_without_recoverable_title_takes_the_file_name(write_archive):
    root = write_archive({"_posts/2022-06-01-some-news.md": "---\ntitle: [unclosed\n---\n"})
    _, posts = load(root)
    post = posts["_posts/2022-06-01-some-news.md"]
    assert post.title == "Some News"
    assert post.date == datetime(2022, 6, 1)
    assert post.problems and "invalid YAML" in post.problems[0]


@pytest.mark.parametrize(
    ("text", "kind"), [("---\n- a\n- b\n---\n", "list"), ("---\njust a string\n---\n", "str")]
)
def test_front_matter_that_is_not_a_mapping(write_archive, text, kind):
    root = write_archive({"_posts/2022-06-01-x.md": text})
    _, posts = load(root)
    post = posts["_posts/2022-06-01-x.md"]
    assert post.problems == (f"front matter is not a mapping (it is a {kind}); ignored",)
    assert post.title == "X"


def test_empty_date_with_offset_falls_back_to_the_file_name_date(write_archive):
    root = write_archive({"old_post/2022-05-26-202205262391921712.md": '---\ntitle: ""\ndate:  +0800\n---\n'})
    _, posts = load(root)
    post = posts["old_post/2022-05-26-202205262391921712.md"]
    assert post.date == datetime(2022, 5, 26)
    assert post.problems == ("date '+0800' cannot be read",)


def test_no_date_anywhere_falls_back_to_modification_time_flagged(write_archive):
    # The real archive has one such file: no date in its name, an empty date line.
    root = write_archive(
        {"old_post/-202205262391921712.md": '---\nlayout: post\ntitle: ""\ndate:  +0800\n---\n'}
    )
    stamp = datetime(2022, 5, 26, 10, 0).timestamp()
    os.utime(root / "old_post/-202205262391921712.md", (stamp, stamp))
    _, posts = load(root)
    post = posts["old_post/-202205262391921712.md"]
    assert post.date == datetime(2022, 5, 26, 10, 0)
    assert post.problems == (
        "date '+0800' cannot be read",
        "no usable date; using the file's modification time",
    )


def test_empty_date_line_is_flagged(write_archive):
    root = write_archive({"_posts/2022-05-26-x.md": "---\ndate:\n---\n"})
    _, posts = load(root)
    assert posts["_posts/2022-05-26-x.md"].problems == ("date is empty",)
    assert posts["_posts/2022-05-26-x.md"].date == datetime(2022, 5, 26)


@pytest.mark.parametrize(
    "front_matter",
    [
        "date: 2022-02-30",
        "date: 2022-13-01 10:00:00",
        "date: 0000-01-01",
        "date: 2022-06-01 10:00:00 +99",
        "tags: [a]\ndate: 2022-02-30",  # through the full YAML path
        "dates: [2022-02-30]\ndate: 2022-02-30",
    ],
)
def test_a_date_that_is_no_real_day_is_flagged_and_the_archive_loads(write_archive, front_matter):
    """YAML's timestamp form with an impossible day stays text, as in Ruby's YAML."""
    root = write_archive(
        {
            "_posts/2022-05-26-x.md": f"---\ntitle: x\n{front_matter}\n---\n",
            "_posts/2022-05-27-ok.md": post_text(),
        }
    )
    _, posts = load(root)
    post = posts["_posts/2022-05-26-x.md"]
    shown = front_matter.rpartition("date: ")[2]
    assert post.problems == (f"date {shown!r} cannot be read",)
    assert post.date == datetime(2022, 5, 26)
    assert "_posts/2022-05-27-ok.md" in posts


def test_an_unforeseen_error_on_one_file_is_its_problem_alone(write_archive, monkeypatch):
    root = write_archive(
        {"_posts/2022-06-01-a.md": post_text(title="a"), "_posts/2022-06-02-b.md": post_text(title="b")}
    )
    real = archive_module.jekyll.categories_and_tags

    def failing(path_categories, data):
        if data.get("title") == "a":
            raise RecursionError("maximum recursion depth exceeded")
        return real(path_categories, data)

    monkeypatch.setattr(archive_module.jekyll, "categories_and_tags", failing)
    archive, posts = load(root)
    assert list(posts) == ["_posts/2022-06-02-b.md"]
    assert [str(p) for p in archive.problems] == [
        "_posts/2022-06-01-a.md: file cannot be read: RecursionError: maximum recursion depth exceeded"
    ]


def test_impossible_file_name_date_is_flagged(write_archive):
    root = write_archive({"_posts/2022-13-45-x.md": "---\ntitle: x\n---\n"})
    _, posts = load(root)
    post = posts["_posts/2022-13-45-x.md"]
    assert "file name date '2022-13-45' is not a real day" in post.problems


def test_no_date_outside_posts_with_layout_post_is_a_skipped_problem(write_archive):
    root = write_archive({"old_post/undated.md": "---\nlayout: post\ntitle: Lost\n---\n"})
    archive, posts = load(root)
    assert posts == {}
    assert [str(p) for p in archive.problems] == [
        "old_post/undated.md: has layout: post but no date; skipped"
    ]


def test_utf8_with_bom_is_read_without_a_problem(write_archive):
    root = write_archive({"_posts/2022-06-01-bom.md": b"\xef\xbb\xbf" + post_text(title="有 BOM").encode()})
    _, posts = load(root)
    post = posts["_posts/2022-06-01-bom.md"]
    assert post.title == "有 BOM"
    assert post.problems == ()


def test_crlf_line_endings_are_read_without_a_problem(write_archive):
    text = post_text(title="Windows", date="2022-06-01 15:43:26 +0800", categories="a b").replace(
        "\n", "\r\n"
    )
    root = write_archive({"old_post/crlf.md": text.encode()})
    archive, posts = load(root)
    post = posts["old_post/crlf.md"]
    assert (post.title, post.categories, post.problems) == ("Windows", ("a", "b"), ())
    assert post.date == datetime(2022, 6, 1, 15, 43, 26, tzinfo=CST)
    assert archive.read_body(post).strip() == "Body text."


def test_gb18030_chinese_is_decoded_and_flagged(write_archive):
    text = post_text(title="央行降准", date="2022-06-01", tags="财经新闻")
    root = write_archive({"old_post/gbk.md": text.encode("gb18030")})
    archive, posts = load(root)
    post = posts["old_post/gbk.md"]
    assert post.title == "央行降准"
    assert post.tags == ("财经新闻",)
    assert post.problems == ("not UTF-8; read as GB18030 (Chinese)",)
    assert archive.read_body(post).strip() == "Body text."


def test_binary_file_under_posts_is_skipped_with_a_problem(write_archive):
    root = write_archive(
        {
            "_posts/2022-06-01-photo.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" * 10,
            "_posts/2022-06-02-ok.md": post_text(),
        }
    )
    archive, posts = load(root)
    assert list(posts) == ["_posts/2022-06-02-ok.md"]
    assert [str(p) for p in archive.problems] == [
        "_posts/2022-06-01-photo.jpg: binary file, not a post; skipped"
    ]


def test_undecodable_file_is_skipped_with_a_problem(write_archive):
    raw = b"---\ntitle: x\n---\n" + b"\x81\x20\xff\xfe" * 4
    root = write_archive({"_posts/2022-06-01-bad.md": raw, "_posts/2022-06-02-ok.md": post_text()})
    archive, posts = load(root)
    assert list(posts) == ["_posts/2022-06-02-ok.md"]
    assert len(archive.problems) == 1
    assert archive.problems[0].path == "_posts/2022-06-01-bad.md"
    assert "not UTF-8 or GB18030 text" in archive.problems[0].message


def test_unreadable_file_is_skipped_with_a_problem(write_archive, monkeypatch):
    root = write_archive({"_posts/2022-06-01-locked.md": post_text(), "_posts/2022-06-02-ok.md": post_text()})
    deny_reading(monkeypatch, "locked.md")
    archive, posts = load(root)
    assert list(posts) == ["_posts/2022-06-02-ok.md"]
    assert [str(p) for p in archive.problems] == [
        "_posts/2022-06-01-locked.md: file cannot be read: Permission denied"
    ]


def test_file_vanishing_between_scan_and_read(write_archive, monkeypatch):
    root = write_archive({"_posts/2022-06-01-gone.md": post_text(), "_posts/2022-06-02-ok.md": post_text()})
    real_scan = archive_module.scan_meanwhile

    def scan_then_delete(folder, **options):
        result = real_scan(folder, **options)
        (root / "_posts/2022-06-01-gone.md").unlink()
        return result

    monkeypatch.setattr(archive_module, "scan_meanwhile", scan_then_delete)
    archive, posts = load(root)
    assert list(posts) == ["_posts/2022-06-02-ok.md"]
    assert [str(p) for p in archive.problems] == [
        "_posts/2022-06-01-gone.md: file vanished while the archive was loading"
    ]


def test_one_bad_file_never_stops_the_others(write_archive):
    files = {f"_posts/2022-06-{day:02d}-ok.md": post_text() for day in range(1, 11)}
    files["_posts/2022-06-11-bad.md"] = UNESCAPED_QUOTE
    files["_posts/2022-06-12-worse.md"] = b"\x00\x01binary"
    files["_posts/2022-06-13-list.md"] = "---\n- a\n---\n"
    root = write_archive(files)
    archive, posts = load(root)
    assert len(posts) == 12
    assert len(list(archive.all_problems())) == 3


def test_long_front_matter_beyond_the_first_read_is_parsed(write_archive):
    filler = "\n".join(f"field{i}: {'x' * 100}" for i in range(300))
    text = f"---\ntitle: Long\n{filler}\ndate: 2022-06-01 15:43:26 +0800\n---\nBody\n"
    root = write_archive({"old_post/long.md": text})
    _, posts = load(root)
    assert posts["old_post/long.md"].date == datetime(2022, 6, 1, 15, 43, 26, tzinfo=CST)


def test_unusable_root_raises_a_clear_error(tmp_path):
    with pytest.raises(ArchiveError, match="no such folder"):
        load_archive(tmp_path / "missing")
    (tmp_path / "file").write_text("x")
    with pytest.raises(ArchiveError, match="not a folder"):
        load_archive(tmp_path / "file")


def test_unreadable_subfolder_is_a_problem_and_the_rest_loads(write_archive, monkeypatch):
    root = write_archive(
        {"locked/_posts/2022-06-01-x.md": post_text(), "_posts/2022-06-02-ok.md": post_text()}
    )
    real_list = archive_module._list_folder

    def list_folder(path):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_list(path)

    monkeypatch.setattr(archive_module, "_list_folder", list_folder)
    archive, posts = load(root)
    assert list(posts) == ["_posts/2022-06-02-ok.md"]
    assert [str(p) for p in archive.problems] == ["locked: folder cannot be read: Permission denied"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_named_like_a_post_is_not_read(write_archive):
    """Opening a fifo blocks until something writes to it: the load must not touch it."""
    root = write_archive({"_posts/2022-06-02-ok.md": post_text()})
    os.mkfifo(root / "_posts" / "2022-06-01-pipe.md")
    os.mkfifo(root / "2022-06-01-pipe.md")
    loaded = []
    worker = threading.Thread(target=lambda: loaded.append(load(root)), daemon=True)
    worker.start()
    worker.join(timeout=30)
    assert loaded, "the load blocked on a named pipe"
    _, posts = loaded[0]
    assert list(posts) == ["_posts/2022-06-02-ok.md"]

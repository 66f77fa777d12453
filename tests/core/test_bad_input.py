"""Bad input becomes a clear problem attached to the post or the archive, never a crash."""

from __future__ import annotations

import os
import threading
from datetime import datetime, timedelta, timezone

import pytest

from reader.core import archive as archive_module
from reader.core import native as native_module
from reader.core import reading as reading_module
from reader.core import scan as scan_module
from reader.core.archive import ArchiveError, load_archive
from tests.conftest import deny_reading, post_text
from tests.core.hostile import folder_for_deep_trees, make_deep_folders

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
    real_list = scan_module._list_folder

    def list_folder(path):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_list(path)

    monkeypatch.setattr(scan_module, "_list_folder", list_folder)
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
    archive, posts = loaded[0]
    assert list(posts) == ["_posts/2022-06-02-ok.md"]
    told = "named pipe, not a regular file: never opened (reading it could block)"
    assert sorted(str(p) for p in archive.problems) == [
        f"2022-06-01-pipe.md: {told}",
        f"_posts/2022-06-01-pipe.md: {told}",
    ]


@pytest.mark.parametrize("helper", ["compiled", "python"])
def test_sockets_devices_and_broken_links_named_like_posts_are_told_of(write_archive, monkeypatch, helper):
    import stat

    if helper == "python":
        monkeypatch.setattr(native_module, "fastio", None)
    root = write_archive(
        {"_posts/2022-06-02-ok.md": post_text(), "old_post/ok.md": post_text(date="2022-06-03")}
    )
    posts = root / "_posts"
    os.mknod(posts / "2022-06-01-socket.md", stat.S_IFSOCK | 0o644)
    expected = {"_posts/2022-06-01-socket.md": "socket, not a regular file"}
    try:  # devices need root (CI runs as root)
        os.mknod(posts / "2022-06-01-char.md", stat.S_IFCHR | 0o644, os.makedev(1, 3))
        os.mknod(posts / "2022-06-01-block.md", stat.S_IFBLK | 0o644, os.makedev(7, 0))
    except PermissionError:
        pass  # not root, or a container without the right to make devices
    else:
        expected["_posts/2022-06-01-char.md"] = "character device, not a regular file"
        expected["_posts/2022-06-01-block.md"] = "block device, not a regular file"
    os.mkfifo(root / "pipe")
    (posts / "2022-06-01-to-pipe.md").symlink_to(root / "pipe")
    expected["_posts/2022-06-01-to-pipe.md"] = "symbolic link to a named pipe, not a regular file"
    (posts / "2022-06-01-dangling.md").symlink_to(root / "nowhere.md")
    expected["_posts/2022-06-01-dangling.md"] = "symbolic link to nothing; skipped"
    (posts / "2022-06-01-self.md").symlink_to("2022-06-01-self.md")
    expected["_posts/2022-06-01-self.md"] = (
        "symbolic link cannot be followed: Too many levels of symbolic links"
    )
    (root / "old_post" / "dangling.md").symlink_to(root / "nowhere.md")
    expected["old_post/dangling.md"] = "symbolic link to nothing; skipped"
    (root / "old_post" / "dangling.jpg").symlink_to(root / "nowhere.jpg")  # not named like a post
    os.mkfifo(posts / "not-named-like-a-post.md")
    archive, loaded = load(root)
    assert set(loaded) == {"_posts/2022-06-02-ok.md", "old_post/ok.md"}
    told = {problem.path: problem.message for problem in archive.problems}
    assert set(told) == set(expected)
    for path, message in expected.items():
        assert told[path].startswith(message), (path, told[path])


@pytest.mark.parametrize("helper", ["compiled", "python"])
def test_nul_bytes_after_whole_front_matter_are_the_bodys(write_archive, monkeypatch, helper):
    """As the compiled reader of simple front matter has it; NUL bytes in front matter,
    or in a file without front matter, make it binary."""
    if helper == "python":
        monkeypatch.setattr(native_module, "fastio", None)
    root = write_archive(
        {
            "_posts/2022-06-01-simple.md": post_text(title="Simple") + "\x00",
            "_posts/2022-06-02-list.md": "---\ntitle: List\ntags: [a,\n b]\n---\nbody\x00",
            "_posts/2022-06-03-in-front.md": "---\ntitle: In\x00front\n---\nbody",
            "_posts/2022-06-04-unclosed.md": "---\ntitle: x\n\x00",
        }
    )
    archive, posts = load(root)
    assert {path: post.title for path, post in posts.items()} == {
        "_posts/2022-06-01-simple.md": "Simple",
        "_posts/2022-06-02-list.md": "List",
    }
    assert [str(p) for p in archive.problems] == [
        f"_posts/2022-06-0{n}: binary file, not a post; skipped" for n in ("3-in-front.md", "4-unclosed.md")
    ]


@pytest.mark.parametrize("zone", [None, "Asia/Shanghai", "America/New_York"])
@pytest.mark.parametrize(
    "written", ["0001-01-01", "0001-01-01 00:00:00", "0001-01-01 00:00:00 +2359", "9999-12-31 23:59:59 -2359"]
)
def test_dates_at_the_ends_of_the_calendar_are_read(write_archive, zone, written):
    """Converting them to UTC through a zone steps out of the calendar: read as UTC."""
    files: dict[str, str | bytes] = {"_posts/2022-06-01-end.md": f"---\ntitle: End\ndate: {written}\n---\n"}
    if zone:
        files["_config.yml"] = f"timezone: {zone}\n"
    archive, posts = load(write_archive(files))
    post = posts["_posts/2022-06-01-end.md"]
    assert (post.date.year, post.problems, archive.problems) == (int(written[:4]), (), [])


@pytest.mark.parametrize("helper", ["compiled", "python"])
def test_folders_nested_thousands_deep_load(monkeypatch, helper):
    """A walk that calls itself overflowed at about 990 levels and the whole load failed.
    Below the system's path length limit the post at the bottom loads; past it, the
    folder is a problem like any folder that cannot be read."""
    if helper == "python":
        monkeypatch.setattr(native_module, "fastio", None)
    with folder_for_deep_trees() as base:
        root = base / "archive"
        (root / "_posts").mkdir(parents=True)
        (root / "_posts" / "2022-06-02-ok.md").write_text(post_text(), encoding="utf-8")
        for folder, depth in (("deep", 1500), ("deeper", 3000)):
            (root / folder).mkdir()
            leaf = {"_posts/2022-06-01-bottom.md": post_text(title=folder).encode()}
            make_deep_folders(root / folder, depth, leaf)
        archive, posts = load(root)
        assert {post.title for post in posts.values()} == {"A post", "deep"}
        assert [p.message for p in archive.problems] == ["folder cannot be read: File name too long"]
        assert archive.problems[0].path.startswith("deeper/d/d/")


def test_site_settings_are_bounded_like_front_matter(write_archive):
    """_config.yml goes through the same YAML bounds: a bomb in it is left out, named."""
    levels = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    levels += [f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 10) + "]" for n in range(1, 12)]
    config = "timezone: Asia/Shanghai\n" + "\n".join(levels) + "\nbaseurl: *l11\n"
    root = write_archive(
        {"_config.yml": config, "_posts/2022-06-01-a.md": post_text(date="2022-06-01 10:00")}
    )
    archive, posts = load(root)
    assert (
        posts["_posts/2022-06-01-a.md"].timestamp == datetime(2022, 6, 1, 2, tzinfo=timezone.utc).timestamp()
    )
    assert [str(p) for p in archive.problems] == [
        "_config.yml: settings too large once YAML aliases are expanded: "
        + ", ".join(f"'l{n}'" for n in range(3, 12))
        + ", 'baseurl' ignored"
    ]
    (root / "_config.yml").write_text("- &a [*a]\n", encoding="utf-8")
    (root / "_posts/2022-06-02-b.md").write_text(post_text(), encoding="utf-8")
    archive, _ = load(root)
    assert [str(p) for p in archive.problems] == [
        "_config.yml: cannot be read: endless (a YAML alias inside its own anchor)"
    ]


@pytest.mark.parametrize("helper", ["compiled", "python"])
@pytest.mark.parametrize("size", ["head", "long front matter"])
def test_a_post_swapped_for_a_named_pipe_after_the_scan_never_blocks(
    write_archive, monkeypatch, helper, size
):
    """The scan saw a regular file; by the time it is read, it is a named pipe: opened
    without waiting, refused, told, and every other post loads."""
    if helper == "python":
        monkeypatch.setattr(native_module, "fastio", None)
    # Front matter longer than the first read makes the reader open the file again.
    tags = "" if size == "head" else "x" * (reading_module.HEAD_BYTES + 10)
    root = write_archive(
        {"_posts/2022-06-01-pipe.md": post_text(tags=tags), "_posts/2022-06-02-ok.md": post_text()}
    )
    target = root / "_posts" / "2022-06-01-pipe.md"
    real_read_head, real_read_rest = reading_module._read_head, reading_module._read_rest

    def swap() -> None:
        if not target.is_fifo():
            target.unlink()
            os.mkfifo(target)

    def read_head(path, folder):
        if str(path).endswith("pipe.md") and size == "head":
            swap()
        return real_read_head(path, folder)

    def read_rest(path, folder):
        if str(path).endswith("pipe.md"):
            swap()
        return real_read_rest(path, folder)

    monkeypatch.setattr(reading_module, "_read_head", read_head)
    monkeypatch.setattr(reading_module, "_read_rest", read_rest)
    archive = load_archive(root, use_cache=False, workers=1)
    assert [post.path for post in archive.posts] == ["_posts/2022-06-02-ok.md"]
    assert [str(p) for p in archive.problems] == [
        "_posts/2022-06-01-pipe.md: file cannot be read: no longer a regular file; skipped"
    ]


def test_front_matter_that_never_closes_is_searched_for_a_bounded_length(write_archive, monkeypatch):
    monkeypatch.setattr(reading_module, "FRONT_MATTER_SEARCH_BYTES", 1 << 20)
    read = []
    real_read_rest = reading_module._read_rest
    monkeypatch.setattr(reading_module, "_read_rest", lambda *a: read.append(real_read_rest(*a)) or read[-1])
    root = write_archive({"_posts/2022-06-01-open.md": "---\ntitle: x\n" + "a: b\n" * 500_000})
    archive = load_archive(root, use_cache=False, workers=1)
    [post] = archive.posts
    assert post.problems == ("front matter not closed within the first 1 MiB; read as none",)
    assert [len(data) for data in read] == [(1 << 20) + 1]


def test_site_settings_are_never_read_through_a_link_out(write_archive, tmp_path):
    outside = tmp_path / "elsewhere.yml"
    outside.write_text("timezone: Asia/Shanghai\ntitle: from outside\n")
    root = write_archive({"_posts/2022-06-01-a.md": post_text()})
    (root / "_config.yml").symlink_to(outside)
    archive = load_archive(root, use_cache=False, workers=1)
    assert "title" not in archive.config.values
    assert sorted(str(p) for p in archive.problems) == [
        "_config.yml: cannot be read: leads outside the archive",
        "_config.yml: symbolic link leads outside the archive; not followed",
    ]

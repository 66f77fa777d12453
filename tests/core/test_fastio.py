"""The compiled helpers (reader/core/_fastio.c) give what the Python code gives."""

from __future__ import annotations

import errno
import os
import threading
from array import array
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core import archive as archive_module
from reader.core.archive import load_archive, scan, scan_meanwhile
from tests.conftest import post_text

NOT_BUILT = "reader/core/_fastio.c was not built: install a C compiler (gcc) and run scripts/bootstrap.sh"


def test_the_compiled_helpers_are_built():
    assert archive_module._fastio is not None, NOT_BUILT


@pytest.fixture
def fastio():
    """The compiled helper; each test that needs it fails, saying why, where it was not built."""
    if archive_module._fastio is None:
        pytest.fail(NOT_BUILT)
    return archive_module._fastio


@pytest.fixture
def mixed(write_archive, tmp_path: Path) -> Path:
    """Files and subfolders interleaved at several depths, links, drafts, pages and a fifo."""
    files: dict[str, str | bytes] = {}
    for folder in ("_posts", "_posts/b", "_posts/b/c", "old_post", "blog/_posts", "_drafts"):
        for at in range(7):
            files[f"{folder}/2022-06-0{at + 1}-{folder.replace('/', '-')}-{at}.md"] = post_text(title=f"{at}")
        files[f"{folder}/notes.txt"] = "no front matter\n"
    files["_posts/a/2022-07-01-x.md"] = post_text()
    files["about.md"] = "---\ntitle: About\n---\n"
    root = write_archive(files)
    (root / "_posts/2022-07-02-inside-link.md").symlink_to(root / "old_post/2022-06-01-old_post-0.md")
    outside = tmp_path / "outside.md"
    outside.write_text(post_text(), encoding="utf-8")
    (root / "_posts/2022-07-03-outside-link.md").symlink_to(outside)
    (root / "_posts/2022-07-04-dangling.md").symlink_to(root / "nowhere.md")
    os.mkfifo(root / "_posts/2022-07-05-fifo.md")
    return root


def scanned(root: Path) -> tuple:
    result = scan(root)
    return (*result.columns(), result.problems, result.folders_read)


def test_scan_gives_the_same_with_and_without_the_helper(mixed, monkeypatch, fastio):
    native = scanned(mixed)
    monkeypatch.setattr(archive_module, "_fastio", None)
    assert native == scanned(mixed)
    relatives, _, sizes, mtimes = native[:4]
    assert len(relatives) > 40 and all(sizes) and all(mtimes)
    assert "_posts/2022-07-04-dangling.md" not in relatives and "_posts/2022-07-05-fifo.md" not in relatives


def test_a_file_gone_before_its_stat_is_left_out(mixed, monkeypatch, fastio):
    gone = "old_post/2022-06-03-old_post-2.md"
    real = fastio.stat_folders

    def remove_then_stat(runs):
        (mixed / gone).unlink()
        return real(runs)

    monkeypatch.setattr(fastio, "stat_folders", remove_then_stat)
    result = scan(mixed)
    monkeypatch.undo()
    expected = scan(mixed)
    assert gone not in result.relatives
    assert result.columns() == expected.columns()


def test_meanwhile_runs_while_the_files_are_stated(mixed, monkeypatch, fastio):
    stating, released = threading.Event(), threading.Event()
    real = fastio.stat_folders

    def stat_when_released(runs):
        stating.set()
        assert released.wait(10), "meanwhile did not run while the files were stat'ed"
        return real(runs)

    def meanwhile():
        assert stating.wait(10), "the files were not stat'ed while meanwhile ran"
        released.set()
        return "read"

    monkeypatch.setattr(fastio, "stat_folders", stat_when_released)
    result, returned = scan_meanwhile(mixed, meanwhile=meanwhile)
    assert returned == "read" and all(result.sizes)


def test_what_meanwhile_raises_comes_through_after_the_stats(mixed, monkeypatch, fastio):
    finished = threading.Event()
    real = fastio.stat_folders

    def stat(runs):
        try:
            return real(runs)
        finally:
            finished.set()

    def fail():
        raise KeyError("meanwhile")

    monkeypatch.setattr(fastio, "stat_folders", stat)
    with pytest.raises(KeyError):
        scan_meanwhile(mixed, meanwhile=fail)
    assert finished.is_set()


def test_stat_folders_reports_each_failure(fastio):
    runs = fastio.stat_folders([("/no/such/folder", ["a", "b"]), (os.getcwd(), ["no-such-file"])])
    assert [array("i", errors).tolist() for _, _, errors in runs] == [[errno.ENOENT] * 2, [errno.ENOENT]]
    with pytest.raises(TypeError):
        fastio.stat_folders([(os.getcwd(), [1])])
    with pytest.raises(ValueError):
        fastio.stat_folders([(os.getcwd(), ["a\0b"])])


@pytest.mark.parametrize("helper", ["native", "python"])
def test_warm_loads_give_the_cold_loads_posts(mixed, monkeypatch, request, helper):
    if helper == "python":
        monkeypatch.setattr(archive_module, "_fastio", None)
    else:
        request.getfixturevalue("fastio")
    cold = load_archive(mixed, use_cache=False)
    load_archive(mixed)
    (mixed / "old_post/2022-06-02-old_post-1.md").write_text(post_text(title="changed"), encoding="utf-8")
    os.utime(mixed / "old_post/2022-06-02-old_post-1.md", ns=(1, 1))
    warm = load_archive(mixed)
    assert warm.files_read == 1
    assert warm.posts == load_archive(mixed, use_cache=False).posts != cold.posts
    assert load_archive(mixed).files_read == 0


def test_stat_folders_shared_between_threads_gives_each_file_its_own(tmp_path, fastio):
    # Enough files for the helper to split the work (SHARED_FROM in _fastio.c), with the
    # split falling inside runs, and failures in the middle of them.
    runs = []
    for folder, count in (("a", 1500), ("b", 2600), ("gone", 3), ("c", 1200)):
        names = [f"{at:05d}.md" for at in range(count)]
        if folder != "gone":
            (tmp_path / folder).mkdir()
            for at, name in enumerate(names):
                (tmp_path / folder / name).write_bytes(b"x" * (at % 97))
            names.insert(count // 2, "missing.md")
        runs.append((str(tmp_path / folder), names))
    stamped = fastio.stat_folders(runs)
    for (folder, names), (sizes, mtimes, errors) in zip(runs, stamped, strict=True):
        expected = []
        for name in names:
            try:
                info = os.stat(os.path.join(folder, name))
                expected.append((info.st_size, info.st_mtime_ns, 0))
            except FileNotFoundError:
                expected.append((0, 0, 2))
        found = zip(array("q", sizes), array("q", mtimes), array("i", errors), strict=True)
        assert list(found) == expected


def test_list_folder_lists_what_scandir_lists(mixed, fastio):
    for folder in (mixed, mixed / "_posts", mixed / "_posts" / "b", mixed / "old_post"):
        names, types = fastio.list_folder(str(folder))
        with os.scandir(folder) as entries:
            expected = [(entry.name, archive_module._entry_type(entry)) for entry in entries]
        assert list(zip(names, types, strict=True)) == expected
    with pytest.raises(FileNotFoundError) as missing:
        fastio.list_folder(str(mixed / "nowhere"))
    assert missing.value.filename == str(mixed / "nowhere")
    with pytest.raises(NotADirectoryError):
        fastio.list_folder(str(mixed / "about.md"))


def test_list_folder_reads_big_folders_and_odd_names(tmp_path, fastio):
    names = {f"{at:05d}-{'長い名前' * 3}.md" for at in range(5000)} | {"\udcff-not-utf8.md", " .md", "..."}
    for name in names:
        (tmp_path / name).write_bytes(b"")
    listed, types = fastio.list_folder(str(tmp_path))
    assert set(listed) == names and set(types) == {archive_module._DT_REG}
    assert listed == os.listdir(tmp_path)


def test_a_file_system_that_gives_no_types_is_scanned_the_same(mixed, monkeypatch, fastio):
    expected = scanned(mixed)
    real = fastio.list_folder

    def without_types(folder):
        names, types = real(folder)
        return names, bytes(len(types))  # DT_UNKNOWN throughout, as some file systems give

    monkeypatch.setattr(fastio, "list_folder", without_types)
    assert scanned(mixed) == expected


def decoder_state(data: bytes) -> int:
    """What utf8_state must say, from Python's own strict decoder."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return 1 if error.reason == "unexpected end of data" else 2
    return 0


# Text as posts have it (ASCII markup, Chinese, other scripts, emoji), then cut and
# corrupted: every boundary the fast paths for ASCII and three-byte runs meet.
characters = "<p>a1 ，。的国\u00e9\u0800\uffff\ud7ff\ue000😀\U0010ffff"
texts = st.text(alphabet=st.sampled_from(characters), max_size=60)
damage = st.lists(st.tuples(st.integers(0, 300), st.integers(0, 255)), max_size=3)


@given(texts, damage, st.integers(0, 4))
@settings(max_examples=3000, deadline=None)
def test_utf8_state_agrees_with_the_decoder_on_damaged_text(text, changes, cut):
    data = bytearray(text.encode("utf-8"))
    for at, value in changes:
        if data:
            data[at % len(data)] = value
    data = bytes(data[: len(data) - cut] if cut <= len(data) else data)
    native = archive_module._fastio
    if native is None:
        pytest.fail(NOT_BUILT)
    assert native.utf8_state(data) == decoder_state(data)


@given(st.binary(max_size=40))
@settings(max_examples=3000, deadline=None)
def test_utf8_state_agrees_with_the_decoder_on_any_bytes(data):
    native = archive_module._fastio
    if native is None:
        pytest.fail(NOT_BUILT)
    assert native.utf8_state(data) == decoder_state(data)


@pytest.mark.parametrize(
    "data",
    [
        b"\xe0\x9f\x80",  # overlong
        b"\xed\xa0\x80",  # a surrogate
        b"\xf4\x90\x80\x80",  # above U+10FFFF
        b"\xc0\xaf",
        b"\xe4\xb8",  # cut
        b"\xf0\x9f\x98",  # cut
        "的".encode() * 5 + b"\xe4\xb8",
        "的".encode() * 5 + b"\xe4\x38\xad",
        b"abcdefgh" * 3 + b"\xff",
        b"ok",
    ],
)
def test_utf8_state_on_the_edges(data, fastio):
    assert fastio.utf8_state(data) == decoder_state(data)
    with pytest.raises(TypeError):
        fastio.utf8_state(bytearray(data))

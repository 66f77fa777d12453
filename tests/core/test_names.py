"""File and folder names that are not UTF-8: one identity per archive, marks and the
search index keep such names exact, links and the post header reach them."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core import cache, names
from reader.core.archive import load_archive
from reader.core.links import classify
from reader.core.render import render_header
from reader.core.search import SearchIndex, _shard_paths, index_path
from reader.core.state import StateStore
from tests.conftest import post_text

BAD_FOLDER = b"arch\xffive"  # the archive folder's own name is not UTF-8
BAD_POST = b"_posts/2020-01-03-bad\xff.md"  # no title: it is made from the name
BAD_CATEGORY = b"caf\xe9"  # Latin-1, a category folder
POST_COUNT = 9


def write_names_archive(parent: Path, *, problem: bool = False) -> Path:
    """An archive of 9 posts in a folder whose name is not UTF-8: 7 plain ones, one whose
    file name is not UTF-8 and one in a category folder whose name is not UTF-8. With
    ``problem``, also a binary file whose name is not UTF-8 (reported, skipped)."""
    root = os.fsencode(parent) + b"/" + BAD_FOLDER
    files: dict[bytes, bytes] = {
        b"_posts/2020-01-%02d-good%d.md" % (day, day): post_text(title=f"Post {day}").encode()
        for day in (1, 2, 4, 5, 6, 7, 8)
    }
    files[BAD_POST] = post_text(title=None).replace("Body text.", "needle in a bad name").encode()
    files[BAD_CATEGORY + b"/_posts/2020-02-01-menu.md"] = post_text(title="Menu").encode()
    if problem:
        files[b"_posts/2020-01-09-bin\xfe.md"] = b"\x00binary"
    for relative, content in files.items():
        target = root + b"/" + relative
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as handle:
            handle.write(content)
    return Path(os.fsdecode(root))


def bad_key() -> str:
    return os.fsdecode(BAD_POST.rsplit(b"/", 1)[1])


# --- the representation ----------------------------------------------------------------


def test_names_are_shown_with_their_bytes_escaped_and_stored_as_bytes():
    name = os.fsdecode(b"caf\xe9/\xe4\xb8\xad\xff.md")  # Latin-1 é, then 中, then a stray byte
    assert names.shown(name) == "caf\\xe9/中\\xff.md"
    assert names.shown("valid 中文 \\xff") == "valid 中文 \\xff"
    assert names.to_stored(name) == b"caf\xe9/\xe4\xb8\xad\xff.md"
    assert names.to_stored("中.md") == "中.md"
    assert names.from_stored(names.to_stored(name)) == name
    assert names.unquote(names.quote(name)) == name
    assert names.quote(name) == "caf%E9/%E4%B8%AD%FF.md"


def test_one_archive_identity_for_marks_load_cache_and_search_index(tmp_path):
    root = write_names_archive(tmp_path)
    link = tmp_path / "link"
    link.symlink_to(root)
    identity = names.archive_id(root)
    assert identity == os.fsdecode(os.path.realpath(os.fsencode(root)))
    assert names.archive_id(link) == identity
    digest = hashlib.sha1(os.fsencode(identity)).hexdigest()
    assert names.archive_digest(link) == digest
    assert cache.cache_path(link) == cache.cache_path(root)
    assert cache.cache_path(root).name == f"{digest[:20]}.load-cache"
    assert index_path(link).name == f"{digest[:20]}.s0.sqlite3"
    assert StateStore(link, tmp_path / "state.sqlite3").archive == identity


def test_the_identity_of_an_archive_with_a_utf8_name_is_unchanged(tmp_path):
    """Existing marks, settings, caches and indexes are found again: for a folder whose
    name is UTF-8, every user names it as it did before."""
    root = tmp_path / "档案 archive"
    root.mkdir()
    before = hashlib.sha1(str(root.resolve()).encode()).hexdigest()
    assert names.archive_digest(root) == before
    assert cache.cache_path(root).name == f"{before[:20]}.load-cache"
    assert index_path(root).name == f"{before[:20]}.s0.sqlite3"
    assert StateStore(root, tmp_path / "state.sqlite3").archive == str(root.resolve())


# --- marks -------------------------------------------------------------------------------


def test_marks_of_names_that_are_not_utf8_survive_a_restart(tmp_path):
    root = write_names_archive(tmp_path)
    archive = load_archive(root)
    keys = [post.key for post in archive.posts]
    assert len(keys) == POST_COUNT
    assert bad_key() in keys
    assert os.fsdecode(BAD_CATEGORY + b"/2020-02-01-menu.md") in keys
    store = StateStore(root, tmp_path / "state.sqlite3")
    store.set_read(keys)
    store.set_starred([bad_key()])
    store.close()
    again = StateStore(root, tmp_path / "state.sqlite3")
    assert again.read == set(keys)
    assert again.starred == {bad_key()}
    rows = sqlite3.connect(tmp_path / "state.sqlite3").execute("SELECT archive, key FROM marks").fetchall()
    assert {archive for archive, _key in rows} == {os.fsencode(names.archive_id(root))}
    assert (os.fsencode(names.archive_id(root)), BAD_POST.rsplit(b"/", 1)[1]) in rows
    assert "2020-01-01-good1.md" in {key for _archive, key in rows}, "UTF-8 keys stay text"


#: File names the file system takes: any bytes but "/" and NUL, short enough once the
#: date and extension are added; text that looks like an escape too.
FILE_NAMES = st.one_of(
    st.binary(min_size=1, max_size=60),
    st.text(min_size=1, max_size=30).map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.sampled_from([b"\\xff", b"\xff", b"\xed\xb3\xbf", b"\xc3\xa9", b"e\xcc\x81"]),
).map(lambda name: name.replace(b"/", b"_").replace(b"\x00", b"_"))


@settings(max_examples=int(os.environ.get("READER_HYPOTHESIS_EXAMPLES", "150")), deadline=None)
@given(st.lists(FILE_NAMES, min_size=1, max_size=5, unique=True))
def test_any_file_name_goes_to_a_key_to_the_store_and_back_exactly(file_names):
    """Real files with arbitrary byte names: each post's key comes back from the store
    exactly (its bytes are the file's), and distinct names stay distinct marks."""
    with tempfile.TemporaryDirectory() as folder:
        root = os.fsencode(folder) + b"/archive"
        os.makedirs(root + b"/_posts")
        expected = set()
        for name in file_names:
            file_name = b"2020-01-01-" + name + b".md"
            with open(root + b"/_posts/" + file_name, "wb") as handle:
                handle.write(b"---\ntitle: x\n---\n")
            expected.add(file_name)
        archive = load_archive(Path(os.fsdecode(root)))
        keys = [post.key for post in archive.posts]
        assert {os.fsencode(key) for key in keys} == expected
        state = Path(folder) / "state.sqlite3"
        store = StateStore(archive.root, state)
        store.set_read(keys)
        store.set_starred(keys[:1])
        store.close()
        again = StateStore(archive.root, state)
        assert again.read == set(keys)
        assert again.starred == set(keys[:1])
        assert {os.fsencode(key) for key in again.read} == expected
        (rows,) = sqlite3.connect(state).execute("SELECT count(*) FROM marks").fetchone()
        assert rows == len(expected)
        again.close()


# --- search index -------------------------------------------------------------------------


def test_the_search_index_keeps_names_that_are_not_utf8(tmp_path):
    root = write_names_archive(tmp_path)
    archive = load_archive(root)
    index = SearchIndex(root)
    assert index.update(archive) == POST_COUNT
    hits = index.search("needle", archive)
    assert [archive.posts[hit.post_index].path for hit in hits] == [os.fsdecode(BAD_POST)]
    assert [archive.posts[hit.post_index].key for hit in index.search("bad", archive)] == [bad_key()]
    assert index.stale(archive) == [], "the stored path is the file's: nothing to index again"
    index.close()
    stored = set()
    for shard in _shard_paths(index_path(root)):
        stored |= {path for (path,) in sqlite3.connect(shard).execute("SELECT path FROM docs WHERE live")}
    assert BAD_POST in stored
    again = SearchIndex(root)
    assert again.update(archive) == 0
    assert [archive.posts[hit.post_index].key for hit in again.search("needle", archive)] == [bad_key()]
    again.close()


# --- links and the post header -----------------------------------------------------------


def test_links_reach_posts_and_categories_whose_names_are_not_utf8(tmp_path):
    root = write_names_archive(tmp_path)
    archive = load_archive(root)
    assert classify("2020-01-03-bad%FF.md", archive, "_posts/2020-01-01-good1.md").value == bad_key()
    assert classify("/2020/01/03/bad%FF.html", archive).value == bad_key()
    category = os.fsdecode(BAD_CATEGORY)
    assert classify("/category/caf%E9.html", archive).value == category
    menu = archive.posts[archive.by_key[os.fsdecode(BAD_CATEGORY + b"/2020-02-01-menu.md")]]
    header = render_header(menu, "2020-02-01")
    assert ">caf\\xe9</a>" in header
    assert 'href="reader:category/caf%E9"' in header
    target = classify("reader:category/caf%E9", archive)
    assert (target.kind, target.value) == ("category", category)


def test_a_title_made_from_a_name_that_is_not_utf8_is_text(tmp_path):
    archive = load_archive(write_names_archive(tmp_path))
    post = archive.posts[archive.by_key[bad_key()]]
    assert post.title == "Bad\\xff"
    post.title.encode("utf-8")  # valid text: Qt, JSON and the search index all take it

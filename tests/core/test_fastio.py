"""The compiled helpers (reader/core/_fastio.c) give what the Python code gives."""

from __future__ import annotations

import errno
import os
import re
import threading
from array import array
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core import dates, front_matter, indexes
from reader.core import native as native_module
from reader.core import reading as reading_module
from reader.core import scan as scan_module
from reader.core.archive import load_archive, scan, scan_meanwhile
from reader.core.front_matter import FRONT_MATTER_BYTES, parse_simple
from reader.core.post import Post
from tests.compiled import COMPILED, NOT_BUILT, can_build, compiler, needs_compiled
from tests.conftest import post_text
from tests.core.test_front_matter import CORPUS, LINES, same


def test_the_compiled_helpers_are_built_wherever_a_compiler_is_found():
    if not can_build():
        pytest.skip("no C compiler here (or not a POSIX system): Reader runs without the compiled helpers")
    assert COMPILED is not None, f"{compiler()} is here, but {NOT_BUILT}"


SOURCES = Path(__file__).resolve().parents[2] / "reader" / "core" / "_fastio_c"


def test_the_compiled_helpers_use_only_the_public_c_api():
    """No private CPython API (``_Py*`` names, a list's ``ob_item``): it changes between
    versions without notice. And no state in C globals: the module's own state only."""
    sources = sorted(SOURCES.glob("*.[ch]"))
    assert sources
    for source in sources:
        text = source.read_text(encoding="utf-8")
        assert not re.search(r"\b_Py[A-Za-z]|ob_item", text), source.name
        assert not re.search(r"^static PyObject \*\w+\s*(=|;)", text, re.MULTILINE), source.name


@pytest.fixture
def fastio():
    """The compiled helper; each test that needs it skips, saying why, where it is not built."""
    if COMPILED is None:
        pytest.skip(NOT_BUILT)
    return COMPILED


@pytest.fixture
def mixed(write_archive, tmp_path: Path) -> Path:
    """Files and subfolders interleaved at several depths, links, drafts, pages and a fifo."""
    files: dict[str, str | bytes] = {}
    for folder in ("_posts", "_posts/b", "_posts/b/c", "old_post", "blog/_posts", "_drafts"):
        for at in range(7):
            files[f"{folder}/2022-06-0{at + 1}-{folder.replace('/', '-')}-{at}.md"] = post_text(title=f"{at}")
        files[f"{folder}/notes.txt"] = "no front matter\n"
        files[f"{folder}/.2022-06-09-hidden.md"] = post_text()  # never a post
        files[f"{folder}/2022-06-09-upper.MD"] = post_text()
        files[f"{folder}/2022-06-09-backup.md~"] = post_text()
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
    monkeypatch.setattr(native_module, "fastio", None)
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
        monkeypatch.setattr(native_module, "fastio", None)
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
            expected = [(entry.name, native_module.entry_type(entry)) for entry in entries]
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
    assert set(listed) == names and set(types) == {scan_module._DT_REG}
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
    """0 UTF-8, 1 UTF-8 but for a character cut at the end, 2 not: Python's strict decoder."""
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


def assert_utf8_checked_as_the_decoder_does(native, data: bytes) -> None:
    """The compiled reader of front matter checks a file's whole head is UTF-8 (a
    character cut at the end allowed when the head is not the whole file), as the
    decoder would: else it leaves the file to Python."""
    head = b"---\nt: x\n---\n" + data
    state = decoder_state(data)
    for complete in (True, False):
        taken = b"\0" not in data and (state == 0 or (state == 1 and not complete))
        assert (native.simple_front_matter(head, complete) is not None) == taken, (data, complete)


@needs_compiled
@given(texts, damage, st.integers(0, 4))
@settings(max_examples=3000, deadline=None)
def test_the_utf8_check_agrees_with_the_decoder_on_damaged_text(text, changes, cut):
    data = bytearray(text.encode("utf-8"))
    for at, value in changes:
        if data:
            data[at % len(data)] = value
    data = bytes(data[: len(data) - cut] if cut <= len(data) else data)
    assert_utf8_checked_as_the_decoder_does(native_fixture(), data)


@needs_compiled
@given(st.binary(max_size=40))
@settings(max_examples=3000, deadline=None)
def test_the_utf8_check_agrees_with_the_decoder_on_any_bytes(data):
    assert_utf8_checked_as_the_decoder_does(native_fixture(), data)


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
def test_the_utf8_check_on_the_edges(data, fastio):
    assert_utf8_checked_as_the_decoder_does(fastio, data)


# --- simple_front_matter: the Python path's reading, or None ------------------------


def python_reading(data: bytes, complete: bool) -> dict | None:
    """What read_file's Python path makes of these first bytes of a file: the mapping of
    simple front matter, or None where it would do anything else."""
    if b"\0" in data or decoder_state(data) not in ((0,) if complete else (0, 1)):
        return None
    match = FRONT_MATTER_BYTES.match(data)
    return None if match is None else parse_simple(match.group(1).decode("utf-8"))


def assert_reads_as_python(native, data: bytes, complete: bool = True) -> dict | None:
    fast = native.simple_front_matter(data, complete)
    if fast is not None:
        assert same(fast, python_reading(data, complete)), (data, fast)
    return fast


CLOSINGS = st.sampled_from(["---\n", "---", "...\n", "--- \t\r\n", "---x\n", "----\n", " ---\n", "", "..\n"])
BODIES = st.one_of(
    st.sampled_from(["", "<p>正文</p>\n", "---\n", "body\0binary", "\ufeffbody"]).map(str.encode),
    st.binary(max_size=12),
)
TIMESTAMP = dict(yaml.resolver.Resolver.yaml_implicit_resolvers["0"])["tag:yaml.org,2002:timestamp"]


@st.composite
def real_times(draw) -> str:
    """Real times in each of YAML's timestamp spellings (most strings its pattern takes
    are no real time, and stay text)."""
    when = draw(st.datetimes(min_value=datetime(1000, 1, 1)))
    day = f"{when:%m-%d}" if draw(st.booleans()) else f"{when.month}-{when.day}"
    between = draw(st.sampled_from(["T", "t", " ", "  ", "\t"]))
    fraction = draw(st.sampled_from(["", ".", ".5", ".123456"]))
    space = draw(st.sampled_from(["", " ", "  ", "\t"]))
    zone = draw(st.sampled_from(["", "Z", "+8", "-05:00", "+0800", "+08:00", "+8:30", "-12"]))
    return f"{when:%Y}-{day}{between}{when.hour}:{when:%M:%S}{fraction}{space}{zone}"


DATES = st.one_of(
    st.from_regex(TIMESTAMP, fullmatch=True),
    st.text(alphabet="0123456789-:. \tTtZz+", max_size=28),
    st.dates(min_value=date(1000, 1, 1)).map(str),
    real_times(),
)


#: Quoted titles with escapes, quotes and spaces in and around them.
QUOTED = st.tuples(
    st.sampled_from("\"'"), st.text(alphabet="a \\\"'n的", max_size=6), st.sampled_from(["", " "])
).map(lambda parts: f"title: {parts[0]}{parts[1]}{parts[0]}{parts[2]}")


def native_fixture():
    """The compiled helper, in a test marked ``needs_compiled`` (hypothesis' tests take no fixture)."""
    assert COMPILED is not None, NOT_BUILT
    return COMPILED


@settings(max_examples=int(os.environ.get("READER_HYPOTHESIS_EXAMPLES", "1500")), deadline=None)
@given(
    st.sampled_from(["---\n", "---", "--- \n", "---\r\n", "\n---\n", ""]),
    st.lists(st.one_of(LINES, DATES.map(lambda value: f"date: {value}"), QUOTED), max_size=6),
    CLOSINGS,
    BODIES,
    st.integers(0, 400),
    st.booleans(),
)
@needs_compiled
def test_simple_front_matter_gives_the_python_reading_or_none(opening, lines, closing, body, cut, cut_it):
    """Any front matter, closing line and body (damaged, binary), whole or cut short."""
    native = native_fixture()
    data = (opening + "".join(line + "\n" for line in lines) + closing).encode() + body
    assert_reads_as_python(native, data)
    if cut_it:
        assert_reads_as_python(native, data[: cut % (len(data) + 1)], complete=False)


@settings(max_examples=int(os.environ.get("READER_HYPOTHESIS_EXAMPLES", "1500")), deadline=None)
@given(DATES)
@needs_compiled
def test_simple_front_matter_types_dates_as_yaml_does(value):
    """A date with a space is a string unless it is a YAML timestamp (then PyYAML builds it)."""
    native = native_fixture()
    data = f"---\ntitle: a\ndate: {value}\n---\n".encode()
    fast = assert_reads_as_python(native, data)
    if fast is not None and TIMESTAMP.fullmatch(value.strip(" ")):
        # built by PyYAML, unless it is no real time (2022-02-30), which stays text
        assert isinstance(fast["date"], date) or fast["date"] == value.strip(" ")


@pytest.mark.parametrize(
    "text",
    [
        '---\nlayout: post\ntitle: "蚂蚁集团发布2021可持续发展报告"\ndate: 2022-06-01 15:43:26 +0800\n'
        "categories: cailianshe\ntags: 财联社新闻\n---\n<p>正文</p>\n",
        "---\ntitle: Plain\ndate: 2022-06-01 15:43:26\npublished: false\n---\n",
        "---\ndate: 2022-06-01\ncategories: yicai\nn: 12\nempty:\nnothing: ~\n\n...\n",
        "---\ntitle: 'single'\ncategories: 21shijijingjibaodao 21caijingAPP\n---",
        "---\n---\n",
    ],
)
def test_simple_front_matter_takes_the_common_forms(text, fastio):
    for _ in range(2):  # the second time from what it remembers of keys and values
        fast = assert_reads_as_python(fastio, text.encode())
        assert fast is not None, text
        assert fast == python_reading(text.encode(), True)


@pytest.mark.parametrize(
    "data",
    [
        b"---\ntitle: a\n---",  # cut short: the closing line may go on
        b"---\ntitle: \xe7\x9a\n---\n",  # not UTF-8
        b"---\ntitle: a\n---\n\0",  # binary
        b"---\ntags: [a, b]\n---\n",  # a list: left to Python
        b"---\ntitle: a\r\n---\n",
        b"---\n# comment\n---\n",
        b"---\ntitle: a # comment\n---\n",
        b"---\nyes: a\n---\n",  # a key that YAML reads as true
        b"---\ntitle: \xc2\x85\n---\n",
        b'---\ntitle: "a\\nb"\n---\n',  # an escape
    ],
)
def test_simple_front_matter_leaves_the_rest_to_python(data, fastio):
    assert fastio.simple_front_matter(data, False) is None
    assert_reads_as_python(fastio, data)


def test_simple_front_matter_passes_on_errors_of_its_rules(fastio):
    def failing(value):
        raise ValueError("resolver failed")

    try:
        fastio.set_front_matter_rules(front_matter._key_ok, failing, "0")
        with pytest.raises(ValueError, match="resolver failed"):
            fastio.simple_front_matter(b"---\nn: 0\n---\n", True)
        fastio.set_front_matter_rules(front_matter._key_ok, lambda value: "not a pair", "0")
        with pytest.raises(TypeError):
            fastio.simple_front_matter(b"---\nn: 0\n---\n", True)
        with pytest.raises(ValueError):
            fastio.set_front_matter_rules(front_matter._key_ok, failing, "的")
    finally:
        fastio.set_front_matter_rules(*front_matter.fast_rules())
    assert fastio.simple_front_matter(b"---\nn: 0\n---\n", True) == {"n": 0}


@pytest.mark.parametrize("helper", ["simple_front_matter", "common_date"])
def test_posts_are_the_same_with_and_without_the_compiled_readers(write_archive, monkeypatch, fastio, helper):
    files: dict[str, str | bytes] = {
        f"_posts/2022-06-{at + 1:02d}-c{at}.md": text for at, text in enumerate(CORPUS)
    }
    for at, written in enumerate(
        ["2022-06-01 15:43:26 +0800", "2022-02-30 15:43:26 +0800", "0000-01-01 00:00:00 -0000"]
    ):
        files[f"old_post/2022-08-0{at + 1}-d{at}.md"] = f"---\ntitle: d\ndate: {written}\n---\n"
    files["_posts/2022-07-01-gb.md"] = "---\ntitle: 标题\n---\n正文".encode("gb18030")
    files["_posts/2022-07-02-bom.md"] = b"\xef\xbb\xbf" + post_text(title="bom").encode()
    files["_posts/2022-07-03-long.md"] = "---\ntitle: long\nx: " + "长" * 9000 + "\n---\n"
    files["_posts/2022-07-04-open.md"] = "---\ntitle: never closed\n"
    files["_posts/2022-07-05-bin.md"] = b"---\ntitle: a\n---\n\0"
    files["page.md"] = "---\ntitle: page\n---\n"
    root = write_archive(files)
    native = load_archive(root, use_cache=False)
    monkeypatch.setattr(fastio, helper, lambda *arguments: None)
    python = load_archive(root, use_cache=False)
    assert native.posts == python.posts
    assert list(native.all_problems()) == list(python.all_problems())


# --- common_date: the date form most archives write ----------------------------------


def python_moment(value: object):
    """The date's parts, offset and timestamp, laid out as ``common_date`` gives them."""
    when = dates.normalise_date(value)
    if when is None:
        return None
    local, offset, timestamp = dates.moment(when, None)
    return (*local.timetuple()[:6], local.microsecond, offset, timestamp)


@st.composite
def common_shaped(draw) -> str:
    """Text of the common form, ``2022-06-01 15:43:26 +0800``, real moments or not: 30
    February, 29 February of leap and common years, hour 24, minute 60, offsets of a
    day, year 0."""
    if draw(st.booleans()):
        when = draw(st.datetimes(min_value=datetime(1, 1, 1)))
        parts = [when.year, when.month, when.day, when.hour, when.minute, when.second]
    else:
        year = draw(st.one_of(st.integers(0, 9999), st.sampled_from([0, 1, 1900, 2000, 2023, 2024, 9999])))
        parts = [year, *(draw(st.integers(0, top)) for top in (13, 32, 25, 61, 61))]
    sign = draw(st.sampled_from("+-"))
    offset = draw(st.integers(0, 25)), draw(st.integers(0, 61))
    y, mo, d, h, mi, se = parts
    return f"{y:04d}-{mo:02d}-{d:02d} {h:02d}:{mi:02d}:{se:02d} {sign}{offset[0]:02d}{offset[1]:02d}"


@settings(max_examples=int(os.environ.get("READER_HYPOTHESIS_EXAMPLES", "1500")), deadline=None)
@given(common_shaped())
@needs_compiled
def test_common_date_gives_the_python_fields_of_the_common_form(text):
    """Each real moment of the common form is read, with what Python makes of it; each
    text Python cannot read is left to it, and so are offsets of 24 hours or 60 minutes
    (which Python reads by another rule)."""
    fast = native_fixture().common_date(text)
    assert fast == (python_moment(text) if dates._COMMON_DATE.match(text) else None)


@pytest.mark.parametrize(
    ("day", "real"),
    [
        ("2024-02-29", True),
        ("2000-02-29", True),
        ("2023-02-29", False),
        ("1900-02-29", False),
        ("2022-04-31", False),
        ("2022-12-31", True),
        ("0000-01-01", False),
        ("0001-01-01", True),
    ],
)
def test_common_date_knows_the_calendar(day, real, fastio):
    for time in ("00:00:00 +0000", "23:59:59 -2359", "12:30:00 +0800"):
        fast = fastio.common_date(f"{day} {time}")
        assert (fast is not None) == real
        assert fast == python_moment(f"{day} {time}")


@settings(max_examples=int(os.environ.get("READER_HYPOTHESIS_EXAMPLES", "1500")), deadline=None)
@given(st.one_of(DATES, st.text(max_size=30), common_shaped().map(lambda text: text[:-1] + "Z")))
@needs_compiled
def test_common_date_answers_only_as_python_does(text):
    fast = native_fixture().common_date(text)
    if fast is not None:
        assert fast == python_moment(text)


@pytest.mark.parametrize(
    "value",
    [
        "2022-06-01 15:43:26 +08:00",  # read by Python, not the common form
        "2022-06-01T15:43:26 +0800",
        " 2022-06-01 15:43:26 +0800",
        "2022-06-01 15:43:26 +0800 ",
        "２０２２-06-01 15:43:26 +0800",  # digits, but not ASCII ones
        "2022-06-01 15:43:26 +0800"[:-1],
        datetime(2022, 6, 1, 15, 43, 26),
        date(2022, 6, 1),
        20220601,
        None,
    ],
)
def test_common_date_leaves_other_values_to_python(value, fastio):
    assert fastio.common_date(value) is None


# --- read_head: os.open, os.fstat, os.read and os.close in one call -----------------


def python_head(path: str, folder: int | None, limit: int) -> tuple[bytes, int, int]:
    descriptor = os.open(path, os.O_RDONLY, dir_fd=folder)
    try:
        info = os.fstat(descriptor)
        return os.read(descriptor, limit), info.st_size, info.st_mtime_ns
    finally:
        os.close(descriptor)


def test_read_head_gives_what_the_four_calls_give(tmp_path, fastio):
    contents = {"empty.md": b"", "short.md": "---\ntitle: 标题\n---\n".encode(), "long.md": b"x" * 40_000}
    contents[os.fsdecode(b"\xff-not-utf8.md")] = b"odd name"
    for name, content in contents.items():
        (tmp_path / name).write_bytes(content)
        os.utime(tmp_path / name, ns=(1, 1_600_000_000_123_456_789))
    folder = os.open(tmp_path, os.O_RDONLY)
    try:
        for name in contents:
            for limit in (0, 7, reading_module.HEAD_BYTES):
                expected = python_head(name, folder, limit)
                assert fastio.read_head(name, folder, limit) == expected
                assert fastio.read_head(str(tmp_path / name), -1, limit) == expected
        limit = reading_module.HEAD_BYTES
        assert fastio.read_head("long.md", folder, limit) == (b"x" * limit, 40_000, 1_600_000_000_123_456_789)
    finally:
        os.close(folder)


def test_read_head_raises_what_the_four_calls_raise(tmp_path, fastio):
    with pytest.raises(FileNotFoundError) as missing:
        fastio.read_head(str(tmp_path / "gone.md"), -1, 10)
    assert missing.value.filename == str(tmp_path / "gone.md")
    with pytest.raises(IsADirectoryError):
        fastio.read_head(str(tmp_path), -1, 10)
    with pytest.raises(OSError) as bad_folder:
        fastio.read_head("x.md", 987_654, 10)
    assert bad_folder.value.errno == errno.EBADF
    with pytest.raises(ValueError):
        fastio.read_head("x.md", -1, -1)
    with pytest.raises(TypeError):
        fastio.read_head(b"x.md", -1)


# --- sort_posts: ordering and indexing the posts ---------------------------------------

#: Moments a few units in the last place apart: keys that differ in their lowest bytes only
NEIGHBOURS = st.integers(0, 600).map(lambda units: 1792468796.0 + units * 2**-22)
POSTS = st.lists(
    st.tuples(
        st.one_of(
            st.sampled_from([0.0, -0.0, 1.5, -3.0, 1e9, 1e9 + 1, 1792468796.0]),
            st.floats(allow_nan=False),
            NEIGHBOURS,
        ),
        st.text("ab/", max_size=3),  # paths: equal ones too
        st.sampled_from([(), ("a",), ("b", "a"), ("新闻",), tuple("abcdefghij")]),
        st.sampled_from([(), ("t",), ("t", "新闻")]),
        st.integers(1, 9999),
        st.integers(1, 12),
        st.sampled_from([(), ("p",), ("p", "q")]),
    ),
    max_size=80,
)


def a_post(moment, path, categories, tags, year, month, problems) -> Post:
    return Post(
        key="k",
        path=path,
        title="t",
        written=datetime(year, month, 1),
        utc_offset=None,
        timestamp=moment,
        categories=(*categories,),  # a tuple of its own, as posts read apart have
        tags=(*tags,),
        published=True,
        draft=False,
        problems=problems,
    )


def python_order(posts: list[Post]) -> tuple[list[Post], tuple]:
    ordered = list(posts)
    indexes.sort_newest_first(ordered)
    return ordered, indexes.derive(ordered)


def same_derived(one: tuple, other: tuple) -> bool:
    """Equal indexes, keyed in the same order, and the same problem count."""
    return (
        all(list(a.items()) == list(b.items()) for a, b in zip(one[:3], other[:3], strict=True))
        and one[3] == other[3]
    )


@needs_compiled
@settings(max_examples=int(os.environ.get("READER_HYPOTHESIS_EXAMPLES", "1500")), deadline=None)
@given(POSTS)
def test_sort_and_index_orders_and_indexes_as_python_does(specs):
    posts = [a_post(*spec) for spec in specs]
    expected, derived = python_order(posts)
    packed = native_module.sort_and_index(posts)
    assert packed is not None
    assert all(a is b for a, b in zip(posts, expected, strict=True))
    assert same_derived(indexes.unpack(packed), derived)


def test_sort_and_index_on_many_posts_of_few_sources(fastio):
    sources = [((f"source {at}",), (f"source {at}新闻", "tag")) for at in range(68)]
    sources.append((tuple("abcdefghij"), tuple("klmnopqrstuv")))
    posts = [
        a_post(float(at // 3), f"old_post/{at}.md", *sources[at // 2 % 69], 2000 + at % 30, at % 12 + 1, ())
        for at in range(20_000)
    ]
    expected, derived = python_order(posts)
    assert same_derived(indexes.unpack(native_module.sort_and_index(posts)), derived)
    assert posts == expected


@pytest.mark.parametrize(
    "odd",
    [
        {"timestamp": float("nan")},
        {"categories": ("a", 2)},
        {"tags": (1,)},
        {"path": b"x.md"},
        {"problems": ["p"]},
    ],
)
def test_sort_and_index_leaves_odd_posts_to_python(fastio, odd):
    """A post not of the loader's shape: None, the list untouched (Python sorts it)."""
    posts = [a_post(float(at), f"{at}.md", ("a",), (), 2020, 1, ()) for at in range(5)]
    fields = {"timestamp": 2.5, "path": "x.md", "categories": (), "tags": (), "problems": ()} | odd
    odd_post = SimpleNamespace(**fields, written=datetime(2020, 1, 1))
    mixed = [*posts, odd_post]
    assert native_module.sort_and_index(mixed) is None
    assert mixed == [*posts, odd_post]

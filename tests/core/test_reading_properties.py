"""Properties of reading posts, over generated input: any bytes make a post or a clear
problem (never "an error no rule foresaw"); dates never raise and round-trip; file
names never raise and keep their key through the daily move.

``tests/core/fuzz_front_matter.py`` runs the first property for as long as it is asked to.
"""

from __future__ import annotations

import os
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reader.core import dates, front_matter, jekyll
from reader.core import native as native_module
from reader.core.archive import Kind, Reading, load_archive, read_files

EXAMPLES = int(os.environ.get("READER_HYPOTHESIS_EXAMPLES", "300"))
#: What read_files says of a file that raised something no rule foresaw.
UNFORESEEN = "file cannot be read: "

# --- any bytes -------------------------------------------------------------------------

_LINES = st.sampled_from(
    [
        "title: A title",
        'title: "quoted "inner" quote"',
        "date: 2022-06-01 15:43:26 +0800",
        "date: 2022-02-30",
        "date: 0001-01-01",
        "date: 99999-01-01",
        "date:",
        "categories: a b",
        "categories: [a, [b, [c]]]",
        "tags: [x, 1, true, null, 2022-06-01]",
        "tag: 7",
        "published: false",
        "a: &a [lol, lol, lol]",
        "b: &b [*a, *a, *a, *a]",
        "tags: *b",
        "title: *a",
        "loop: &l [*l]",
        "tags: *l",
        "title: " + "7" * 5000,
        "title: &t {k: *t}",
        "<<: *a",
        "? [a]\n: b",
        "- item",
        "  indented: x",
        "\t tab: x",
        "title: 1" + ":30" * 50,
        "title: 0x" + "f" * 2000,
        "---",
        "...",
        "# comment",
        "",
    ]
)
_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)
_ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "latin-1", "utf-16", "utf-16-be"])


@st.composite
def post_bytes(draw: st.DrawFn) -> bytes:
    """Bytes for a post file: mostly front matter made of lines real and hostile, in some
    encoding, with damage; sometimes anything at all."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=3000))
    lines = draw(st.lists(_LINES | _TEXT, max_size=12))
    opening = draw(st.sampled_from(["---\n", "---\r\n", "--- \n", "", "\ufeff---\n"]))
    closing = draw(st.sampled_from(["---\n", "...\n", "---", "", "--- x\n"]))
    body = draw(_TEXT | st.sampled_from(["", "\x00", "正文" * 3000, "<p>body</p>"]))
    text = opening + "\n".join(lines) + "\n" + closing + body
    raw = text.encode(draw(_ENCODINGS), errors="replace")
    if draw(st.booleans()):
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.binary(max_size=4)) + raw[at:]
    return raw


_KINDS: list[tuple[str, Kind]] = [("_posts/2022-06-01-x.md", "post"), ("old_post/x.md", "other")]


def read_bytes(raw: bytes, folder: Path) -> list[Reading]:
    """What reading ``raw`` gives, as a post under ``_posts`` and as a file elsewhere."""
    readings = []
    for relative, kind in _KINDS:
        path = folder / relative
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(raw)
        fields, problems, sizes, mtimes = read_files(str(folder), [relative], [kind], "Asia/Shanghai")
        readings.append((fields[0], problems[0], sizes[0], mtimes[0]))
    return readings


def check_reading(raw: bytes, readings: list[Reading]) -> None:
    """A post or a clear problem (or, outside ``_posts``, nothing); never an error no rule
    foresaw, which read_files reports as "file cannot be read: <exception>"."""
    for post, problem, size, _ in readings:
        assert problem is None or not problem.startswith(UNFORESEEN), (raw[:300], problem)
        assert size == len(raw)
        if post is not None:
            assert problem is None
            assert isinstance(post.title, str)
            assert all(isinstance(name, str) and name for name in post.categories + post.tags)
            assert all(isinstance(message, str) for message in post.problems)


@pytest.mark.parametrize("helper", ["compiled", "python"])
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=post_bytes())
@example(raw=b"---\nloop: &l [*l]\ntags: *l\n---\n")
@example(raw=b"---\ntitle: " + b"7" * 5000 + b"\n---\n")
@example(raw=b"---\ntitle: x\ntags: [a,\n b]\n---\nbody \x00\n")
def test_any_bytes_make_a_post_or_a_clear_problem(raw, helper, monkeypatch):
    if helper == "python":
        monkeypatch.setattr(native_module, "fastio", None)
    with tempfile.TemporaryDirectory() as folder:
        check_reading(raw, read_bytes(raw, Path(folder)))


# --- dates -----------------------------------------------------------------------------

_DATE_TEXT = st.text(alphabet="0123456789-/:. +TZzUTCGM\t", max_size=40) | st.text(max_size=40)
_ZONES = [None, ZoneInfo("Asia/Shanghai"), ZoneInfo("America/New_York"), ZoneInfo("Pacific/Kiritimati")]


@settings(max_examples=EXAMPLES, deadline=None)
@given(_DATE_TEXT)
@example("0001-01-01")
def test_reading_a_date_never_raises(text):
    for value in (text, f"---\ndate: {text}\n"):
        when = dates.parse_date_text(value)
        assert when is None or isinstance(when, datetime)
    try:
        data = front_matter.parse_front_matter(f"---\ndate: {text}\n", [])
    except front_matter.yaml.YAMLError:
        return
    when = dates.normalise_date(data.get("date") if isinstance(data, dict) else None)
    if when is not None:
        for zone in _ZONES:
            local, _, _ = dates.moment(when, zone)
            assert (local.year, local.month, local.day) == (when.year, when.month, when.day)


_OFFSETS = st.integers(-(24 * 60 - 1), 24 * 60 - 1).map(lambda minutes: timezone(timedelta(minutes=minutes)))


def written(when: datetime, form: str) -> str:
    """``when`` written in one of the forms archives use."""
    day = f"{when.year:04d}-{when.month:02d}-{when.day:02d}"
    if form == "day":
        return day
    clock = f"{when.hour:02d}:{when.minute:02d}:{when.second:02d}"
    if when.microsecond:
        clock += f".{when.microsecond:06d}"
    offset = when.utcoffset()
    if offset is None:
        return f"{day} {clock}"
    minutes = int(offset.total_seconds()) // 60
    sign, minutes = ("-", -minutes) if minutes < 0 else ("+", minutes)
    zone = f"{sign}{minutes // 60:02d}{minutes % 60:02d}"
    return {"space": f"{day} {clock} {zone}", "colon": f"{day}T{clock}{zone[:3]}:{zone[3:]}"}[form]


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.datetimes(timezones=st.none() | _OFFSETS), st.sampled_from(["space", "colon", "day"]))
@example(datetime(1, 1, 1), "space")
def test_a_real_date_reads_back_as_written(when, form):
    """Through the date rule and through front matter (YAML or its fast path)."""
    text = written(when, form)
    expected = when.replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None) if form == "day" else when
    for read in (
        dates.parse_date_text(text),
        dates.normalise_date(front_matter.parse_front_matter(f"---\ndate: {text}\n")["date"]),
    ):
        assert read == expected and read.utcoffset() == expected.utcoffset(), (text, read)
        assert dates.moment(read, None)[0] == expected.replace(tzinfo=None)


# --- file names ------------------------------------------------------------------------

_NAME_CHARACTERS = st.characters(codec="utf-8", exclude_categories=["Cs"], exclude_characters="/\x00")
_NAMES = st.text(_NAME_CHARACTERS, min_size=1, max_size=60) | st.from_regex(
    r"\A[0-9]{2,4}-[0-9]{1,2}-[0-9]{1,2}-[^/\x00]{0,20}\.[a-z.]{0,5}\Z"
)
_SECTIONS = st.lists(st.text(_NAME_CHARACTERS, min_size=1, max_size=8), max_size=3).map(
    lambda parts: [part for part in parts if part not in (jekyll.POSTS_DIR, jekyll.DRAFTS_DIR)]
)


@settings(max_examples=EXAMPLES, deadline=None)
@given(_NAMES, _SECTIONS)
def test_file_name_rules_never_raise_and_keys_survive_the_daily_move(name, section):
    day, slug, extension = jekyll.split_filename(name)
    assert (day is not None) == (jekyll.DATE_FILENAME.match(name) is not None)
    assert name.startswith(day or "") and (not extension or name.endswith(extension))
    title = jekyll.titleize_slug(slug)
    assert title == jekyll.titleize_slug(slug), "the same each time"
    jekyll.is_special_entry(name)
    here = "/".join([*section, jekyll.POSTS_DIR, name])
    moved = "/".join([*section, "old_post", name])
    assert jekyll.post_key(here) == jekyll.post_key(moved) == "/".join([*section, name])
    assert jekyll.post_key("/".join([*section, jekyll.POSTS_DIR, "sub", name])) == jekyll.post_key(here)


@settings(max_examples=min(EXAMPLES, 40), deadline=None)
@given(st.text(_NAME_CHARACTERS.filter(lambda c: c not in "."), min_size=1, max_size=40))
def test_any_post_name_loads_with_its_own_key(slug):
    """A real file (up to 255 bytes of name) loads, whatever its name holds."""
    name = f"2022-06-01-{slug}.md"
    if len(name.encode()) > 255:
        return
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "_posts").mkdir()
        (root / "_posts" / name).write_text("---\ntitle: T\n---\n", encoding="utf-8")
        archive = load_archive(root, use_cache=False)
    assert [(post.key, post.path, post.title) for post in archive.posts] == [(name, f"_posts/{name}", "T")]
    assert archive.problems == []

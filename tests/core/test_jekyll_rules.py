"""One test per Jekyll rule the loader follows (see reader/core/archive.py)."""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core import dates
from reader.core.archive import load_archive
from reader.core.dates import parse_date_text
from reader.core.jekyll import post_key, titleize_slug
from tests.conftest import post_text

CST = timezone(timedelta(hours=8))


def by_path(root):
    archive = load_archive(root)
    return archive, {post.path: post for post in archive.posts}


# --- what counts as a post -------------------------------------------------------------


def test_posts_are_files_under_posts_folders_at_any_depth(write_archive):
    root = write_archive(
        {
            "_posts/2020-01-01-top.md": post_text(),
            "en/news/_posts/2020-01-02-deep.md": post_text(),
            "_posts/sub/folder/2020-01-03-nested.md": post_text(),
        }
    )
    _, posts = by_path(root)
    assert set(posts) == {
        "_posts/2020-01-01-top.md",
        "en/news/_posts/2020-01-02-deep.md",
        "_posts/sub/folder/2020-01-03-nested.md",
    }


def test_date_filename_matcher_accepts_short_dates(write_archive):
    root = write_archive(
        {"_posts/2017-2-5-short.md": post_text(title=None), "_posts/17-12-05-two-digit-year.md": post_text()}
    )
    _, posts = by_path(root)
    assert posts["_posts/2017-2-5-short.md"].date == datetime(2017, 2, 5)
    assert "_posts/17-12-05-two-digit-year.md" in posts


def test_files_in_posts_without_a_date_name_are_ignored(write_archive):
    root = write_archive(
        {
            "_posts/notes.md": post_text(date="2020-01-01"),
            "_posts/2020-01-01.md": post_text(),
            "_posts/2020-01-01-no-extension": post_text(),
        }
    )
    archive, posts = by_path(root)
    assert posts == {}
    assert archive.problems == []


@pytest.mark.parametrize(
    "name",
    ["_2020-01-01-x.md", ".2020-01-01-x.md", "#2020-01-01-x.md", "2020-01-01-x.md~", "_sub/2020-01-01-x.md"],
)
def test_special_names_under_posts_are_ignored(write_archive, name):
    root = write_archive({f"_posts/{name}": post_text()})
    _, posts = by_path(root)
    assert posts == {}


def test_no_front_matter_under_posts_is_still_a_post(write_archive):
    root = write_archive({"_posts/2009-06-22-no-yaml.markdown": "Just text.\n"})
    _, posts = by_path(root)
    post = posts["_posts/2009-06-22-no-yaml.markdown"]
    assert post.title == "No Yaml"
    assert post.date == datetime(2009, 6, 22)
    assert post.problems == ()


def test_text_file_outside_posts_with_front_matter_and_date_is_a_post(write_archive):
    root = write_archive(
        {
            "old_post/2022-06-01-NW1.md": post_text(date="2022-06-01 15:43:26 +0800"),
            "plain/folder/article.txt": post_text(date="2021-03-04"),
            "other/2020-05-06-named.html": post_text(),
        }
    )
    _, posts = by_path(root)
    assert posts["old_post/2022-06-01-NW1.md"].date == datetime(2022, 6, 1, 15, 43, 26, tzinfo=CST)
    assert posts["plain/folder/article.txt"].date == datetime(2021, 3, 4)
    assert posts["other/2020-05-06-named.html"].date == datetime(2020, 5, 6), "date from the file name"


@pytest.mark.parametrize("extension", [".md", ".markdown", ".mkd", ".mkdn", ".html", ".htm", ".txt", ".text"])
def test_every_text_extension_outside_posts_is_read(write_archive, extension):
    root = write_archive({f"old_post/a{extension}": post_text(date="2021-01-01")})
    _, posts = by_path(root)
    assert list(posts) == [f"old_post/a{extension}"]


def test_pages_without_a_date_are_not_posts(write_archive):
    root = write_archive(
        {
            "about.md": "---\nlayout: page\ntitle: About\n---\nText",
            "index.html": "---\nlayout: home\n---\n<p>hi</p>",
            "README.md": "# Readme\n",
        }
    )
    archive, posts = by_path(root)
    assert posts == {}
    assert archive.problems == []


def test_other_extensions_outside_posts_are_not_posts(write_archive):
    root = write_archive(
        {"assets/x.css": post_text(date="2021-01-01"), "feed.xml": post_text(date="2021-01-01")}
    )
    _, posts = by_path(root)
    assert posts == {}


def test_text_without_front_matter_outside_posts_is_not_a_post(write_archive):
    root = write_archive({"old_post/2021-01-01-plain.md": "no front matter here\n"})
    _, posts = by_path(root)
    assert posts == {}


@pytest.mark.parametrize(
    "folder",
    [
        "_site",
        ".git",
        "node_modules",
        "vendor",
        ".jekyll-cache",
        "_layouts",
        "_includes",
        "_sass",
        "_data",
        ".hidden",
    ],
)
def test_skipped_folders_are_never_read(write_archive, folder):
    root = write_archive(
        {f"{folder}/_posts/2020-01-01-x.md": post_text(), f"{folder}/y.md": post_text(date="2020-01-01")}
    )
    archive, posts = by_path(root)
    assert posts == {}
    assert archive.folders_read == 1


def test_symlinks_out_of_the_archive_are_not_followed(write_archive, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "2020-01-01-secret.md").write_text(post_text(), encoding="utf-8")
    root = write_archive({"_posts/2020-01-02-real.md": post_text()})
    (root / "_posts" / "escape").symlink_to(outside, target_is_directory=True)
    (root / "_posts" / "2020-01-03-link.md").symlink_to(outside / "2020-01-01-secret.md")
    archive, posts = by_path(root)
    assert set(posts) == {"_posts/2020-01-02-real.md"}
    assert {p.path for p in archive.problems} == {"_posts/escape", "_posts/2020-01-03-link.md"}


def test_symlink_loops_are_read_once(write_archive):
    root = write_archive({"blog/_posts/2020-01-01-x.md": post_text()})
    (root / "blog" / "again").symlink_to(root / "blog", target_is_directory=True)
    (root / "blog" / "up").symlink_to(root, target_is_directory=True)
    _, posts = by_path(root)
    assert list(posts) == ["blog/_posts/2020-01-01-x.md"]


def test_symlink_inside_the_archive_is_followed(write_archive):
    root = write_archive(
        {".store/2020-01-01-x.md": post_text(), ".store/section/_posts/2020-01-02-y.md": post_text()}
    )
    (root / "_posts").mkdir()
    (root / "_posts" / "2020-01-01-x.md").symlink_to(root / ".store" / "2020-01-01-x.md")
    (root / "section").symlink_to(root / ".store" / "section", target_is_directory=True)
    archive, posts = by_path(root)
    assert set(posts) == {"_posts/2020-01-01-x.md", "section/_posts/2020-01-02-y.md"}
    assert archive.problems == []


# --- categories and tags ---------------------------------------------------------------


def test_folders_above_posts_become_categories(write_archive):
    root = write_archive({"movies/horror/_posts/2020-01-01-x.md": post_text()})
    _, posts = by_path(root)
    assert posts["movies/horror/_posts/2020-01-01-x.md"].categories == ("movies", "horror")


def test_folders_below_posts_do_not_become_categories(write_archive):
    root = write_archive({"_posts/es/2020-01-01-x.md": post_text()})
    _, posts = by_path(root)
    assert posts["_posts/es/2020-01-01-x.md"].categories == ()


def test_front_matter_categories_are_appended_after_path_categories_deduplicated(write_archive):
    root = write_archive(
        {"en/news/_posts/2020-01-01-x.md": post_text(categories="[news, markets, en, markets]")}
    )
    _, posts = by_path(root)
    assert posts["en/news/_posts/2020-01-01-x.md"].categories == ("en", "news", "markets")


def test_plural_categories_string_is_split_on_whitespace(write_archive):
    root = write_archive({"_posts/2020-01-01-x.md": post_text(categories="21shijijingjibaodao 21caijingAPP")})
    _, posts = by_path(root)
    assert posts["_posts/2020-01-01-x.md"].categories == ("21shijijingjibaodao", "21caijingAPP")


def test_categories_with_parentheses_are_kept(write_archive):
    root = write_archive({"_posts/2020-01-01-x.md": post_text(categories="zhongguo(jingji)")})
    _, posts = by_path(root)
    assert posts["_posts/2020-01-01-x.md"].categories == ("zhongguo(jingji)",)


def test_categories_list_is_taken_as_is(write_archive):
    root = write_archive({"_posts/2020-01-01-x.md": "---\ncategories:\n  - big news\n  - 财经\n---\n"})
    _, posts = by_path(root)
    assert posts["_posts/2020-01-01-x.md"].categories == ("big news", "财经")


def test_category_singular_is_never_split_and_wins_over_plural_lookup(write_archive):
    root = write_archive({"_posts/2020-01-01-x.md": post_text(category="big news")})
    _, posts = by_path(root)
    assert posts["_posts/2020-01-01-x.md"].categories == ("big news",)


def test_category_and_categories_together_follow_jekyll_merge(write_archive):
    # Jekyll merges ``categories`` into the data first, then appends ``category``.
    root = write_archive({"_posts/2020-01-01-x.md": post_text(category="one", categories="two three")})
    _, posts = by_path(root)
    assert posts["_posts/2020-01-01-x.md"].categories == ("two", "three", "one")


def test_numbers_become_strings(write_archive):
    root = write_archive({"_posts/2020-01-01-x.md": post_text(categories="2013", tags="[2014, 3.5, true]")})
    _, posts = by_path(root)
    post = posts["_posts/2020-01-01-x.md"]
    assert post.categories == ("2013",)
    assert post.tags == ("2014", "3.5", "true")


def test_values_equal_in_python_but_not_in_ruby_stay_apart(write_archive):
    # ``1 == True == 1.0`` in Python; Jekyll prints them "1", "true", "1.0". Posts sharing
    # categories share work, so this checks that sharing never mixes them up. Tags take
    # only a string or a list (``value_from_plural_key``); ``categories`` also a scalar.
    cases = {
        "a": ("1", ("1",), ()),
        "b": ("true", ("true",), ()),
        "c": ("1.0", ("1.0",), ()),
        "d": ("[1]", ("1",), ("1",)),
        "e": ('"1"', ("1",), ("1",)),
        "f": ("yes", ("true",), ()),
        "g": ("~", (), ()),  # a null ``categories`` keeps the folders' (Jekyll 4.3: ["c"])
    }
    files = {}
    for day, (name, (value, _, _)) in enumerate(cases.items(), 1):
        files[f"c/_posts/2020-01-0{day}-{name}.md"] = post_text(categories=value)
        files[f"t/_posts/2020-01-0{day}-{name}.md"] = post_text(tags=value)
    _, posts = by_path(write_archive(files))
    for day, (name, (_, categories, tags)) in enumerate(cases.items(), 1):
        post = posts[f"c/_posts/2020-01-0{day}-{name}.md"]
        assert post.categories == ("c", *categories), name
        assert posts[f"t/_posts/2020-01-0{day}-{name}.md"].tags == tags, name


def test_tag_singular_wins_over_tags_and_is_never_split(write_archive):
    root = write_archive({"_posts/2020-01-01-x.md": post_text(tag="财联社 新闻", tags="a b")})
    _, posts = by_path(root)
    assert posts["_posts/2020-01-01-x.md"].tags == ("财联社 新闻",)


def test_tags_string_is_split_and_list_taken_as_is(write_archive):
    root = write_archive(
        {
            "_posts/2020-01-01-x.md": post_text(tags="财联社新闻 markets"),
            "_posts/2020-01-02-y.md": "---\ntags:\n- one tag\n- two\n- two\n- null\n---\n",
        }
    )
    _, posts = by_path(root)
    assert posts["_posts/2020-01-01-x.md"].tags == ("财联社新闻", "markets")
    assert posts["_posts/2020-01-02-y.md"].tags == ("one tag", "two")


# --- dates -----------------------------------------------------------------------------


def test_front_matter_date_overrides_filename_date(write_archive):
    root = write_archive({"_posts/2020-01-01-x.md": post_text(date="2021-07-08 09:10:11")})
    _, posts = by_path(root)
    assert posts["_posts/2020-01-01-x.md"].date == datetime(2021, 7, 8, 9, 10, 11)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2022-06-01 15:43:26 +0800", datetime(2022, 6, 1, 15, 43, 26, tzinfo=CST)),
        ("2022-06-01 15:43:26 +08:00", datetime(2022, 6, 1, 15, 43, 26, tzinfo=CST)),
        ("2022-06-01T15:43:26+08:00", datetime(2022, 6, 1, 15, 43, 26, tzinfo=CST)),
        ("2022-06-01 07:43:26 Z", datetime(2022, 6, 1, 7, 43, 26, tzinfo=timezone.utc)),
        ("2022-06-01 15:43:26 -0500", datetime(2022, 6, 1, 15, 43, 26, tzinfo=timezone(timedelta(hours=-5)))),
        ("2022-06-01 15:43:26", datetime(2022, 6, 1, 15, 43, 26)),
        ("2022-06-01 15:43", datetime(2022, 6, 1, 15, 43)),
        ("2022-06-01", datetime(2022, 6, 1)),
        ('"2022-06-01 15:43:26 +0800"', datetime(2022, 6, 1, 15, 43, 26, tzinfo=CST)),
        ("'2022-06-01'", datetime(2022, 6, 1)),
        ("2015-03-9", datetime(2015, 3, 9)),
        ("2015-3-9 8:05:00", datetime(2015, 3, 9, 8, 5)),
    ],
)
def test_date_forms_real_archives_use(write_archive, written, expected):
    root = write_archive({"old_post/x.md": post_text(date=written)})
    _, posts = by_path(root)
    post = posts["old_post/x.md"]
    assert post.date == expected
    assert post.date.tzinfo == expected.tzinfo
    assert post.problems == ()


def test_offset_is_kept_in_iso_output(write_archive):
    root = write_archive(
        {
            "old_post/x.md": post_text(date="2022-06-01 15:43:26 +0800"),
            "old_post/y.md": post_text(date="2022-06-01 15:43:26"),
        }
    )
    _, posts = by_path(root)
    assert posts["old_post/x.md"].iso_date() == "2022-06-01T15:43:26+08:00"
    assert posts["old_post/y.md"].iso_date() == "2022-06-01T15:43:26"


def test_naive_yaml_times_are_utc_and_file_name_dates_midnight_in_the_site_zone(write_archive):
    """As Jekyll: Ruby's YAML reads a time without offset as UTC; a file name's day is
    midnight in the site's ``timezone``."""
    root = write_archive(
        {
            "_config.yml": "timezone: Asia/Shanghai\n",
            "old_post/naive.md": post_text(date="2022-06-01 12:00:00"),
            "old_post/aware.md": post_text(date="2022-06-01 19:30:00 +0800"),
            "_posts/2022-06-01-day.md": post_text(),
        }
    )
    archive, _ = by_path(root)
    assert [p.path for p in archive.posts] == [
        "old_post/naive.md",
        "old_post/aware.md",
        "_posts/2022-06-01-day.md",
    ]
    assert archive.posts[0].timestamp == datetime(2022, 6, 1, 12, 0, tzinfo=timezone.utc).timestamp()
    assert archive.posts[2].timestamp == datetime(2022, 5, 31, 16, 0, tzinfo=timezone.utc).timestamp()


# --- titles and publishing -------------------------------------------------------------


def test_missing_title_is_made_from_the_slug(write_archive):
    root = write_archive(
        {
            "_posts/2009-06-22-no-yaml.markdown": post_text(title=None),
            "_posts/2009-06-23-iPhone-tips.md": "---\ntitle:\n---\n",
        }
    )
    _, posts = by_path(root)
    assert posts["_posts/2009-06-22-no-yaml.markdown"].title == "No Yaml"
    assert posts["_posts/2009-06-23-iPhone-tips.md"].title == "Iphone Tips"


@pytest.mark.parametrize(
    ("slug", "title"),
    [
        ("no-yaml", "No Yaml"),
        ("a--b", "A  B"),
        ("trailing-", "Trailing"),
        ("-lead", " Lead"),
        ("MIXED-case", "Mixed Case"),
    ],
)
def test_titleize_slug_matches_ruby(slug, title):
    assert titleize_slug(slug) == title


def test_empty_title_is_kept_as_jekyll_keeps_it(write_archive):
    root = write_archive({"_posts/2020-01-01-x.md": '---\ntitle: ""\n---\n'})
    _, posts = by_path(root)
    assert posts["_posts/2020-01-01-x.md"].title == ""


def test_published_false_is_loaded_and_flagged(write_archive):
    root = write_archive(
        {
            "_posts/2020-01-01-hidden.md": post_text(published="false"),
            "_posts/2020-01-02-shown.md": post_text(published='"false"'),
        }
    )
    _, posts = by_path(root)
    assert posts["_posts/2020-01-01-hidden.md"].published is False
    assert posts["_posts/2020-01-02-shown.md"].published is True, "only a real boolean false unpublishes"


def test_drafts_are_loaded_and_flagged_unpublished(write_archive):
    root = write_archive(
        {"_drafts/a-draft.md": post_text(title=None), "blog/_drafts/2020-03-04-dated.md": post_text()}
    )
    _, posts = by_path(root)
    draft = posts["_drafts/a-draft.md"]
    assert draft.draft and not draft.published
    assert draft.title == "A Draft"
    assert draft.problems == (), "a draft is dated by its file's time, as Jekyll does"
    dated = posts["blog/_drafts/2020-03-04-dated.md"]
    assert dated.date == datetime(2020, 3, 4)
    assert dated.categories == ("blog",)


# --- identity --------------------------------------------------------------------------


def test_key_survives_the_daily_move_to_old_post(write_archive, tmp_path):
    root = write_archive({"_posts/2022-06-01-NW1.md": post_text()})
    before = load_archive(root).posts[0].key
    (root / "old_post").mkdir()
    (root / "_posts" / "2022-06-01-NW1.md").rename(root / "old_post" / "2022-06-01-NW1.md")
    after = load_archive(root).posts[0]
    assert after.path == "old_post/2022-06-01-NW1.md"
    assert after.key == before == "2022-06-01-NW1.md"


def test_key_tells_apart_language_folders(write_archive):
    root = write_archive(
        {"en/news/_posts/2020-01-01-x.md": post_text(), "ja/news/_posts/2020-01-01-x.md": post_text()}
    )
    _, posts = by_path(root)
    assert posts["en/news/_posts/2020-01-01-x.md"].key == "en/news/2020-01-01-x.md"
    assert posts["ja/news/_posts/2020-01-01-x.md"].key == "ja/news/2020-01-01-x.md"


def test_same_name_twice_gets_unique_keys_posts_folder_first(write_archive):
    root = write_archive(
        {"_posts/2020-01-01-x.md": post_text(), "old_post/2020-01-01-x.md": post_text(date="2020-01-01")}
    )
    _, posts = by_path(root)
    assert posts["_posts/2020-01-01-x.md"].key == "2020-01-01-x.md"
    assert posts["old_post/2020-01-01-x.md"].key == "2020-01-01-x.md@old_post/2020-01-01-x.md"


def test_post_key_rule():
    assert post_key("_posts/x.md") == "x.md"
    assert post_key("old_post/x.md") == "x.md"
    assert post_key("x.md") == "x.md"
    assert post_key("en/news/old_post/x.md") == "en/news/x.md"
    assert post_key("en/news/_posts/sub/x.md") == "en/news/x.md"
    assert post_key("_drafts/x.md") == "x.md"


@settings(max_examples=int(os.environ.get("READER_HYPOTHESIS_EXAMPLES", "600")), deadline=None)
@given(
    st.integers(0, 9999),
    st.integers(0, 13),
    st.integers(0, 32),
    st.integers(0, 25),
    st.integers(0, 61),
    st.integers(0, 61),
    st.sampled_from("+-"),
    st.integers(0, 25),
    st.integers(0, 61),
)
def test_the_common_date_form_reads_as_the_general_rule_reads_it(
    year, month, day, hour, minute, second, sign, zone_hours, zone_minutes
):
    """``2022-06-01 15:43:26 +0800`` takes a shortcut; impossible days, hours and
    offsets included, it must give what the general rule gives."""
    zone = f"{sign}{zone_hours:02d}{zone_minutes:02d}"
    text = f"{year:04d}-{month:02d}-{day:02d} {hour:02d}:{minute:02d}:{second:02d} {zone}"
    fast, general = parse_date_text(text), dates._parse_date_text(text)
    assert fast == general, text
    if fast is not None:
        assert fast.utcoffset() == general.utcoffset(), text

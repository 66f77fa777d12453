"""Copies of one story: which posts are copies, which copy is shown, and no false merges."""

from __future__ import annotations

import os

import pytest

from reader.core.archive import load_archive
from reader.core.stories import normalised_title


def post(title: str, date: str, categories: str = "x") -> str:
    return f'---\ntitle: "{title}"\ndate: {date}\ncategories: {categories}\n---\nText\n'


def shown_paths(archive) -> dict[str, str]:
    posts = archive.posts
    return {post.path: posts[at].path for post, at in zip(posts, archive.stories(), strict=True)}


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("央行降准0.5个百分点", "央行 降准 0.5 个百分点！"),  # spaces, punctuation
        ("Ａ股收涨：沪指涨１％", "A股收涨 沪指涨1%"),  # full-width letters, digits and signs
        ("Markets Rally", "markets rally."),  # case
    ],
)
def test_titles_alike_once_normalised(one, other):
    assert normalised_title(one) == normalised_title(other)


def test_a_title_of_punctuation_only_is_empty():
    assert normalised_title("……！") == ""


def test_copies_by_title_and_minute_across_sources_and_folders(write_archive):
    root = write_archive(
        {
            "_posts/2024-03-01-em.md": post("央行 降准 0.5 个百分点", "2024-03-01 09:30:10 +0800", "emnews"),
            "old_post/2024-03-01-cls.md": post(
                "央行降准0.5个百分点！", "2024-03-01 09:30:50 +0800", "cailianshe"
            ),
            # the same instant written in another zone is the same minute
            "old_post/2024-03-01-utc.md": post("央行降准0.5个百分点", "2024-03-01 01:30:30 +0000", "reuters"),
        }
    )
    shown = shown_paths(load_archive(root))
    assert set(shown.values()) == {"_posts/2024-03-01-em.md"}  # the _posts/ copy is shown


@pytest.mark.parametrize(
    "files",
    [
        # the same title another minute, another day
        {
            "old_post/2024-03-01-a.md": post("Same title", "2024-03-01 09:30:59 +0800"),
            "old_post/2024-03-01-b.md": post("Same title", "2024-03-01 09:31:00 +0800"),
            "old_post/2024-03-02-c.md": post("Same title", "2024-03-02 09:30:59 +0800"),
        },
        # the same minute, other titles; and empty titles
        {
            "old_post/2024-03-01-a.md": post("One story", "2024-03-01 09:30:00 +0800"),
            "old_post/2024-03-01-b.md": post("Another story", "2024-03-01 09:30:00 +0800"),
            "old_post/2024-03-01-c.md": post("", "2024-03-01 09:30:00 +0800"),
            "old_post/2024-03-01-d.md": post("……", "2024-03-01 09:30:00 +0800"),
        },
    ],
    ids=["same title, other minutes", "same minute, other titles"],
)
def test_no_false_merges(write_archive, files):
    shown = shown_paths(load_archive(write_archive(files)))
    assert all(path == copy for path, copy in shown.items())


def test_the_same_file_name_in_posts_and_old_post_is_one_story_even_with_other_texts(write_archive):
    root = write_archive(
        {
            "_posts/2024-03-02-m.md": post("Title now", "2024-03-02 10:00:00 +0800"),
            "old_post/2024-03-02-m.md": post("Title before", "2024-03-01 08:00:00 +0800"),
        }
    )
    shown = shown_paths(load_archive(root))
    assert shown == {
        "_posts/2024-03-02-m.md": "_posts/2024-03-02-m.md",
        "old_post/2024-03-02-m.md": "_posts/2024-03-02-m.md",
    }


def test_without_a_posts_copy_the_newest_file_is_shown(write_archive):
    root = write_archive(
        {
            "old_post/2024-03-01-a.md": post("Story", "2024-03-01 09:30:00 +0800"),
            "old_post/2024-03-01-b.md": post("Story", "2024-03-01 09:30:00 +0800"),
        }
    )
    os.utime(root / "old_post/2024-03-01-a.md", ns=(2 * 10**18, 2 * 10**18))
    os.utime(root / "old_post/2024-03-01-b.md", ns=(10**18, 10**18))
    shown = shown_paths(load_archive(root))
    assert set(shown.values()) == {"old_post/2024-03-01-a.md"}
